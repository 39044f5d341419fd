package gofmt

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode"
)

// TestPlainDoc: where plainDoc takes a doc comment for canonical, go/doc/
// comment prints it unchanged (up to trailing white space, which the
// printer trims), over crafted cases and every comment group of a GOROOT
// sample (every 10th file; all with KIIEXGEN_CORPUS=1).
func TestPlainDoc(t *testing.T) {
	plain, all := 0, 0
	check := func(where string, list []*ast.Comment) {
		all++
		if !plainDoc(list) {
			return
		}
		plain++
		got := reformatDoc(list)
		same := len(got) == len(list)
		for i := 0; same && i < len(got); i++ {
			same = strings.TrimRightFunc(got[i].Text, unicode.IsSpace) == strings.TrimRightFunc(list[i].Text, unicode.IsSpace)
		}
		if !same {
			var a, b []string
			for _, c := range list {
				a = append(a, c.Text)
			}
			for _, c := range got {
				b = append(b, c.Text)
			}
			t.Errorf("%s: plainDoc, but go/doc/comment prints\n%s\nas\n%s", where, strings.Join(a, "\n"), strings.Join(b, "\n"))
		}
	}
	for i, text := range []string{
		"// A plain line.",
		"// Two lines\n// of text. ",
		"// Para one.\n//\n// Heading Like\n//\n// Para three.",
		"// Para one.\n//\n// Ref: #/components/x\n//\n// More.",
		"// Para one.\n//\n// Not a heading.\n//\n// More.",
		"// Uses ``quotes'' here.",
		"// - a list\n// - of items",
		"// 1. numbered",
		"// 1.5 seconds is not a list.",
		"// Text\n//\tcode",
		"// [Link]: https://example.com",
		"// See [Link] and https://example.com/x?y=z.",
		"// Unicode — dash and trailing nbsp\u00a0",
		"// \u00a0leading nbsp",
		"// • bullet",
		"//go:generate foo",
		"// Para.\n//\n//\n// Double blank.",
		"// Deprecated: use X.",
	} {
		var list []*ast.Comment
		for _, l := range strings.Split(text, "\n") {
			list = append(list, &ast.Comment{Text: l})
		}
		check("case "+string(rune('a'+i)), list)
	}
	src := filepath.Join(runtime.GOROOT(), "src")
	every := os.Getenv("KIIEXGEN_CORPUS") == "1"
	n := 0
	filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		if n++; !every && n%10 != 0 {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil
		}
		for _, g := range f.Comments {
			if strings.HasPrefix(g.List[0].Text, "//") {
				check(path, g.List)
			}
		}
		return nil
	})
	if plain == 0 {
		t.Fatal("no comment took the shortcut")
	}
	t.Logf("%d of %d comment groups took the shortcut", plain, all)
}
