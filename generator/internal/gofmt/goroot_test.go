package gofmt_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/internal/gofmt"
)

// TestGOROOT holds the contract beyond the emitter's subset of Go: every .go
// file under $GOROOT/src (and go/printer's own test inputs and goldens) is
// declined or formatted exactly as format.Source formats it. By default a
// fixed sample (every 40th file, plus go/printer's testdata), all of them
// with KIIEXGEN_CORPUS=1.
func TestGOROOT(t *testing.T) {
	gofmt.StrictPanics(t)
	src := filepath.Join(runtime.GOROOT(), "src")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("no GOROOT sources: %v", err)
	}
	all := os.Getenv("KIIEXGEN_CORPUS") == "1"
	printerData := filepath.Join(src, "go", "printer", "testdata")
	var c tally
	n := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		inPrinterData := strings.HasPrefix(path, printerData+string(filepath.Separator)) &&
			(strings.HasSuffix(path, ".input") || strings.HasSuffix(path, ".golden"))
		if !strings.HasSuffix(path, ".go") && !inPrinterData {
			return nil
		}
		n++
		if !all && !inPrinterData && n%40 != 0 {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		compare(t, path, data, &c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.same == 0 {
		t.Fatalf("no file formatted identically: %s", c)
	}
	t.Log(c)
}
