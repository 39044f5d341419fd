package gofmt

import (
	"go/ast"
	"go/token"
)

// oneLineWidth is nodeSize's shortcut: the width of an expression the
// source wrote on one line, computed from the tree instead of by a trial
// rendering, or -1 where the rendering could hold more than tokens and the
// blanks computed here (comments of fields, function bodies, tokens that
// would fuse and get a separating blank). It follows expr1 case by case; a
// trial rendering of such an expression is its tokens on one line, since
// the line-break decisions all compare source lines, which are equal.
func (p *printer) oneLineWidth(n ast.Node) int {
	x, ok := n.(ast.Expr)
	if !ok || p.lineFor(x.Pos()) != p.lineFor(x.End()) {
		return -1
	}
	return width(x, token.LowestPrec, 1)
}

func width(expr ast.Expr, prec1, depth int) int {
	switch x := expr.(type) {
	case *ast.Ident:
		return len(x.Name)
	case *ast.BasicLit:
		return len(x.Value) // trial renderings do not normalise numbers
	case *ast.BinaryExpr:
		prec := x.Op.Precedence()
		if depth < 1 || prec < prec1 {
			return -1
		}
		blank := prec < cutoff(x, depth)
		if !blank && startsWithOperator(x.Y) {
			return -1 // the operator and the operand's would fuse: go/printer separates them
		}
		l := width(x.X, prec, depth+diffPrec(x.X, prec))
		r := width(x.Y, prec+1, depth+1)
		if l < 0 || r < 0 {
			return -1
		}
		w := l + len(x.Op.String()) + r
		if blank {
			w += 2
		}
		return w
	case *ast.KeyValueExpr:
		return sum(width(x.Key, token.LowestPrec, 1), 2, width(x.Value, token.LowestPrec, 1))
	case *ast.StarExpr:
		w := sum(1, width(x.X, token.LowestPrec, 1))
		if w >= 0 && token.UnaryPrec < prec1 {
			w += 2
		}
		return w
	case *ast.UnaryExpr:
		if x.Op == token.RANGE || startsWithOperator(x.X) {
			return -1
		}
		if token.UnaryPrec < prec1 {
			return sum(2, width(x, token.LowestPrec, 1))
		}
		return sum(len(x.Op.String()), width(x.X, token.UnaryPrec, depth))
	case *ast.ParenExpr:
		if _, ok := x.X.(*ast.ParenExpr); ok {
			return width(x.X, token.LowestPrec, depth)
		}
		return sum(2, width(x.X, token.LowestPrec, reduceDepth(depth)))
	case *ast.SelectorExpr:
		return sum(width(x.X, token.HighestPrec, depth), dotGap(x.X), 1, len(x.Sel.Name))
	case *ast.TypeAssertExpr:
		t := len("type")
		if x.Type != nil {
			t = width(x.Type, token.LowestPrec, 1)
		}
		return sum(width(x.X, token.HighestPrec, depth), dotGap(x.X), 3, t)
	case *ast.IndexExpr:
		return sum(width(x.X, token.HighestPrec, 1), 2, width(x.Index, token.LowestPrec, depth+1))
	case *ast.IndexListExpr:
		return sum(width(x.X, token.HighestPrec, 1), 2, listWidth(x.Indices, depth+1))
	case *ast.SliceExpr:
		w := width(x.X, token.HighestPrec, 1) + 2
		indices, needsBlanks := sliceIndices(x, depth)
		for i, y := range indices {
			if i > 0 {
				w++ // ':'
				if indices[i-1] != nil && needsBlanks {
					w++
				}
				if y != nil && needsBlanks {
					w++
				}
			}
			if y != nil {
				w = sum(w, width(y, token.LowestPrec, depth+1))
			}
		}
		return w
	case *ast.CallExpr:
		if len(x.Args) > 1 {
			depth++
		}
		var fun int
		switch f := x.Fun.(type) {
		case *ast.FuncType, *ast.ChanType:
			return -1
		case *ast.SelectorExpr:
			fun = sum(width(f.X, token.HighestPrec, depth), dotGap(f.X), 1, len(f.Sel.Name))
		default:
			fun = width(f, token.HighestPrec, depth)
		}
		w := sum(fun, 2, listWidth(x.Args, depth))
		if x.Ellipsis.IsValid() {
			w = sum(w, 3)
			if len(x.Args) > 0 {
				w = sum(w, dotGap(x.Args[len(x.Args)-1]))
			}
		}
		return w
	case *ast.CompositeLit:
		w := 2
		if x.Type != nil {
			w = sum(w, width(x.Type, token.HighestPrec, depth))
		}
		return sum(w, listWidth(x.Elts, 1))
	case *ast.ArrayType:
		w := sum(2, width(x.Elt, token.LowestPrec, 1))
		if x.Len != nil {
			w = sum(w, width(x.Len, token.LowestPrec, 1))
		}
		return w
	case *ast.MapType:
		return sum(len("map[]"), width(x.Key, token.LowestPrec, 1), width(x.Value, token.LowestPrec, 1))
	case *ast.Ellipsis:
		if x.Elt == nil {
			return 3
		}
		return sum(3, width(x.Elt, token.LowestPrec, 1))
	}
	return -1
}

