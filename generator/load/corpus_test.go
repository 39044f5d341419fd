package load

import (
	"context"
	"fmt"
	"github.com/kiiexgen/kiiexgen/internal/testnote"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// sharedSpecs returns the directory of the shared real-world specs
// (../../../shared/specs from this package), or skips the test.
func sharedSpecs(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Skipf("no working directory: %v", err)
	}
	dir := filepath.Join(wd, "..", "..", "..", "shared", "specs")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		testnote.Skip(t, "shared specs not found at %s", dir)
	}
	return dir
}

func kindTable(counts map[string]int) string {
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&b, "\n  %-24s %5d", k, counts[k])
	}
	return b.String()
}

// TestLegacyCorpus loads every legacy KIIEX document: all must load in
// lenient mode with warnings only.
func TestLegacyCorpus(t *testing.T) {
	dir := filepath.Join(sharedSpecs(t), "kiiex-legacy")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		testnote.Skip(t, "no legacy specs in %s", dir)
	}
	counts := make(map[string]int)
	for _, f := range files {
		doc, err := File(context.Background(), f, Options{})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if doc.Doc == nil || doc.Doc.Paths == nil || doc.Doc.Paths.Len() == 0 {
			t.Errorf("%s: no paths loaded", filepath.Base(f))
		}
		for _, d := range doc.Diagnostics {
			counts[d.Kind]++
			if d.Line == 0 {
				t.Errorf("%s: warning without a position: %s", filepath.Base(f), d)
			}
		}
		for _, p := range doc.Doc.Paths.InMatchingOrder() {
			if !strings.HasPrefix(p, "/") {
				t.Errorf("%s: path %q kept without its slash", filepath.Base(f), p)
			}
		}
	}
	t.Logf("%d legacy files, warnings by kind:%s", len(files), kindTable(counts))
	for _, k := range []string{"path-missing-slash", "property-required-bool", "invalid-example", "broken-ref-unused"} {
		if counts[k] == 0 {
			t.Errorf("expected %s warnings over the legacy corpus", k)
		}
	}
}

func TestTwilio(t *testing.T) {
	f := filepath.Join(sharedSpecs(t), "large", "twilio_api_v2010.json")
	if _, err := os.Stat(f); err != nil {
		testnote.Skip(t, "no %s", f)
	}
	start := time.Now()
	doc, err := File(context.Background(), f, Options{})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	counts := make(map[string]int)
	for _, d := range doc.Diagnostics {
		counts[d.Kind]++
	}
	t.Logf("twilio: loaded in %v, %d paths, %d schemas, warnings by kind:%s",
		elapsed.Round(time.Millisecond), doc.Doc.Paths.Len(), len(doc.Doc.Components.Schemas), kindTable(counts))
	if n := len(doc.Doc.Components.Schemas); n < 100 {
		t.Errorf("only %d schemas", n)
	}
	// The Origin of a deep element maps back to the original file.
	line, col := doc.Locate("#/openapi")
	if line == 0 || col == 0 {
		t.Errorf("Locate(#/openapi) = %d:%d", line, col)
	}
}
