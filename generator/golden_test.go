package generator_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/internal/txtar"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/diag"
)

var update = flag.Bool("update", false, "rewrite the golden txtar archives under testdata")

// goldenCase is one testdata/*.txtar archive: the comment holds flags
// (-package, -number, -strict, -fake), "spec.yaml" or "spec.json" is the
// input, and the expected output is either "out/<file>" entries
// ("out/<pkg>fake/<file>" for the fake server of -fake; spec-dependent files;
// the runtime copies are covered by the templates tests) or "diagnostics"
// (warnings when generation succeeds, errors when it fails).
type goldenCase struct {
	name    string
	path    string
	archive *txtar.Archive
	opts    generator.Options
	spec    txtar.File
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no golden cases under testdata")
	}
	var out []goldenCase
	for _, p := range paths {
		// Absolute, because cases with external files change directory.
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := goldenCase{name: strings.TrimSuffix(filepath.Base(p), ".txtar"), path: p, archive: a}
		var opts []string
		for _, line := range strings.Split(string(a.Comment), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") {
				opts = append(opts, strings.Fields(line)...)
			}
		}
		for _, f := range opts {
			switch {
			case strings.HasPrefix(f, "-package="):
				c.opts.Package = strings.TrimPrefix(f, "-package=")
			case strings.HasPrefix(f, "-number="):
				c.opts.Number = strings.TrimPrefix(f, "-number=")
			case f == "-strict":
				c.opts.Strict = true
			case f == "-fake":
				// The fake imports the client by the path the compile
				// test's module gives it.
				c.opts.Fake = true
				c.opts.ImportPath = "example.com/golden/" + c.name
			default:
				t.Fatalf("%s: unknown option %q in archive comment", p, f)
			}
		}
		for _, f := range a.Files {
			if f.Name == "spec.yaml" || f.Name == "spec.json" {
				c.spec = f
			}
		}
		if c.spec.Name == "" {
			t.Fatalf("%s: no spec.yaml or spec.json", p)
		}
		out = append(out, c)
	}
	return out
}

