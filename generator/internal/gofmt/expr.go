package gofmt

import (
	"go/ast"
	"go/token"
	"strings"
)

// Binary expressions: blanks around an operator depend on the precedences
// in the whole expression (excluding calls and parenthesised parts) and on
// the nesting depth. At depth 1, mixing precedence 4 (+ - | ^) and 5
// (* / % << >> & &^) drops the blanks around the 5s only (a + b*c); without
// a mix every operator gets blanks. Deeper (inside call arguments when
// there are several, indexes, ...) levels 4 and 5 lose their blanks. An
// operand that would fuse with its operator (x / *p, a && &b, a - -b)
// forces blanks.

func walkBinary(e *ast.BinaryExpr) (has4, has5 bool, maxProblem int) {
	switch e.Op.Precedence() {
	case 4:
		has4 = true
	case 5:
		has5 = true
	}
	if l, ok := e.X.(*ast.BinaryExpr); ok && l.Op.Precedence() >= e.Op.Precedence() {
		h4, h5, mp := walkBinary(l)
		has4 = has4 || h4
		has5 = has5 || h5
		maxProblem = max(maxProblem, mp)
	}
	switch r := e.Y.(type) {
	case *ast.BinaryExpr:
		if r.Op.Precedence() > e.Op.Precedence() {
			h4, h5, mp := walkBinary(r)
			has4 = has4 || h4
			has5 = has5 || h5
			maxProblem = max(maxProblem, mp)
		}
	case *ast.StarExpr:
		if e.Op == token.QUO {
			maxProblem = 5
		}
	case *ast.UnaryExpr:
		switch e.Op.String() + r.Op.String() {
		case "/*", "&&", "&^":
			maxProblem = 5
		case "++", "--":
			maxProblem = max(maxProblem, 4)
		}
	}
	return
}

func cutoff(e *ast.BinaryExpr, depth int) int {
	has4, has5, maxProblem := walkBinary(e)
	if maxProblem > 0 {
		return maxProblem + 1
	}
	if has4 && has5 {
		if depth == 1 {
			return 5
		}
		return 4
	}
	if depth == 1 {
		return 6
	}
	return 4
}

func diffPrec(expr ast.Expr, prec int) int {
	x, ok := expr.(*ast.BinaryExpr)
	if !ok || prec != x.Op.Precedence() {
		return 1
	}
	return 0
}

func reduceDepth(depth int) int { return max(depth-1, 1) }

func (p *printer) binaryExpr(x *ast.BinaryExpr, prec1, cut, depth int) {
	prec := x.Op.Precedence()
	if prec < prec1 {
		// Only a hand-built tree lacks the ParenExpr here.
		decline("binary expression needing parentheses")
	}
	printBlank := prec < cut
	w := wsIndent
	p.expr1(x.X, prec, depth+diffPrec(x.X, prec))
	if printBlank {
		p.space(wsBlank)
	}
	xline := p.pos.Line
	yline := p.lineFor(x.Y.Pos())
	p.setPos(x.OpPos)
	p.tok(x.Op)
	if xline != yline && xline > 0 && yline > 0 {
		if p.linebreak(yline, 1, w, true) > 0 {
			w = wsIgnore
			printBlank = false
		}
	}
	if printBlank {
		p.space(wsBlank)
	}
	p.expr1(x.Y, prec+1, depth+1)
	if w == wsIgnore {
		p.space(wsUnindent)
	}
}

func (p *printer) expr0(x ast.Expr, depth int) { p.expr1(x, token.LowestPrec, depth) }

func (p *printer) expr(x ast.Expr) { p.expr1(x, token.LowestPrec, 1) }

