package gofmt

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"sync"
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
	src, ok := newSrcFile(tf)
	if !ok {
		return nil, false
	}

	p := newPrinter(src, true, make(map[ast.Node]int))
	// The printer's stream and the aligner's tables are scratch space of
	// the size of the file: reused across calls.
	s := scratches.Get().(*scratch)
	p.out = s.out[:0]
	if need := tf.Size() + tf.Size()/4; cap(p.out) < need {
		p.out = make([]byte, 0, need)
	}
	defer func() {
		s.out = p.out[:0]
		p.out = nil
		scratches.Put(s)
		freePrinter(p)
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

	out = s.align.run(p.out, make([]byte, 0, len(p.out)+len(p.out)/8))
	return out, true
}

type scratch struct {
	out   []byte
	align aligner
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

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
