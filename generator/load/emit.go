package load

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// emitted is a parsed (and repaired) tree written as JSON with every mapping
// entry and sequence item on a line of its own, which is what kin-openapi
// reads. lines[i] is the JSON pointer of the element that starts on line
// i+1, so a line kin-openapi reports in an Origin or an error maps back to
// a pointer, and through the index to the position in the original file.
type emitted struct {
	data  []byte
	lines []string
}

// pointerAt returns the pointer of the element that starts on a 1-based
// line of the emitted JSON.
func (e *emitted) pointerAt(line int) (string, bool) {
	if e == nil || line < 1 || line > len(e.lines) {
		return "", false
	}
	return e.lines[line-1], true
}

// emitJSON writes p's tree as JSON. Pointers that exist only after repairs
// are added to p.index at the position of the node they hold (which keeps
// the position it had in the original file).
func emitJSON(p *parsed) *emitted {
	e := &emitter{p: p}
	e.buf = make([]byte, 0, 1024)
	e.lines = append(e.lines, "")
	e.value(p.root, "", true)
	e.buf = append(e.buf, '\n')
	return &emitted{data: e.buf, lines: e.lines}
}

type emitter struct {
	p     *parsed
	buf   []byte
	lines []string
}

func (e *emitter) newline(ptr string, n *yaml.Node) {
	e.buf = append(e.buf, '\n')
	e.lines = append(e.lines, ptr)
	if _, ok := e.p.index[ptr]; !ok && n != nil && n.Line > 0 {
		e.p.index[ptr] = nodePos(n)
	}
}

// value writes n. A mapping that is not the value of a key (the root, a
// sequence item) has its first entry on its own line: kin-openapi places
// such an object at its first key, so that line must name the object.
func (e *emitter) value(n *yaml.Node, ptr string, keyless bool) {
	switch n.Kind {
	case yaml.MappingNode:
		e.buf = append(e.buf, '{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ptr + "/" + escapeToken(k.Value)
			if i > 0 || !keyless {
				e.newline(p, k)
			} else if _, ok := e.p.index[p]; !ok && k.Line > 0 {
				e.p.index[p] = nodePos(k)
			}
			e.buf = appendJSONString(e.buf, k.Value)
			e.buf = append(e.buf, ':', ' ')
			e.value(v, p, false)
			if i+2 < len(n.Content) {
				e.buf = append(e.buf, ',')
			}
		}
		e.buf = append(e.buf, '}')
	case yaml.SequenceNode:
		e.buf = append(e.buf, '[')
		for i, v := range n.Content {
			p := ptr + "/" + strconv.Itoa(i)
			e.newline(p, v)
			e.value(v, p, true)
			if i+1 < len(n.Content) {
				e.buf = append(e.buf, ',')
			}
		}
		e.buf = append(e.buf, ']')
	default:
		e.buf = appendScalar(e.buf, n)
	}
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// appendScalar writes a YAML scalar as the JSON value it stands for.
func appendScalar(buf []byte, n *yaml.Node) []byte {
	v := n.Value
	switch n.Tag {
	case "!!null":
		return append(buf, "null"...)
	case "!!bool":
		switch strings.ToLower(v) {
		case "true", "yes", "on", "y":
			return append(buf, "true"...)
		case "false", "no", "off", "n":
			return append(buf, "false"...)
		}
	case "!!int":
		if jsonNumber.MatchString(v) {
			return append(buf, v...)
		}
		s := strings.ReplaceAll(strings.TrimPrefix(v, "+"), "_", "")
		if i, ok := new(big.Int).SetString(s, 0); ok {
			return i.Append(buf, 10)
		}
	case "!!float":
		if jsonNumber.MatchString(v) {
			return append(buf, v...)
		}
		if f, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return strconv.AppendFloat(buf, f, 'g', -1, 64)
		}
	}
	return appendJSONString(buf, v)
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string (s is valid UTF-8).
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20 || c == 0x7f:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			// Line breaks to YAML; escaped so kin-openapi's YAML reader
			// keeps one element per line.
			buf = append(buf, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