// generate runs the case. Archives with more input files than the spec
// (external $refs) are written to a temporary directory that becomes the
// working directory, so the spec path stays relative and stable.
func (c goldenCase) generate(t *testing.T) ([]generator.File, diag.List, error) {
	var extra []txtar.File
	for _, f := range c.archive.Files {
		if f.Name != c.spec.Name && !strings.HasPrefix(f.Name, "out/") && !strings.HasPrefix(f.Name, "test/") && f.Name != "diagnostics" {
			extra = append(extra, f)
		}
	}
	if len(extra) == 0 {
		return generator.Generate(context.Background(), generator.Input{Path: c.spec.Name, Data: c.spec.Data}, c.opts)
	}
	dir := t.TempDir()
	for _, f := range append(extra, c.spec) {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return generator.Generate(context.Background(), generator.Input{Path: c.spec.Name}, c.opts)
}

func diagText(l diag.List) []byte {
	var b bytes.Buffer
	for _, d := range l {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	for _, c := range loadGolden(t) {
		t.Run(c.name, func(t *testing.T) {
			files, warnings, err := c.generate(t)
			got := map[string][]byte{}
			var list diag.List
			switch {
			case errors.As(err, &list):
				got["diagnostics"] = diagText(list)
			case err != nil:
				got["diagnostics"] = []byte("error: " + err.Error() + "\n")
			default:
				if len(warnings) > 0 {
					got["diagnostics"] = diagText(warnings)
				}
				for _, f := range files {
					if strings.HasPrefix(path.Base(f.Name), "runtime_") {
						continue
					}
					got["out/"+f.Name] = f.Content
				}
			}
			if *update {
				a := &txtar.Archive{Comment: c.archive.Comment, Files: []txtar.File{c.spec}}
				for _, f := range c.archive.Files {
					if f.Name != c.spec.Name && !strings.HasPrefix(f.Name, "out/") && f.Name != "diagnostics" {
						a.Files = append(a.Files, f)
					}
				}
				for _, name := range sortedNames(got) {
					a.Files = append(a.Files, txtar.File{Name: name, Data: got[name]})
				}
				if err := os.WriteFile(c.path, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := map[string][]byte{}
			for _, f := range c.archive.Files {
				if strings.HasPrefix(f.Name, "out/") || f.Name == "diagnostics" {
					want[f.Name] = f.Data
				}
			}
			for name, data := range want {
				if g, ok := got[name]; !ok {
					t.Errorf("%s: expected %s, not produced", c.name, name)
				} else if !bytes.Equal(g, data) {
					t.Errorf("%s: %s differs from golden (run go test ./generator -update):\n%s", c.name, name, firstDiff(data, g))
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s: produced %s, not in golden (run go test ./generator -update):\n%s", c.name, name, got[name])
				}
			}
		})
	}
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// firstDiff shows the first differing line with a little context.
func firstDiff(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(no line differs)"
}

// TestGoldenCompiles writes every golden case that generates into one
// throwaway module (runtime included) and runs go vet over all of them: the
// output must compile, vet clean and import only the standard library.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	dir := moduleDir(t, "golden")
	writeModule(t, dir, "example.com/golden")
	// Read before generating: c.generate changes the directory.
	harness, err := os.ReadFile(filepath.Join("..", "generated", "kiiex", "jsondiff_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range loadGolden(t) {
		files, _, err := c.generate(t)
		if err != nil {
			for _, f := range c.archive.Files {
				if strings.HasPrefix(f.Name, "test/") {
					t.Errorf("%s has behaviour tests but does not generate: %v", c.name, err)
					break
				}
			}
			continue
		}
		pkgDir := filepath.Join(dir, c.name)
		if err := generator.Write(pkgDir, files); err != nil {
			t.Fatal(err)
		}
		writeJSONDiffTest(t, pkgDir, files, harness)
		// Archive files under test/ are Go tests that exercise the
		// generated package (JSON round trips, union decoding, ...);
		// test/<pkg>fake/ ones go to the fake server's package.
		for _, f := range c.archive.Files {
			if strings.HasPrefix(f.Name, "test/") {
				if err := os.WriteFile(filepath.Join(pkgDir, filepath.FromSlash(strings.TrimPrefix(f.Name, "test/"))), f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("no golden case generated code")
	}
	// -vet=all: go test runs every vet check, not its curated few, on
	// the packages with their tests; a separate go vet would compile each
	// package once more.
	goCmd(t, dir, "test", "-vet=all", "./...")
	out := goCmd(t, dir, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...")
	for _, line := range strings.Fields(out) {
		if !strings.HasPrefix(line, "example.com/golden") {
			t.Errorf("generated code depends on non-standard package %s", line)
		}
	}
}

func writeModule(t *testing.T, dir, path string) {
	t.Helper()
	v := strings.TrimPrefix(runtime.Version(), "go")
	if i := strings.Index(v, " "); i > 0 {
		v = v[:i]
	}
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		v = parts[0] + "." + parts[1]
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+path+"\n\ngo "+v+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// writeJSONDiffTest adds the JSON writer's differential test (the KIIEX
// client's jsondiff_test.go, which does not depend on the spec) to a golden
// package, with the list of the package's types that encode themselves.
func writeJSONDiffTest(t *testing.T, pkgDir string, files []generator.File, harness []byte) {
	t.Helper()
	pkg := ""
	var types []string
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		pkg = af.Name.Name
		for _, d := range af.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "appendJSON" && fn.Recv != nil {
				if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
					types = append(types, id.Name)
				}
			}
		}
	}
	slices.Sort(types)
	harness = bytes.Replace(harness, []byte("package kiiex\n"), []byte("package "+pkg+"\n"), 1)
	var list strings.Builder
	list.WriteString("package " + pkg + "\n\nimport \"reflect\"\n\nvar jsonTypes = []reflect.Type{\n")
	for _, n := range types {
		list.WriteString("\treflect.TypeFor[" + n + "](),\n")
	}
	list.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(pkgDir, "jsondiff_test.go"), harness, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkgDir, "jsontypes_test.go"), []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
