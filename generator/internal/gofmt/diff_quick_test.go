package gofmt

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"testing"
)

func TestQuickRaw(t *testing.T) {
	panicked = func(v any) { panic(v) }
	defer func() { panicked = nil }()
	m, _ := filepath.Glob("/tmp/h1raw/*.go")
	for _, f := range m {
		src, _ := os.ReadFile(f)
		want, err := format.Source(src)
		if err != nil {
			continue
		}
		got, ok := Format(src)
		if !ok {
			t.Errorf("%s: declined", f)
			continue
		}
		if !bytes.Equal(got, want) {
			os.WriteFile("/tmp/h1cmp/"+filepath.Base(f)+".got", got, 0o644)
			os.WriteFile("/tmp/h1cmp/"+filepath.Base(f)+".want", want, 0o644)
			t.Errorf("%s: differs", f)
		}
	}
	fmt.Println(len(m))
}
