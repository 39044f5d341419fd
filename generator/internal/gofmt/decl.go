package gofmt

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type paramMode int

const (
	funcParam paramMode = iota
	funcTParam
	typeTParam
)

func (p *printer) parameters(fields *ast.FieldList, mode paramMode) {
	open, closing := token.LPAREN, token.RPAREN
	if mode != funcParam {
		open, closing = token.LBRACK, token.RBRACK
	}
	p.setPos(fields.Opening)
	p.tok(open)
	if len(fields.List) > 0 {
		prevLine := p.lineFor(fields.Opening)
		w := wsIndent
		for i, par := range fields.List {
			parLineBeg := p.lineFor(par.Pos())
			parLineEnd := p.lineFor(par.End())
			needsLinebreak := 0 < prevLine && prevLine < parLineBeg
			if i > 0 {
				if !needsLinebreak {
					p.setPos(par.Pos())
				}
				p.tok(token.COMMA)
			}
			if needsLinebreak && p.linebreak(parLineBeg, 0, w, true) > 0 {
				w = wsIgnore
			} else if i > 0 {
				p.space(wsBlank)
			}
			if len(par.Names) > 0 {
				p.identList(par.Names, w == wsIndent)
				p.space(wsBlank)
			}
			p.expr(stripParensAlways(par.Type))
			prevLine = parLineEnd
		}
		if closeLine := p.lineFor(fields.Closing); 0 < prevLine && prevLine < closeLine {
			p.tok(token.COMMA)
			p.linebreak(closeLine, 0, wsIgnore, true)
		} else if mode == typeTParam && fields.NumFields() == 1 && combinesWithName(stripParensAlways(fields.List[0].Type)) {
			// [P *T,]: without the comma it would read as an array length
			p.tok(token.COMMA)
		}
		if w == wsIgnore {
			p.space(wsUnindent)
		}
	}
	p.setPos(fields.Closing)
	p.tok(closing)
}

func combinesWithName(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.StarExpr:
		return !isTypeElem(x.X)
	case *ast.BinaryExpr:
		return combinesWithName(x.X) && !isTypeElem(x.Y)
	case *ast.ParenExpr:
		return !isTypeElem(x.X)
	}
	return false
}

func isTypeElem(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.ArrayType, *ast.StructType, *ast.FuncType, *ast.InterfaceType, *ast.MapType, *ast.ChanType:
		return true
	case *ast.UnaryExpr:
		return x.Op == token.TILDE
	case *ast.BinaryExpr:
		return isTypeElem(x.X) || isTypeElem(x.Y)
	case *ast.ParenExpr:
		return isTypeElem(x.X)
	}
	return false
}

func (p *printer) signature(sig *ast.FuncType) {
	if sig.TypeParams != nil {
		p.parameters(sig.TypeParams, funcTParam)
	}
	if sig.Params != nil {
		p.parameters(sig.Params, funcParam)
	} else {
		p.tok(token.LPAREN)
		p.tok(token.RPAREN)
	}
	res := sig.Results
	if n := res.NumFields(); n > 0 {
		p.space(wsBlank)
		if n == 1 && res.List[0].Names == nil {
			p.expr(stripParensAlways(res.List[0].Type))
			return
		}
		p.parameters(res, funcParam)
	}
}

func identListSize(list []*ast.Ident, maxSize int) (size int) {
	for i, x := range list {
		if i > 0 {
			size += len(", ")
		}
		size += utf8.RuneCountInString(x.Name)
		if size >= maxSize {
			break
		}
	}
	return
}

// isOneLineFieldList reports whether a struct or interface the source
// wrote on one line stays there: one field, no tag or comment, short.
func (p *printer) isOneLineFieldList(list []*ast.Field) bool {
	if len(list) != 1 {
		return false
	}
	f := list[0]
	if f.Tag != nil || f.Comment != nil {
		return false
	}
	const maxSize = 30
	namesSize := identListSize(f.Names, maxSize)
	if namesSize > 0 {
		namesSize = 1
	}
	typeSize := p.nodeSize(f.Type, maxSize)
	return namesSize+typeSize <= maxSize
}

