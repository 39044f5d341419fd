package load

import (
	"bytes"
	"encoding/json"
	"runtime"
	"sync/atomic"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// scanJSON is the fast path of jsonNodes: a scanner over valid JSON that
// builds the same tree (TestScanJSONSameAsDecoder) without encoding/json's
// per-token allocations. It gives up (ok false) on anything it does not
// accept, and jsonNodes then parses with encoding/json, whose error
// messages diagnostics quote.
func scanJSON(data []byte) (n *yaml.Node, ok bool) {
	return scanJSONN(data, runtime.GOMAXPROCS(0), jsonSplitMin)
}

// scanJSONN is scanJSON on two goroutines (see jsonSpec) when procs allows
// and data has at least min bytes.
func scanJSONN(data []byte, procs, min int) (n *yaml.Node, ok bool) {
	s := &jsonScanner{jp: jsonParser{data: data, lines: newLineIndex(data)}, data: data}
	if procs >= 2 && len(data) >= min {
		if off, levels := jsonGuess(data); off > 0 {
			s.spec = &jsonSpec{off: off, levels: levels, done: make(chan struct{})}
			go s.spec.run(data, s.jp.lines)
			defer s.spec.stop.Store(true) // when the guess was never reached
		}
	}
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
	// spec is the rest of the document read ahead from an offset; open
	// holds the kinds ('{' or '[') of the collections being read, to tell
	// when the scanner reaches that offset where the guess put it; pend
	// and pendLevel carry the entries read ahead out to the mappings that
	// enclose the point where they are taken.
	spec      *jsonSpec
	open      []byte
	pend      []jsonRest
	pendLevel int
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
		s.open = append(s.open, '{')
		defer func() { s.open = s.open[:len(s.open)-1] }()
		for {
			s.space()
			if sp := s.spec; sp != nil && s.i == sp.off && s.inObjects(sp.levels) {
				// The guess was right: the rest of this mapping and of
				// those around it was read ahead.
				s.spec = nil
				<-sp.done
				if sp.ok {
					jsonSpecTaken.Add(1)
					s.stack = append(s.stack, sp.rest[sp.levels].members...)
					n.Content = append([]*yaml.Node(nil), s.stack[base:]...)
					s.stack = s.stack[:base]
					s.i = sp.rest[sp.levels].close + 1
					s.pend, s.pendLevel = sp.rest, sp.levels-1
					return n
				}
			}
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
			if s.pend != nil && s.pendLevel == depth {
				r := s.pend[depth]
				s.stack = append(s.stack, r.members...)
				s.i = r.close
				if s.pendLevel--; s.pendLevel < 0 {
					s.pend = nil
				}
			}
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
		s.open = append(s.open, '[')
		defer func() { s.open = s.open[:len(s.open)-1] }()
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

// A large JSON spec is read on two goroutines. Pretty-printed JSON puts
// every entry of a mapping on a line of its own, indented by its depth, so
// a line near the middle of the file indented as the entries of the top
// level's values (paths, components) or of theirs (components' schemas)
// are is most likely such an entry. A second scanner reads ahead from
// there, as if inside those mappings, to the end of the document. The
// guess is taken only if the first scanner reaches that very offset where
// a key of a mapping that deep is due, inside mappings only: then both
// read the same text in the same state, and the second's entries are the
// ones the first would have read. Otherwise (or if the read-ahead failed)
// they are dropped and the first reads on alone.

// jsonSpecTaken counts the read-aheads taken (for tests).
var jsonSpecTaken atomic.Int64

// jsonSplitMin is the smallest JSON file read on two goroutines.
const jsonSplitMin = 256 << 10

// jsonSpec is the read-ahead.
type jsonSpec struct {
	off    int // where it starts: a key of a mapping at depth levels
	levels int
	done   chan struct{}
	stop   atomic.Bool // the first scanner is done without it
	ok     bool
	// rest holds, for each depth 0..levels, the entries of the mapping at
	// that depth that follow the offset (for depth < levels: after the
	// entry holding it) and the offset of the mapping's closing brace.
	rest []jsonRest
}

type jsonRest struct {
	members []*yaml.Node
	close   int
}

func (sp *jsonSpec) run(data []byte, lines lineIndex) {
	defer close(sp.done)
	defer func() {
		// A read-ahead that fails in any way is not taken; the first
		// scanner reads that text itself.
		if r := recover(); r != nil {
			sp.ok = false
		}
	}()
	g := &jsonScanner{jp: jsonParser{data: data, lines: lines}, data: data, i: sp.off}
	sp.rest = make([]jsonRest, sp.levels+1)
	for d := sp.levels; d >= 0; d-- {
		if d < sp.levels {
			// After the closing brace of the mapping at depth d+1: more
			// entries of the one at depth d, or its end.
			g.i = sp.rest[d+1].close + 1
			g.space()
			if g.i >= len(data) {
				return
			}
			switch data[g.i] {
			case ',':
				g.i++
			case '}':
				sp.rest[d].close = g.i
				continue
			default:
				return
			}
		}
		members, ok := g.members(d+1, &sp.stop)
		if !ok {
			return
		}
		sp.rest[d] = jsonRest{members: members, close: g.i}
	}
	sp.ok = true
}

// members reads the entries of a mapping from a key to its closing brace,
// which it stops at; values are read at the given depth.
func (s *jsonScanner) members(depth int, stop *atomic.Bool) ([]*yaml.Node, bool) {
	var out []*yaml.Node
	for !stop.Load() {
		s.space()
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return nil, false
		}
		k := s.node()
		k.Line, k.Column = s.jp.pos(s.i)
		k.Kind, k.Tag = yaml.ScalarNode, "!!str"
		var ok bool
		if k.Value, ok = s.str(); !ok {
			return nil, false
		}
		s.space()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return nil, false
		}
		s.i++
		v := s.value(depth)
		if s.bad {
			return nil, false
		}
		out = append(out, k, v)
		s.space()
		if s.i >= len(s.data) {
			return nil, false
		}
		switch s.data[s.i] {
		case ',':
			s.i++
		case '}':
			return out, true
		default:
			return nil, false
		}
	}
	return nil, false
}

// inObjects reports whether the scanner is inside mappings only, levels+1
// of them (the top level's and those of the values it is in).
func (s *jsonScanner) inObjects(levels int) bool {
	if len(s.open) != levels+1 {
		return false
	}
	for _, c := range s.open {
		if c != '{' {
			return false
		}
	}
	return true
}

// jsonGuess finds the line nearest the middle of data that starts, after
// the indentation of the entries at depth 2 or 3 of a pretty-printed
// document, with a key; it returns the key's offset and the depth less one
// of the mapping it would be in, or 0 for none. The indentation step is
// the first entry's.
func jsonGuess(data []byte) (off, levels int) {
	first := bytes.IndexByte(data, '\n')
	if first < 0 || string(bytes.TrimSpace(data[:first])) != "{" {
		return 0, 0
	}
	step := 0
	for first+1+step < len(data) && data[first+1+step] == ' ' {
		step++
	}
	if step == 0 || first+1+step >= len(data) || data[first+1+step] != '"' {
		return 0, 0
	}
	best, bestLevels, bestDist := 0, 0, len(data)
	mid := len(data) / 2
	// Lines from the middle outwards, a bounded distance either way.
	for _, dir := range []int{1, -1} {
		i := mid
		for n := 0; n < 1<<16 && i > first && i < len(data); n++ {
			start := i
			if dir > 0 {
				j := bytes.IndexByte(data[i:], '\n')
				if j < 0 {
					break
				}
				start = i + j + 1
				i = start
			} else {
				j := bytes.LastIndexByte(data[:i-1], '\n')
				if j < 0 {
					break
				}
				start = j + 1
				i = start
			}
			ind := 0
			for start+ind < len(data) && data[start+ind] == ' ' {
				ind++
			}
			if start+ind >= len(data) || data[start+ind] != '"' || (ind != 2*step && ind != 3*step) {
				continue
			}
			if d := abs(start + ind - mid); d < bestDist {
				best, bestLevels, bestDist = start+ind, ind/step-1, d
			}
			break
		}
	}
	return best, bestLevels
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
