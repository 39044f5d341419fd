package gofmt

import (
	"go/format"
	"os"
	"path/filepath"
	"testing"
)

func rawFiles(b *testing.B) [][]byte {
	m, _ := filepath.Glob("/tmp/h1raw/*.go")
	var out [][]byte
	for _, f := range m {
		d, _ := os.ReadFile(f)
		out = append(out, d)
	}
	return out
}

func BenchmarkQGoFormat(b *testing.B) {
	fs := rawFiles(b)
	for b.Loop() {
		for _, f := range fs {
			format.Source(f)
		}
	}
}

func BenchmarkQOurs(b *testing.B) {
	fs := rawFiles(b)
	for b.Loop() {
		for _, f := range fs {
			Format(f)
		}
	}
}

func BenchmarkQParse(b *testing.B) {
	fs := rawFiles(b)
	for b.Loop() {
		for _, f := range fs {
			parseOnly(f)
		}
	}
}
