package generator_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// FuzzGenerate feeds arbitrary documents through the whole pipeline: it
// must never panic, and failures must be reported as errors.
func FuzzGenerate(f *testing.F) {
	seeds := []string{
		"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n",
		"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /A:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {oneOf: [{type: string}, {type: integer}]}\n      responses: {'200': {description: ok}}\n",
		"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n    B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
		"openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents: {schemas: {X: {type: [string, 'null', integer]}}}\n",
		"swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n",
		"swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\ndefinitions:\n  P: {type: object, discriminator: k, properties: {k: {type: string}}}\n  C: {allOf: [{$ref: '#/definitions/P'}]}\n  D: {allOf: [{$ref: '#/definitions/C'}, {properties: {p: {$ref: '#/definitions/P'}}}], additionalProperties: true}\n",
		"openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents: {schemas: {U: {oneOf: [{const: a}, {type: object, properties: {t: {const: x}, r: {type: string, readOnly: true}}}, {type: object, properties: {t: {enum: [y]}}}, {type: array, items: {type: string}}]}}}\n",
		"openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  Get:\n    get:\n      parameters: [{name: 'a<', in: query, schema: {type: string, enum: ['', '1', x]}}]\n      responses: {'200': {description: ok}}\n",
		"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {properties: {x: {type: string}}, oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}, {type: boolean}], discriminator: {propertyName: x}}\n    B: {allOf: [{$ref: '#/components/schemas/A'}], anyOf: [{required: [x]}, {properties: {y: {type: integer}}, additionalProperties: false}]}\n",
		"{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{}}",
		"",
		"- a\n- b\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		files, _, err := generator.Generate(ctx, generator.Input{Path: "fuzz.yaml", Data: data}, generator.Options{Package: "fuzz"})
		if err != nil {
			var list diag.List
			if errors.As(err, &list) && len(list) == 0 {
				t.Fatalf("empty diagnostic list as error")
			}
			return
		}
		if len(files) == 0 {
			t.Fatalf("no files and no error")
		}
	})
}
