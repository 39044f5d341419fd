package gofmt

import (
	"go/ast"
	"go/token"
	"strings"
	"text/tabwriter"
	"unicode"
)

// The printer writes the stream go/printer hands to text/tabwriter (here
// laid out by align.go): indentation as leading tabs, alignment cell ends as
// '\v', section breaks (which end every open column) as '\f', and text that
// must pass through untouched between tabwriter.Escape bytes. Whitespace between tokens is not written
// at once but queued (wsbuf), because comments met before the next token
// must be placed inside that whitespace, not after it.

// ws is one queued whitespace item.
type ws byte

const (
	wsIgnore   = ws(0)
	wsBlank    = ws(' ')
	wsVtab     = ws('\v')
	wsNewline  = ws('\n')
	wsFormfeed = ws('\f')
	wsIndent   = ws('>')
	wsUnindent = ws('<')
)

// pmode bits suppress the extra blank or line break go/printer adds after a
// /*-style comment; no such comment is ever printed here (they decline), but
// the bits are toggled in the same places so that the state stays the same.
type pmode int

const (
	noExtraBlank pmode = 1 << iota
	noExtraLinebreak
)

const (
	maxNewlines = 2       // at most one blank line is kept from the source
	infinity    = 1 << 30 // larger than any offset, line or size
)

// position is a place in the source or the output: Line 0 is "unknown".
type position struct {
	Offset, Line, Column int
}

func (p position) valid() bool { return p.Line > 0 }

// declined aborts printing; Format recovers it and reports ok == false.
type declined struct{ why string }

func decline(why string) { panic(declined{why}) }

// srcFile resolves token.Pos values of one parsed file without going
// through token.FileSet (its lookups dominate go/printer's profile).
type srcFile struct {
	base, size int
	lines      []int32 // offsets of line starts (int32: half the cache lines)
	blocks     []int32 // blocks[b]: index of the line holding offset b<<blockShift
}

const blockShift = 6

// newSrcFile indexes tf's lines; ok is false for a file too large for
// 32-bit offsets.
func newSrcFile(tf *token.File) (*srcFile, bool) {
	if tf.Size() >= 1<<31-1 {
		return nil, false
	}
	lines := tf.Lines()
	f := &srcFile{base: tf.Base(), size: tf.Size(), lines: make([]int32, len(lines))}
	for i, l := range lines {
		f.lines[i] = int32(l)
	}
	f.blocks = make([]int32, f.size>>blockShift+1)
	line := 0
	for b := range f.blocks {
		off := int32(b << blockShift)
		for line+1 < len(f.lines) && f.lines[line+1] <= off {
			line++
		}
		f.blocks[b] = int32(line)
	}
	return f, true
}

type printer struct {
	src       *srcFile
	normalize bool // normalise number literals (format.Source does; trial renderings do not)

	out          []byte
	indent       int
	level        int // > 0 inside a composite literal
	mode         pmode
	endAlignment bool
	impliedSemi  bool
	lastTok      token.Token
	prevOpen     token.Token
	wsbuf        []ws

	pos     position // where the next item is in the source (estimated)
	outPos  position // where the next item goes in the output
	last    position // pos after the last token written
	linePtr *int

	comments        []*ast.CommentGroup
	useNodeComments bool
	cindex          int
	comment         *ast.CommentGroup
	commentOffset   int
	commentNewline  bool

	sizes map[ast.Node]int
	trial bool // a trial rendering for nodeSize: stop at the first line break

	cachedPos token.Pos
	cached    position
}

// lookup returns the position of pos; a pos outside the file is invalid.
// Nested expressions share their start, so the last answer is kept.
func (p *printer) lookup(pos token.Pos) position {
	if pos == p.cachedPos {
		return p.cached
	}
	p.cachedPos = pos
	p.cached = p.lookup1(pos)
	return p.cached
}

func (p *printer) lookup1(pos token.Pos) position {
	if !pos.IsValid() {
		return position{}
	}
	off := int(pos) - p.src.base
	if off < 0 || off > p.src.size {
		return position{}
	}
	lines := p.src.lines
	if len(lines) == 0 {
		return position{}
	}
	// the line of the offset's 64-byte block, then forward
	i := int(p.src.blocks[off>>blockShift])
	for i+1 < len(lines) && int(lines[i+1]) <= off {
		i++
	}
	return position{Offset: off, Line: i + 1, Column: off - int(lines[i]) + 1}
}

func (p *printer) posFor(pos token.Pos) position { return p.lookup(pos) }

func (p *printer) lineFor(pos token.Pos) int { return p.lookup(pos).Line }

// ---- comments ----

