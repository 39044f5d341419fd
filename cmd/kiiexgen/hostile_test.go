package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageNameRefused: -package must name an importable package; a bad
// name is a usage error (exit 2) and writes nothing.
func TestPackageNameRefused(t *testing.T) {
	for _, name := range []string{"main", "init", "func", "_", "string", "error", "nil", "1abc", "my-client", "a b", "x\ny"} {
		dir := t.TempDir()
		out := filepath.Join(dir, "out")
		_, stderr, code := kiiexgen(t, dir, "-out", out, "-package", name)
		if code != 2 || !strings.Contains(stderr, "kiiexgen: -package:") {
			t.Errorf("-package %q: exit %d, stderr %q", name, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("-package %q: output written", name)
		}
	}
	// A directory named main or after a keyword is not taken as the
	// default package name.
	dir := t.TempDir()
	out := filepath.Join(dir, "main")
	if _, stderr, code := kiiexgen(t, dir, "-out", out); code != 0 {
		t.Fatalf("-out main: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "client_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\npackage kiiex\n") {
		t.Errorf("-out main: package clause not kiiex")
	}
}

// TestDiagnosticsCannotForgeLines: spec names holding newlines, CI
// workflow commands and ANSI escapes are escaped in every diagnostic, so
// each line of standard error is one diagnostic with the expected prefix
// and no ESC byte reaches the terminal.
func TestDiagnosticsCannotForgeLines(t *testing.T) {
	evil := "\n::error file=x::pwned\x1b[31m\u202e"
	head := map[string]any{"openapi": "3.0.3", "info": map[string]any{"title": "t" + evil, "version": "1"}}
	op := func(id string) map[string]any {
		return map[string]any{"operationId": id, "responses": map[string]any{"200": map[string]any{"description": "ok" + evil}}}
	}
	warns := copyMap(head)
	warns["paths"] = map[string]any{
		// A path without its leading slash and a body media type that
		// is not supported: warnings naming them.
		"a" + evil: map[string]any{"post": op("Op" + evil)},
		"/b": map[string]any{"post": map[string]any{
			"operationId": "B" + evil,
			"requestBody": map[string]any{"content": map[string]any{"text/x-" + evil: map[string]any{"schema": map[string]any{"type": "string"}}}},
			"responses":   map[string]any{"200": map[string]any{"description": "ok"}},
		}},
	}
	warns["components"] = map[string]any{"schemas": map[string]any{
		"S": map[string]any{"type": "object", "properties": map[string]any{
			"p\"" + evil: map[string]any{"type": "string"}, // not a tag key: a warning naming it
		}},
		"E": map[string]any{"type": "integer", "enum": []any{1, "x" + evil}},
	}}
	errs := copyMap(head)
	errs["paths"] = map[string]any{}
	// A component name outside OpenAPI's charset is only a warning now;
	// an unknown type under it is an error naming both.
	errs["components"] = map[string]any{"schemas": map[string]any{"K" + evil: map[string]any{"type": "x" + evil}}}
	for name, doc := range map[string]map[string]any{"warnings": warns, "errors": errs} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			data, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "spec.json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := kiiexgen(t, dir, "-spec", "spec.json", "-out", filepath.Join(dir, "out"))
			if name == "errors" && code != 1 || name == "warnings" && code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if strings.TrimSpace(stderr) == "" {
				t.Fatal("no diagnostics")
			}
			if strings.ContainsAny(stderr, "\x1b\u202e\r") {
				t.Errorf("control or bidi character on stderr: %q", stderr)
			}
			for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
				if !strings.HasPrefix(line, "spec.json:") && !strings.HasPrefix(line, "kiiexgen: spec.json:") {
					t.Errorf("line without the diagnostic prefix: %q", line)
				}
			}
			if !strings.Contains(stderr, `\n::error file=x::pwned\x1b[31m\u202e`) {
				t.Errorf("the hostile name is not shown escaped:\n%s", stderr)
			}
		})
	}
}

func copyMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
