package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// looksLikeJSON reports whether data starts (past whitespace) like a JSON
// object or array.
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && (data[0] == '{' || data[0] == '[')
}

// jsonNodes parses JSON into a YAML node tree with positions. It is used
// for JSON that the YAML parser refuses (a surrogate pair escape such as
// "\ud83d\udc4d" is valid JSON but not valid YAML). Duplicate keys are kept
// for the expander to resolve, and nesting is limited to MaxDepth.
func jsonNodes(file string, data []byte) (*yaml.Node, error) {
	if jsonScan {
		if n, ok := scanJSON(data); ok {
			return n, nil
		}
	}
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: newLineIndex(data)}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, p.error(file, err)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		l, c := offsetPos(data, p.start())
		return nil, diag.Errorf(file, l, c, "", "invalid JSON: data after the top-level value")
	}
	return n, nil
}

// jsonScan is false only in tests comparing scanJSON with the decoder.
var jsonScan = true

type jsonParser struct {
	data  []byte
	dec   *json.Decoder
	lines lineIndex

	// The last position computed: tokens come in order, so the column of
	// the next one on the same line is counted from there (a minified
	// document is one long line).
	lastOff, lastLine, lastCol int
}

func (p *jsonParser) pos(off int) (line, col int) {
	if p.lastLine > 0 && off >= p.lastOff && (p.lastLine == len(p.lines) || p.lines[p.lastLine] > off) {
		p.lastCol += utf8.RuneCount(p.data[p.lastOff:off])
		p.lastOff = off
		return p.lastLine, p.lastCol
	}
	p.lastLine, p.lastCol = p.lines.pos(p.data, off)
	p.lastOff = off
	return p.lastLine, p.lastCol
}

// lineIndex holds the offsets where lines start, to turn offsets into
// positions in logarithmic time.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	li := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			li = append(li, i+1)
		}
	}
	return li
}

// pos returns the 1-based line and column (in runes) of an offset.
func (li lineIndex) pos(data []byte, off int) (line, col int) {
	i := sort.Search(len(li), func(i int) bool { return li[i] > off }) - 1
	return i + 1, 1 + utf8.RuneCount(data[li[i]:off])
}

// start returns the offset where the next token begins.
func (p *jsonParser) start() int {
	i := int(p.dec.InputOffset())
	for i < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[i]) >= 0 {
		i++
	}
	return i
}

var errTooDeep = errors.New("too deep")

func (p *jsonParser) error(file string, err error) error {
	off := p.start()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
		if off > 0 {
			off--
		}
	}
	if off > len(p.data) {
		off = len(p.data)
	}
	l, c := p.pos(off)
	switch {
	case err == errTooDeep:
		return diag.Errorf(file, l, c, "", "nesting deeper than %d levels", MaxDepth)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return diag.Errorf(file, l, c, "", "invalid JSON: unexpected end of input")
	}
	return diag.Errorf(file, l, c, "", "invalid JSON: %v", err)
}

func (p *jsonParser) value(depth int) (*yaml.Node, error) {
	if depth > MaxDepth {
		return nil, errTooDeep
	}
	off := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	l, c := p.pos(off)
	n := &yaml.Node{Line: l, Column: c}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			for p.dec.More() {
				koff := p.start()
				kt, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				kl, kc := p.pos(koff)
				ks, _ := kt.(string)
				k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ks, Line: kl, Column: kc}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k, v)
			}
		case '[':
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
		default:
			return nil, errors.New("unexpected " + t.String())
		}
		if _, err := p.dec.Token(); err != nil { // closing delimiter
			return nil, err
		}
	case string:
		n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", t, yaml.DoubleQuotedStyle
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", t.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", "false"
		if t {
			n.Value = "true"
		}
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}
