package load

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte(missingSlash))
	f.Add([]byte(head + "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {a: {type: string, required: true}}}\n"))
	f.Add([]byte(`{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}`))
	f.Add([]byte("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {a: {get: {responses: {'200': {description: ok, schema: {type: file}}}}}}\n"))
	f.Add([]byte(head + "paths:\n  /a: &a\n    get:\n      responses: {'200': {$ref: '#/components/responses/R'}}\n  /b: *a\n"))
	f.Add([]byte(head + "x: &x {<<: *x}\n"))
	for _, tc := range badInputs {
		if len(tc.in) < 2000 {
			f.Add([]byte(tc.in))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		doc, err := Data(context.Background(), "fuzz.yaml", data, Options{})
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("load took %v", d)
		}
		if err == nil {
			if doc == nil || doc.Doc == nil {
				t.Fatal("nil document without an error")
			}
			for _, d := range doc.Diagnostics {
				if d.Severity != diag.Warning {
					t.Fatalf("error among the warnings: %s", d)
				}
			}
			return
		}
		var list diag.List
		if !errors.As(err, &list) {
			t.Fatalf("error is %T, not diag.List: %v", err, err)
		}
		if !list.HasErrors() {
			t.Fatalf("error list without errors: %v", err)
		}
		if strings.Contains(err.Error(), "internal error") {
			t.Fatalf("panic inside Data: %v", err)
		}
	})
}
