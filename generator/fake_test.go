package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportPathOf(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("// a comment\nmodule \"example.com/m\" // trailing\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{
		root:                                "example.com/m",
		filepath.Join(root, "a", "b"):       "example.com/m/a/b", // need not exist
		filepath.Join(root, "a", "..", "c"): "example.com/m/c",
	} {
		got, err := ImportPathOf(dir)
		if err != nil || got != want {
			t.Errorf("ImportPathOf(%s) = %q, %v, want %q", dir, got, err, want)
		}
	}
	inner := filepath.Join(root, "inner")
	os.MkdirAll(inner, 0o755)
	os.WriteFile(filepath.Join(inner, "go.mod"), []byte("module other.org/x\n"), 0o644)
	if got, _ := ImportPathOf(filepath.Join(inner, "k")); got != "other.org/x/k" {
		t.Errorf("nested module: %q", got)
	}
	os.WriteFile(filepath.Join(inner, "go.mod"), []byte("go 1.24\n"), 0o644)
	if _, err := ImportPathOf(inner); err == nil || !strings.Contains(err.Error(), "no module line") {
		t.Errorf("go.mod without module: %v", err)
	}
	for _, line := range []string{"modulex example.com/y", "module"} {
		if got := modulePath([]byte(line + "\n")); got != "" {
			t.Errorf("modulePath(%q) = %q", line, got)
		}
	}
}

// TestFakeClientImportName: a client package named like an identifier of
// the fake's runtime is imported under another name.
func TestFakeClientImportName(t *testing.T) {
	spec := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}\n"
	for name, want := range map[string]string{"route": `routeclient1 "example.com/m/route"`, "shop": `"example.com/m/shop"`} {
		files, _, err := Generate(context.Background(), Input{Path: "s.yaml", Data: []byte(spec)}, Options{Package: name, Fake: true, ImportPath: "example.com/m/" + name})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range files {
			if f.Name == name+"fake/server_gen.go" {
				found = strings.Contains(string(f.Content), want)
			}
		}
		if !found {
			t.Errorf("-package %s: the fake does not import %s", name, want)
		}
	}
	if _, _, err := Generate(context.Background(), Input{Path: "s.yaml", Data: []byte(spec)}, Options{Package: "p", Fake: true}); err == nil || !strings.Contains(err.Error(), "import path") {
		t.Errorf("Fake without ImportPath: %v", err)
	}
}
