package txtar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestParseFormat(t *testing.T) {
	src := "comment line\n\n-- a.yaml --\nx: 1\n-- out/b.go --\npackage b\n-- empty --\n-- not a marker--\n--  --\n-- last --\nno newline"
	a := Parse([]byte(src))
	if string(a.Comment) != "comment line\n\n" {
		t.Errorf("comment %q", a.Comment)
	}
	want := []File{{"a.yaml", []byte("x: 1\n")}, {"out/b.go", []byte("package b\n")}, {"empty", []byte("-- not a marker--\n--  --\n")}, {"last", []byte("no newline\n")}}
	if len(a.Files) != len(want) {
		t.Fatalf("files %+v", a.Files)
	}
	for i, f := range want {
		if a.Files[i].Name != f.Name || !bytes.Equal(a.Files[i].Data, f.Data) {
			t.Errorf("file %d = %q %q, want %q %q", i, a.Files[i].Name, a.Files[i].Data, f.Name, f.Data)
		}
	}
	again := Parse(Format(a))
	if !bytes.Equal(Format(again), Format(a)) {
		t.Errorf("Format/Parse round trip differs:\n%s\n---\n%s", Format(again), Format(a))
	}
}

// TestGoldensRoundTrip: every golden archive formats back to its own bytes.
func TestGoldensRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no golden archives found")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a := Parse(data)
		if len(a.Files) == 0 || !bytes.Equal(Format(a), data) {
			t.Errorf("%s: %d files; formats back differently", p, len(a.Files))
		}
	}
}