func (p *printer) commentsHaveNewline(list []*ast.Comment) bool {
	if t := list[0].Text; len(t) >= 2 && t[1] == '/' {
		return true // a //-comment ends its line
	}
	line := p.lineFor(list[0].Pos())
	for i, c := range list {
		if i > 0 && p.lineFor(list[i].Pos()) != line {
			return true
		}
		if t := c.Text; len(t) >= 2 && (t[1] == '/' || strings.Contains(t, "\n")) {
			return true
		}
	}
	return false
}

func (p *printer) nextComment() {
	for p.cindex < len(p.comments) {
		c := p.comments[p.cindex]
		p.cindex++
		if list := c.List; len(list) > 0 {
			p.comment = c
			p.commentOffset = p.posFor(list[0].Pos()).Offset
			p.commentNewline = p.commentsHaveNewline(list)
			return
		}
	}
	p.commentOffset = infinity
}

// commentBefore reports whether the pending comment comes before next and
// may be printed there without a line break implying a semicolon.
func (p *printer) commentBefore(next position) bool {
	return p.commentOffset < next.Offset && (!p.impliedSemi || !p.commentNewline)
}

func (p *printer) commentSizeBefore(next position) int {
	saved := p.saveComments()
	defer p.restoreComments(saved)
	size := 0
	for p.commentBefore(next) {
		for _, c := range p.comment.List {
			size += len(c.Text)
		}
		p.nextComment()
	}
	return size
}

type commentState struct {
	cindex         int
	comment        *ast.CommentGroup
	commentOffset  int
	commentNewline bool
}

func (p *printer) saveComments() commentState {
	return commentState{p.cindex, p.comment, p.commentOffset, p.commentNewline}
}

func (p *printer) restoreComments(s commentState) {
	p.cindex, p.comment, p.commentOffset, p.commentNewline = s.cindex, s.comment, s.commentOffset, s.commentNewline
}

// setComment makes a node's own comment group the next comment; only
// trial renderings of sub-trees (which have no file comment list) use
// node comments.
func (p *printer) setComment(g *ast.CommentGroup) {
	if g == nil || !p.useNodeComments {
		return
	}
	if p.comments == nil {
		p.comments = make([]*ast.CommentGroup, 1)
	} else if p.cindex < len(p.comments) {
		// go/printer flushes and then reports an internal error here; a
		// shape this printer does not reproduce with certainty.
		decline("pending comments at a node comment")
	}
	p.comments[0] = g
	p.cindex = 0
	if p.commentOffset == infinity {
		p.nextComment()
	}
}

func (p *printer) recordLine(linePtr *int) { p.linePtr = linePtr }

func (p *printer) linesFrom(line int) int { return p.outPos.Line - line }

// ---- low-level output ----

func (p *printer) writeIndent() {
	n := p.indent
	for i := 0; i < n; i++ {
		p.out = append(p.out, '\t')
	}
	p.pos.Offset += n
	p.pos.Column += n
	p.outPos.Column += n
}

// writeByte writes the formatting character ch n times.
func (p *printer) writeByte(ch byte, n int) {
	if p.endAlignment {
		// A literal spanning lines broke the columns: no alignment until
		// the end of the line, which then ends the section.
		switch ch {
		case '\t', '\v':
			ch = ' '
		case '\n', '\f':
			ch = '\f'
			p.endAlignment = false
		}
	}
	if p.outPos.Column == 1 {
		p.writeIndent()
	}
	if p.trial && (ch == '\n' || ch == '\f') {
		panic(lineBreak{})
	}
	for i := 0; i < n; i++ {
		p.out = append(p.out, ch)
	}
	p.pos.Offset += n
	if ch == '\n' || ch == '\f' {
		p.pos.Line += n
		p.outPos.Line += n
		p.pos.Column = 1
		p.outPos.Column = 1
		return
	}
	p.pos.Column += n
	p.outPos.Column += n
}

// writeString writes a token, literal or comment. Text holding characters
// the tabwriter or the trimmer would interpret is escaped; other text
// passes through both unchanged either way, so it is written bare.
func (p *printer) writeString(pos position, s string, isLit bool) {
	if p.outPos.Column == 1 {
		p.writeIndent()
	}
	if pos.valid() {
		p.pos = pos
	}
	// Tokens never hold these characters; literals and comments may.
	escape := false
	nlines, li := 0, 0
	if isLit {
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '\n', '\f':
				nlines++
				li = i
				escape = true
			case '\t', '\v', tabwriter.Escape:
				escape = true
			}
		}
		if nlines > 0 {
			if p.trial {
				panic(lineBreak{})
			}
			p.endAlignment = true
		}
	}
	if escape {
		p.out = append(p.out, tabwriter.Escape)
	}
	p.out = append(p.out, s...)
	p.pos.Offset += len(s)
	if nlines > 0 {
		p.pos.Line += nlines
		p.outPos.Line += nlines
		c := len(s) - li
		p.pos.Column = c
		p.outPos.Column = c
	} else {
		p.pos.Column += len(s)
		p.outPos.Column += len(s)
	}
	if escape {
		p.out = append(p.out, tabwriter.Escape)
	}
	p.last = p.pos
}

