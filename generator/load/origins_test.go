package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONDecodeSamePositions: a document decoded by kin-openapi as JSON
// (what a mapping wider than MaxOriginWidth makes the loader do) gets the
// same diagnostics, at the same positions, as when decoded as YAML with
// kin-openapi's own Origins. Every spec of the shared corpora is loaded
// both ways.
func TestJSONDecodeSamePositions(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "specs")
	specs, _ := filepath.Glob(filepath.Join(shared, "public", "*"))
	legacy, _ := filepath.Glob(filepath.Join(shared, "kiiex-legacy", "*"))
	large, _ := filepath.Glob(filepath.Join(shared, "large", "*"))
	specs = append(append(specs, legacy...), large...)
	if len(specs) == 0 {
		t.Skip("public corpus not present (../shared/specs/public)")
	}
	if testing.Short() {
		t.Skip("loads the corpus twice")
	}
	load := func(p string) string {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Data(context.Background(), filepath.Base(p), data, Options{})
		var out []string
		if err != nil {
			out = append(out, err.Error())
		}
		if doc != nil {
			for _, d := range doc.Diagnostics {
				out = append(out, d.String())
			}
		}
		return strings.Join(out, "\n")
	}
	for _, p := range specs {
		if !strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".yaml") {
			continue
		}
		if everydaySkip(t, p) {
			continue
		}
		maxOriginWidth = MaxOriginWidth
		want := load(p)
		maxOriginWidth = -1
		got := load(p)
		maxOriginWidth = MaxOriginWidth
		if got != want {
			t.Errorf("%s: decoded as JSON:\n%s\nas YAML:\n%s", filepath.Base(p), got, want)
		}
	}
}
