package gofmt

import (
	"go/ast"
	"go/token"
)

// stmtList prints list indented, without a line break after the last
// statement; blank lines between statements are kept (at most one).
func (p *printer) stmtList(list []ast.Stmt, nindent int, nextIsRBrace bool) {
	if nindent > 0 {
		p.space(wsIndent)
	}
	var line int
	i := 0
	for _, s := range list {
		if _, empty := s.(*ast.EmptyStmt); empty {
			continue
		}
		if len(p.out) > 0 {
			// case clauses (nindent == 0) each start a section
			p.linebreak(p.lineFor(s.Pos()), 1, wsIgnore, i == 0 || nindent == 0 || p.linesFrom(line) > 0)
		}
		p.recordLine(&line)
		p.stmt(s, nextIsRBrace && i == len(list)-1)
		for t := s; ; {
			lt, _ := t.(*ast.LabeledStmt)
			if lt == nil {
				break
			}
			line++
			t = lt.Stmt
		}
		i++
	}
	if nindent > 0 {
		p.space(wsUnindent)
	}
}

func (p *printer) block(b *ast.BlockStmt, nindent int) {
	p.setPos(b.Lbrace)
	p.tok(token.LBRACE)
	p.stmtList(b.List, nindent, true)
	p.linebreak(p.lineFor(b.Rbrace), 1, wsIgnore, true)
	p.setPos(b.Rbrace)
	p.tok(token.RBRACE)
}

func isTypeName(x ast.Expr) bool {
	switch t := x.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isTypeName(t.X)
	}
	return false
}

// stripParens drops redundant parentheses around a control clause's
// expression, unless they protect a composite literal of a named type
// (which would otherwise read as the block).
func stripParens(x ast.Expr) ast.Expr {
	px, strip := x.(*ast.ParenExpr)
	if !strip {
		return x
	}
	ast.Inspect(px.X, func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.ParenExpr:
			return false
		case *ast.CompositeLit:
			if isTypeName(x.Type) {
				strip = false
			}
			return false
		}
		return true
	})
	if strip {
		return stripParens(px.X)
	}
	return x
}

func stripParensAlways(x ast.Expr) ast.Expr {
	if px, ok := x.(*ast.ParenExpr); ok {
		return stripParensAlways(px.X)
	}
	return x
}

func (p *printer) controlClause(isFor bool, init ast.Stmt, expr ast.Expr, post ast.Stmt) {
	p.space(wsBlank)
	needsBlank := false
	if init == nil && post == nil {
		if expr != nil {
			p.expr(stripParens(expr))
			needsBlank = true
		}
	} else {
		if init != nil {
			p.stmt(init, false)
		}
		p.tok(token.SEMICOLON)
		p.space(wsBlank)
		if expr != nil {
			p.expr(stripParens(expr))
			needsBlank = true
		}
		if isFor {
			p.tok(token.SEMICOLON)
			p.space(wsBlank)
			needsBlank = false
			if post != nil {
				p.stmt(post, false)
				needsBlank = true
			}
		}
	}
	if needsBlank {
		p.space(wsBlank)
	}
}

// indentList reports whether a return's results read better indented as a
// whole: several multi-line results, or one starting on a later line than
// the previous ended.
func (p *printer) indentList(list []ast.Expr) bool {
	if len(list) < 2 {
		return false
	}
	b := p.lineFor(list[0].Pos())
	e := p.lineFor(list[len(list)-1].End())
	if !(0 < b && b < e) {
		return false
	}
	n := 0
	line := b
	for _, x := range list {
		xb := p.lineFor(x.Pos())
		xe := p.lineFor(x.End())
		if line < xb {
			return true
		}
		if xb < xe {
			n++
		}
		line = xe
	}
	return n > 1
}

