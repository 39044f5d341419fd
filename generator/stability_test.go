package generator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/apidiff"
)

// collisions is a spec whose names collide (two operations and two
// properties that map to one Go name, an inline type that meets a
// component's name): the namer numbers the later ones.
const collisions = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      operationId: get_item
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                omsId: {type: integer}
                OMSId: {type: integer}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {x: {type: string}}}
        '404':
          description: no
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
  /b:
    post:
      operationId: getItem
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/GetItemResponse'}
components:
  schemas:
    GetItemResponse:
      type: object
      properties:
        omsid: {type: integer}
        OMSID: {type: integer}
    Problem:
      type: object
      properties:
        title: {type: string}
`

// TestNumberedNamesStable: numbered collision names (GetItem2, OMSID2)
// depend only on the names that collide, so additions elsewhere — a new
// operation before and after the others, a new schema, new properties,
// a new error table — rename nothing: every generated file only gains
// lines, and the Go API report lists additions only.
func TestNumberedNamesStable(t *testing.T) {
	gen := func(src string) []generator.File {
		t.Helper()
		files, _, err := generator.Generate(context.Background(), generator.Input{Path: "spec.yaml", Data: []byte(src)}, generator.Options{Package: "p"})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	conv := func(fs []generator.File) []apidiff.File {
		var out []apidiff.File
		for _, f := range fs {
			out = append(out, apidiff.File{Name: f.Name, Content: f.Content})
		}
		return out
	}
	before := gen(collisions)
	if !strings.Contains(string(fileByName(t, before, "client_gen.go")), "func (c *Client) GetItem2(") ||
		!strings.Contains(string(fileByName(t, before, "models_gen.go")), "OMSID2 ") {
		t.Fatal("the spec no longer produces numbered names; the test checks nothing")
	}
	newOp := func(path, id string) string {
		return "  " + path + ":\n    post:\n      operationId: " + id + "\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {y: {type: string}}}\n        '409':\n          description: conflict\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}\n"
	}
	for name, edit := range map[string]func(string) string{
		"operation sorted first": func(s string) string { return strings.Replace(s, "paths:\n", "paths:\n"+newOp("/0", "addThing"), 1) },
		"operation sorted last": func(s string) string {
			return strings.Replace(s, "components:\n", newOp("/z", "zapThing")+"components:\n", 1)
		},
		"schema sorted first": func(s string) string {
			return strings.Replace(s, "  schemas:\n", "  schemas:\n    Aaa:\n      type: object\n      properties: {q: {type: string}}\n", 1)
		},
		"properties": func(s string) string {
			s = strings.Replace(s, "                omsId: {type: integer}\n", "                aaa: {type: string}\n                omsId: {type: integer}\n                zzz: {type: string}\n", 1)
			return strings.Replace(s, "        omsid: {type: integer}\n", "        accountId: {type: integer}\n        omsid: {type: integer}\n", 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			after := gen(edit(collisions))
			if len(after) != len(before) {
				t.Fatalf("file set changed")
			}
			for i, f := range before {
				if k, line := firstRemovedLine(f.Content, after[i].Content); k >= 0 {
					t.Errorf("%s: old line %d %q was changed or removed", f.Name, k+1, line)
				}
			}
			r, err := apidiff.Compare(conv(before), conv(after))
			if err != nil {
				t.Fatal(err)
			}
			if r.Breaking() || len(r.Changes) == 0 {
				t.Errorf("API report:\n%s", r.Text())
			}
		})
	}
}
