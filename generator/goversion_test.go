package generator_test

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOlderGoFailsLoudly type-checks generated/kiiex as toolchains before
// and after Go 1.24 would see it (their release tags decide which files
// build): before 1.24, where omitzero is ignored and absent fields would be
// sent as null, the build must fail and the error must say why; from 1.24
// on it must type-check cleanly.
func TestOlderGoFailsLoudly(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the generated package from source")
	}
	dir := filepath.Join("..", "generated", "kiiex")
	check := func(minor int) []string {
		ctx := build.Default
		ctx.ReleaseTags = nil
		for i := 1; i <= minor; i++ {
			ctx.ReleaseTags = append(ctx.ReleaseTags, "go1."+strconv.Itoa(i))
		}
		pkg, err := ctx.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var files []*ast.File
		for _, name := range pkg.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		var errs []string
		conf := types.Config{Importer: importer.Default(), Error: func(err error) { errs = append(errs, err.Error()) }}
		conf.Check("kiiex", fset, files, nil)
		return errs
	}
	if errs := check(23); len(errs) != 1 || !strings.Contains(errs[0], "requires_go1_24_or_newer") {
		t.Errorf("as Go 1.23 sees it: errors %q, want one naming the Go 1.24 requirement", errs)
	}
	if errs := check(24); len(errs) != 0 {
		t.Errorf("as Go 1.24 sees it: %q", errs)
	}
}
