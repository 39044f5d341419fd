package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/spec"
)

func BenchmarkGenerateKIIEX(b *testing.B) {
	for b.Loop() {
		if _, _, err := generator.Generate(context.Background(), generator.Input{Path: spec.Path, Data: spec.KIIEX}, generator.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerateTwilio(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "specs", "large", "twilio_api_v2010.json")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip("Twilio spec not present:", err)
	}
	for b.Loop() {
		if _, _, err := generator.Generate(context.Background(), generator.Input{Path: "twilio_api_v2010.json", Data: data}, generator.Options{Package: "twilio"}); err != nil {
			b.Fatal(err)
		}
	}
}
