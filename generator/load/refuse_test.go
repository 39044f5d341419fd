package load

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Defects of real specs kiiexgen used to refuse (issue 10): each repair is
// a positioned warning in lenient mode and an error with Strict, and the
// document reads the way the check says.
func TestRefusedNowRepaired(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
		check    func(t *testing.T, d *Document)
	}{
		{"duplicate operationIds, renamed in document order", head + `paths:
  /b:
    post: {operationId: x, responses: {'200': {description: ok}}}
    get: {operationId: x, responses: {'200': {description: ok}}}
  /a:
    get: {operationId: x, responses: {'200': {description: ok}}}
    put: {operationId: x_2, responses: {'200': {description: ok}}}
`, []string{
			`spec.yaml:5:12: #/paths/~1b/post/operationId: warning: operationId "x" is also that of "GET /b"; this operation is read as "x_3"`,
			`spec.yaml:8:11: #/paths/~1a/get/operationId: warning: operationId "x" is also that of "GET /b"; this operation is read as "x_4"`,
		}, func(t *testing.T, d *Document) {
			got := []string{
				d.Doc.Paths.Value("/b").Get.OperationID, d.Doc.Paths.Value("/b").Post.OperationID,
				d.Doc.Paths.Value("/a").Get.OperationID, d.Doc.Paths.Value("/a").Put.OperationID,
			}
			if strings.Join(got, " ") != "x x_3 x_4 x_2" {
				t.Errorf("ids: %v", got)
			}
		}},
		{"a parameter declared twice in one list", head + `paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: q, in: query, schema: {type: string}}
        - {name: q, in: query, schema: {type: integer}}
      responses: {'200': {description: ok}}
`, []string{
			`spec.yaml:11:11: #/paths/~1a~1{id}/get/parameters/2: warning: "query" parameter "q" is declared again (first at index 1); this one is ignored`,
		}, func(t *testing.T, d *Document) {
			ps := d.Doc.Paths.Value("/a/{id}").Get.Parameters
			if len(ps) != 2 || !ps[0].Value.Schema.Value.Type.Is("integer") || !ps[1].Value.Schema.Value.Type.Is("string") {
				t.Errorf("parameters: %+v", ps)
			}
		}},
		{"paths differing only in parameter names", head + `paths:
  /x/{FileName}:
    get:
      parameters: [{name: FileName, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /x/{AttachmentID}:
    delete:
      parameters: [{name: AttachmentID, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
`, nil, func(t *testing.T, d *Document) {
			if d.Doc.Paths.Len() != 2 {
				t.Errorf("paths: %d", d.Doc.Paths.Len())
			}
		}},
		{"undefined security scheme", head + `security: [{nope: []}, {key: []}]
paths:
  /a:
    get:
      security: [{key: [], ghost: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
`, []string{
			`spec.yaml:3:12: #/security/0: warning: security requirement names undefined scheme "nope"; the requirement is ignored`,
			`spec.yaml:7:18: #/paths/~1a/get/security/0: warning: security requirement names undefined scheme "ghost"; the requirement is ignored`,
		}, func(t *testing.T, d *Document) {
			if len(d.Doc.Security) != 1 || d.Doc.Security[0]["key"] == nil {
				t.Errorf("top-level security: %v", d.Doc.Security)
			}
			if s := d.Doc.Paths.Value("/a").Get.Security; s == nil || len(*s) != 0 {
				t.Errorf("operation security: %v", s)
			}
		}},
		{"parameter $ref into schemas", head + `paths:
  /a:
    get:
      parameters: [{$ref: '#/components/schemas/PageQuery'}, {$ref: '#/components/schemas/Plain'}]
      responses: {'200': {description: ok}}
components:
  schemas:
    PageQuery: {name: page, in: query, schema: {$ref: '#/components/schemas/Page'}}
    Page: {type: object, properties: {limit: {type: integer}}}
    Plain: {type: string}
`, []string{
			`spec.yaml:6:21: #/paths/~1a/get/parameters/0/$ref: warning: $ref "#/components/schemas/PageQuery" stands for a parameter but points at a schema; its target has the shape of one and is copied in place`,
			`spec.yaml:6:63: #/paths/~1a/get/parameters/1/$ref: warning: $ref "#/components/schemas/Plain" stands for a parameter but points at a schema; its target does not have the shape of one; dropped`,
			`spec.yaml:10:29: #/components/schemas/PageQuery/in: warning: unknown fields ["in" "name" "schema"] ignored`,
		}, func(t *testing.T, d *Document) {
			ps := d.Doc.Paths.Value("/a").Get.Parameters
			if len(ps) != 1 || ps[0].Value.Name != "page" || ps[0].Value.Schema.Value.Properties["limit"] == nil {
				t.Errorf("parameters: %+v", ps)
			}
		}},
		{"a body given as its schema", head + `paths:
  /pets:
    post:
      requestBody: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet: {type: object, description: a pet, properties: {name: {type: string}}}
`, []string{
			`spec.yaml:6:21: #/paths/~1pets/post/requestBody/$ref: warning: $ref "#/components/schemas/Pet" stands for a request body but points at a schema; read as a JSON body of that schema`,
			`spec.yaml:8:17: #/paths/~1pets/post/responses/200/$ref: warning: $ref "#/components/schemas/Pet" stands for a response but points at a schema; read as a JSON body of that schema`,
		}, func(t *testing.T, d *Document) {
			op := d.Doc.Paths.Value("/pets").Post
			rb := op.RequestBody.Value.Content.Get("application/json")
			r := op.Responses.Status(200).Value.Content.Get("application/json")
			if rb == nil || rb.Schema.Ref != "#/components/schemas/Pet" || r == nil || r.Schema.Ref != "#/components/schemas/Pet" {
				t.Errorf("bodies: %+v %+v", rb, r)
			}
		}},
		{"headers and parameters referring to each other", head + `paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/headers/H'
      responses:
        '200':
          description: ok
          headers:
            X-Rate: {$ref: '#/components/parameters/P'}
components:
  headers:
    H: {schema: {type: string}}
  parameters:
    P: {name: X-Rate, in: header, schema: {type: integer}}
`, []string{
			`spec.yaml:7:11: #/paths/~1a/get/parameters/0/$ref: warning: $ref "#/components/headers/H" stands for a parameter but points at a header; its target does not have the shape of one; dropped`,
			`spec.yaml:12:22: #/paths/~1a/get/responses/200/headers/X-Rate/$ref: warning: $ref "#/components/parameters/P" stands for a header but points at a parameter; its target has the shape of one and is copied in place`,
		}, func(t *testing.T, d *Document) {
			op := d.Doc.Paths.Value("/a").Get
			h := op.Responses.Status(200).Value.Headers["X-Rate"]
			if len(op.Parameters) != 0 || h == nil || !h.Value.Schema.Value.Type.Is("integer") {
				t.Errorf("parameters %v, header %+v", op.Parameters, h)
			}
		}},
		{"content and schema $refs of the wrong kind", head + `paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content: {$ref: '#/components/mediaTypes/thing'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/responses/Bad'}
components:
  mediaTypes:
    thing:
      application/json:
        schema: {type: string}
  responses:
    Bad: {description: bad}
`, []string{
			`spec.yaml:9:21: #/paths/~1a/get/responses/200/content/$ref: warning: "content" cannot be a $ref ("#/components/mediaTypes/thing"); its target has the shape of one and is copied in place`,
			`spec.yaml:14:24: #/paths/~1a/get/responses/400/content/application~1json/schema/$ref: warning: $ref "#/components/responses/Bad" stands for a schema but points at a response; read as any JSON value`,
			`spec.yaml:16:3: #/components/mediaTypes: warning: unknown field "mediaTypes" ignored`,
		}, func(t *testing.T, d *Document) {
			r := d.Doc.Paths.Value("/a").Get.Responses
			if s := r.Status(200).Value.Content.Get("application/json"); s == nil || !s.Schema.Value.Type.Is("string") {
				t.Errorf("200 content: %+v", s)
			}
			if s := r.Status(400).Value.Content.Get("application/json").Schema; s.Ref != "" || s.Value.Type != nil {
				t.Errorf("400 schema: %+v", s)
			}
		}},
		{"text written as a $ref", head + `tags:
  - name: t
    description: {$ref: '#/x-texts/intro'}
  - name: u
    description: {$ref: '#/x-texts'}
x-texts:
  intro: Hello.
paths: {}
`, []string{
			`spec.yaml:5:19: #/tags/0/description/$ref: warning: description is a $ref ("#/x-texts/intro"), not text; the text it points at is used`,
			`spec.yaml:7:19: #/tags/1/description/$ref: warning: description is a $ref ("#/x-texts"), not text; it does not point at text; left empty`,
		}, func(t *testing.T, d *Document) {
			if d.Doc.Tags[0].Description != "Hello." || d.Doc.Tags[1].Description != "" {
				t.Errorf("tags: %q %q", d.Doc.Tags[0].Description, d.Doc.Tags[1].Description)
			}
		}},
		{"Swagger 2.0 schema $ref to a response", `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          schema: {$ref: '#/responses/Thing'}
responses:
  Thing:
    description: a thing
    schema: {type: object, properties: {id: {type: integer}}}
`, []string{
			`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
			`spec.yaml:9:20: #/paths/~1a/get/responses/200/schema/$ref: warning: $ref "#/responses/Thing" stands for a schema but points at a response; its schema is copied in place`,
		}, func(t *testing.T, d *Document) {
			s := d.Doc.Paths.Value("/a").Get.Responses.Status(200).Value.Content.Get("application/json").Schema
			if s.Value == nil || s.Value.Properties["id"] == nil {
				t.Errorf("schema: %+v", s)
			}
		}},
		{"type lists and type null in Swagger 2.0", `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  A:
    type: object
    properties:
      n: {type: [string, 'null']}
      m: {type: [object, 'null', array]}
      z: {type: 'null'}
`, []string{
			`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
			`spec.yaml:8:11: #/definitions/A/properties/n/type: warning: a list as type is OpenAPI 3.1; read as "type: string" with "x-nullable: true"`,
			`spec.yaml:9:11: #/definitions/A/properties/m/type: warning: a list of several types is OpenAPI 3.1; read as any JSON value`,
			`spec.yaml:10:11: #/definitions/A/properties/z/type: warning: "type: null" is OpenAPI 3.1; read as any JSON value`,
		}, func(t *testing.T, d *Document) {
			p := d.Doc.Components.Schemas["A"].Value.Properties
			if !p["n"].Value.Type.Is("string") || !p["n"].Value.Nullable || p["m"].Value.Type != nil || p["z"].Value.Type != nil {
				t.Errorf("properties: n=%+v m=%+v z=%+v", p["n"].Value, p["m"].Value, p["z"].Value)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := wantWarnings(t, c.in, c.want)
			c.check(t, doc)
			strict := 0
			for _, w := range c.want {
				if !strings.Contains(w, "converted to OpenAPI") {
					strict++
				}
			}
			if _, err := Data(context.Background(), "spec.yaml", []byte(c.in), Options{Strict: true}); (err != nil) != (strict > 0) {
				t.Errorf("strict: error %v, want one: %v", err, strict > 0)
			}
		})
	}
}

