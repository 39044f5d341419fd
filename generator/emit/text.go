package emit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/diag"
	"github.com/kiiexgen/kiiexgen/generator/internal/gofmt"
)

// This file is the comment boundary: the only code in the emitter that
// hands text to jennifer as a comment. Spec text is hostile (an operationId
// holding "\nfunc init() {...}" or "\n//go:generate ..." must stay prose),
// so every comment is built here, line by line, and each line:
//
//   - starts with "// " or "//\t" (a code block, as gofmt writes it) or is
//     exactly "//", so no line can escape the comment, and no line is a
//     directive ("//go:...", "//line ...", "//export ...": a directive is
//     "//" directly followed by a non-space);
//   - holds no control or format character: line breaks of any kind
//     (CR, VT, FF, NEL, U+2028, U+2029) split lines, tabs become spaces,
//     everything else in Unicode categories Cc and Cf (NUL, ESC, U+FEFF,
//     the bidi controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//     U+061C, ...) and invalid UTF-8 is dropped;
//   - never reads "// +build" (a legacy build constraint when it lands in
//     the header block): that word is bracketed.
//
// Strings in code are Go-quoted (jen.Lit) and identifiers come from the
// namer, so comments are the only place spec text appears as written.

// cleanText normalises text for a comment: line breaks become '\n', tabs
// and other spacing become ' ', and control and format characters and
// invalid UTF-8 are dropped.
func cleanText(s string) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 would make the file unparsable.
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // CRLF: the LF ends the line
			}
			b.WriteByte('\n')
		case r == '\n', r == '\v', r == '\f', r == 0x85, r == 0x2028, r == 0x2029:
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r), r == utf8.RuneError:
			// Dropped: invisible or terminal-controlling.
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlainASCII reports whether s is printable ASCII plus '\n' (the common
// case, which needs no rewriting).
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\n' && (c < 0x20 || c >= 0x7f) {
			return false
		}
	}
	return true
}

// commentLine renders one already-clean line of text as a comment line.
func commentLine(line string) string {
	if line == "" {
		return "//"
	}
	if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, "+build") {
		line = "[" + t + "]"
	}
	return "// " + line
}

// wrapWidth is where long doc lines are broken, at a space.
const wrapWidth = 100

// commentLines renders text as // lines, wrapping long prose lines. Lines
// that start with white space or a list marker are kept as written.
func commentLines(text string) string { return renderLines(text, wrapWidth) }

// renderLines renders text as // lines, wrapping prose lines longer than
// width (0: no wrapping).
func renderLines(text string, width int) string {
	var lines []string
	emit := func(line string) { lines = append(lines, commentLine(line)) }
	for _, line := range strings.Split(cleanText(text), "\n") {
		line = strings.TrimRight(line, " ")
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "- ") {
			emit(line)
			continue
		}
		for width > 0 && len(line) > width {
			cut := strings.LastIndexByte(line[:width], ' ')
			if cut <= 0 {
				cut = strings.IndexByte(line, ' ')
				if cut <= 0 {
					break
				}
			}
			emit(line[:cut])
			line = strings.TrimLeft(line[cut:], " ")
		}
		emit(line)
	}
	// Written as gofmt leaves a doc comment (lists and code blocks
	// laid out by go/doc/comment), so that the formatted file is a
	// fixpoint of gofmt.
	return strings.Join(gofmt.CanonicalDoc(lines), "\n")
}

// docText trims text for a doc comment: surrounding space and blank lines
// go, after cleaning (so a description of only control characters is
// empty).
func docText(text string) string {
	return strings.Trim(cleanText(text), " \n")
}

// comment renders text as a comment attached to the next piece of code.
// Empty text renders nothing.
func comment(text string) jen.Code {
	text = docText(text)
	if text == "" {
		return jen.Null()
	}
	return jen.Comment(commentLines(text)).Line()
}

// fileDoc writes a doc comment for the next top-level declaration.
func fileDoc(f *jen.File, text string) {
	if text = docText(text); text != "" {
		f.Comment(commentLines(text))
	}
}

// fileNote writes a doc comment for the next top-level declaration without
// wrapping it: for the emitter's own one-line sentences.
func fileNote(f *jen.File, text string) {
	if text = docText(text); text != "" {
		f.Comment(renderLines(text, 0))
	}
}

// packageComment writes the package doc comment.
func packageComment(f *jen.File, text string) {
	if text = docText(text); text != "" {
		f.PackageComment(commentLines(text))
	}
}

// header writes the generated-code marker and the spec path.
func header(f *jen.File, source string) {
	f.HeaderComment(commentLine(Header))
	f.HeaderComment(commentLine("Source: " + OneLine(source)))
}

// OneLine makes text safe for a single comment line that must stay one
// line (the "Source:" header): characters the boundary would drop or break
// on are written as Go escapes (\n, \x1b, \u202e), so the reader still sees
// that they were there.
func OneLine(text string) string { return diag.Escape(text) }

// FileHeader is the comment block that opens every generated file: the
// generated-code marker and the spec path. It ends with a blank line, so
// it is never the package's doc comment.
func FileHeader(source string) string {
	return commentLine(Header) + "\n" + commentLine("Source: "+OneLine(source)) + "\n\n"
}