func (p *printer) stmt(stmt ast.Stmt, nextIsRBrace bool) {
	p.setPos(stmt.Pos())
	switch s := stmt.(type) {
	case *ast.DeclStmt:
		p.decl(s.Decl)

	case *ast.EmptyStmt:

	case *ast.LabeledStmt:
		p.space(wsUnindent)
		p.expr(s.Label)
		p.setPos(s.Colon)
		p.tok(token.COLON)
		p.space(wsIndent)
		if e, empty := s.Stmt.(*ast.EmptyStmt); empty {
			if !nextIsRBrace {
				p.space(wsNewline)
				p.setPos(e.Pos())
				p.tok(token.SEMICOLON)
				break
			}
		} else {
			p.linebreak(p.lineFor(s.Stmt.Pos()), 1, wsIgnore, true)
		}
		p.stmt(s.Stmt, nextIsRBrace)

	case *ast.ExprStmt:
		p.expr0(s.X, 1)

	case *ast.SendStmt:
		p.expr0(s.Chan, 1)
		p.space(wsBlank)
		p.setPos(s.Arrow)
		p.tok(token.ARROW)
		p.space(wsBlank)
		p.expr0(s.Value, 1)

	case *ast.IncDecStmt:
		p.expr0(s.X, 2)
		p.setPos(s.TokPos)
		p.tok(s.Tok)

	case *ast.AssignStmt:
		depth := 1
		if len(s.Lhs) > 1 && len(s.Rhs) > 1 {
			depth++
		}
		p.exprList(s.Pos(), s.Lhs, depth, 0, s.TokPos)
		p.space(wsBlank)
		p.setPos(s.TokPos)
		p.tok(s.Tok)
		p.space(wsBlank)
		p.exprList(s.TokPos, s.Rhs, depth, 0, token.NoPos)

	case *ast.GoStmt:
		p.tok(token.GO)
		p.space(wsBlank)
		p.expr(s.Call)

	case *ast.DeferStmt:
		p.tok(token.DEFER)
		p.space(wsBlank)
		p.expr(s.Call)

	case *ast.ReturnStmt:
		p.tok(token.RETURN)
		if s.Results != nil {
			p.space(wsBlank)
			if p.indentList(s.Results) {
				p.space(wsIndent)
				p.exprList(token.NoPos, s.Results, 1, noIndent, token.NoPos)
				p.space(wsUnindent)
			} else {
				p.exprList(token.NoPos, s.Results, 1, 0, token.NoPos)
			}
		}

	case *ast.BranchStmt:
		p.tok(s.Tok)
		if s.Label != nil {
			p.space(wsBlank)
			p.expr(s.Label)
		}

	case *ast.BlockStmt:
		p.block(s, 1)

	case *ast.IfStmt:
		p.tok(token.IF)
		p.controlClause(false, s.Init, s.Cond, nil)
		p.block(s.Body, 1)
		if s.Else != nil {
			p.space(wsBlank)
			p.tok(token.ELSE)
			p.space(wsBlank)
			switch s.Else.(type) {
			case *ast.BlockStmt, *ast.IfStmt:
				p.stmt(s.Else, nextIsRBrace)
			default:
				decline("else branch of an unexpected kind")
			}
		}

	case *ast.CaseClause:
		if s.List != nil {
			p.tok(token.CASE)
			p.space(wsBlank)
			p.exprList(s.Pos(), s.List, 1, 0, s.Colon)
		} else {
			p.tok(token.DEFAULT)
		}
		p.setPos(s.Colon)
		p.tok(token.COLON)
		p.stmtList(s.Body, 1, nextIsRBrace)

	case *ast.SwitchStmt:
		p.tok(token.SWITCH)
		p.controlClause(false, s.Init, s.Tag, nil)
		p.block(s.Body, 0)

	case *ast.TypeSwitchStmt:
		p.tok(token.SWITCH)
		if s.Init != nil {
			p.space(wsBlank)
			p.stmt(s.Init, false)
			p.tok(token.SEMICOLON)
		}
		p.space(wsBlank)
		p.stmt(s.Assign, false)
		p.space(wsBlank)
		p.block(s.Body, 0)

	case *ast.CommClause:
		if s.Comm != nil {
			p.tok(token.CASE)
			p.space(wsBlank)
			p.stmt(s.Comm, false)
		} else {
			p.tok(token.DEFAULT)
		}
		p.setPos(s.Colon)
		p.tok(token.COLON)
		p.stmtList(s.Body, 1, nextIsRBrace)

	case *ast.SelectStmt:
		p.tok(token.SELECT)
		p.space(wsBlank)
		body := s.Body
		if len(body.List) == 0 && !p.commentBefore(p.posFor(body.Rbrace)) {
			p.setPos(body.Lbrace)
			p.tok(token.LBRACE)
			p.setPos(body.Rbrace)
			p.tok(token.RBRACE)
		} else {
			p.block(body, 0)
		}

	case *ast.ForStmt:
		p.tok(token.FOR)
		p.controlClause(true, s.Init, s.Cond, s.Post)
		p.block(s.Body, 1)

	case *ast.RangeStmt:
		p.tok(token.FOR)
		p.space(wsBlank)
		if s.Key != nil {
			p.expr(s.Key)
			if s.Value != nil {
				p.setPos(s.Value.Pos())
				p.tok(token.COMMA)
				p.space(wsBlank)
				p.expr(s.Value)
			}
			p.space(wsBlank)
			p.setPos(s.TokPos)
			p.tok(s.Tok)
			p.space(wsBlank)
		}
		p.tok(token.RANGE)
		p.space(wsBlank)
		p.expr(stripParens(s.X))
		p.space(wsBlank)
		p.block(s.Body, 1)

	default:
		decline("statement kind")
	}
}
