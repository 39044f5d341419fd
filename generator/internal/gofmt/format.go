package gofmt

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"sync"
	"text/tabwriter"
)

// Format returns src formatted exactly as go/format.Source would format
// it, or ok == false if it declines (see the package doc); it never fails
// otherwise.
func Format(src []byte) (out []byte, ok bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	return formatFile(fset, f)
}

// panicked, when set by tests, receives panics other than a decline
// instead of turning them into one: a bug must not hide as a slow path.
var panicked func(v any)

func formatFile(fset *token.FileSet, f *ast.File) (out []byte, ok bool) {
	if !supportedComments(f) || importsC(f) {
		return nil, false
	}
	// format.Source sorts the imports of a whole file before printing.
	ast.SortImports(fset, f)
	tf := fset.File(f.FileStart)
	if tf == nil {
		return nil, false
	}
	src := &srcFile{base: tf.Base(), size: tf.Size(), lines: tf.Lines()}

	p := newPrinter(src, true, make(map[ast.Node]int))
	defer func() {
		if r := recover(); r != nil {
			if _, isDecline := r.(declined); !isDecline && panicked != nil {
				panicked(r)
			}
			out, ok = nil, false
		}
	}()
	p.comments = f.Comments
	p.useNodeComments = p.comments == nil
	p.nextComment()
	p.toggle(0)
	p.file(f)
	p.finish()

	var buf bytes.Buffer
	buf.Grow(len(p.out) + len(p.out)/8)
	tw := tabwriter.NewWriter(&trimmer{out: &buf}, 0, 8, 1, ' ', tabwriter.DiscardEmptyColumns|tabwriter.TabIndent)
	if _, err := tw.Write(p.out); err != nil {
		return nil, false
	}
	if err := tw.Flush(); err != nil {
		return nil, false
	}
	freePrinter(p)
	return buf.Bytes(), true
}

// supportedComments reports whether every comment is one this printer
// reproduces: //-comments other than //line directives and build
// constraints (go/printer moves and rewrites those).
func supportedComments(f *ast.File) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			t := c.Text
			if !strings.HasPrefix(t, "//") ||
				strings.HasPrefix(t, "//line ") ||
				strings.HasPrefix(t, "//go:build") ||
				strings.HasPrefix(strings.TrimLeft(t[2:], " \t"), "+build") {
				return false
			}
		}
	}
	return true
}

// importsC reports whether f imports "C": go/printer keeps cgo preambles
// as written.
func importsC(f *ast.File) bool {
	for _, s := range f.Imports {
		if s.Path != nil && s.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

var printers = sync.Pool{New: func() any {
	return &printer{wsbuf: make([]ws, 0, 16), out: make([]byte, 0, 1024)}
}}

func newPrinter(src *srcFile, normalize bool, sizes map[ast.Node]int) *printer {
	p := printers.Get().(*printer)
	*p = printer{
		src:       src,
		normalize: normalize,
		sizes:     sizes,
		pos:       position{Line: 1, Column: 1},
		outPos:    position{Line: 1, Column: 1},
		wsbuf:     p.wsbuf[:0],
		out:       p.out[:0],
		cachedPos: -1,
	}
	return p
}

func freePrinter(p *printer) {
	if cap(p.out) > 64<<10 {
		return
	}
	p.src, p.sizes, p.comments, p.comment = nil, nil, nil, nil
	printers.Put(p)
}

// trimmer sits behind the tabwriter: it drops the escape bytes and the
// blanks and tabs at line ends (padding of empty trailing cells, blanks
// before a comment that moved), and turns formfeeds into newlines. Escaped
// text passes unchanged, trailing blanks included.
type trimmer struct {
	out   *bytes.Buffer
	state int
	space []byte
}

const (
	trimSpace  = iota // blanks seen, not yet known to be inside the line
	trimEscape        // inside escaped text
	trimText          // inside ordinary text
)

func (t *trimmer) Write(data []byte) (int, error) {
	start := 0 // start of the unwritten text run
	for i, b := range data {
		if b == '\v' {
			b = '\t'
		}
		switch t.state {
		case trimSpace:
			switch b {
			case '\t', ' ':
				t.space = append(t.space, b)
			case '\n', '\f':
				t.space = t.space[:0]
				t.out.WriteByte('\n')
			case tabwriter.Escape:
				t.out.Write(t.space)
				t.space = t.space[:0]
				t.state = trimEscape
				start = i + 1
			default:
				t.out.Write(t.space)
				t.space = t.space[:0]
				t.state = trimText
				start = i
			}
		case trimEscape:
			if b == tabwriter.Escape {
				t.out.Write(data[start:i])
				t.state = trimSpace
			}
		case trimText:
			switch b {
			case '\t', ' ':
				t.out.Write(data[start:i])
				t.space = append(t.space[:0], b)
				t.state = trimSpace
			case '\n', '\f':
				t.out.Write(data[start:i])
				t.out.WriteByte('\n')
				t.state = trimSpace
			case tabwriter.Escape:
				t.out.Write(data[start:i])
				t.state = trimEscape
				start = i + 1
			}
		}
	}
	switch t.state {
	case trimEscape, trimText:
		t.out.Write(data[start:])
		t.space = t.space[:0]
		t.state = trimSpace
	}
	return len(data), nil
}
