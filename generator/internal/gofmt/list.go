package gofmt

import (
	"go/ast"
	"go/token"
	"math"
)

type listMode uint

const (
	commaTerm listMode = 1 << iota // a trailing comma when the closing token is on a later line
	noIndent                       // no extra indentation for the lines after the first
)

// identList prints names as an expression list.
func (p *printer) identList(list []*ast.Ident, indent bool) {
	var one [1]ast.Expr
	xlist := one[:0]
	if len(list) > 1 {
		xlist = make([]ast.Expr, 0, len(list))
	}
	for _, x := range list {
		xlist = append(xlist, x)
	}
	var mode listMode
	if !indent {
		mode = noIndent
	}
	p.exprList(token.NoPos, xlist, 1, mode, token.NoPos)
}

// exprList prints list between the tokens at prev0 and next0. A list the
// source wrote on one line stays on one line; otherwise the source's line
// breaks are kept, and consecutive one-line key: value entries align their
// values unless a key's size is far from the recent ones (the geometric
// mean ratio test go/printer uses, so one long key does not push every
// value to the right).
func (p *printer) exprList(prev0 token.Pos, list []ast.Expr, depth int, mode listMode, next0 token.Pos) {
	if len(list) == 0 {
		return
	}
	prev := p.posFor(prev0)
	next := p.posFor(next0)
	line := p.lineFor(list[0].Pos())
	endLine := p.lineFor(list[len(list)-1].End())

	if prev.valid() && prev.Line == line && line == endLine {
		for i, x := range list {
			if i > 0 {
				p.setPos(x.Pos())
				p.tok(token.COMMA)
				p.space(wsBlank)
			}
			p.expr0(x, depth)
		}
		return
	}

	w := wsIgnore
	if mode&noIndent == 0 {
		w = wsIndent
	}
	prevBreak := -1
	if prev.valid() && prev.Line < line && p.linebreak(line, 0, w, true) > 0 {
		w = wsIgnore
		prevBreak = 0
	}

	size := 0
	lnsum := 0.0
	count := 0
	prevLine := prev.Line
	for i, x := range list {
		line = p.lineFor(x.Pos())
		useFF := true
		prevSize := size
		const inf = 1e6
		size = p.nodeSize(x, inf)
		pair, isPair := x.(*ast.KeyValueExpr)
		if size <= inf && prev.valid() && next.valid() {
			if isPair {
				size = p.nodeSize(pair.Key, inf)
			}
		} else {
			size = 0
		}
		if prevSize > 0 && size > 0 {
			const smallSize = 40
			if count == 0 || prevSize <= smallSize && size <= smallSize {
				useFF = false
			} else {
				const r = 2.5
				geomean := math.Exp(lnsum / float64(count))
				ratio := float64(size) / geomean
				useFF = r*ratio <= 1 || r <= ratio
			}
		}

		needsLinebreak := 0 < prevLine && prevLine < line
		if i > 0 {
			if !needsLinebreak {
				p.setPos(x.Pos())
			}
			p.tok(token.COMMA)
			needsBlank := true
			if needsLinebreak {
				nbreaks := p.linebreak(line, 0, w, useFF || prevBreak+1 < i)
				if nbreaks > 0 {
					w = wsIgnore
					prevBreak = i
					needsBlank = false
				}
				if nbreaks > 1 {
					lnsum = 0
					count = 0
				}
			}
			if needsBlank {
				p.space(wsBlank)
			}
		}

		if len(list) > 1 && isPair && size > 0 && needsLinebreak {
			p.expr(pair.Key)
			p.setPos(pair.Colon)
			p.tok(token.COLON)
			p.space(wsVtab)
			p.expr(pair.Value)
		} else {
			p.expr0(x, depth)
		}
		if size > 0 {
			lnsum += math.Log(float64(size))
			count++
		}
		prevLine = line
	}

	if mode&commaTerm != 0 && next.valid() && p.pos.Line < next.Line {
		p.tok(token.COMMA)
		if w == wsIgnore && mode&noIndent == 0 {
			p.space(wsUnindent)
		}
		p.space(wsFormfeed)
		return
	}
	if w == wsIgnore && mode&noIndent == 0 {
		p.space(wsUnindent)
	}
}

// nodeSize is the width of n printed on one line, or more than maxSize if
// it does not fit or needs several lines. Like go/printer, it renders n in
// a separate printer without number normalisation, with the node's own
// comments only, and remembers the result per node.
func (p *printer) nodeSize(n ast.Node, maxSize int) int {
	// A one-line width is cheap to recompute and needs no cache entry: a
	// cached size could only differ from it if the node had been measured
	// before against another maxSize, and each node has one measuring
	// call site (list element or key, field type, or statement), so one
	// maxSize.
	if w := p.oneLineWidth(n); w >= 0 {
		if w <= maxSize {
			return w
		}
		return maxSize + 1
	}
	if x, ok := n.(ast.Expr); ok && p.certainlyBreaks(x) {
		return maxSize + 1
	}
	if size, ok := p.sizes[n]; ok {
		return size
	}
	size := maxSize + 1
	p.sizes[n] = size
	if w, fits := p.trialWidth(n); fits && w <= maxSize {
		size = w
		p.sizes[n] = size
	}
	return size
}

// trialWidth renders n alone, as nodeSize must see it, and measures it.
// The rendering stops at its first line break: the answer is then "does
// not fit" whatever follows. (Sizes of sub-nodes the rest would have
// measured are not cached then, but a node's size does not depend on
// where it is measured from, so they come out the same when needed.)
func (p *printer) trialWidth(n ast.Node) (w int, fits bool) {
	q := newPrinter(p.src, false, p.sizes)
	q.trial = true
	defer func() {
		if r := recover(); r != nil {
			if _, broke := r.(lineBreak); !broke {
				panic(r)
			}
			w, fits = 0, false
		}
		freePrinter(q)
	}()
	q.useNodeComments = true
	q.nextComment()
	q.node(n)
	q.finish()
	return rawWidth(q.out)
}

// lineBreak stops a trial rendering at its first line break.
type lineBreak struct{}

// rawWidth is the size of the printer's output as go/printer's raw mode
// writes it (escapes dropped, trailing blanks trimmed), and whether it is
// a single line.
func rawWidth(out []byte) (int, bool) {
	n := 0
	pending := 0 // blanks not yet known to be inside the line
	esc := false
	for _, b := range out {
		if esc {
			if b == 0xff {
				esc = false
				continue
			}
			if b == '\n' || b == '\f' {
				return 0, false
			}
			n++
			continue
		}
		switch b {
		case '\n', '\f':
			return 0, false
		case ' ', '\t', '\v':
			pending++
		case 0xff:
			n += pending
			pending = 0
			esc = true
		default:
			n += pending + 1
			pending = 0
		}
	}
	return n, true
}