// TestRefKindsAcrossFiles: a path item kept under a document field's name
// ("#/webhooks") is copied into the root; a parameter in another file that refers to a
// schema-section component of a third file is copied in with its own $refs
// rebased; a Swagger 2.0 parameter in another file is copied into the root
// before conversion; an unresolvable schema $ref in another file reads as
// any JSON value.
func TestRefKindsAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("v3/types.yaml", `components:
  schemas:
    PageQuery: {name: page, in: query, schema: {$ref: '#/components/schemas/Page'}}
    Page: {type: object, properties: {limit: {type: integer}, next: {$ref: 'more/missing.yaml#/X'}}}
`)
	write("v3/paths/a.yaml", `webhooks:
  get:
    parameters: [{$ref: '../types.yaml#/components/schemas/PageQuery'}]
    responses: {'200': {description: ok}}
`)
	root := write("v3/spec.yaml", head+"paths:\n  /a: {$ref: 'paths/a.yaml#/webhooks'}\n")
	doc, err := File(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		got = append(got, d.String())
	}
	want := []string{
		root + `:4:8: #/paths/~1a/get/parameters/0/$ref: warning: $ref "types.yaml#/components/schemas/PageQuery" stands for a parameter but points at a schema; its target has the shape of one and is copied in place`,
		`types.yaml:4:70: #/components/schemas/Page/properties/next/$ref: warning: unresolvable $ref "more/missing.yaml#/X": no such file; read as any JSON value`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	p := doc.Doc.Paths.Value("/a").Get.Parameters
	if len(p) != 1 || p[0].Value.Name != "page" || p[0].Value.Schema.Value.Properties["limit"] == nil {
		t.Errorf("parameter not copied with its schema: %+v", p)
	}

	// An operation kept in a file of its own, whose body schema keeps its
	// properties map and its discriminator's targets in other files.
	write("ops/res/models/props.yaml", "ids: {ids: {type: array, items: {type: integer}}}\nkinds: {a: {type: object, properties: {kind: {type: string}}}}\n")
	write("ops/res/add.yaml", `operationId: addThings
requestBody:
  content:
    application/json:
      schema:
        properties: {$ref: 'models/props.yaml#/ids'}
responses:
  '200':
    description: ok
    content:
      application/json:
        schema:
          oneOf: [{$ref: 'models/props.yaml#/kinds/a'}]
          discriminator: {propertyName: kind, mapping: {a: 'models/props.yaml#/kinds/a'}}
`)
	root = write("ops/spec.yaml", head+"paths:\n  /t:\n    post: {$ref: 'res/add.yaml'}\n")
	doc, err = File(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, d := range doc.Diagnostics {
		got = append(got, d.String())
	}
	want = []string{
		root + `:5:12: #/paths/~1t/post/$ref: warning: an operation cannot be a $ref ("res/add.yaml"); its target has the shape of one and is copied in place`,
		root + `:5:12: #/paths/~1t/post/requestBody/content/application~1json/schema/properties/$ref: warning: "properties" cannot be a $ref ("res/models/props.yaml#/ids"); its target has the shape of one and is copied in place`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	op := doc.Doc.Paths.Value("/t").Post
	if op.OperationID != "addThings" || op.RequestBody.Value.Content.Get("application/json").Schema.Value.Properties["ids"] == nil {
		t.Errorf("operation not copied in: %+v", op)
	}
	if m := op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value.Discriminator.Mapping["a"]; m.Ref != "res/models/props.yaml#/kinds/a" {
		t.Errorf("discriminator mapping not rebased: %+v", m)
	}

	write("v2/params.yaml", "limit: {name: limit, in: query, type: integer, format: int32}\n")
	root = write("v2/spec.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: 'params.yaml#/limit'}]\n      responses: {'200': {description: ok}}\n")
	doc, err = File(context.Background(), root, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := doc.Doc.Paths.Value("/a").Get.Parameters; len(p) != 1 || p[0].Value.Name != "limit" || !p[0].Value.Schema.Value.Type.Is("integer") {
		t.Errorf("Swagger 2.0 parameter in another file: %+v", p)
	}
}

// TestRefCopiesTerminate: targets copied in place that contain a $ref back
// to themselves, or that double at each level, end in bounded time and
// size.
func TestRefCopiesTerminate(t *testing.T) {
	selfRef := head + `paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: {$ref: '#/x-props/p'}
      responses: {'200': {description: ok}}
x-props:
  p:
    child:
      type: object
      properties: {$ref: '#/x-props/p'}
`
	doc, err := loadBounded(t, "spec.yaml", []byte(selfRef), Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range doc.Diagnostics {
		if strings.Contains(d.Message, "copying it in place never ends") {
			found = true
		}
	}
	if !found {
		t.Errorf("no cycle warning: %v", doc.Diagnostics)
	}

	// Each level's properties map holds four copies of the next one's.
	bomb := head + "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {$ref: '#/x-p/l0'}}\n      responses: {'200': {description: ok}}\nx-p:\n"
	for i := 0; i < 12; i++ {
		bomb += "  l" + strconv.Itoa(i) + ":\n"
		for j := 0; j < 4; j++ {
			bomb += "    f" + strconv.Itoa(j) + ": {type: object, properties: {$ref: '#/x-p/l" + strconv.Itoa(i+1) + "'}}\n"
		}
	}
	bomb += "  l12: {leaf: {type: string}}\n"
	_, err = loadBounded(t, "spec.yaml", []byte(bomb), Options{})
	if err == nil || !strings.Contains(err.Error(), "would make more than") {
		t.Errorf("copy bomb: %v", err)
	}
}

// TestLocateNear: diagnostics about elements without a position of their
// own (converted from Swagger 2.0, or copied in) get the nearest enclosing
// element's.
func TestLocateNear(t *testing.T) {
	in := "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      parameters: [{name: b, in: body, schema: {type: string}}]\n      responses: {'200': {description: ok}}\ndefinitions:\n  A:\n    properties:\n      x: {type: string}\n"
	doc, err := Data(context.Background(), "spec.yaml", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ptr       string
		line, col int
	}{
		{"#/components/schemas/A/properties/x", 11, 7},
		{"#/components/schemas/A/properties/x/items", 11, 7},
		{"#/paths/~1a/post/requestBody", 5, 5},
		{"#/nowhere", 1, 1},
	} {
		if l, c := doc.LocateNear(tc.ptr); l != tc.line || c != tc.col {
			t.Errorf("LocateNear(%s) = %d:%d, want %d:%d", tc.ptr, l, c, tc.line, tc.col)
		}
	}
	if l, c := doc.Locate("#/paths/~1a/post/requestBody"); l != 0 || c != 0 {
		t.Errorf("Locate of a converted element = %d:%d, want none", l, c)
	}
}
