package gofmt

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestQuickGOROOT(t *testing.T) {
	var n, same, decl, differ, bad int
	var panics []string
	panicked = func(v any) { panics = append(panics, "x") ; panic(v)}
	defer func() { panicked = nil }()
	filepath.WalkDir(filepath.Join(runtime.GOROOT(), "src"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, _ := os.ReadFile(path)
		want, err := format.Source(src)
		if err != nil {
			bad++
			return nil
		}
		n++
		var got []byte
		var ok bool
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic %v", path, r)
				}
			}()
			got, ok = Format(src)
		}()
		switch {
		case !ok:
			decl++
		case bytes.Equal(got, want):
			same++
		default:
			differ++
			if differ <= 10 {
				t.Errorf("%s differs", path)
				os.WriteFile("/tmp/h1cmp/"+filepath.Base(path)+".got", got, 0o644)
				os.WriteFile("/tmp/h1cmp/"+filepath.Base(path)+".want", want, 0o644)
			}
		}
		return nil
	})
	t.Logf("files %d same %d declined %d differ %d (unparsable %d)", n, same, decl, differ, bad)
}