// writeCommentPrefix writes the whitespace before a comment at pos, using
// as much of the queued whitespace as helps place it.
func (p *printer) writeCommentPrefix(pos, next position, prev *ast.Comment, tok token.Token) {
	if len(p.out) == 0 {
		return
	}
	if pos.Line == p.last.Line && (prev == nil || prev.Text[1] != '/') {
		// on the same line as the previous item: at least one separator
		hasSep := false
		if prev == nil {
			j := 0
			for i, ch := range p.wsbuf {
				switch ch {
				case wsBlank:
					p.wsbuf[i] = wsIgnore
					continue
				case wsVtab:
					hasSep = true
					continue
				case wsIndent:
					continue
				}
				j = i
				break
			}
			p.writeWhitespace(j)
		}
		if !hasSep {
			sep := byte('\t')
			if pos.Line == next.Line {
				sep = ' '
			}
			p.writeByte(sep, 1)
		}
		return
	}
	// on a line of its own: at least one line break
	droppedLinebreak := false
	j := 0
	for i, ch := range p.wsbuf {
		switch ch {
		case wsBlank, wsVtab:
			p.wsbuf[i] = wsIgnore
			continue
		case wsIndent:
			continue
		case wsUnindent:
			if i+1 < len(p.wsbuf) && p.wsbuf[i+1] == wsUnindent {
				continue
			}
			if tok != token.RBRACE && pos.Column == next.Column {
				continue
			}
		case wsNewline, wsFormfeed:
			p.wsbuf[i] = wsIgnore
			droppedLinebreak = prev == nil
		}
		j = i
		break
	}
	p.writeWhitespace(j)
	n := 0
	if pos.valid() && p.last.valid() {
		n = max(pos.Line-p.last.Line, 0)
	}
	// keep a blank line before a package-level comment
	if p.indent == 0 && droppedLinebreak {
		n++
	}
	if n == 0 && prev != nil && prev.Text[1] == '/' {
		n = 1
	}
	if n > 0 {
		p.writeByte('\f', min(n, maxNewlines))
	}
}

func (p *printer) writeComment(c *ast.Comment) {
	// Only //-comments get here: checkComments declined the rest.
	p.writeString(p.posFor(c.Pos()), strings.TrimRightFunc(c.Text, unicode.IsSpace), true)
}

func (p *printer) writeCommentSuffix(needsLinebreak bool) (wroteNewline, droppedFF bool) {
	for i, ch := range p.wsbuf {
		switch ch {
		case wsBlank, wsVtab:
			p.wsbuf[i] = wsIgnore
		case wsIndent, wsUnindent:
		case wsNewline, wsFormfeed:
			if needsLinebreak {
				needsLinebreak = false
				wroteNewline = true
			} else {
				if ch == wsFormfeed {
					droppedFF = true
				}
				p.wsbuf[i] = wsIgnore
			}
		}
	}
	p.writeWhitespace(len(p.wsbuf))
	if needsLinebreak {
		p.writeByte('\n', 1)
		wroteNewline = true
	}
	return
}

// intersperseComments prints the comments before next (the position of the
// token tok about to be printed) within the queued whitespace.
func (p *printer) intersperseComments(next position, tok token.Token) (wroteNewline, droppedFF bool) {
	var last *ast.Comment
	for p.commentBefore(next) {
		list := p.comment.List
		changed := false
		if p.lastTok != token.IMPORT && p.posFor(p.comment.Pos()).Column == 1 && p.posFor(p.comment.End()+1) == next {
			// an unindented comment right above the next token: a
			// package-level doc comment, printed in canonical form
			list = formatDocComment(list)
			changed = true
			if len(p.comment.List) > 0 && len(list) == 0 {
				decline("doc comment formats to nothing")
			}
		}
		for _, c := range list {
			p.writeCommentPrefix(p.posFor(c.Pos()), next, last, tok)
			p.writeComment(c)
			last = c
		}
		if len(p.comment.List) > 0 && changed {
			last = p.comment.List[len(p.comment.List)-1]
			p.pos = p.posFor(last.End())
			p.last = p.pos
		}
		p.nextComment()
	}
	if last == nil {
		return
	}
	// Only //-comments are printed, so a line break always follows.
	return p.writeCommentSuffix(true)
}

