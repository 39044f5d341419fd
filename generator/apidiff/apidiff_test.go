package apidiff_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/apidiff"
)

const base = `openapi: "3.0.3"
info: {title: T, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '204': {description: created}
components:
  schemas:
    Item:
      type: object
      required: [name, count]
      properties:
        name: {type: string}
        count: {type: integer}
        note: {type: string}
`

func gen(t *testing.T, src string) []apidiff.File {
	t.Helper()
	files, _, err := generator.Generate(context.Background(), generator.Input{Path: "spec.yaml", Data: []byte(src)}, generator.Options{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var out []apidiff.File
	for _, f := range files {
		out = append(out, apidiff.File{Name: f.Name, Content: f.Content})
	}
	return out
}

func report(t *testing.T, older, newer string) apidiff.Report {
	t.Helper()
	r, err := apidiff.Compare(gen(t, older), gen(t, newer))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in spec", old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestCompareSpecChanges drives the comparison through real generated
// packages: each spec edit must produce exactly the listed report lines.
func TestCompareSpecChanges(t *testing.T) {
	removedOp := edit(t, base, `  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '204': {description: created}
`, "")
	for _, c := range []struct {
		name  string
		newer string
		want  []string
	}{
		{"unchanged", base, nil},
		{"removed operation", removedOp, []string{"breaking: method (*Client).CreateItem removed"}},
		{"renamed required property", edit(t, edit(t, base, "required: [name, count]", "required: [title, count]"), "name: {type: string}", "title: {type: string}"),
			[]string{`breaking: field Item.Name renamed to Title (JSON "name" → "title")`}},
		{"renamed property beside an added one", edit(t, edit(t, edit(t, base, "required: [name, count]", "required: [title, count]"), "name: {type: string}", "title: {type: string}"), "note: {type: string}", "note: {type: string}\n        size: {type: integer}"),
			[]string{`breaking: field Item.Name renamed to Title (JSON "name" → "title")`, "compatible: field Item.Size added (*int64, optional)"}},
		{"field type change", edit(t, base, "count: {type: integer}", "count: {type: string}"),
			[]string{"breaking: field Item.Count changed type from int64 to string"}},
		{"required became optional", edit(t, base, "required: [name, count]", "required: [name]"),
			[]string{"breaking: field Item.Count became optional: int64 → *int64"}},
		{"required became optional and nullable", edit(t, edit(t, base, "required: [name, count]", "required: [count]"), "name: {type: string}", "name: {type: string, nullable: true}"),
			[]string{"breaking: field Item.Name became optional: string → Nullable[string]"}},
		{"result type change", edit(t, base, "schema: {$ref: '#/components/schemas/Item'}\n  /items:", "schema: {type: array, items: {$ref: '#/components/schemas/Item'}}\n  /items:"),
			[]string{"breaking: method (*Client).GetItem: result 1 changed from *Item to []Item"}},
		{"added optional field", edit(t, base, "note: {type: string}", "note: {type: string}\n        color: {type: string}"),
			[]string{"compatible: field Item.Color added (*string, optional)"}},
		{"added operation", edit(t, base, "paths:\n", "paths:\n  /other/{id}:\n    delete:\n      operationId: deleteItem\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: gone}\n"),
			[]string{"compatible: method (*Client).DeleteItem added", "compatible: type DeleteItemParams added"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := report(t, base, c.newer)
			got := strings.Split(strings.TrimSuffix(r.Text(), "\n"), "\n")
			if r.Text() == "" {
				got = nil
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("report:\n%s\nwant:\n%s", r.Text(), strings.Join(c.want, "\n"))
			}
			wantBreaking := len(c.want) > 0 && strings.HasPrefix(c.want[0], "breaking:")
			if r.Breaking() != wantBreaking {
				t.Errorf("Breaking() = %v", r.Breaking())
			}
		})
	}
}
