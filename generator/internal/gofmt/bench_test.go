package gofmt_test

import (
	"go/format"
	"go/parser"
	"go/token"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/internal/gofmt"
)

// BenchmarkFormatKIIEX formats the emitter's raw output for the KIIEX spec
// (client and fake server, about 21k lines) with go/format, with this
// package, and only parses it (the floor both share).
func BenchmarkFormatKIIEX(b *testing.B) {
	raw := kiiexRaw(b)
	size := 0
	for _, src := range raw {
		size += len(src)
	}
	b.Run("go-format", func(b *testing.B) {
		b.SetBytes(int64(size))
		defer reportCPU(b)()
		for b.Loop() {
			for _, src := range raw {
				if _, err := format.Source(src); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("gofmt", func(b *testing.B) {
		b.SetBytes(int64(size))
		defer reportCPU(b)()
		for b.Loop() {
			for _, src := range raw {
				if _, ok := gofmt.Format(src); !ok {
					b.Fatal("declined")
				}
			}
		}
	})
	b.Run("parse-only", func(b *testing.B) {
		b.SetBytes(int64(size))
		defer reportCPU(b)()
		for b.Loop() {
			for _, src := range raw {
				if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments|parser.SkipObjectResolution); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// reportCPU adds the process CPU time per iteration (GC included) as the
// metric cpu-ms/op; call the result when the loop is done.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if d := processCPU() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(d.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		}
	}
}
