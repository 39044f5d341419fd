package gofmt_test

import (
	"bytes"
	"fmt"
	"go/format"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/internal/gofmt"
)

// tally counts the outcomes of a differential run.
type tally struct {
	files, same, declined, unparsable int
}

func (c tally) String() string {
	return fmt.Sprintf("%d files: %d identical, %d declined, %d rejected by go/format", c.files, c.same, c.declined, c.unparsable)
}

// compare checks the contract on one input: Format's output is exactly
// format.Source's, or Format declines; where format.Source fails, Format
// must decline.
func compare(t testing.TB, name string, src []byte, c *tally) {
	t.Helper()
	c.files++
	want, err := format.Source(src)
	got, ok := gofmt.Format(src)
	switch {
	case err != nil:
		c.unparsable++
		if ok {
			t.Errorf("%s: format.Source fails (%v), but Format printed it", name, err)
		}
	case !ok:
		c.declined++
	case bytes.Equal(got, want):
		c.same++
	default:
		t.Errorf("%s: Format differs from format.Source: %s", name, firstDiff(got, want))
	}
}

// emitted is compare for a file kiiexgen emitted, which must also be a
// fixpoint of gofmt: gofmt -l in a user's CI must not list it (a doc
// comment go/doc/comment reformats differently on a second pass would).
func emitted(t testing.TB, name string, src []byte, c *tally) {
	t.Helper()
	compare(t, name, src, c)
	once, err := format.Source(src)
	if err != nil {
		return
	}
	if twice, err := format.Source(once); err != nil || !bytes.Equal(twice, once) {
		t.Errorf("%s: gofmt changes the formatted file again: %s", name, firstDiff(twice, once))
	}
}

// firstDiff names the first line where got and want differ.
func firstDiff(got, want []byte) string {
	gl := bytes.Split(got, []byte("\n"))
	wl := bytes.Split(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g, w)
		}
	}
	return "same lines, different bytes"
}

func TestDeclines(t *testing.T) {
	gofmt.StrictPanics(t)
	for _, src := range []string{
		"package p\n\n/* block */\nvar x int\n",     // /*-style comment
		"//go:build linux\n\npackage p\n",           // build constraint
		"package p\n\n//line foo.go:1\nvar x int\n", // line directive
		"package p\n\n// #include <stdio.h>\nimport \"C\"\n",
		"package p\n\nfunc f( {\n", // syntax error
		"x := 1\n",                 // fragment: format.Source accepts, Format does not
	} {
		if out, ok := gofmt.Format([]byte(src)); ok {
			t.Errorf("Format(%q) = %q, want declined", src, out)
		}
	}
}

// TestShapes pins rules on small inputs the emitter and GOROOT may not
// happen to hold.
func TestShapes(t *testing.T) {
	gofmt.StrictPanics(t)
	var c tally
	for i, src := range []string{
		"package p\nvar x = a+b*c\nvar y = f(a+b, c*d)\nvar z = s[i+1:j]\n",
		"package p\nconst (\nA = 1 // one\nLonger = 22 // twenty-two\n\nB int = 3\n)\n",
		"package p\ntype T struct{\nA int `json:\"a\"` // c\nBee *string `json:\"bee,omitempty\"`\n// doc\nC map[string][]int\n}\n",
		"package p\nvar m = map[string]int{\n\"a\": 1,\n\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\": 2,\n\"c\": 3,\n}\n",
		"package p\nfunc f() {}\nfunc (T) g() int { return 1 }\nfunc h() {\nreturn\n}\n",
		"package p\nimport (\n\"os\"\n\"fmt\"\n)\nvar _ = fmt.Sprint\nvar _ = os.Exit\n",
		"package p\n// Doc comment.\n//\n//   indented code\n//  - item\nfunc f() {}\n",
		"package p\nvar x = 0X1P-2 + 0B101 + 0O17 + 1E3 + 0777i\n",
		"package p\nfunc f() {\nswitch x := y.(type) {\ncase int:\n// lone\ndefault:\n}\nL:\nfor {\nbreak L\n}\n}\n",
		"package p\nvar s = []string{\"a\",\n\"b\"}\n",
		"package p\nvar m = map[string]int{\n\"a\x01\r\": 1, // control bytes in a literal\n\"bb\": 2,\n}\n",
		"package p\ntype T struct {\nA string `\x01`\nBB int\n}\n",
		"package p\nvar _ = []int{\nf(0 ...),\ng(0 .x, 1 .(T)),\n}\n", // an integer before '.' keeps a blank
	} {
		compare(t, fmt.Sprintf("shape %d", i), []byte(src), &c)
	}
	t.Log(c)
}