// fieldList prints a struct's fields or an interface's methods. Struct
// fields are cells: names, type, tag and line comment are separated by
// vtabs so that the tabwriter aligns them; a field spanning several lines
// ends the alignment section.
func (p *printer) fieldList(fields *ast.FieldList, isStruct bool) {
	lbrace := fields.Opening
	list := fields.List
	rbrace := fields.Closing
	hasComments := p.commentBefore(p.posFor(rbrace))
	srcIsOneLine := lbrace.IsValid() && rbrace.IsValid() && p.lineFor(lbrace) == p.lineFor(rbrace)

	if !hasComments && srcIsOneLine {
		if len(list) == 0 {
			p.setPos(lbrace)
			p.tok(token.LBRACE)
			p.setPos(rbrace)
			p.tok(token.RBRACE)
			return
		} else if p.isOneLineFieldList(list) {
			p.setPos(lbrace)
			p.tok(token.LBRACE)
			p.space(wsBlank)
			f := list[0]
			if isStruct {
				for i, x := range f.Names {
					if i > 0 {
						p.tok(token.COMMA)
						p.space(wsBlank)
					}
					p.expr(x)
				}
				if len(f.Names) > 0 {
					p.space(wsBlank)
				}
				p.expr(f.Type)
			} else {
				if len(f.Names) > 0 {
					p.expr(f.Names[0])
					p.signature(f.Type.(*ast.FuncType))
				} else {
					p.expr(f.Type)
				}
			}
			p.space(wsBlank)
			p.setPos(rbrace)
			p.tok(token.RBRACE)
			return
		}
	}

	p.space(wsBlank)
	p.setPos(lbrace)
	p.tok(token.LBRACE)
	p.space(wsIndent)
	if hasComments || len(list) > 0 {
		p.space(wsFormfeed)
	}

	if isStruct {
		sep := wsVtab
		if len(list) == 1 {
			sep = wsBlank
		}
		var line int
		for i, f := range list {
			if i > 0 {
				p.linebreak(p.lineFor(f.Pos()), 1, wsIgnore, p.linesFrom(line) > 0)
			}
			extraTabs := 0
			p.setComment(f.Doc)
			p.recordLine(&line)
			if len(f.Names) > 0 {
				p.identList(f.Names, false)
				p.space(sep)
				p.expr(f.Type)
				extraTabs = 1
			} else {
				p.expr(f.Type)
				extraTabs = 2
			}
			if f.Tag != nil {
				if len(f.Names) > 0 && sep == wsVtab {
					p.space(sep)
				}
				p.space(sep)
				p.expr(f.Tag)
				extraTabs = 0
			}
			if f.Comment != nil {
				for ; extraTabs > 0; extraTabs-- {
					p.space(sep)
				}
				p.setComment(f.Comment)
			}
		}
	} else {
		var line int
		for i, f := range list {
			var name *ast.Ident
			if len(f.Names) > 0 {
				name = f.Names[0]
			}
			if i > 0 {
				p.linebreak(p.lineFor(f.Pos()), 1, wsIgnore, p.linesFrom(line) > 0)
			}
			p.setComment(f.Doc)
			p.recordLine(&line)
			if name != nil {
				p.expr(name)
				p.signature(f.Type.(*ast.FuncType))
			} else {
				p.expr(f.Type)
			}
			p.setComment(f.Comment)
		}
	}
	p.space(wsUnindent)
	p.space(wsFormfeed)
	p.setPos(rbrace)
	p.tok(token.RBRACE)
}

// keepTypeColumn reports, per spec of a const or var group, whether its
// type column must stay: within a run of specs with values, the column is
// kept if any spec in the run has a type; otherwise the values move into
// it.
func keepTypeColumn(specs []ast.Spec) []bool {
	m := make([]bool, len(specs))
	populate := func(i, j int, keepType bool) {
		if keepType {
			for ; i < j; i++ {
				m[i] = true
			}
		}
	}
	i0 := -1
	var keepType bool
	for i, s := range specs {
		t := s.(*ast.ValueSpec)
		if t.Values != nil {
			if i0 < 0 {
				i0 = i
				keepType = false
			}
		} else if i0 >= 0 {
			populate(i0, i, keepType)
			i0 = -1
		}
		if t.Type != nil {
			keepType = true
		}
	}
	if i0 >= 0 {
		populate(i0, len(specs), keepType)
	}
	return m
}

func (p *printer) valueSpec(s *ast.ValueSpec, keepType bool) {
	p.setComment(s.Doc)
	p.identList(s.Names, false)
	extraTabs := 3
	if s.Type != nil || keepType {
		p.space(wsVtab)
		extraTabs--
	}
	if s.Type != nil {
		p.expr(s.Type)
	}
	if s.Values != nil {
		p.space(wsVtab)
		p.tok(token.ASSIGN)
		p.space(wsBlank)
		p.exprList(token.NoPos, s.Values, 1, 0, token.NoPos)
		extraTabs--
	}
	if s.Comment != nil {
		for ; extraTabs > 0; extraTabs-- {
			p.space(wsVtab)
		}
		p.setComment(s.Comment)
	}
}

