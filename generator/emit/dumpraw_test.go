package emit_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/emit"
)

func TestDumpRawTmp(t *testing.T) {
	n := 0
	defer emit.CaptureRaw(func(raw []byte) {
		n++
		os.WriteFile(fmt.Sprintf("/tmp/h1raw/k%d.go", n), raw, 0o644)
	})()
	_, _, err := generator.Generate(context.Background(), generator.Input{Path: "../../spec/kiiex.yaml"}, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
}
