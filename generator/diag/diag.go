// Package diag holds the diagnostics every stage of kiiexgen reports: a
// severity, a position in the input file, the JSON pointer of the element, and
// a message. They print as "file:line:col: #/json/pointer: message" so that
// editors and CI logs can jump to the spot in the spec.
package diag

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity tells warnings (generation goes on) from errors (it stops).
type Severity int

const (
	// Warning reports a defect kiiexgen repaired or worked around.
	Warning Severity = iota
	// Error reports a defect that stops generation.
	Error
)

// String returns "warning" or "error".
func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is one finding about the input.
type Diagnostic struct {
	Severity Severity
	// File is the spec path as the user gave it (or a relative path of a
	// referenced file). Empty when unknown.
	File string
	// Line and Col are 1-based; 0 when unknown.
	Line, Col int
	// Pointer is a JSON pointer into the document, with a leading "#", e.g.
	// "#/components/schemas/Order/properties/side". Empty when not known.
	Pointer string
	// Kind is a short stable identifier of the defect class, e.g.
	// "path-missing-slash"; used to group warnings in reports.
	Kind string
	// Message says what is wrong and, for warnings, what was done about it.
	// Like File and Pointer it may hold spec text as written (control
	// characters included): print diagnostics with String, which escapes.
	Message string
}

// String formats the diagnostic as "file:line:col: #/pointer: message";
// warnings carry "warning: " before the message. It is always one line of
// printable text: a control, format or line-separator character in any part
// (a schema key holding "\n::error file=x::" or an ANSI escape) is written
// as a Go escape, so spec text can neither forge output lines nor drive a
// terminal.
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(Escape(d.File))
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", d.Line, max(d.Col, 1))
		}
		b.WriteString(": ")
	}
	if d.Pointer != "" {
		b.WriteString(clip(Escape(d.Pointer)))
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(clip(Escape(d.Message)))
	return b.String()
}

// MaxPart is the most bytes of a diagnostic's pointer or message printed: a
// hostile spec's multi-megabyte $ref or name must not make one output line
// of megabytes; the rest is counted, not printed.
const MaxPart = 4096

// clip shortens an escaped part to MaxPart bytes (on a character boundary).
func clip(s string) string {
	if len(s) <= MaxPart {
		return s
	}
	cut := MaxPart
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…[%d more bytes]", s[:cut], len(s)-cut)
}

// Escape returns s with every character that is not printable on one line
// written as a Go escape (\n, \x1b, \u202e, \ufeff; invalid UTF-8 as \xff).
// Printable text, including non-ASCII letters and spaces, is unchanged.
func Escape(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		i += size
		if r == ' ' || (unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r) && !unicode.IsSpace(r)) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// List is a set of diagnostics. As an error it reports every error-severity
// entry, one per line.
type List []Diagnostic

// Error joins the error-severity diagnostics (all of them if none is an
// error), one per line.
func (l List) Error() string {
	var lines []string
	for _, d := range l {
		if d.Severity == Error {
			lines = append(lines, d.String())
		}
	}
	if len(lines) == 0 {
		for _, d := range l {
			lines = append(lines, d.String())
		}
	}
	return strings.Join(lines, "\n")
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders the list by file, line, column, pointer and message so output
// is deterministic whatever order the stages found things in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		return a.Message < b.Message
	})
}

// Errorf returns a one-entry List holding an error at the given place.
func Errorf(file string, line, col int, pointer, format string, args ...any) List {
	return List{{Severity: Error, File: file, Line: line, Col: col, Pointer: pointer, Message: fmt.Sprintf(format, args...)}}
}
