package generator_test

import (
	"context"
	"os"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
)

func TestZZProf(t *testing.T) {
	p := os.Getenv("PROF_SPEC")
	if p == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(p)
	if _, _, err := generator.Generate(context.Background(), generator.Input{Path: "x.yaml", Data: data}, generator.Options{Package: "scale"}); err != nil {
		t.Fatal(err)
	}
}
