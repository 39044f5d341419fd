package gofmt_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/generator/internal/gofmt"
	"github.com/kiiexgen/kiiexgen/generator/internal/txtar"
)

// repoRoot is relative to this package's directory.
const repoRoot = "../../.."

// rawFiles runs generate and returns the unformatted text of every file the
// emitter rendered on the way (client files, and the fake server's when
// opts asks for it), in render order. The generation error, if any, is
// returned too: specs that fail in build render nothing.
func rawFiles(t testing.TB, in generator.Input, opts generator.Options) ([][]byte, error) {
	t.Helper()
	var raw [][]byte
	restore := emit.CaptureRaw(func(b []byte) { raw = append(raw, b) })
	defer restore()
	_, _, err := generator.Generate(context.Background(), in, opts)
	return raw, err
}

func kiiexRaw(t testing.TB) [][]byte {
	t.Helper()
	raw, err := rawFiles(t, generator.Input{Path: filepath.Join(repoRoot, "spec", "kiiex.yaml")},
		generator.Options{Fake: true, ImportPath: "example.com/kiiex"})
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < 7 {
		t.Fatalf("captured %d files, want the 6 client files and the fake server", len(raw))
	}
	return raw
}

// TestEmitterKIIEX: every file rendered for the KIIEX spec (client and
// fake server) formats identically and none is declined.
func TestEmitterKIIEX(t *testing.T) {
	gofmt.StrictPanics(t)
	var c tally
	for i, src := range kiiexRaw(t) {
		emitted(t, fmt.Sprintf("kiiex file %d", i), src, &c)
	}
	if c.declined > 0 {
		t.Errorf("%d of the emitter's files declined; the goal is none (they format at go/format's cost)", c.declined)
	}
	t.Log(c)
}

// goldenInput is a golden archive's spec and options, read the way
// generator's golden test reads them.
func goldenInput(t *testing.T, path string) (generator.Input, generator.Options) {
	return goldenInputTB(t, path)
}

func goldenInputTB(t testing.TB, path string) (generator.Input, generator.Options) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(filepath.Base(path), ".txtar")
	var opts generator.Options
	for _, line := range strings.Split(string(a.Comment), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, f := range strings.Fields(line) {
			switch {
			case strings.HasPrefix(f, "-package="):
				opts.Package = strings.TrimPrefix(f, "-package=")
			case strings.HasPrefix(f, "-number="):
				opts.Number = strings.TrimPrefix(f, "-number=")
			case f == "-strict":
				opts.Strict = true
			case f == "-fake":
				opts.Fake = true
				opts.ImportPath = "example.com/golden/" + name
			}
		}
	}
	var spec txtar.File
	var extra []txtar.File
	for _, f := range a.Files {
		switch {
		case f.Name == "spec.yaml" || f.Name == "spec.json":
			spec = f
		case !strings.HasPrefix(f.Name, "out/") && !strings.HasPrefix(f.Name, "test/") && f.Name != "diagnostics":
			extra = append(extra, f)
		}
	}
	if spec.Name == "" {
		t.Fatalf("%s: no spec", path)
	}
	if len(extra) == 0 {
		return generator.Input{Path: spec.Name, Data: spec.Data}, opts
	}
	// External $refs: the files go to a directory the spec loads from.
	dir := t.TempDir()
	for _, f := range append(extra, spec) {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return generator.Input{Path: filepath.Join(dir, spec.Name), Dir: dir}, opts
}

func goldenPaths(t testing.TB) []string {
	paths, err := filepath.Glob(filepath.Join(repoRoot, "generator", "testdata", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden archives (%v)", err)
	}
	return paths
}

// TestEmitterGoldens: every file rendered for every golden archive.
func TestEmitterGoldens(t *testing.T) {
	gofmt.StrictPanics(t)
	var c tally
	for _, path := range goldenPaths(t) {
		in, opts := goldenInput(t, path)
		raw, _ := rawFiles(t, in, opts) // diagnostics cases may fail: what rendered is still checked
		for i, src := range raw {
			emitted(t, fmt.Sprintf("%s file %d", filepath.Base(path), i), src, &c)
		}
	}
	if c.files == 0 {
		t.Fatal("no golden rendered a file")
	}
	if c.declined > 0 {
		t.Errorf("%d of the emitter's files declined; the goal is none", c.declined)
	}
	t.Log(c)
}

// TestEmitterPublicCorpus: the files rendered for the public vendor specs
// in ../shared/specs/public: three small ones by default, all of them with
// KIIEXGEN_CORPUS=1.
func TestEmitterPublicCorpus(t *testing.T) {
	gofmt.StrictPanics(t)
	root := filepath.Join(repoRoot, "..", "shared", "specs", "public")
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("no public spec corpus (../shared absent?): %v", err)
	}
	defer f.Close()
	all := os.Getenv("KIIEXGEN_CORPUS") == "1"
	var specs []string
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || cols[0] == "" {
			continue
		}
		if !all {
			// the sample: single-file specs under 200 kB
			fi, err := os.Stat(filepath.Join(root, cols[0]))
			if err != nil || strings.Contains(cols[0], "/") || fi.Size() > 200<<10 || len(specs) == 3 {
				continue
			}
		}
		specs = append(specs, cols[0])
	}
	if len(specs) == 0 {
		t.Skip("MANIFEST.tsv lists no usable specs")
	}
	var c tally
	for _, s := range specs {
		p := filepath.Join(root, filepath.FromSlash(s))
		in := generator.Input{Path: p, Dir: filepath.Dir(p)}
		if top, _, multi := strings.Cut(s, "/"); multi {
			in.RefRoot = filepath.Join(root, top) // multi-file specs refer across their folder
		}
		raw, _ := rawFiles(t, in, generator.Options{Fake: true, ImportPath: "example.com/corpus"})
		for i, src := range raw {
			emitted(t, fmt.Sprintf("%s file %d", s, i), src, &c)
		}
	}
	if c.declined > 0 {
		t.Errorf("%d of the emitter's files declined; the goal is none", c.declined)
	}
	t.Logf("%d specs: %s", len(specs), c)
}
