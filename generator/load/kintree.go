package load

import (
	"fmt"
	"runtime"
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
	return kinTreeN(p, runtime.GOMAXPROCS(0), kinSplitMin)
}

// kinSplitMin is the fewest lines of emitted text built on several
// goroutines.
const kinSplitMin = 4000

// kinTreeN is kinTree on up to procs goroutines for a document of at least
// minLines lines. Where the text goes is known before it is written (every
// element of a mapping or a list is on a line of its own), so the entries
// of the top-level mapping and of its large sections (paths, components)
// are built in runs of consecutive entries, each run by a builder of its
// own that starts at the line and column where the run's text starts. The
// runs' line tables are put in place after, and the pointers they would
// add to the index (see newline) added in document order: no two elements
// share a pointer, so the index is the one a single builder makes.
func kinTreeN(p *parsed, procs, minLines int) (*yaml.Node, *emitted) {
	b := &kinBuilder{p: p, line: 1, col: 1}
	b.lines = append(b.lines, "")
	if procs >= 2 && p.root.Kind == yaml.MappingNode {
		if total := kinLines(p.root, true); total >= minLines {
			b.split = &kinSplit{target: max(total/(2*procs), minLines/8)}
		}
	}
	root := b.value(p.root, "", true)
	if s := b.split; s != nil && len(s.runs) > 0 {
		jobs := make([]job, len(s.runs))
		for i, r := range s.runs {
			jobs[i] = job{weight: r.lines, run: func() error { r.build(); return nil }}
		}
		runJobs(jobs, procs)
		for _, r := range s.runs {
			if len(r.b.lines) != r.lines {
				panic(fmt.Sprintf("kinTree: a run of %d lines wrote %d", r.lines, len(r.b.lines)))
			}
			copy(b.lines[r.at:], r.b.lines)
			copy(r.c.Content[r.from:], r.out)
			for _, a := range r.b.adds {
				if _, ok := b.p.index[a.ptr]; !ok {
					b.p.index[a.ptr] = a.at
				}
			}
		}
	}
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
	// split, on the builder of the whole document, collects the runs of
	// entries left to builders of their own; depth is the nesting of the
	// mapping being built.
	split *kinSplit
	depth int
	// adds, on the builder of a run, holds the pointers newline would add
	// to the index, which the run's builder may only read.
	adds      []ptrPos
	deferAdds bool
}

type ptrPos struct {
	ptr string
	at  pos
}

// kinSplit is the work left to the builders of runs.
type kinSplit struct {
	target int // lines per run
	runs   []*kinRun
}

// kinRun is a run of consecutive entries of the mapping n (at pointer
// ptr), n.Content[first:end], built by its own builder b from the line and
// column its text starts at; its keys and values (out) go to
// c.Content[from:], its line table to the document's lines[at:at+lines].
type kinRun struct {
	b               *kinBuilder
	n, c            *yaml.Node
	ptr             string
	first, end      int // entries, as indexes into n.Content
	from, at, lines int
	keyless         bool
	out             []*yaml.Node
}

func (r *kinRun) build() {
	r.out = make([]*yaml.Node, 0, r.end-r.first)
	for i := r.first; i < r.end; i += 2 {
		r.out = r.b.entry(r.out, r.n, i, r.ptr, r.keyless)
	}
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
	if n != nil && n.Line > 0 {
		b.indexAdd(ptr, nodePos(n))
	}
}

// indexAdd adds ptr to the index unless it is there.
func (b *kinBuilder) indexAdd(ptr string, at pos) {
	if _, ok := b.p.index[ptr]; !ok {
		if b.deferAdds {
			b.adds = append(b.adds, ptrPos{ptr, at})
		} else {
			b.p.index[ptr] = at
		}
	}
}

// kinLines is the number of line breaks value(n, _, keyless) writes.
func kinLines(n *yaml.Node, keyless bool) int {
	lines := 0
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 || !keyless {
				lines++
			}
			lines += kinLines(n.Content[i+1], false)
		}
	case yaml.SequenceNode:
		for _, v := range n.Content {
			lines += 1 + kinLines(v, true)
		}
	}
	return lines
}

// entry builds the i-th entry of the mapping n (at ptr) and appends its
// key and value to out; it mirrors the body of emitter.value's loop.
func (b *kinBuilder) entry(out []*yaml.Node, n *yaml.Node, i int, ptr string, keyless bool) []*yaml.Node {
	k, v := n.Content[i], n.Content[i+1]
	p := ptr + "/" + escapeToken(k.Value)
	if i > 0 || !keyless {
		b.newline(p, k)
	} else if k.Line > 0 {
		b.indexAdd(p, nodePos(k))
	}
	ck := b.node()
	ck.Kind, ck.Tag, ck.Style, ck.Value, ck.Line, ck.Column = yaml.ScalarNode, "!!str", yaml.DoubleQuotedStyle, k.Value, b.line, b.col
	b.col += jsonStringWidth(k.Value) + 2 // "key": and a space
	cv := b.value(v, p, false)
	out = append(out, ck, cv)
	if i+2 < len(n.Content) {
		b.col++ // ,
	}
	return out
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
		if b.split != nil && b.depth < 2 {
			b.depth++
			b.runs(n, c, ptr, keyless)
			b.depth--
		} else {
			for i := 0; i+1 < len(n.Content); i += 2 {
				c.Content = b.entry(c.Content, n, i, ptr, keyless)
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

// runs builds the entries of the mapping n into c on the document's
// builder (a large section's entries, at depth 1, through runs of their
// own; at the top level, a large section itself is entered) or leaves them
// to runs: consecutive entries of at least target lines together.
func (b *kinBuilder) runs(n, c *yaml.Node, ptr string, keyless bool) {
	s := b.split
	var r *kinRun
	flush := func() {
		if r == nil {
			return
		}
		// The run's text: its lines are reserved, and the builder goes on
		// after them (the column after the last entry is never read: a
		// line break or the end of the text follows).
		c.Content = c.Content[:len(c.Content)+r.end-r.first]
		b.lines = append(b.lines, make([]string, r.lines)...)
		b.line += r.lines
		s.runs = append(s.runs, r)
		r = nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		w := kinLines(v, false)
		if i > 0 || !keyless {
			w++
		}
		if b.depth == 1 && v.Kind == yaml.MappingNode && w >= 2*s.target {
			// A large section: its entries are cut into runs.
			flush()
			c.Content = b.entry(c.Content, n, i, ptr, keyless)
			continue
		}
		if r == nil {
			sb := &kinBuilder{p: b.p, line: b.line, col: b.col, deferAdds: true}
			r = &kinRun{b: sb, n: n, c: c, ptr: ptr, first: i, from: len(c.Content), at: len(b.lines), keyless: keyless}
		}
		r.end = i + 2
		r.lines += w
		if r.lines >= s.target {
			flush()
		}
	}
	flush()
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
