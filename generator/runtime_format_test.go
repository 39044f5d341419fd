package generator

import (
	"bytes"
	"go/format"
	"slices"
	"testing"
)

// TestRuntimeTemplatesFormatted: each runtime template (the client's and
// the fake server's), as the generator copies it (from the line after its
// package clause), is gofmt-clean behind a package clause, which
// parseRuntime relies on instead of formatting it in every run.
func TestRuntimeTemplatesFormatted(t *testing.T) {
	rt, err := loadRuntime()
	if err != nil {
		t.Fatal(err)
	}
	ft, err := loadFakeRuntime()
	if err != nil {
		t.Fatal(err)
	}
	if len(rt.files) == 0 || len(ft.files) == 0 {
		t.Fatal("no runtime templates")
	}
	for _, f := range slices.Concat(rt.files, ft.files) {
		src := append([]byte("package templates\n"), f.body...)
		got, err := format.Source(src)
		if err != nil {
			t.Errorf("%s: %v", f.base, err)
			continue
		}
		if !bytes.Equal(got, src) {
			t.Errorf("%s.go is not gofmt-clean: run gofmt -w templates/%s.go", f.base, f.base)
		}
	}
}
