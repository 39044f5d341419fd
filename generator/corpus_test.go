package generator_test

import (
	"context"
	"github.com/kiiexgen/kiiexgen/internal/testnote"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// sharedDir is ../shared beside the repository (skipped when absent).
func sharedDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		testnote.Skip(t, "shared data not present at %s", dir)
	}
	return dir
}

// TestCorpusCompiles generates a package from every real spec in
// ../shared/specs (94 legacy KIIEX documents and Twilio's API) and requires
// each to compile and vet. Warnings are tallied by kind.
func TestCorpusCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles ~95 packages")
	}
	shared := sharedDir(t)
	specs, _ := filepath.Glob(filepath.Join(shared, "specs", "kiiex-legacy", "*.yaml"))
	if twilio := filepath.Join(shared, "specs", "large", "twilio_api_v2010.json"); fileExists(twilio) {
		specs = append(specs, twilio)
	}
	if len(specs) == 0 {
		testnote.Skip(t, "no specs in shared")
	}
	sort.Strings(specs)
	dir := moduleDir(t, "corpus")
	writeModule(t, dir, "example.com/corpus")
	kinds := map[string]int{}
	for _, path := range specs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := "p" + strings.ToLower(strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))))
		files, warnings, err := generator.Generate(context.Background(), generator.Input{Path: filepath.Base(path), Data: data}, generator.Options{Package: name})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		for _, w := range warnings {
			if w.Severity == diag.Warning {
				kinds[w.Kind]++
			}
		}
		if err := generator.Write(filepath.Join(dir, name), files); err != nil {
			t.Fatal(err)
		}
	}
	goCmd(t, dir, "vet", "./...")
	var keys []string
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("warnings %-28s %d", k, kinds[k])
	}
	t.Logf("%d specs generated, compiled and vetted", len(specs))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestPublicCorpusCompiles runs the same check over the real-world specs
// that ship in ogen's module (GitHub, Kubernetes, OpenAI, Telegram, ... and
// ogen's own positive cases) when that module is in the local module cache
// (make bench puts it there); otherwise it skips. These are specs kiiexgen
// was not written against.
func TestPublicCorpusCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles ~90 packages")
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip("no go env:", err)
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "github.com", "ogen-go", "ogen@v1.24.0", "_testdata")
	var specs []string
	for _, sub := range []string{"examples", "positive"} {
		for _, ext := range []string{"*.json", "*.yml", "*.yaml"} {
			m, _ := filepath.Glob(filepath.Join(root, sub, ext))
			specs = append(specs, m...)
		}
	}
	if len(specs) == 0 {
		testnote.Skip(t, "ogen v1.24.0 is not in the module cache (run make bench once)")
	}
	sort.Strings(specs)
	dir := moduleDir(t, "public")
	writeModule(t, dir, "example.com/public")
	for i, path := range specs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := "p" + strconv.Itoa(i)
		files, _, err := generator.Generate(context.Background(), generator.Input{Path: filepath.Base(path), Data: data, Dir: filepath.Dir(path)}, generator.Options{Package: name})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		if err := generator.Write(filepath.Join(dir, name), files); err != nil {
			t.Fatal(err)
		}
	}
	goCmd(t, dir, "vet", "./...")
	t.Logf("%d public specs generated, compiled and vetted", len(specs))
}
