package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestPointerBudget: one path with 3000 parameters makes every pointer
// below it 20 KB long; the document is refused at once instead of taking
// gigabytes.
func TestPointerBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(head + "paths:\n  /x")
	for i := range 3000 {
		fmt.Fprintf(&b, "/{p%d}", i)
	}
	b.WriteString(":\n    get:\n      parameters:\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "        - {name: p%d, in: path, required: true, schema: {type: string}}\n", i)
	}
	b.WriteString("      responses: {'200': {description: ok}}\n")
	_, err := Data(context.Background(), "spec.yaml", []byte(b.String()), Options{})
	if err == nil || !strings.Contains(err.Error(), "the JSON pointers of the document's elements total more than") {
		t.Fatalf("got %v", err)
	}
}

// TestWideMappingFindingsPlaced: a document with a mapping wider than
// MaxOriginWidth is decoded by kin-openapi as JSON, with Origins the loader
// adds; its findings are placed exactly as in a narrower document.
func TestWideMappingFindingsPlaced(t *testing.T) {
	var b strings.Builder
	b.WriteString(head + "paths: {}\ncomponents:\n  schemas:\n    Bad: {type: object, properties: {x: {type: foo}}}\n    S:\n      type: object\n      properties:\n")
	for i := range MaxOriginWidth + 1 {
		fmt.Fprintf(&b, "        p%d: {type: string}\n", i)
	}
	want := `spec.yaml:6:38: #/components/schemas/Bad/properties/x: unsupported 'type' value "foo"`
	if _, err := Data(context.Background(), "spec.yaml", []byte(b.String()), Options{}); err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	// One key fewer: decoded as YAML.
	s := strings.Replace(b.String(), fmt.Sprintf("        p%d: {type: string}\n", MaxOriginWidth), "", 1)
	if _, err := Data(context.Background(), "spec.yaml", []byte(s), Options{}); err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// TestRefChainCollapsed: a chain of $ref-only components resolves to its
// end from every member; a cycle of them is broken with a warning (an
// error under Strict).
func TestRefChainCollapsed(t *testing.T) {
	var b strings.Builder
	b.WriteString(head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A0'}\ncomponents:\n  schemas:\n")
	const n = 50
	for i := range n - 1 {
		fmt.Fprintf(&b, "    A%d: {$ref: '#/components/schemas/A%d'}\n", i, i+1)
	}
	fmt.Fprintf(&b, "    A%d: {type: object, properties: {id: {type: integer}}}\n", n-1)
	doc, err := Data(context.Background(), "spec.yaml", []byte(b.String()), Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	end := doc.Doc.Components.Schemas[fmt.Sprintf("A%d", n-1)].Value
	for i := range n - 1 {
		if v := doc.Doc.Components.Schemas[fmt.Sprintf("A%d", i)].Value; v != end {
			t.Fatalf("A%d does not resolve to the end of the chain", i)
		}
	}
	if line, col := doc.Locate("#/components/schemas/A0/$ref"); line != 14 || col != 10 {
		t.Errorf("A0's $ref located at %d:%d", line, col)
	}

	cycle := head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {$ref: '#/components/schemas/A'}\n"
	doc, err = Data(context.Background(), "spec.yaml", []byte(cycle), Options{})
	if err != nil || len(doc.Diagnostics) != 1 || !strings.Contains(doc.Diagnostics[0].String(), "a cycle of schemas that are only $refs") {
		t.Errorf("a cycle of $refs: %v %v", err, doc)
	}
	if _, err := Data(context.Background(), "spec.yaml", []byte(cycle), Options{Strict: true}); err == nil {
		t.Errorf("a cycle of $refs loaded under Strict")
	}
}

// TestValidatedOnce: with $ref targets stubbed while kin-openapi validates,
// a defect in a schema many others refer to is still found (once), in the
// root document and in a referenced file.
func TestValidatedOnce(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "common.yaml"), []byte("components:\n  schemas:\n    Ext: {type: string, minLength: 5, maxLength: 1, pattern: '(', readOnly: true, writeOnly: true}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'common.yaml#/components/schemas/Ext'}\ncomponents:\n  schemas:\n    Leaf: {type: object, properties: {x: {type: foo}}}\n")
	for i := range 20 {
		fmt.Fprintf(&b, "    S%d: {type: object, properties: {leaf: {$ref: '#/components/schemas/Leaf'}, ext: {$ref: 'common.yaml#/components/schemas/Ext'}}}\n", i)
	}
	root := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(root, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := File(context.Background(), root, Options{})
	want := root + `:14:39: #/components/schemas/Leaf/properties/x: unsupported 'type' value "foo"`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v (%v)\nwant %s", err, doc, want)
	}
	// The defect in the referenced file (readOnly and writeOnly together)
	// is a warning.
	os.WriteFile(root, []byte(strings.Replace(b.String(), "type: foo", "type: string", 1)), 0o644)
	doc, err = File(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ext []string
	for _, d := range doc.Diagnostics {
		if d.File == "common.yaml" {
			ext = append(ext, d.String())
		}
	}
	if len(ext) != 1 || !strings.Contains(ext[0], "common.yaml:3:5: #/components/schemas/Ext: warning:") {
		t.Errorf("findings in common.yaml: %q", ext)
	}
}

// TestExampleBehindRefsValidated: an invalid example in a schema that only
// example-free schemas lead to (through $refs, in another file) is still
// reported: the second validation pass keeps the way to it.
func TestExampleBehindRefsValidated(t *testing.T) {
	dir := t.TempDir()
	ext := "A: {type: object, properties: {b: {$ref: '#/B'}}}\nB: {type: object, properties: {c: {$ref: '#/C'}}}\nC: {type: string, example: 5}\n"
	if err := os.WriteFile(filepath.Join(dir, "ext.yaml"), []byte(ext), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "spec.yaml")
	spec := response200("          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'ext.yaml#/A'}\n")
	if err := os.WriteFile(root, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := File(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		got = append(got, d.String())
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "ext.yaml:3:19: #/C/example: warning: invalid example: value must be a string") {
		t.Errorf("got %q", got)
	}
}

// TestExamplesCheckedOnce: schema examples and defaults are checked once
// each, directly; media type examples by kin-openapi against whole
// schemas, as a response.
func TestExamplesCheckedOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString(response200("          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\n              example: {id: 1, next: {id: x}}\n") + "components:\n  schemas:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "    S%d:\n      type: object\n      example: {id: %d}\n      properties:\n        id: {type: integer, default: 1}\n        next: {$ref: '#/components/schemas/S%d'}\n", i, i, i+1)
	}
	b.WriteString("    S30: {type: object, example: {id: bad}, properties: {id: {type: integer, default: nope}}}\n")
	doc, err := Data(context.Background(), "spec.yaml", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		got = append(got, d.String())
	}
	want := []string{
		`spec.yaml:12:15: #/paths/~1a/get/responses/200/content/application~1json/example: warning: invalid example: Error at "/next/id": value must be an integer`,
		`spec.yaml:195:25: #/components/schemas/S30/example: warning: invalid example: Error at "/id": value must be an integer`,
		`spec.yaml:195:78: #/components/schemas/S30/properties/id/default: warning: invalid default: value must be an integer`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestOuterExampleModes: examples of request bodies are checked as
// requests (readOnly properties refused), of responses and their headers
// as responses (writeOnly refused), of parameters as neither; every
// finding is reported, not only the first of each operation.
func TestOuterExampleModes(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      parameters:
        - {name: q, in: query, schema: {type: integer}, example: notint}
        - {name: h, in: header, content: {application/json: {schema: {type: integer}, example: x}}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/T'}
            examples:
              a: {value: {id: 1, secret: s}}
              b: {value: {secret: 2}}
      responses:
        '200':
          description: ok
          headers:
            X-H: {content: {text/plain: {schema: {type: integer}, example: y}}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/T'}
              example: {secret: s}
components:
  schemas:
    T:
      type: object
      required: [id, secret]
      properties:
        id: {type: integer, readOnly: true}
        secret: {type: string, writeOnly: true}
  responses:
    R:
      description: r
      content:
        application/json: {schema: {type: string}, example: 5}
  requestBodies:
    B:
      content:
        application/json: {schema: {$ref: '#/components/schemas/T'}, example: {}}
`
	doc, err := Data(context.Background(), "spec.yaml", []byte(spec), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		got = append(got, d.String())
	}
	sort.Strings(got)
	want := []string{
		`spec.yaml:14:19: #/paths/~1a/post/requestBody/content/application~1json/examples/a/value: warning: invalid example: example a: Error at "/id": readOnly property "id" in request`,
		`spec.yaml:20:67: #/paths/~1a/post/responses/200/headers/X-H/content/text~1plain/example: warning: invalid example: value must be an integer`,
		`spec.yaml:24:15: #/paths/~1a/post/responses/200/content/application~1json/example: warning: invalid example: Error at "/secret": writeOnly property "secret" in response`,
		`spec.yaml:37:52: #/components/responses/R/content/application~1json/example: warning: invalid example: value must be a string`,
		`spec.yaml:41:70: #/components/requestBodies/B/content/application~1json/example: warning: invalid example: Error at "/secret": property "secret" is missing`,
		`spec.yaml:7:57: #/paths/~1a/post/parameters/0/example: warning: invalid example: value must be an integer`,
		`spec.yaml:8:87: #/paths/~1a/post/parameters/1/content/application~1json/example: warning: invalid example: value must be an integer`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSwagger2ExamplesPlaced: a Swagger 2.0 document has no Origins after
// conversion; an invalid example is reported once, at the definition that
// holds it, not again at every definition and operation that reaches it.
func TestSwagger2ExamplesPlaced(t *testing.T) {
	var b strings.Builder
	b.WriteString("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      produces: [application/json]\n      responses:\n        '200':\n          description: ok\n          schema: {$ref: '#/definitions/S0'}\n  /y:\n    get:\n      produces: [application/json]\n      responses:\n        '200':\n          description: ok\n          schema: {$ref: '#/definitions/S5'}\ndefinitions:\n")
	for i := range 10 {
		ex := "{id: 1}"
		if i == 9 {
			ex = "{id: one}"
		}
		fmt.Fprintf(&b, "  S%d:\n    type: object\n    example: %s\n    properties:\n      id: {type: integer}\n      next: {$ref: '#/definitions/S%d'}\n", i, ex, i+1)
	}
	b.WriteString("  S10: {type: object}\n")
	doc, err := Data(context.Background(), "spec.yaml", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		if d.Kind == "invalid-example" {
			got = append(got, d.String())
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "spec.yaml:") || !strings.Contains(got[0], `#/definitions/S9/example: warning: invalid example: Error at "/id": value must be an integer`) {
		t.Errorf("got %q", got)
	}
}
