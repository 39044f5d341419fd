package load

import (
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// kinTree builds, from p's tree, the node tree that kin-openapi's YAML
// reader makes of emitJSON(p)'s text, without writing that text or parsing
// it again (which was most of the time of a load): the same kinds, tags,
// values and styles, each node at the line and column it has in the
// emitted text. The emitted form's line table (emitted.lines) comes with it,
// so everything that maps a line kin-openapi reports back to a pointer
// works as for the text; the text itself (emitted.data) is left nil, to be
// written by ensureData if kin-openapi ever asks for the file.
// TestKinTreeIsParsedEmit pins the equivalence.
func kinTree(p *parsed) (*yaml.Node, *emitted) {
	b := &kinBuilder{p: p, line: 1, col: 1}
	b.lines = append(b.lines, "")
	root := b.value(p.root, "", true)
	doc := b.node()
	doc.Kind, doc.Line, doc.Column = yaml.DocumentNode, 1, 1
	doc.Content = []*yaml.Node{root}
	return doc, &emitted{lines: b.lines}
}

type kinBuilder struct {
	p         *parsed
	lines     []string
	line, col int // where the next character of the emitted text goes
	slab      []yaml.Node
	scratch   []byte
}

// node allocates nodes in slabs: a large spec has hundreds of thousands.
func (b *kinBuilder) node() *yaml.Node {
	if len(b.slab) == 0 {
		b.slab = make([]yaml.Node, 1024)
	}
	n := &b.slab[0]
	b.slab = b.slab[1:]
	return n
}

// newline mirrors emitter.newline.
func (b *kinBuilder) newline(ptr string, n *yaml.Node) {
	b.line++
	b.col = 1
	b.lines = append(b.lines, ptr)
	if _, ok := b.p.index[ptr]; !ok && n != nil && n.Line > 0 {
		b.p.index[ptr] = nodePos(n)
	}
}

// value mirrors emitter.value.
func (b *kinBuilder) value(n *yaml.Node, ptr string, keyless bool) *yaml.Node {
	c := b.node()
	c.Line, c.Column = b.line, b.col
	switch n.Kind {
	case yaml.MappingNode:
		c.Kind, c.Tag, c.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
		b.col++ // {
		c.Content = make([]*yaml.Node, 0, len(n.Content))
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ptr + "/" + escapeToken(k.Value)
			if i > 0 || !keyless {
				b.newline(p, k)
			} else if _, ok := b.p.index[p]; !ok && k.Line > 0 {
				b.p.index[p] = nodePos(k)
			}
			ck := b.node()
			ck.Kind, ck.Tag, ck.Style, ck.Value, ck.Line, ck.Column = yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle, k.Value, b.line, b.col
			b.col += jsonStringWidth(k.Value) + 2 // "key": and a space
			cv := b.value(v, p, false)
			c.Content = append(c.Content, ck, cv)
			if i+2 < len(n.Content) {
				b.col++ // ,
			}
		}
		b.col++ // }
	case yaml.SequenceNode:
		c.Kind, c.Tag, c.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
		b.col++ // [
		c.Content = make([]*yaml.Node, 0, len(n.Content))
		for i, v := range n.Content {
			p := ptr + "/" + strconv.Itoa(i)
			b.newline(p, v)
			c.Content = append(c.Content, b.value(v, p, true))
			if i+1 < len(n.Content) {
				b.col++ // ,
			}
		}
		b.col++ // ]
	default:
		c.Kind = yaml.ScalarNode
		b.scratch = appendScalar(b.scratch[:0], n)
		if b.scratch[0] == '"' {
			// appendScalar writes every string as the node's value.
			c.Tag, c.Style, c.Value = "!!str", yaml.DoubleQuotedStyle, n.Value
			b.col += jsonStringWidth(n.Value)
		} else {
			t := string(b.scratch)
			if t == n.Value {
				t = n.Value // share the string
			}
			c.Tag, c.Value = plainTag(t), t
			b.col += len(t)
		}
	}
	return c
}

// plainTag is the tag go-yaml resolves a plain scalar that appendScalar
// wrote to: null, true, false or a JSON number.
func plainTag(t string) string {
	switch t {
	case "null":
		return "!!null"
	case "true", "false":
		return "!!bool"
	case "-0", "-0.0":
		return "!!float" // go-yaml reads these as negative zero
	}
	if _, err := strconv.ParseInt(t, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(t, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return "!!float"
	}
	return "!!str" // out of float64's range: go-yaml keeps the text
}

// jsonStringWidth is the width in characters of appendJSONString(s).
func jsonStringWidth(s string) int {
	w := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				w += 2
			case c < 0x20 || c == 0x7f:
				w += 6
			default:
				w++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == 0x85 || r == 0x2028 || r == 0x2029:
			w += 6
		default:
			w++
		}
		i += size
	}
	return w
}

// ensureData writes the emitted text of a file whose text was not needed
// so far (kinTree built its tree).
func (f *srcFile) ensureData() {
	if f.p != nil && (f.em == nil || f.em.data == nil) {
		f.em = emitJSON(f.p)
	}
}
