package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/spec"
)

func TestPositionalArgument(t *testing.T) {
	for arg, want := range map[string]string{
		"spec.yaml": `kiiexgen: unexpected argument "spec.yaml"; did you mean -spec spec.yaml? (kiiexgen takes flags only)`,
		"api.JSON":  `did you mean -spec api.JSON?`,
		"out":       `kiiexgen: unexpected argument "out" (kiiexgen takes flags only)`,
	} {
		stdout, stderr, code := kiiexgen(t, t.TempDir(), "-out", "x", arg)
		if code != 2 || !strings.Contains(stderr, want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q", arg, code, stderr)
		}
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	for _, flag := range []string{"-h", "-help", "--help"} {
		stdout, stderr, code := kiiexgen(t, t.TempDir(), flag)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "usage: kiiexgen") || !strings.Contains(stdout, "-dump-spec") || !strings.Contains(stdout, "-api-report FILE") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", flag, code, stdout, stderr)
		}
	}
}

// TestDumpSpec: the embedded spec can be written out, pinned and diffed,
// and generating from the dump gives the same package (bar the Source
// line) as generating from the embedded copy.
func TestDumpSpec(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := kiiexgen(t, dir, "-dump-spec")
	if code != 0 || stderr != "" || stdout != string(spec.KIIEX) {
		t.Fatalf("exit %d, stderr %q, %d bytes", code, stderr, len(stdout))
	}
	os.WriteFile(filepath.Join(dir, "kiiex.yaml"), []byte(stdout), 0o644)
	if _, stderr, code := kiiexgen(t, dir, "-out", "embedded"); code != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, code := kiiexgen(t, dir, "-out", "pinned", "-package", "embedded", "-spec", "kiiex.yaml"); code != 0 {
		t.Fatal(stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "embedded", "client_gen.go"))
	b, _ := os.ReadFile(filepath.Join(dir, "pinned", "client_gen.go"))
	if !strings.Contains(string(a), "\n// Source: embedded KIIEX spec (kiiexgen)\n") || !strings.Contains(string(b), "\n// Source: kiiex.yaml\n") {
		t.Errorf("Source lines: %q / %q", strings.SplitN(string(a), "\n", 3)[1], strings.SplitN(string(b), "\n", 3)[1])
	}
	norm := func(s []byte) string {
		return strings.NewReplacer("embedded KIIEX spec (kiiexgen)", "X", "kiiex.yaml", "X").Replace(string(s))
	}
	if norm(a) != norm(b) {
		t.Errorf("the dumped spec generates a different client")
	}
	if _, stderr, code := kiiexgen(t, dir, "-dump-spec", "-spec", "kiiex.yaml"); code != 2 || !strings.Contains(stderr, "takes no -spec") {
		t.Errorf("-dump-spec -spec: exit %d %q", code, stderr)
	}
}

// TestRefusesForeignPackage: generating into a directory whose own Go
// files declare another package would leave a broken build; kiiexgen
// refuses before writing anything.
func TestRefusesForeignPackage(t *testing.T) {
	t.Run("-package other", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "helpers.go"), []byte("package kiiex\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "more.go"), []byte("// Doc.\npackage kiiex\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "x_test.go"), []byte("package other_test\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "tool.go"), []byte("//go:build ignore\n\npackage main\n"), 0o644)
		_, stderr, code := kiiexgen(t, dir, "-package", "other")
		want := "kiiexgen: . holds package kiiex (helpers.go, more.go), not package other; generating would break its build\nkiiexgen: write to another -out directory, or pass -package kiiex if the client belongs in that package\n"
		if code != 1 || stderr != want {
			t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
		}
		if n := len(snapshot(t, dir)); n != 4 {
			t.Errorf("%d files in the directory, want the 4 hand-written ones", n)
		}
		if _, _, code := kiiexgen(t, dir, "-package", "other", "-check"); code != 1 {
			t.Errorf("-check: exit %d", code)
		}
		os.Remove(filepath.Join(dir, "x_test.go"))
		if _, stderr, code := kiiexgen(t, dir, "-package", "kiiex"); code != 0 {
			t.Errorf("-package kiiex: exit %d: %s", code, stderr)
		}
	})
	t.Run("module root", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "myrepo")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
		_, stderr, code := kiiexgen(t, dir)
		if code != 1 || !strings.Contains(stderr, ". holds package main (main.go), not package myrepo") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if n := len(snapshot(t, dir)); n != 1 {
			t.Errorf("%d files written", n-1)
		}
	})
}

func TestNamesEveryForeignFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"client_gen.go", "models_gen.go", "errors_gen.go"} {
		os.WriteFile(filepath.Join(dir, f), []byte("package kiiex\n"), 0o644)
	}
	_, stderr, code := kiiexgen(t, dir, "-package", "kiiex")
	want := "kiiexgen: 3 files exist that were not written by kiiexgen; not overwriting them: client_gen.go, errors_gen.go, models_gen.go\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestAPIReport: a regeneration that changes the Go API says so, -check
// says so too (and how to regenerate), and -api-report writes Markdown.
func TestAPIReport(t *testing.T) {
	dir := t.TempDir()
	v1 := `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: GetA
      responses: {'200': {description: ok}}
  /b:
    post:
      operationId: GetB
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}}
components:
  schemas:
    B:
      type: object
      required: [id]
      properties: {id: {type: integer}}
`
	v2 := strings.Replace(strings.Replace(v1, "required: [id]", "required: []", 1), "  /a:\n    post:\n      operationId: GetA\n      responses: {'200': {description: ok}}\n", "", 1)
	os.WriteFile(filepath.Join(dir, "spec.yaml"), []byte(v1), 0o644)
	if _, stderr, code := kiiexgen(t, dir, "-spec", "spec.yaml", "-out", "api", "-api-report", "new.md"); code != 0 || stderr != "" {
		t.Fatalf("first generation: exit %d, %q", code, stderr)
	}
	if md, _ := os.ReadFile(filepath.Join(dir, "new.md")); string(md) != "### Go API of api\n\nA new package: api holds no generated package to compare with.\n" {
		t.Errorf("new.md: %q", md)
	}
	os.WriteFile(filepath.Join(dir, "spec.yaml"), []byte(v2), 0o644)
	_, stderr, code := kiiexgen(t, dir, "-spec", "spec.yaml", "-out", "api", "-check", "-api-report", "report.md")
	report := "kiiexgen: Go API changes (BREAKING):\n  breaking: field B.ID became optional: int64 → *int64\n  breaking: method (*Client).GetA removed\n"
	if code != 1 || !strings.Contains(stderr, "regenerate it with go generate") || !strings.HasSuffix(stderr, report) {
		t.Errorf("-check: exit %d, stderr:\n%s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil || string(md) != "### Go API changes in api\n\n**Breaking:**\n\n- field B.ID became optional: int64 → \\*int64\n- method (\\*Client).GetA removed\n\n" {
		t.Errorf("report.md: %v\n%s", err, md)
	}
	_, stderr, code = kiiexgen(t, dir, "-spec", "spec.yaml", "-out", "api")
	if code != 0 || stderr != report {
		t.Errorf("regeneration: exit %d, stderr:\n%s", code, stderr)
	}
	// Unchanged: nothing printed, the Markdown says so.
	_, stderr, code = kiiexgen(t, dir, "-spec", "spec.yaml", "-out", "api", "-check", "-api-report", "report.md")
	md, _ = os.ReadFile(filepath.Join(dir, "report.md"))
	if code != 0 || stderr != "" || !strings.Contains(string(md), "No changes") {
		t.Errorf("fresh: exit %d, %q, %s", code, stderr, md)
	}
}