func (p *printer) expr1(expr ast.Expr, prec1, depth int) {
	p.setPos(expr.Pos())
	switch x := expr.(type) {
	case *ast.Ident:
		p.ident(x)

	case *ast.BinaryExpr:
		if depth < 1 {
			decline("binary expression at depth < 1")
		}
		p.binaryExpr(x, prec1, cutoff(x, depth), depth)

	case *ast.KeyValueExpr:
		p.expr(x.Key)
		p.setPos(x.Colon)
		p.tok(token.COLON)
		p.space(wsBlank)
		p.expr(x.Value)

	case *ast.StarExpr:
		if token.UnaryPrec < prec1 {
			p.tok(token.LPAREN)
			p.tok(token.MUL)
			p.expr(x.X)
			p.tok(token.RPAREN)
		} else {
			p.tok(token.MUL)
			p.expr(x.X)
		}

	case *ast.UnaryExpr:
		if token.UnaryPrec < prec1 {
			p.tok(token.LPAREN)
			p.expr(x)
			p.tok(token.RPAREN)
		} else {
			p.tok(x.Op)
			if x.Op == token.RANGE {
				p.space(wsBlank)
			}
			p.expr1(x.X, token.UnaryPrec, depth)
		}

	case *ast.BasicLit:
		if p.normalize {
			x = normalizedNumber(x)
		}
		p.basicLit(x)

	case *ast.FuncLit:
		p.setPos(x.Type.Pos())
		p.tok(token.FUNC)
		startCol := p.outPos.Column - len("func")
		p.signature(x.Type)
		p.funcBody(p.distanceFrom(x.Type.Pos(), startCol), wsBlank, x.Body)

	case *ast.ParenExpr:
		if _, ok := x.X.(*ast.ParenExpr); ok {
			p.expr0(x.X, depth)
		} else {
			p.tok(token.LPAREN)
			p.expr0(x.X, reduceDepth(depth))
			p.setPos(x.Rparen)
			p.tok(token.RPAREN)
		}

	case *ast.SelectorExpr:
		p.selectorExpr(x, depth, false)

	case *ast.TypeAssertExpr:
		p.expr1(x.X, token.HighestPrec, depth)
		p.tok(token.PERIOD)
		p.setPos(x.Lparen)
		p.tok(token.LPAREN)
		if x.Type != nil {
			p.expr(x.Type)
		} else {
			p.tok(token.TYPE)
		}
		p.setPos(x.Rparen)
		p.tok(token.RPAREN)

	case *ast.IndexExpr:
		p.expr1(x.X, token.HighestPrec, 1)
		p.setPos(x.Lbrack)
		p.tok(token.LBRACK)
		p.expr0(x.Index, depth+1)
		p.setPos(x.Rbrack)
		p.tok(token.RBRACK)

	case *ast.IndexListExpr:
		p.expr1(x.X, token.HighestPrec, 1)
		p.setPos(x.Lbrack)
		p.tok(token.LBRACK)
		p.exprList(x.Lbrack, x.Indices, depth+1, commaTerm, x.Rbrack)
		p.setPos(x.Rbrack)
		p.tok(token.RBRACK)

	case *ast.SliceExpr:
		p.expr1(x.X, token.HighestPrec, 1)
		p.setPos(x.Lbrack)
		p.tok(token.LBRACK)
		indices, needsBlanks := sliceIndices(x, depth)
		for i, y := range indices {
			if i > 0 {
				if indices[i-1] != nil && needsBlanks {
					p.space(wsBlank)
				}
				p.tok(token.COLON)
				if y != nil && needsBlanks {
					p.space(wsBlank)
				}
			}
			if y != nil {
				p.expr0(y, depth+1)
			}
		}
		p.setPos(x.Rbrack)
		p.tok(token.RBRACK)

	case *ast.CallExpr:
		if len(x.Args) > 1 {
			depth++
		}
		paren := false
		switch t := x.Fun.(type) {
		case *ast.FuncType:
			paren = true
		case *ast.ChanType:
			paren = t.Dir == ast.RECV
		}
		if paren {
			p.tok(token.LPAREN)
		}
		wasIndented := false
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			wasIndented = p.selectorExpr(sel, depth, true)
		} else {
			p.expr1(x.Fun, token.HighestPrec, depth)
		}
		if paren {
			p.tok(token.RPAREN)
		}
		p.setPos(x.Lparen)
		p.tok(token.LPAREN)
		if x.Ellipsis.IsValid() {
			p.exprList(x.Lparen, x.Args, depth, 0, x.Ellipsis)
			p.setPos(x.Ellipsis)
			p.tok(token.ELLIPSIS)
			if x.Rparen.IsValid() && p.lineFor(x.Ellipsis) < p.lineFor(x.Rparen) {
				p.tok(token.COMMA)
				p.space(wsFormfeed)
			}
		} else {
			p.exprList(x.Lparen, x.Args, depth, commaTerm, x.Rparen)
		}
		p.setPos(x.Rparen)
		p.tok(token.RPAREN)
		if wasIndented {
			p.space(wsUnindent)
		}

	case *ast.CompositeLit:
		if x.Incomplete {
			decline("incomplete composite literal")
		}
		if x.Type != nil {
			p.expr1(x.Type, token.HighestPrec, depth)
		}
		p.level++
		p.setPos(x.Lbrace)
		p.tok(token.LBRACE)
		p.exprList(x.Lbrace, x.Elts, 1, commaTerm, x.Rbrace)
		mode := noExtraLinebreak
		if len(x.Elts) > 0 {
			mode |= noExtraBlank
		}
		p.space(wsIndent)
		p.space(wsUnindent)
		p.toggle(mode)
		p.setPos(x.Rbrace)
		p.tok(token.RBRACE)
		p.toggle(mode)
		p.level--

	case *ast.Ellipsis:
		p.tok(token.ELLIPSIS)
		if x.Elt != nil {
			p.expr(x.Elt)
		}

	case *ast.ArrayType:
		p.tok(token.LBRACK)
		if x.Len != nil {
			p.expr(x.Len)
		}
		p.tok(token.RBRACK)
		p.expr(x.Elt)

	case *ast.StructType:
		if x.Incomplete {
			decline("incomplete struct")
		}
		p.tok(token.STRUCT)
		p.fieldList(x.Fields, true)

	case *ast.FuncType:
		p.tok(token.FUNC)
		p.signature(x)

	case *ast.InterfaceType:
		if x.Incomplete {
			decline("incomplete interface")
		}
		p.tok(token.INTERFACE)
		p.fieldList(x.Methods, false)

	case *ast.MapType:
		p.tok(token.MAP)
		p.tok(token.LBRACK)
		p.expr(x.Key)
		p.tok(token.RBRACK)
		p.expr(x.Value)

	case *ast.ChanType:
		switch x.Dir {
		case ast.SEND | ast.RECV:
			p.tok(token.CHAN)
		case ast.RECV:
			p.tok(token.ARROW)
			p.tok(token.CHAN)
		case ast.SEND:
			p.tok(token.CHAN)
			p.setPos(x.Arrow)
			p.tok(token.ARROW)
		}
		p.space(wsBlank)
		p.expr(x.Value)

	default:
		decline("expression kind")
	}
}