// listWidth is a one-line list's width: elements joined by ", ".
func listWidth(list []ast.Expr, depth int) int {
	w := 0
	for i, x := range list {
		if i > 0 {
			w += 2
		}
		w = sum(w, width(x, token.LowestPrec, depth))
		if w < 0 {
			return -1
		}
	}
	return w
}

// sum adds widths, -1 (unknown) winning.
func sum(ws ...int) int {
	t := 0
	for _, w := range ws {
		if w < 0 {
			return -1
		}
		t += w
	}
	return t
}

// dotGap is the blank go/printer puts between an integer literal ending x
// and a following '.' or "..." (0 .x, f(0 ...)): written together they
// would scan as a float.
func dotGap(x ast.Expr) int {
	for {
		switch y := x.(type) {
		case *ast.BasicLit:
			if y.Kind == token.INT {
				return 1
			}
			return 0
		case *ast.BinaryExpr:
			x = y.Y
		case *ast.UnaryExpr:
			x = y.X
		case *ast.StarExpr:
			x = y.X
		case *ast.KeyValueExpr:
			x = y.Value
		default:
			return 0
		}
	}
}

// startsWithOperator reports whether x's first token is an operator (a
// unary expression, possibly as the left operand of binary expressions),
// which could fuse with an operator printed right before it.
func startsWithOperator(x ast.Expr) bool {
	for {
		switch y := x.(type) {
		case *ast.UnaryExpr, *ast.StarExpr:
			return true
		case *ast.BinaryExpr:
			x = y.X
		default:
			return false
		}
	}
}

// certainlyBreaks reports whether a trial rendering of x is sure to hold a
// line break, so that nodeSize need not render it: a function literal whose
// braces the source put on different lines is printed as a block; a call's
// or composite literal's element list breaks where the source starts an
// element (or the first one) on a later line than the previous one ended
// (or the opening token's line), and before a closing token on a later
// line than the last element (the trailing comma case). Anything else is
// left to the trial rendering.
func (p *printer) certainlyBreaks(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.FuncLit:
		return x.Body != nil && p.lineFor(x.Body.Lbrace) != p.lineFor(x.Body.Rbrace)
	case *ast.CompositeLit:
		return p.listBreaks(x.Lbrace, x.Elts, x.Rbrace)
	case *ast.CallExpr:
		if p.certainlyBreaks(x.Fun) {
			return true
		}
		if x.Ellipsis.IsValid() {
			return p.listBreaks(x.Lparen, x.Args, token.NoPos)
		}
		return p.listBreaks(x.Lparen, x.Args, x.Rparen)
	case *ast.KeyValueExpr:
		return p.certainlyBreaks(x.Key) || p.certainlyBreaks(x.Value)
	case *ast.UnaryExpr:
		return p.certainlyBreaks(x.X)
	case *ast.ParenExpr:
		return p.certainlyBreaks(x.X)
	case *ast.SelectorExpr:
		return p.certainlyBreaks(x.X)
	}
	return false
}

// listBreaks is certainlyBreaks for exprList(open, list, ..., close): close
// is NoPos where the list has no trailing-comma mode.
func (p *printer) listBreaks(open token.Pos, list []ast.Expr, close token.Pos) bool {
	if len(list) == 0 || !open.IsValid() {
		return false
	}
	if p.lineFor(open) < p.lineFor(list[0].Pos()) {
		return true
	}
	for i, x := range list {
		if i > 0 && p.lineFor(x.Pos()) > p.lineFor(list[i-1].End()) {
			return true
		}
		if p.certainlyBreaks(x) {
			return true
		}
	}
	return close.IsValid() && p.lineFor(list[len(list)-1].End()) < p.lineFor(close)
}
