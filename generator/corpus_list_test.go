package generator_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCorpusTargetRunsCorpusTests: every test that samples the corpora in
// the everyday suite and reads them whole under KIIEXGEN_CORPUS (it calls
// testnote.Corpus or everydaySkip) is in `make corpus`'s -run list; one
// missing from it would never read its whole corpus anywhere.
func TestCorpusTargetRunsCorpusTests(t *testing.T) {
	mk, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Skipf("no Makefile: %v", err)
	}
	m := regexp.MustCompile(`KIIEXGEN_CORPUS=1 .*-run '([^']+)'`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile: no KIIEXGEN_CORPUS=1 ... -run '...' line in the corpus target")
	}
	run := regexp.MustCompile(`^(` + string(m[1]) + `)$`)
	found := 0
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Body == nil || fn.Name.Name == "TestCorpusTargetRunsCorpusTests" {
				continue
			}
			body := string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
			if strings.Contains(body, "testnote.Corpus()") || strings.Contains(body, "everydaySkip(") {
				found++
				if !run.MatchString(fn.Name.Name) {
					t.Errorf("%s (%s) reads its corpus whole only under KIIEXGEN_CORPUS, but make corpus does not run it: add it to the Makefile's corpus -run list", fn.Name.Name, path)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("found no corpus tests: the search is broken")
	}
}
