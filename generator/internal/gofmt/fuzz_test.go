package gofmt_test

import (
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/internal/gofmt"
)

// FuzzFormat: any input is declined or formatted exactly as format.Source
// formats it; nothing panics. The seeds are the emitter's raw output for the
// golden archives (small files) and for KIIEX's smallest files.
func FuzzFormat(f *testing.F) {
	for _, path := range goldenPaths(f) {
		in, opts := goldenInputTB(f, path)
		raw, _ := rawFiles(f, in, opts)
		for _, src := range raw {
			if len(src) < 8<<10 {
				f.Add(src)
			}
		}
	}
	for _, src := range kiiexRaw(f) {
		if len(src) < 8<<10 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		gofmt.StrictPanics(t)
		compare(t, "input", src, &tally{})
	})
}
