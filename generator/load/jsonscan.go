package load

import (
	"encoding/json"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// scanJSON is the fast path of jsonNodes: a scanner over valid JSON that
// builds the same tree (TestScanJSONSameAsDecoder) without encoding/json's
// per-token allocations. It gives up (ok false) on anything it does not
// accept, and jsonNodes then parses with encoding/json, whose error
// messages diagnostics quote.
func scanJSON(data []byte) (n *yaml.Node, ok bool) {
	s := &jsonScanner{jp: jsonParser{data: data, lines: newLineIndex(data)}, data: data}
	n = s.value(0)
	if s.bad {
		return nil, false
	}
	s.space()
	if s.i != len(data) {
		return nil, false
	}
	return n, true
}

type jsonScanner struct {
	jp   jsonParser // positions
	data []byte
	i    int
	bad  bool
	slab []yaml.Node
	// stack holds the children of the collections being read, so each
	// gets a Content of its exact size.
	stack []*yaml.Node
}

func (s *jsonScanner) node() *yaml.Node {
	if len(s.slab) == 0 {
		s.slab = make([]yaml.Node, 512)
	}
	n := &s.slab[0]
	s.slab = s.slab[1:]
	return n
}

func (s *jsonScanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// after consumes what follows an element of an object or array: a comma
// (more is true) or the closing byte (more is false); ok is false for
// anything else.
func (s *jsonScanner) after(close byte) (more, ok bool) {
	s.space()
	if s.i >= len(s.data) {
		return false, false
	}
	switch s.data[s.i] {
	case ',':
		s.i++
		return true, true
	case close:
		s.i++
		return false, true
	}
	return false, false
}

func (s *jsonScanner) fail() *yaml.Node {
	s.bad = true
	return nil
}

func (s *jsonScanner) value(depth int) *yaml.Node {
	if depth > MaxDepth {
		return s.fail()
	}
	s.space()
	if s.i >= len(s.data) {
		return s.fail()
	}
	n := s.node()
	n.Line, n.Column = s.jp.pos(s.i)
	switch c := s.data[s.i]; {
	case c == '{':
		s.i++
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		base := len(s.stack)
		s.space()
		if s.i < len(s.data) && s.data[s.i] == '}' {
			s.i++
			return n
		}
		for {
			s.space()
			if s.i >= len(s.data) || s.data[s.i] != '"' {
				return s.fail()
			}
			k := s.node()
			k.Line, k.Column = s.jp.pos(s.i)
			k.Kind, k.Tag = yaml.ScalarNode, "!!str"
			var ok bool
			if k.Value, ok = s.str(); !ok {
				return s.fail()
			}
			s.space()
			if s.i >= len(s.data) || s.data[s.i] != ':' {
				return s.fail()
			}
			s.i++
			v := s.value(depth + 1)
			if s.bad {
				return nil
			}
			s.stack = append(s.stack, k, v)
			if more, ok := s.after('}'); !ok {
				return s.fail()
			} else if more {
				continue
			}
			break
		}
		n.Content = append([]*yaml.Node(nil), s.stack[base:]...)
		s.stack = s.stack[:base]
	case c == '[':
		s.i++
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		base := len(s.stack)
		s.space()
		if s.i < len(s.data) && s.data[s.i] == ']' {
			s.i++
			return n
		}
		for {
			v := s.value(depth + 1)
			if s.bad {
				return nil
			}
			s.stack = append(s.stack, v)
			if more, ok := s.after(']'); !ok {
				return s.fail()
			} else if more {
				continue
			}
			break
		}
		n.Content = append([]*yaml.Node(nil), s.stack[base:]...)
		s.stack = s.stack[:base]
	case c == '"':
		n.Kind, n.Tag, n.Style = yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle
		var ok bool
		if n.Value, ok = s.str(); !ok {
			return s.fail()
		}
	case c == '-' || c >= '0' && c <= '9':
		start := s.i
		frac := s.number()
		if s.bad {
			return nil
		}
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", string(s.data[start:s.i])
		if frac {
			n.Tag = "!!float"
		}
	default:
		for _, lit := range [...]struct{ text, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
			if len(s.data)-s.i >= len(lit.text) && string(s.data[s.i:s.i+len(lit.text)]) == lit.text {
				s.i += len(lit.text)
				n.Kind, n.Tag, n.Value = yaml.ScalarNode, lit.tag, lit.text
				return n
			}
		}
		return s.fail()
	}
	return n
}

// str reads a string token. One with escapes is decoded by encoding/json,
// so that every escape (a lone surrogate included) reads as it does there.
func (s *jsonScanner) str() (string, bool) {
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '"':
			s.i++
			if !escaped {
				return string(s.data[start+1 : s.i-1]), true
			}
			var v string
			if err := json.Unmarshal(s.data[start:s.i], &v); err != nil {
				return "", false
			}
			return v, true
		case c == '\\':
			escaped = true
			s.i += 2
		case c < 0x20:
			return "", false
		case c < utf8.RuneSelf:
			s.i++
		default:
			_, size := utf8.DecodeRune(s.data[s.i:])
			s.i += size // the input is valid UTF-8 (parseFile checked)
		}
	}
	return "", false
}

// number reads a JSON number; frac reports a fraction or an exponent.
func (s *jsonScanner) number() (frac bool) {
	d := s.data
	digits := func() int {
		n := 0
		for s.i < len(d) && d[s.i] >= '0' && d[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if d[s.i] == '-' {
		s.i++
	}
	if s.i < len(d) && d[s.i] == '0' {
		s.i++
	} else if digits() == 0 {
		s.bad = true
		return
	}
	if s.i < len(d) && d[s.i] == '.' {
		s.i++
		frac = true
		if digits() == 0 {
			s.bad = true
			return
		}
	}
	if s.i < len(d) && (d[s.i] == 'e' || d[s.i] == 'E') {
		s.i++
		frac = true
		if s.i < len(d) && (d[s.i] == '+' || d[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			s.bad = true
			return
		}
	}
	// A number runs into the next token only through a delimiter.
	if s.i < len(d) {
		switch d[s.i] {
		case ' ', '\t', '\r', '\n', ',', '}', ']':
		default:
			s.bad = true
		}
	}
	return
}