// writeWhitespace writes the first n queued whitespace items.
func (p *printer) writeWhitespace(n int) {
	for i := 0; i < n; i++ {
		switch ch := p.wsbuf[i]; ch {
		case wsIgnore:
		case wsIndent:
			p.indent++
		case wsUnindent:
			p.indent--
			if p.indent < 0 {
				decline("negative indentation")
			}
		case wsNewline, wsFormfeed:
			// An unindent right after a line break belongs before it
			// (labels); the break then ends the section.
			if i+1 < n && p.wsbuf[i+1] == wsUnindent {
				p.wsbuf[i], p.wsbuf[i+1] = wsUnindent, wsFormfeed
				i--
				continue
			}
			p.writeByte(byte(ch), 1)
		default:
			p.writeByte(byte(ch), 1)
		}
	}
	l := copy(p.wsbuf, p.wsbuf[n:])
	p.wsbuf = p.wsbuf[:l]
}

// ---- items ----

// noteOpen records whether the item before this one opened a paren or
// bracket (go/printer does this for every item, whitespace included).
func (p *printer) noteOpen() {
	switch p.lastTok {
	case token.ILLEGAL:
	case token.LPAREN, token.LBRACK:
		p.prevOpen = p.lastTok
	default:
		p.prevOpen = token.ILLEGAL
	}
}

func (p *printer) toggle(m pmode) {
	p.noteOpen()
	p.mode ^= m
}

func (p *printer) space(x ws) {
	p.noteOpen()
	if x == wsIgnore {
		return
	}
	if len(p.wsbuf) == cap(p.wsbuf) && len(p.wsbuf) >= 16 {
		decline("whitespace queue overflow")
	}
	p.wsbuf = append(p.wsbuf, x)
	if x == wsNewline || x == wsFormfeed {
		p.impliedSemi = false
	}
	p.lastTok = token.ILLEGAL
}

func (p *printer) ident(x *ast.Ident) {
	p.noteOpen()
	p.lastTok = token.IDENT
	p.item(x.Name, false, true)
}

func (p *printer) basicLit(x *ast.BasicLit) {
	p.noteOpen()
	p.lastTok = x.Kind
	p.item(x.Value, true, true)
}

func (p *printer) tok(t token.Token) {
	p.noteOpen()
	s := t.String()
	if mayCombine(p.lastTok, s[0]) {
		if len(p.wsbuf) != 0 {
			decline("whitespace before a combining token")
		}
		p.wsbuf = append(p.wsbuf, wsBlank)
	}
	implied := false
	switch t {
	case token.BREAK, token.CONTINUE, token.FALLTHROUGH, token.RETURN,
		token.INC, token.DEC, token.RPAREN, token.RBRACK, token.RBRACE:
		implied = true
	}
	p.lastTok = t
	p.item(s, false, implied)
}

// item prints one token's text: first the comments and whitespace before
// it, then any blank lines the source had there (unless that would imply a
// semicolon), then the text.
func (p *printer) item(data string, isLit, impliedSemi bool) {
	next := p.pos
	wroteNewline, droppedFF := p.flush(next, p.lastTok)
	if !p.impliedSemi {
		n := min(next.Line-p.pos.Line, maxNewlines)
		if wroteNewline && n == maxNewlines {
			n = maxNewlines - 1
		}
		if n > 0 {
			ch := byte('\n')
			if droppedFF {
				ch = '\f'
			}
			p.writeByte(ch, n)
			impliedSemi = false
		}
	}
	if p.linePtr != nil {
		*p.linePtr = p.outPos.Line
		p.linePtr = nil
	}
	p.writeString(next, data, isLit)
	p.impliedSemi = impliedSemi
}

func (p *printer) flush(next position, tok token.Token) (wroteNewline, droppedFF bool) {
	if p.commentBefore(next) {
		return p.intersperseComments(next, tok)
	}
	p.writeWhitespace(len(p.wsbuf))
	return false, false
}

func (p *printer) setPos(pos token.Pos) {
	if pos.IsValid() {
		p.pos = p.posFor(pos)
	}
}

func mayCombine(prev token.Token, next byte) bool {
	switch prev {
	case token.INT:
		return next == '.'
	case token.ADD:
		return next == '+'
	case token.SUB:
		return next == '-'
	case token.QUO:
		return next == '*'
	case token.LSS:
		return next == '-' || next == '<'
	case token.AND:
		return next == '&' || next == '^'
	}
	return false
}

// linebreak prints as many line breaks as the source had before line (at
// most two, at least min), the first one a formfeed when newSection. It
// returns 0 for none, 1 for one newline, more for a formfeed or several.
func (p *printer) linebreak(line, min int, w ws, newSection bool) (nbreaks int) {
	n := max(nlimit(line-p.pos.Line), min)
	if n > 0 {
		p.space(w)
		if newSection {
			p.space(wsFormfeed)
			n--
			nbreaks = 2
		}
		nbreaks += n
		for ; n > 0; n-- {
			p.space(wsNewline)
		}
	}
	return
}

func nlimit(n int) int { return min(n, maxNewlines) }