// selectorExpr prints x.Sel and reports whether the selector went to a new
// line (the source broke the line after the dot); for a method call the
// caller undoes the indentation after the arguments.
func (p *printer) selectorExpr(x *ast.SelectorExpr, depth int, isMethod bool) bool {
	p.expr1(x.X, token.HighestPrec, depth)
	p.tok(token.PERIOD)
	if line := p.lineFor(x.Sel.Pos()); p.pos.valid() && p.pos.Line < line {
		p.space(wsIndent)
		p.space(wsNewline)
		p.setPos(x.Sel.Pos())
		p.ident(x.Sel)
		if !isMethod {
			p.space(wsUnindent)
		}
		return true
	}
	p.setPos(x.Sel.Pos())
	p.ident(x.Sel)
	return false
}

// normalizedNumber lower-cases base prefixes and exponent letters and drops
// leading zeros of integer imaginary literals, as gofmt does; hex digits
// are left alone.
func normalizedNumber(lit *ast.BasicLit) *ast.BasicLit {
	if lit.Kind != token.INT && lit.Kind != token.FLOAT && lit.Kind != token.IMAG {
		return lit
	}
	if len(lit.Value) < 2 {
		return lit
	}
	x := lit.Value
	switch x[:2] {
	default:
		if i := strings.LastIndexByte(x, 'E'); i >= 0 {
			x = x[:i] + "e" + x[i+1:]
			break
		}
		if x[len(x)-1] == 'i' && !strings.ContainsAny(x, ".e") {
			x = strings.TrimLeft(x, "0_")
			if x == "i" {
				x = "0i"
			}
		}
	case "0X":
		x = "0x" + x[2:]
		if i := strings.LastIndexByte(x, 'P'); i >= 0 {
			x = x[:i] + "p" + x[i+1:]
		}
	case "0x":
		i := strings.LastIndexByte(x, 'P')
		if i == -1 {
			return lit
		}
		x = x[:i] + "p" + x[i+1:]
	case "0O":
		x = "0o" + x[2:]
	case "0o":
		return lit
	case "0B":
		x = "0b" + x[2:]
	case "0b":
		return lit
	}
	if x == lit.Value {
		return lit
	}
	return &ast.BasicLit{ValuePos: lit.ValuePos, Kind: lit.Kind, Value: x}
}

// sliceIndices returns a slice expression's indices (low, high and, when
// present, max; absent ones nil) and whether ':' gets blanks around it:
// only at depth 1, with several indices of which one is a binary
// expression. The printer and the width shortcut share this rule.
func sliceIndices(x *ast.SliceExpr, depth int) (indices []ast.Expr, needsBlanks bool) {
	indices = []ast.Expr{x.Low, x.High}
	if x.Max != nil {
		indices = append(indices, x.Max)
	}
	if depth <= 1 {
		count, binaries := 0, false
		for _, y := range indices {
			if y != nil {
				count++
				if _, ok := y.(*ast.BinaryExpr); ok {
					binaries = true
				}
			}
		}
		needsBlanks = count > 1 && binaries
	}
	return indices, needsBlanks
}