// sanitizeImportPath prints a valid import path double-quoted.
func sanitizeImportPath(lit *ast.BasicLit) *ast.BasicLit {
	if lit.Kind != token.STRING {
		return lit
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil || s == "" {
		return lit
	}
	const illegalChars = `!"#$%&'()*,:;<=>?[\]^{|}` + "`\uFFFD"
	for _, r := range s {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) || strings.ContainsRune(illegalChars, r) {
			return lit
		}
	}
	s = strconv.Quote(s)
	if s == lit.Value {
		return lit
	}
	return &ast.BasicLit{ValuePos: lit.ValuePos, Kind: token.STRING, Value: s}
}

func (p *printer) spec(spec ast.Spec, n int, doIndent bool) {
	switch s := spec.(type) {
	case *ast.ImportSpec:
		p.setComment(s.Doc)
		if s.Name != nil {
			p.expr(s.Name)
			p.space(wsBlank)
		}
		p.expr(sanitizeImportPath(s.Path))
		p.setComment(s.Comment)
		p.setPos(s.EndPos)

	case *ast.ValueSpec:
		if n != 1 {
			decline("value spec group printed as one spec")
		}
		p.setComment(s.Doc)
		p.identList(s.Names, doIndent)
		if s.Type != nil {
			p.space(wsBlank)
			p.expr(s.Type)
		}
		if s.Values != nil {
			p.space(wsBlank)
			p.tok(token.ASSIGN)
			p.space(wsBlank)
			p.exprList(token.NoPos, s.Values, 1, 0, token.NoPos)
		}
		p.setComment(s.Comment)

	case *ast.TypeSpec:
		p.setComment(s.Doc)
		p.expr(s.Name)
		if s.TypeParams != nil {
			p.parameters(s.TypeParams, typeTParam)
		}
		if n == 1 {
			p.space(wsBlank)
		} else {
			p.space(wsVtab)
		}
		if s.Assign.IsValid() {
			p.tok(token.ASSIGN)
			p.space(wsBlank)
		}
		p.expr(s.Type)
		p.setComment(s.Comment)

	default:
		decline("spec kind")
	}
}

func (p *printer) genDecl(d *ast.GenDecl) {
	p.setComment(d.Doc)
	p.setPos(d.Pos())
	p.tok(d.Tok)
	p.space(wsBlank)

	if d.Lparen.IsValid() || len(d.Specs) != 1 {
		p.setPos(d.Lparen)
		p.tok(token.LPAREN)
		if n := len(d.Specs); n > 0 {
			p.space(wsIndent)
			p.space(wsFormfeed)
			var keepType []bool
			valueGroup := n > 1 && (d.Tok == token.CONST || d.Tok == token.VAR)
			if valueGroup {
				keepType = keepTypeColumn(d.Specs)
			}
			var line int
			for i, s := range d.Specs {
				if i > 0 {
					p.linebreak(p.lineFor(s.Pos()), 1, wsIgnore, p.linesFrom(line) > 0)
				}
				p.recordLine(&line)
				if valueGroup {
					p.valueSpec(s.(*ast.ValueSpec), keepType[i])
				} else {
					p.spec(s, n, false)
				}
			}
			p.space(wsUnindent)
			p.space(wsFormfeed)
		}
		p.setPos(d.Rparen)
		p.tok(token.RPAREN)
	} else if len(d.Specs) > 0 {
		p.spec(d.Specs[0], 1, true)
	}
}

// bodySize estimates a block's one-line width, or more than maxSize if it
// cannot be a one-liner (the source broke it, or it is long).
func (p *printer) bodySize(b *ast.BlockStmt, maxSize int) int {
	pos1 := b.Pos()
	pos2 := b.Rbrace
	if pos1.IsValid() && pos2.IsValid() && p.lineFor(pos1) != p.lineFor(pos2) {
		return maxSize + 1
	}
	if len(b.List) > 5 {
		return maxSize + 1
	}
	bodySize := p.commentSizeBefore(p.posFor(pos2))
	for i, s := range b.List {
		if bodySize > maxSize {
			break
		}
		if i > 0 {
			bodySize += 2
		}
		bodySize += p.nodeSize(s, maxSize)
	}
	return bodySize
}

