package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
)

// TestPublicSpecsEveryOperationHasMethod generates the public specs whose
// operations once lacked a client method (multipart, text, tar and binary
// bodies) and checks that none is listed as skipped any more.
func TestPublicSpecsEveryOperationHasMethod(t *testing.T) {
	if testing.Short() {
		t.Skip("generates large specs")
	}
	dir := filepath.Join(sharedDir(t), "specs", "public")
	for _, name := range []string{
		"001-stripe-spec3.yaml",
		"007-qdrant.json",
		"011-paypal-customer-disputes-v1.json",
		"022-together.yaml",
		"023-meilisearch.json",
		"030-moby-engine.yaml",
	} {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Skipf("%s: %v", name, err)
		}
		files, _, err := generator.Generate(context.Background(), generator.Input{Path: name, Data: data, Dir: dir}, generator.Options{Package: "p"})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, f := range files {
			if f.Name == "client_gen.go" && bytes.Contains(f.Content, []byte("have no client method")) {
				t.Errorf("%s: some operations have no client method", name)
			}
		}
	}
}
