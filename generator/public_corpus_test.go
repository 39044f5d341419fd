package generator_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/diag"
	"github.com/kiiexgen/kiiexgen/generator/load"
	"github.com/kiiexgen/kiiexgen/internal/testnote"
)

// publicSpec is one row of ../shared/specs/public/MANIFEST.tsv.
type publicSpec struct {
	file string // path below specs/public, as listed
	size int64
}

func publicManifest(t *testing.T) (root string, specs []publicSpec) {
	t.Helper()
	root = filepath.Join(sharedDir(t), "specs", "public")
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("no public spec corpus: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 1 || cols[0] == "" {
			continue
		}
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(cols[0])))
		if err != nil {
			t.Errorf("%s: %v", cols[0], err)
			continue
		}
		size := fi.Size()
		if top, _, multi := strings.Cut(cols[0], "/"); multi {
			// A spec in a folder of its own spans the folder's files:
			// DigitalOcean's root file is small, its 2,850 files are not.
			size = treeSize(t, filepath.Join(root, top))
		}
		specs = append(specs, publicSpec{file: cols[0], size: size})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(specs) == 0 {
		t.Skip("MANIFEST.tsv lists no specs")
	}
	return root, specs
}

// treeSize sums the sizes of the files below dir.
func treeSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// descriptorRE matches an operation descriptor in client_gen.go.
var descriptorRE = regexp.MustCompile(`\nvar \w+ = operation\{`)

// compileBudget is the total spec size whose generated packages are
// compiled in the everyday suite (`make test`): the small specs, whose
// packages compile in seconds. `make corpus` (testnote.Corpus) compiles
// them all; the largest ones (Stripe, Elasticsearch, DigitalOcean, ...)
// take minutes.
const compileBudget = 512 << 10

// TestPublicSpecsGenerate runs kiiexgen (lenient) over every vendor spec of
// ../shared/specs/public (MANIFEST.tsv): each must generate, and the
// generated packages must compile and vet: all of them under `make corpus`,
// else those of the specs that fit compileBudget (smallest first). A
// spec kept in a folder of its own (a multi-file spec) is read with that
// folder as the $ref root, since its files refer to siblings of the root
// file's folder. Each is generated with its fake server (-fake); the
// fakes of the specs within compileBudget compile and vet too. Warnings are tallied by kind, and the
// operations that get no client method are listed per spec.
func TestPublicSpecsGenerate(t *testing.T) {
	root, specs := publicManifest(t)
	dir := moduleDir(t, "publicspecs")
	writeModule(t, dir, "example.com/publicspecs")
	kinds := map[string]int{}
	var noMethod []string
	var compile []publicSpec
	start := time.Now()
	for i, s := range specs {
		path := filepath.Join(root, filepath.FromSlash(s.file))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in := generator.Input{Path: s.file, Data: data, Dir: filepath.Dir(path)}
		if top, _, ok := strings.Cut(s.file, "/"); ok {
			in.RefRoot = filepath.Join(root, top)
		}
		name := fmt.Sprintf("p%02d", i+1)
		// With the fake server (issue 14), which must compile for every
		// spec as well.
		files, warnings, err := generator.Generate(context.Background(), in, generator.Options{Package: name, Fake: true, ImportPath: "example.com/publicspecs/" + name})
		if err != nil {
			t.Errorf("%s: %v", s.file, err)
			continue
		}
		skipped := 0
		for _, w := range warnings {
			if w.Severity != diag.Warning {
				continue
			}
			kinds[w.Kind]++
			if strings.Contains(w.Message, "gets no client method") {
				skipped++
			}
		}
		if skipped > 0 {
			noMethod = append(noMethod, fmt.Sprintf("%s: %d", s.file, skipped))
		}
		// Every operation of the document becomes a method or is named
		// in a warning; none vanishes silently.
		doc, err := load.Data(context.Background(), s.file, data, load.Options{BaseDir: in.Dir, RefRoot: in.RefRoot})
		if err != nil {
			t.Fatalf("%s: loads for Generate but not alone: %v", s.file, err)
		}
		ops := 0
		for _, item := range doc.Doc.Paths.Map() {
			ops += len(item.Operations())
		}
		// One operation descriptor per method-bearing operation (a
		// <Op>WithBody method shares its operation's descriptor).
		methods := 0
		for _, f := range files {
			if f.Name == "client_gen.go" {
				methods = len(descriptorRE.FindAll(f.Content, -1))
			}
		}
		if methods+skipped != ops {
			t.Errorf("%s: %d operations, but %d methods and %d without one", s.file, ops, methods, skipped)
		}
		if err := generator.Write(filepath.Join(dir, name), files); err != nil {
			t.Fatal(err)
		}
		compile = append(compile, s)
	}
	t.Logf("%d specs generated in %v", len(specs), time.Since(start).Round(time.Millisecond))

	// The client packages: all of them under `make corpus`, else those of
	// the specs that fit compileBudget (smallest first). The fake servers
	// compile with the clients of the budget's specs in both modes: the
	// largest specs' fakes would add minutes to every run (all 34 fakes
	// compiled and vetted when the fake was introduced).
	order := make([]int, len(compile))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return compile[order[a]].size < compile[order[b]].size })
	inBudget := map[int]bool{}
	var total int64
	for _, i := range order {
		if total+compile[i].size > compileBudget {
			break
		}
		total += compile[i].size
		inBudget[i] = true
	}
	var pkgs []string
	for i, s := range compile {
		switch {
		case inBudget[i]:
			pkgs = append(pkgs, "./"+pkgName(specs, s)+"/...")
		case testnote.Corpus():
			pkgs = append(pkgs, "./"+pkgName(specs, s))
		}
	}
	sort.Strings(pkgs)
	n := len(pkgs)
	start = time.Now()
	goCmd(t, dir, append([]string{"vet"}, pkgs...)...)
	t.Logf("%d packages compiled and vetted in %v", n, time.Since(start).Round(time.Millisecond))

	var keys []string
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("warnings %-28s %d", k, kinds[k])
	}
	// Every request and response media type has a method now (issue 10):
	// an operation without one is a regression.
	for _, n := range noMethod {
		t.Errorf("operations without a client method: %s", n)
	}
}

// pkgName is the package directory generated for s.
func pkgName(specs []publicSpec, s publicSpec) string {
	for i, x := range specs {
		if x.file == s.file {
			return fmt.Sprintf("p%02d", i+1)
		}
	}
	return ""
}
