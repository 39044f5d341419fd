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
)

// TestOneLineWidth: wherever the shortcut knows a width, it is the width
// of the trial rendering it replaces, and where certainlyBreaks holds the
// trial rendering has a line break, for every expression of a GOROOT
// sample (every 10th file; all with KIIEXGEN_CORPUS=1) and of a few shapes
// chosen for fusing operators and blanks.
func TestOneLineWidth(t *testing.T) {
	StrictPanics(t)
	breaks := 0
	check := func(name string, src []byte) (known, all int) {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			if name == "shapes.go" {
				t.Fatal(err)
			}
			return
		}
		tf := fset.File(f.FileStart)
		sf, _ := newSrcFile(tf)
		p := newPrinter(sf, false, map[ast.Node]int{})
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(declined); !ok {
					panic(r)
				}
			}
		}()
		ast.Inspect(f, func(n ast.Node) bool {
			x, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			all++
			if p.certainlyBreaks(x) {
				breaks++
				clear(p.sizes)
				if trial, fits := p.trialWidth(x); fits {
					t.Errorf("%s: %s: certainlyBreaks, but the trial rendering is one line of %d", name, fset.Position(x.Pos()), trial)
				}
			}
			w := p.oneLineWidth(x)
			if w < 0 {
				return true
			}
			known++
			clear(p.sizes)
			trial, fits := p.trialWidth(x)
			if !fits || trial != w {
				t.Errorf("%s: %s: shortcut width %d, trial rendering %d (one line: %v)", name, fset.Position(x.Pos()), w, trial, fits)
			}
			return true
		})
		return
	}
	known, all := check("shapes.go", []byte(`package p
var _ = a - -b*c + f(a - -b, c) + x[a+ +b] + (a/ *p) + a&^b + a & ^b + - -x + *p**q
var _ = m[k][i:j+1] + s[:n] + s[a+b:c:d] + T{A: 1, B: []int{1, 2}} + x.(T).y + (((a)))
var _ = f(xs...) + g(a, b...) + map[string][]*T{} + [...]int{1} + [2]int{} + h[int, string](a)
var _ = f(0 ...) + f(a, b+1 ...) + 0 .x + 1 .(T) + 2 .f(a) + f(-1 ...)
var _ = T{
} + f(
) + (
a) + f(func() {
}, b) + g(a,
b...) + g(a, b...,
) + T{{
}} + x.
y
`))
	src := filepath.Join(runtime.GOROOT(), "src")
	everyFile := os.Getenv("KIIEXGEN_CORPUS") == "1"
	n := 0
	filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		if n++; !everyFile && n%10 != 0 {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil {
			k, a := check(path, data)
			known += k
			all += a
		}
		return nil
	})
	t.Logf("shortcut knew %d of %d expressions; %d certainly break", known, all, breaks)
}
