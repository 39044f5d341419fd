package gofmt

import (
	"go/ast"
	"go/doc/comment"
	"strings"
	"unicode"
	"unicode/utf8"
)

// formatDocComment returns the canonical form of a //-style doc comment as
// go/printer writes it: the text is parsed and reprinted by go/doc/comment,
// and directives (//go:generate and the like) move to the end after a "//"
// line. The returned comments carry the group's first position.
//
// Reparsing is the expensive part, so a comment whose every line is plain
// prose (no indentation, no list markers, no heading or link shapes, no
// directives) and whose blank lines are single is returned as is: for such
// text go/doc/comment's output is the input.
func formatDocComment(list []*ast.Comment) []*ast.Comment {
	if plainDoc(list) {
		return list
	}
	return reformatDoc(list)
}

// reformatDoc is formatDocComment without the shortcut.
func reformatDoc(list []*ast.Comment) []*ast.Comment {
	var text strings.Builder
	var directives []*ast.Comment
	for _, c := range list {
		after, ok := strings.CutPrefix(c.Text, "//")
		if !ok {
			return list
		}
		if isDirective(after) {
			directives = append(directives, c)
			continue
		}
		text.WriteString(strings.TrimPrefix(after, " "))
		text.WriteString("\n")
	}
	if text.Len() == 0 {
		return list
	}
	var parser comment.Parser
	var printer comment.Printer
	formatted := string(printer.Comment(parser.Parse(text.String())))
	slash := list[0].Slash
	var out []*ast.Comment
	for formatted != "" {
		var line string
		line, formatted, _ = strings.Cut(formatted, "\n")
		switch {
		case line == "":
			line = "//"
		case strings.HasPrefix(line, "\t"):
			line = "//" + line
		default:
			line = "// " + line
		}
		out = append(out, &ast.Comment{Slash: slash, Text: line})
	}
	if len(directives) > 0 {
		out = append(out, &ast.Comment{Slash: slash, Text: "//"})
		for _, c := range directives {
			out = append(out, &ast.Comment{Slash: slash, Text: c.Text})
		}
	}
	return out
}

// plainDoc reports whether go/doc/comment would print list unchanged: one or
// more paragraphs of "// text" lines separated by single "//" lines, where
// no line could start anything but a paragraph line.
func plainDoc(list []*ast.Comment) bool {
	if len(list) == 0 || list[0].Text == "//" || list[len(list)-1].Text == "//" {
		return false
	}
	prevBlank := false
	for i, c := range list {
		t := c.Text
		if t == "//" {
			if prevBlank {
				return false
			}
			prevBlank = true
			continue
		}
		if len(t) < 4 || t[0] != '/' || t[1] != '/' || t[2] != ' ' {
			return false
		}
		body := t[3:]
		if !plainLine(body) {
			return false
		}
		// A one-line paragraph after a blank line and before another
		// blank line (and more text) may be an old-style heading.
		// Such a heading ends in a letter or digit and holds none of
		// the characters go/doc/comment rules out for headings.
		if prevBlank && i+1 < len(list) && list[i+1].Text == "//" {
			body = strings.TrimRightFunc(body, unicode.IsSpace)
			last := body[len(body)-1]
			endsAlnum := last >= utf8.RuneSelf || 'a' <= last && last <= 'z' || 'A' <= last && last <= 'Z' || '0' <= last && last <= '9'
			if endsAlnum && !strings.ContainsAny(body, ";:!?+*/=[]{}_^°&§~%#@<\">\\") {
				return false
			}
		}
		prevBlank = false
	}
	return true
}

// plainLine reports whether a doc comment line (after "// ") is ordinary
// paragraph text for go/doc/comment: not indented, not a list item, not a
// heading marker, not a link definition, no control characters, nothing
// the printer rewrites.
func plainLine(s string) bool {
	// Trailing white space does not matter: go/doc/comment's structure
	// decisions trim it, and writeComment trims what it prints.
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if s == "" || s[0] == ' ' || s[0] == '\t' || s[0] == '#' || s[0] == '[' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return false
		}
	}
	// go/doc/comment trims Unicode spaces and knows the bullet "•": the
	// line must begin with ASCII, which they are not.
	if s[0] >= 0x80 {
		return false
	}
	// go/doc/comment turns `` and '' into curly quotes
	if strings.Contains(s, "``") || strings.Contains(s, "''") {
		return false
	}
	// list markers: "-", "*", "+", "•" (non-ASCII, excluded above), or
	// a number followed by "." or ")"
	switch s[0] {
	case '-', '*', '+':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			return false
		}
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n < len(s) && (s[n] == '.' || s[n] == ')') {
		return false
	}
	// Doc links ([Name]) and URLs print as written.
	return true
}

// isDirective reports whether c (a //-comment without its "//") is a
// directive: //line, //extern, //export, or //word:word.
func isDirective(c string) bool {
	if strings.HasPrefix(c, "line ") || strings.HasPrefix(c, "extern ") || strings.HasPrefix(c, "export ") {
		return true
	}
	colon := strings.Index(c, ":")
	if colon <= 0 || colon+1 >= len(c) {
		return false
	}
	for i := 0; i <= colon+1; i++ {
		if i == colon {
			continue
		}
		b := c[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9') {
			return false
		}
	}
	return true
}

// CanonicalDoc returns the //-lines of a doc comment in the form gofmt
// leaves as it is. go/doc/comment's reformatting is not always idempotent
// (a list right after a paragraph line is indented on the first pass and
// gains its blank line only on the second), so a comment written as one
// pass leaves it would make the file gofmt-unclean after formatting; the
// reformatting is applied until it changes nothing. Plain prose comes
// back as it is, at no cost.
func CanonicalDoc(lines []string) []string {
	list := make([]*ast.Comment, len(lines))
	for i, l := range lines {
		list[i] = &ast.Comment{Text: l}
	}
	if plainDoc(list) {
		return lines
	}
	for range 8 {
		next := reformatDoc(list)
		if len(next) == 0 {
			return lines // nothing but blank lines: left to the caller
		}
		if sameComments(next, list) {
			break
		}
		list = next
	}
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Text
	}
	return out
}

func sameComments(a, b []*ast.Comment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Text != b[i].Text {
			return false
		}
	}
	return true
}
