package load

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// TestParallelDecodeSameAsWhole: decoding kinTree's tree in parts on
// several goroutines makes the model tree.Decode makes (or fails where it
// fails), for the KIIEX spec and every single-file spec of the shared
// corpora, with chunks small enough that every section is cut.
func TestParallelDecodeSameAsWhole(t *testing.T) {
	files := singleFileSpecs()
	if len(files) == 1 {
		t.Log("shared corpus not present (../shared/specs): the KIIEX spec only")
	}
	split := 0
	for _, f := range files {
		if everydaySkip(t, f) {
			continue
		}
		name, _, p, ok := parseSpec(t, f)
		if !ok {
			continue
		}
		tree, _ := kinTree(p)
		want := &openapi3.T{}
		werr := tree.Decode(want)
		for _, procs := range []int{2, 3, 8} {
			got := &openapi3.T{}
			err := decodeRootN(tree, got, procs, 40)
			if (err == nil) != (werr == nil) {
				t.Errorf("%s, %d goroutines: error %v, whole decode's %v", name, procs, err, werr)
				continue
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %d goroutines: the models differ", name, procs)
			}
		}
		if werr == nil {
			split++
		}
	}
	t.Logf("%d documents decoded both ways", split)
}

// TestChunkMapping: the chunks hold every entry once, in order, and each
// but the last at least target lines.
func TestChunkMapping(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "spec", "kiiex.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseFile(&reporter{}, "kiiex.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := kinTree(p)
	paths := val(tree.Content[0], "paths")
	for _, target := range []int{1, 50, 500, 1 << 30} {
		chunks := chunkMapping(paths, target)
		var all []string
		for i, c := range chunks {
			if i+1 < len(chunks) && c.weight < target {
				t.Errorf("target %d: chunk %d has %d lines", target, i, c.weight)
			}
			for j := 0; j < len(c.node.Content); j += 2 {
				all = append(all, c.node.Content[j].Value)
			}
		}
		var want []string
		for j := 0; j < len(paths.Content); j += 2 {
			want = append(want, paths.Content[j].Value)
		}
		if !reflect.DeepEqual(all, want) {
			t.Errorf("target %d: %d chunks hold %d entries, want %d", target, len(chunks), len(all), len(want))
		}
	}
}

// TestParallelKinTreeSameAsOne: kinTree built in runs on several
// goroutines is the tree, line table and index one builder makes, for the
// KIIEX spec and the single-file specs of the shared corpora, with runs
// small enough that every section is cut.
func TestParallelKinTreeSameAsOne(t *testing.T) {
	files := singleFileSpecs()
	n := 0
	for _, f := range files {
		if everydaySkip(t, f) {
			continue
		}
		name, data, one, ok := parseSpec(t, f)
		if !ok {
			continue
		}
		// A repair's new element: not in the index until kinTree adds it.
		if one.root.Kind == yaml.MappingNode {
			one.root.Content = append(one.root.Content, str("x-added", pos{2, 3}), str("v", pos{2, 12}))
		}
		want, wem := kinTreeN(one, 1, 0)
		for _, procs := range []int{2, 3, 8} {
			p, _ := parseFile(&reporter{}, name, data)
			if p.root.Kind == yaml.MappingNode {
				p.root.Content = append(p.root.Content, str("x-added", pos{2, 3}), str("v", pos{2, 12}))
			}
			got, gem := kinTreeN(p, procs, 16)
			if d := nodeDiff(got, want, ""); d != "" {
				t.Errorf("%s, %d goroutines: %s", name, procs, d)
			}
			if !reflect.DeepEqual(gem.lines, wem.lines) {
				t.Errorf("%s, %d goroutines: the line tables differ", name, procs)
			}
			if !reflect.DeepEqual(p.index, one.index) {
				t.Errorf("%s, %d goroutines: the indexes differ", name, procs)
			}
		}
		n++
	}
	t.Logf("%d documents built both ways", n)
}