// funcBody prints a function body after a header headerSize wide: on the
// header's line if the source had it on one line and header and body fit
// in 100 columns, as a block otherwise.
func (p *printer) funcBody(headerSize int, sep ws, b *ast.BlockStmt) {
	if b == nil {
		return
	}
	defer func(level int) { p.level = level }(p.level)
	p.level = 0

	const maxSize = 100
	if headerSize+p.bodySize(b, maxSize) <= maxSize {
		p.space(sep)
		p.setPos(b.Lbrace)
		p.tok(token.LBRACE)
		if len(b.List) > 0 {
			p.space(wsBlank)
			for i, s := range b.List {
				if i > 0 {
					p.tok(token.SEMICOLON)
					p.space(wsBlank)
				}
				p.stmt(s, i == len(b.List)-1)
			}
			p.space(wsBlank)
		}
		p.toggle(noExtraLinebreak)
		p.setPos(b.Rbrace)
		p.tok(token.RBRACE)
		p.toggle(noExtraLinebreak)
		return
	}
	if sep != wsIgnore {
		p.space(wsBlank)
	}
	p.block(b, 1)
}

// distanceFrom is the output width since startOutCol if the source still
// is on startPos's line, else infinity.
func (p *printer) distanceFrom(startPos token.Pos, startOutCol int) int {
	if startPos.IsValid() && p.pos.valid() && p.posFor(startPos).Line == p.pos.Line {
		return p.outPos.Column - startOutCol
	}
	return infinity
}

func (p *printer) funcDecl(d *ast.FuncDecl) {
	p.setComment(d.Doc)
	p.setPos(d.Pos())
	p.tok(token.FUNC)
	p.space(wsBlank)
	startCol := p.outPos.Column - len("func ")
	if d.Recv != nil {
		p.parameters(d.Recv, funcParam)
		p.space(wsBlank)
	}
	p.expr(d.Name)
	p.signature(d.Type)
	p.funcBody(p.distanceFrom(d.Pos(), startCol), wsVtab, d.Body)
}

func (p *printer) decl(decl ast.Decl) {
	switch d := decl.(type) {
	case *ast.GenDecl:
		p.genDecl(d)
	case *ast.FuncDecl:
		p.funcDecl(d)
	default:
		decline("declaration kind")
	}
}

func declToken(decl ast.Decl) token.Token {
	switch d := decl.(type) {
	case *ast.GenDecl:
		return d.Tok
	case *ast.FuncDecl:
		return token.FUNC
	}
	return token.ILLEGAL
}

func getDoc(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.GenDecl:
		return d.Doc
	case *ast.FuncDecl:
		return d.Doc
	}
	return nil
}

func (p *printer) numLines(n ast.Node) int {
	if from := n.Pos(); from.IsValid() {
		if to := n.End(); to.IsValid() {
			return p.lineFor(to) - p.lineFor(from) + 1
		}
	}
	return infinity
}

// declList separates declarations by the source's line breaks, with a
// blank line at least where the kind of declaration changes or a
// declaration has a doc comment; a multi-line func starts a section.
func (p *printer) declList(list []ast.Decl) {
	tok := token.ILLEGAL
	for _, d := range list {
		prev := tok
		tok = declToken(d)
		if len(p.out) > 0 {
			min := 1
			if prev != tok || getDoc(d) != nil {
				min = 2
			}
			p.linebreak(p.lineFor(d.Pos()), min, wsIgnore, tok == token.FUNC && p.numLines(d) > 1)
		}
		p.decl(d)
	}
}

func (p *printer) file(src *ast.File) {
	p.setComment(src.Doc)
	p.setPos(src.Pos())
	p.tok(token.PACKAGE)
	p.space(wsBlank)
	p.expr(src.Name)
	p.declList(src.Decls)
	p.space(wsNewline)
}

// node prints n as go/printer's Fprint does for a trial rendering: with
// the node's own comments only.
func (p *printer) node(n ast.Node) {
	p.toggle(0)
	switch n := n.(type) {
	case ast.Expr:
		p.expr(n)
	case ast.Stmt:
		if _, ok := n.(*ast.LabeledStmt); ok {
			p.indent = 1
		}
		p.stmt(n, false)
	case ast.Decl:
		p.decl(n)
	case ast.Spec:
		p.spec(n, 1, false)
	default:
		decline("node kind")
	}
}

// finish prints what is left: comments after the last token.
func (p *printer) finish() {
	p.impliedSemi = false
	p.flush(position{Offset: infinity, Line: infinity}, token.EOF)
}
