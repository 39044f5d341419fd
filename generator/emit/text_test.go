package emit

import (
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// TestCommentsOnlyThroughBoundary keeps text.go the only file that hands
// text to jennifer as a comment: everything else calls comment, fileDoc,
// fileNote or packageComment, which clean and prefix every line.
func TestCommentsOnlyThroughBoundary(t *testing.T) {
	direct := regexp.MustCompile(`\.(Comment|Commentf|PackageComment|HeaderComment)\(`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name == "text.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if direct.MatchString(line) {
				t.Errorf("%s:%d: comment written past the boundary in text.go: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
}

func TestCommentLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "// plain"},
		{"a\nb", "// a\n// b"},
		{"a\r\nb\rc", "// a\n// b\n// c"},
		{"x\u2028//go:generate evil", "// x\n// //go:generate evil"},
		{"\x00\ufeff\u202eok\u2066\u200f\x1b[31m", "// ok[31m"},
		{"a\n\nb", "// a\n//\n// b"},
		{"+build ignore", "// [+build ignore]"},
		{"  +build ignore", "// [+build ignore]"},
		{"w\vx\fy\u0085z", "// w\n// x\n// y\n// z"},
		{"tab\there", "// tab here"},
		{"bad \xff utf8", "// bad  utf8"},
	} {
		if got := commentLines(tc.in); got != tc.want {
			t.Errorf("commentLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"specs/api.yaml", "specs/api.yaml"},
		{"a\nb", `a\nb`},
		{"x\u202ey", `x\u202ey`},
		{"\x1b[31m", `\x1b[31m`},
		{"caf\u00e9 \xff", `café \xff`},
	} {
		if got := OneLine(tc.in); got != tc.want {
			t.Errorf("OneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRenderFailureIsShort: if the emitter ever produced code that does not
// parse, the error names the first problem and never carries the source
// (jennifer's own formatting error holds the whole file).
func TestRenderFailureIsShort(t *testing.T) {
	f := jen.NewFile("p")
	f.NoFormat = true
	f.Func().Id("F").Params().Block(jen.Op("}{ \ufeff"))
	for i := range 200 {
		f.Var().Id("v" + strconv.Itoa(i)).Op("=").Lit("secret source line")
	}
	_, err := render(f)
	if err == nil {
		t.Fatal("no error")
	}
	if msg := err.Error(); strings.Contains(msg, "secret source line") || strings.Contains(msg, "\n") || len(msg) > 200 {
		t.Errorf("error carries source: %q", msg)
	}
}

// FuzzCommentLines: for any text, every rendered line is "//" or starts
// with "// ", holds no control, format or line-separator character, is not
// a build constraint, and the whole parses as comments of a Go file.
func FuzzCommentLines(f *testing.F) {
	for _, s := range []string{"", "x", "a\nb", "\nfunc init(){}\n//go:generate touch PWNED\n//", "*/ x /*", "\r//go:build ignore\r",
		"\x00\ufeff\u202e\u2028\u2029\x85", "+build ignore", "\t+build x", "\xff", strings.Repeat("word ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := commentLines(text)
		for _, line := range strings.Split(out, "\n") {
			if line != "//" && !strings.HasPrefix(line, "// ") && !strings.HasPrefix(line, "//\t") {
				t.Fatalf("line %q of %q", line, text)
			}
			if strings.HasPrefix(strings.TrimLeft(line[2:], " "), "+build") {
				t.Fatalf("build constraint %q", line)
			}
			for _, r := range line {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 || r == utf8.RuneError {
					t.Fatalf("%U in %q", r, line)
				}
			}
		}
		src := out + "\npackage p\n"
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ParseComments); err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		if one := OneLine(text); strings.ContainsAny(one, "\n\r\x00\u2028\u2029\u202e\ufeff") {
			t.Fatalf("OneLine(%q) = %q", text, one)
		}
	})
}

// TestFormatStringsAreConstants: a generated fmt call's format is a plain
// string literal of the emitter. A line building one from anything else
// must say, with a "// format:" note, why no spec text can be in it.
func TestFormatStringsAreConstants(t *testing.T) {
	call := regexp.MustCompile(`"(Errorf|Sprintf|Printf|Fprintf|Appendf)"\)\.Call\(`)
	constant := regexp.MustCompile(`"(Errorf|Sprintf|Printf|Fprintf|Appendf)"\)\.Call\((jen\.Id\("[a-z]+"\), )?jen\.Lit\("(?:[^"\\]|\\.)*"\)[,)]`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if n := len(call.FindAllString(line, -1)); n > 0 && n != len(constant.FindAllString(line, -1)) && !strings.Contains(line, "// format: ") {
				t.Errorf("%s:%d: generated format string is not a constant: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestCommentsAreGofmtFixpoints: a doc comment as the boundary writes it
// is what gofmt leaves it as, however its text is laid out (lists right
// after a paragraph, nested and numbered lists, code blocks, headings,
// link definitions: go/doc/comment reformats those, not always in one
// pass), so a generated file is gofmt-clean. Found over APIs.guru
// (DigitalOcean, Linode, OpenBankingProject, PeopleFindersPro).
func TestCommentsAreGofmtFixpoints(t *testing.T) {
	for _, text := range []string{
		"On creation, a floating IP must be either assigned to a Droplet or reserved to a region.\n- To create a new floating IP assigned to a Droplet, send a POST\n  request to `/v2/floating_ips` with the `droplet_id` attribute.\n\n- To create a new floating IP reserved to a region, send a POST request.",
		"Controls how session stickiness is handled on this port.\n* If set to `none` connections will always be assigned a backend.\n* If set to `table` sessions from the same remote address will be routed to the same\n  backend.",
		"Perform a search:\n\n1. Add your key and key secret to the request headers.\n- galaxy-ap-name: [Key]\n- galaxy-ap-password: [Secret]\n- galaxy-search-type: DevAPIAddressAutoComplete\n\n  2. Add search criteria to your request.\n  ~~~html\n  {\n  \"Input\":\"1821 Q\"\n  }\n  ~~~",
		"Example:\n\n    curl -X POST https://api.example.com\n    -d x=1\nthen done.",
		"# Heading\n\nText [link].\n\n[link]: https://example.com\n\n1) one\n2) two\n  - nested",
		"a\n\n\n\nb\n- c\n\td",
	} {
		for _, width := range []int{0, wrapWidth} {
			src := "package p\n\n" + renderLines(text, width) + "\ntype T int\n"
			out, err := format.Source([]byte(src))
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			if string(out) != src {
				t.Errorf("%q: gofmt changes the comment:\n%s\nto\n%s", text, src, out)
			}
		}
	}
}