// TestParallelOriginsSameAsOne: addOrigins walking large mappings in
// chunks on several goroutines gives the model the Origins one walk gives,
// for the KIIEX spec and the single-file specs of the shared corpora.
func TestParallelOriginsSameAsOne(t *testing.T) {
	files := singleFileSpecs()
	n := 0
	for _, f := range files {
		if everydaySkip(t, f) {
			continue
		}
		name, _, p, ok := parseSpec(t, f)
		if !ok {
			continue
		}
		tree, _ := kinTree(p)
		want := &openapi3.T{}
		if tree.Decode(want) != nil {
			continue
		}
		wmade := addOriginsN(want, tree, "spec", 1, 0)
		for _, procs := range []int{2, 3, 8} {
			got := &openapi3.T{}
			if err := tree.Decode(got); err != nil {
				t.Fatal(err)
			}
			made := addOriginsN(got, tree, "spec", procs, 8)
			if len(made) != len(wmade) {
				t.Errorf("%s, %d goroutines: %d Origins made, want %d", name, procs, len(made), len(wmade))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %d goroutines: the Origins differ", name, procs)
			}
		}
		n++
	}
	t.Logf("%d documents given Origins both ways", n)
}

// TestRunJobsPanics: a job's panic comes back in the caller after every
// job is done (Data recovers it there), and errors come in job order.
func TestRunJobsPanics(t *testing.T) {
	done := make([]bool, 6)
	jobs := make([]job, len(done))
	for i := range jobs {
		jobs[i] = job{weight: i, run: func() error {
			done[i] = true
			if i == 2 {
				panic("boom")
			}
			return nil
		}}
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		runJobs(jobs, 3)
		t.Error("runJobs returned")
	}()
	for i, d := range done {
		if !d {
			t.Errorf("job %d did not run", i)
		}
	}
	errJobs := []job{
		{weight: 1, run: func() error { return nil }},
		{weight: 2, run: func() error { return os.ErrNotExist }},
		{weight: 3, run: func() error { return os.ErrExist }},
	}
	if err := runJobs(errJobs, 2); err != os.ErrNotExist {
		t.Errorf("error %v, want the first job's in order", err)
	}
}

// TestDocFindingsSameAsValidate: validating the components on another
// goroutine gives doc.Validate's findings, in its order, for the KIIEX
// spec and the single-file specs of the shared corpora (their examples,
// defaults and unknown fields make findings of many sections), also with
// a version that adds findings before the components'.
func TestDocFindingsSameAsValidate(t *testing.T) {
	files := singleFileSpecs()
	opts := []openapi3.ValidationOption{openapi3.EnableMultiError()}
	n := 0
	for _, f := range files {
		if everydaySkip(t, f) {
			continue
		}
		doc, err := File(context.Background(), f, Options{})
		if err != nil {
			continue
		}
		for _, variant := range []string{"as loaded", "no version, 3.0 webhooks"} {
			d := doc.Doc
			if variant != "as loaded" {
				c := *d
				c.OpenAPI, c.Webhooks = "", map[string]*openapi3.PathItem{"w": {}}
				d = &c
			}
			want := multi(d.Validate(context.Background(), opts...))
			got := docFindings(context.Background(), d, opts, 2)
			if len(got) != len(want) {
				t.Errorf("%s, %s: %d findings, want %d", filepath.Base(f), variant, len(got), len(want))
				continue
			}
			for i := range got {
				if got[i].Error() != want[i].Error() {
					t.Errorf("%s, %s: finding %d is %q, want %q", filepath.Base(f), variant, i, got[i], want[i])
					break
				}
			}
		}
		n++
	}
	t.Logf("%d documents validated both ways", n)
}

// singleFileSpecs lists the KIIEX spec and the single-file JSON and YAML
// specs of the shared corpora (when present).
func singleFileSpecs() []string {
	files := []string{filepath.Join("..", "..", "spec", "kiiex.yaml")}
	for _, r := range corpusRoots() {
		if specFiles(r) == 1 && (strings.HasSuffix(r, ".json") || strings.HasSuffix(r, ".yaml") || strings.HasSuffix(r, ".yml")) {
			files = append(files, r)
		}
	}
	return files
}

// parseSpec reads and parses the spec at f, returning its name and text
// too; false when it does not parse.
func parseSpec(t *testing.T, f string) (name string, data []byte, p *parsed, ok bool) {
	t.Helper()
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	name = filepath.Base(f)
	p, err = parseFile(&reporter{}, name, data)
	return name, data, p, err == nil
}
