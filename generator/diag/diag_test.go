package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestStringIsOneEscapedLine: no part of a diagnostic can break the line
// or send control sequences to a terminal.
func TestStringIsOneEscapedLine(t *testing.T) {
	evil := "\n::error file=x::pwned\x1b[31m\r\u202e\u2028\ufeff\x00\xff"
	d := Diagnostic{Severity: Warning, File: "dir" + evil + "/spec.yaml", Line: 3, Col: 4, Pointer: "#/components/schemas/K" + evil, Message: "name " + evil}
	got := d.String()
	if strings.ContainsAny(got, "\n\r\x1b\x00\u202e\u2028\ufeff") || strings.Contains(got, "\xff") {
		t.Errorf("unescaped: %q", got)
	}
	want := `dir\n::error file=x::pwned\x1b[31m\r\u202e\u2028\ufeff\x00\xff/spec.yaml:3:4: #/components/schemas/K\n::error file=x::pwned\x1b[31m\r\u202e\u2028\ufeff\x00\xff: warning: name \n::error file=x::pwned\x1b[31m\r\u202e\u2028\ufeff\x00\xff`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	l := List{d, {Severity: Error, File: "a\nb", Message: "m\n"}}
	if s := l.Error(); strings.Count(s, "\n") != 0 || s != `a\nb: m\n` {
		t.Errorf("List.Error() = %q", s)
	}
}

func TestEscapeKeepsPrintableText(t *testing.T) {
	for _, s := range []string{"", "plain text", "café 名前 ñandú", `back\slash "quotes"`, "#/paths/~1a~1{id}/get"} {
		if got := Escape(s); got != s {
			t.Errorf("Escape(%q) = %q", s, got)
		}
	}
}

// TestLongPartsClipped: a diagnostic's pointer and message print at most
// MaxPart bytes each (a hostile spec's megabyte $ref stays one short line),
// cut on a character boundary, with the rest counted.
func TestLongPartsClipped(t *testing.T) {
	long := strings.Repeat("é", MaxPart) // 2 bytes each
	d := Diagnostic{File: "f.yaml", Line: 1, Col: 1, Pointer: "#/" + long, Message: "bad $ref " + long, Severity: Warning}
	s := d.String()
	if len(s) > 2*MaxPart+200 || !utf8.ValidString(s) || strings.Count(s, "more bytes]") != 2 {
		t.Errorf("%d bytes, valid %v: %.100q", len(s), utf8.ValidString(s), s)
	}
	short := Diagnostic{File: "f.yaml", Line: 1, Col: 1, Message: "fine", Severity: Error}
	if short.String() != "f.yaml:1:1: fine" {
		t.Errorf("short: %q", short.String())
	}
}
