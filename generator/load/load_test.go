package load

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// kinds returns the Kinds of a list, in order.
func kinds(l diag.List) []string {
	var ks []string
	for _, d := range l {
		ks = append(ks, d.Kind)
	}
	return ks
}

func mustLoad(t *testing.T, in string, opts Options) *Document {
	t.Helper()
	doc, err := loadBounded(t, "spec.yaml", []byte(in), opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return doc
}

func TestValidSpecHasNoDiagnostics(t *testing.T) {
	for name, in := range map[string]string{
		"3.0 yaml": head + `paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
              example: {name: x}
components:
  schemas:
    A:
      type: object
      required: [name]
      properties:
        name: {type: string}
        next: {$ref: '#/components/schemas/A'}
`,
		"3.0 json": `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"200": {"description": "ok \ud83d\udc4d"}}}}}}`,
		"3.1": `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  a: {type: [string, "null"]}
                  b: {const: 3}
                  d: {type: string, examples: [x, y]}
`,
		"anchors and merge keys": head + `paths:
  /a:
    get:
      responses:
        "200": &ok
          description: ok
  /b:
    get:
      responses:
        "200": *ok
        "404":
          <<: *ok
          description: not found
`,
	} {
		t.Run(name, func(t *testing.T) {
			doc := mustLoad(t, in, Options{Strict: true})
			if len(doc.Diagnostics) != 0 {
				t.Errorf("diagnostics for a valid spec:\n%v", doc.Diagnostics.Error())
			}
		})
	}
}

const missingSlash = head + `paths:
  orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok}
`

func TestMissingSlashStrictAndLenient(t *testing.T) {
	doc := mustLoad(t, missingSlash, Options{})
	want := `spec.yaml:4:3: #/paths/orders~1{id}: warning: path "orders/{id}" does not start with "/"; read as "/orders/{id}"`
	if got := doc.Diagnostics.Error(); got != want {
		t.Errorf("lenient:\n got: %s\nwant: %s", got, want)
	}
	if doc.Diagnostics[0].Kind != "path-missing-slash" || doc.Diagnostics[0].Severity != diag.Warning {
		t.Errorf("diagnostic = %+v", doc.Diagnostics[0])
	}
	if doc.Doc.Paths.Value("/orders/{id}") == nil {
		t.Errorf("repaired path missing; paths: %v", doc.Doc.Paths.InMatchingOrder())
	}
	// Locate answers for the repaired pointer and the original one, with or
	// without "#", at the original position.
	for _, p := range []string{"#/paths/~1orders~1{id}", "/paths/~1orders~1{id}", "#/paths/orders~1{id}", "#/paths/~1orders~1%7Bid%7D"} {
		if l, c := doc.Locate(p); l != 4 || c != 3 {
			t.Errorf("Locate(%q) = %d:%d, want 4:3", p, l, c)
		}
	}
	if l, c := doc.Locate("#/paths/~1orders~1{id}/get/parameters/0/name"); l != 7 || c != 12 {
		t.Errorf("Locate(parameter name) = %d:%d, want 7:12", l, c)
	}
	// The model's Origins cite the original file too.
	get := doc.Doc.Paths.Value("/orders/{id}").Get
	if o := get.Origin; o == nil || o.Key == nil || o.Key.File != "spec.yaml" || o.Key.Line != 5 || o.Key.Column != 5 {
		t.Errorf("operation origin = %+v", o.Key)
	}
	if o := get.Parameters[0].Value.Origin; o == nil || o.Key == nil || o.Key.Line != 7 {
		t.Errorf("parameter origin = %+v", o.Key)
	} else if loc := o.Fields.Get("in"); loc.Line != 7 || loc.Column != 22 {
		t.Errorf("parameter 'in' field origin = %+v", loc)
	}
	if l, c := doc.Locate("#/nope"); l != 0 || c != 0 {
		t.Errorf("Locate(#/nope) = %d:%d, want 0:0", l, c)
	}

	_, err := loadBounded(t, "spec.yaml", []byte(missingSlash), Options{Strict: true})
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("strict: err = %v, want a diag.List", err)
	}
	want = `spec.yaml:4:3: #/paths/orders~1{id}: path "orders/{id}" does not start with "/"; read as "/orders/{id}"`
	if got := err.Error(); got != want {
		t.Errorf("strict:\n got: %s\nwant: %s", got, want)
	}
	if list[0].Severity != diag.Error || list[0].Kind != "path-missing-slash" {
		t.Errorf("strict diagnostic = %+v", list[0])
	}
}

func TestLocateEscaping(t *testing.T) {
	doc := mustLoad(t, head+`paths:
  /a~b:
    get:
      responses:
        "200": {description: ok}
x-odd:
  "": empty
  "%": percent
`, Options{})
	for p, want := range map[string][2]int{
		"":                                 {1, 1},
		"#":                                {1, 1},
		"#/openapi":                        {1, 1},
		"#/info/title":                     {2, 8},
		"/paths/~1a~0b":                    {4, 3},
		"#/paths/~1a~0b/get/responses/200": {7, 9},
		"/x-odd/":                          {9, 3},
		"#/x-odd/%25":                      {10, 3},
		"/x-odd/%":                         {10, 3},
	} {
		if l, c := doc.Locate(p); l != want[0] || c != want[1] {
			t.Errorf("Locate(%q) = %d:%d, want %d:%d", p, l, c, want[0], want[1])
		}
	}
}

func TestRepairs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // full diagnostics
		check    func(t *testing.T, d *Document)
	}{
		{"required bool on properties", head + `paths: {}
components:
  schemas:
    A:
      type: object
      required: [b]
      properties:
        a: {type: string, required: true}
        b: {type: string, required: true}
        c: {type: string, required: false}
        d:
          type: object
          required: true
          properties:
            e: {type: integer, required: "true"}
    B:
      type: string
      required: true
`, []string{
			`spec.yaml:10:27: #/components/schemas/A/properties/a/required: warning: "required: true" on property "a" is not valid OpenAPI; moved to the object's required list`,
			`spec.yaml:11:27: #/components/schemas/A/properties/b/required: warning: "required: true" on property "b" is not valid OpenAPI; removed (the object already lists it as required)`,
			`spec.yaml:12:27: #/components/schemas/A/properties/c/required: warning: "required: false" on property "c" is not valid OpenAPI; removed (properties are optional unless listed in the object's required)`,
			`spec.yaml:15:11: #/components/schemas/A/properties/d/required: warning: "required: true" on property "d" is not valid OpenAPI; moved to the object's required list`,
			`spec.yaml:17:32: #/components/schemas/A/properties/d/properties/e/required: warning: "required: true" on property "e" is not valid OpenAPI; moved to the object's required list`,
			`spec.yaml:20:7: #/components/schemas/B/required: warning: "required: true" on a schema that is not an object property has no meaning; removed`,
		}, func(t *testing.T, d *Document) {
			a := d.Doc.Components.Schemas["A"].Value
			if got := strings.Join(a.Required, ","); got != "b,a,d" {
				t.Errorf("A.required = %s", got)
			}
			if got := strings.Join(a.Properties["d"].Value.Required, ","); got != "e" {
				t.Errorf("A.d.required = %s", got)
			}
		}},
		{"type file, enums, type list in 3.0", head + `paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        f: {type: file}
        a: {type: [string, "null"]}
        n: {type: integer, enum: ["1", "2"]}
        s: {type: string, enum: [1, true]}
        b: {type: boolean, enum: ["true", "false"]}
        x: {type: number, enum: ["1.5", 2]}
`, []string{
			`spec.yaml:9:13: #/components/schemas/A/properties/f/type: warning: "type: file" is Swagger 2.0; read as "type: string, format: binary"`,
			`spec.yaml:10:13: #/components/schemas/A/properties/a/type: warning: a list as type is OpenAPI 3.1; read as "type: string" with "nullable: true"`,
			`spec.yaml:11:28: #/components/schemas/A/properties/n/enum: warning: enum values of a schema of type integer are not all integers; read as integers`,
			`spec.yaml:12:27: #/components/schemas/A/properties/s/enum: warning: enum values of a schema of type string are not all strings; read as strings`,
			`spec.yaml:13:28: #/components/schemas/A/properties/b/enum: warning: enum values of a schema of type boolean are not all booleans; read as booleans`,
			`spec.yaml:14:27: #/components/schemas/A/properties/x/enum: warning: enum values of a schema of type number are not all numbers; read as numbers`,
		}, func(t *testing.T, d *Document) {
			p := d.Doc.Components.Schemas["A"].Value.Properties
			if f := p["f"].Value; !f.Type.Is("string") || f.Format != "binary" {
				t.Errorf("f = %v %q", f.Type, f.Format)
			}
			if a := p["a"].Value; !a.Type.Is("string") || !a.Nullable {
				t.Errorf("a = %v nullable=%v", a.Type, a.Nullable)
			}
			if e := p["n"].Value.Enum; len(e) != 2 || e[0] != float64(1) {
				t.Errorf("n.enum = %#v", e)
			}
			if e := p["s"].Value.Enum; len(e) != 2 || e[0] != "1" || e[1] != "true" {
				t.Errorf("s.enum = %#v", e)
			}
			if e := p["b"].Value.Enum; len(e) != 2 || e[0] != true {
				t.Errorf("b.enum = %#v", e)
			}
		}},
		{"nullable in 3.1", `openapi: 3.1.0
info: {title: t, version: "1"}
components:
  schemas:
    A: {type: integer, nullable: true}
    B: {type: [integer, string], nullable: true}
`, []string{
			`spec.yaml:5:24: #/components/schemas/A/nullable: warning: "nullable" is not an OpenAPI 3.1 keyword; "null" added to the type instead`,
			`spec.yaml:6:34: #/components/schemas/B/nullable: warning: "nullable" is not an OpenAPI 3.1 keyword; "null" added to the type instead`,
		}, func(t *testing.T, d *Document) {
			if ty := d.Doc.Components.Schemas["A"].Value.Type; !ty.Includes("null") || !ty.Includes("integer") {
				t.Errorf("A.type = %v", ty)
			}
		}},
		{"missing description and responses, invalid example, unknown field", head + `paths:
  /a:
    get:
      responses:
        "200":
          content:
            application/json:
              schema: {type: integer}
              example: "x"
  /b:
    post:
      summary: no responses
components:
  schemas:
    E:
      type: string
      example: 3
      parameter: y
    F:
      type: string
      parameter: x
`, []string{
			`spec.yaml:7:9: #/paths/~1a/get/responses/200: warning: response has no description (required); an empty one is used`,
			`spec.yaml:11:15: #/paths/~1a/get/responses/200/content/application~1json/example: warning: invalid example: value must be an integer`,
			`spec.yaml:13:5: #/paths/~1b/post: warning: operation has no responses (required); read as having one default response without a body`,
			`spec.yaml:19:7: #/components/schemas/E/example: warning: invalid example: value must be a string`,
			`spec.yaml:20:7: #/components/schemas/E/parameter: warning: unknown field "parameter" ignored`,
			`spec.yaml:23:7: #/components/schemas/F/parameter: warning: unknown field "parameter" ignored`,
		}, nil},
		{"duplicate keys", head + `paths: {}
components:
  schemas:
    A: {type: string}
    A: {type: integer}
`, []string{
			`spec.yaml:7:5: #/components/schemas/A: warning: duplicate key "A" (first at line 6); the last one is used`,
		}, func(t *testing.T, d *Document) {
			if !d.Doc.Components.Schemas["A"].Value.Type.Is("integer") {
				t.Errorf("A = %v", d.Doc.Components.Schemas["A"].Value.Type)
			}
		}},
		{"unknown patch version", "openapi: 3.0.9\ninfo: {title: t, version: '1'}\npaths: {}\n", []string{
			`spec.yaml:1:10: #/openapi: warning: OpenAPI version "3.0.9" is not a release kin-openapi knows; read as 3.0.4`,
		}, nil},
		{"unused broken refs are dropped", head + `paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Used'}
components:
  schemas:
    Used: {type: string}
    Broken: {$ref: '#/components/schemas/Nowhere'}
    UsesBroken:
      type: array
      items: {$ref: '#/components/schemas/Broken'}
`, []string{
			`spec.yaml:15:14: #/components/schemas/Broken/$ref: warning: unresolvable $ref "#/components/schemas/Nowhere" (no "Nowhere" in #/components/schemas) in component #/components/schemas/Broken, which no operation uses; the component is dropped`,
			`spec.yaml:18:15: #/components/schemas/UsesBroken/items/$ref: warning: $ref "#/components/schemas/Broken" refers to dropped component #/components/schemas/Broken; component #/components/schemas/UsesBroken, which no operation uses, is dropped too`,
		}, func(t *testing.T, d *Document) {
			s := d.Doc.Components.Schemas
			if len(s) != 1 || s["Used"] == nil {
				t.Errorf("schemas left: %v", s)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := mustLoad(t, tc.in, Options{})
			var got []string
			for _, d := range doc.Diagnostics {
				got = append(got, d.String())
				if d.Kind == "" {
					t.Errorf("no Kind: %s", d)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(tc.want, "\n      "))
			}
			if tc.check != nil {
				tc.check(t, doc)
			}
			// Strict mode turns every one of them into an error.
			_, err := loadBounded(t, "spec.yaml", []byte(tc.in), Options{Strict: true})
			var list diag.List
			if !errors.As(err, &list) || len(list) != len(tc.want) || !list.HasErrors() {
				t.Errorf("strict: got %v, want %d errors", err, len(tc.want))
			}
		})
	}
}

func TestSwagger2(t *testing.T) {
	doc := mustLoad(t, `swagger: "2.0"
info: {title: t, version: "1"}
host: api.example.com
basePath: /v1
paths:
  pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, type: integer}
      responses:
        "200":
          description: ok
          schema: {$ref: '#/definitions/Pet'}
definitions:
  Pet:
    type: object
    properties:
      name: {type: string, required: true}
`, Options{Strict: false})
	if got := strings.Join(kinds(doc.Diagnostics), ","); got != "converted-swagger2,path-missing-slash,property-required-bool" {
		t.Errorf("kinds = %s\n%v", got, doc.Diagnostics.Error())
	}
	if doc.Version != "2.0" || !strings.HasPrefix(doc.Doc.OpenAPI, "3.0") {
		t.Errorf("Version %q, OpenAPI %q", doc.Version, doc.Doc.OpenAPI)
	}
	pet := doc.Doc.Components.Schemas["Pet"]
	if pet == nil || strings.Join(pet.Value.Required, ",") != "name" {
		t.Errorf("Pet = %+v", pet)
	}
	if op := doc.Doc.Paths.Value("/pets/{id}"); op == nil || op.Get == nil || op.Get.OperationID != "getPet" {
		t.Errorf("paths = %v", doc.Doc.Paths.InMatchingOrder())
	}
	if got := doc.Doc.Servers[0].URL; got != "https://api.example.com/v1" {
		t.Errorf("server = %s", got)
	}
	// The conversion is a notice, not a defect: it stays a warning in strict
	// mode (which still rejects the real defects).
	const clean = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"
	doc = mustLoad(t, clean, Options{Strict: true})
	want := `spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`
	if got := doc.Diagnostics.Error(); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestExternalRefs(t *testing.T) {
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
	write("api/schemas/common.yaml", `components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer}
        name: {$ref: '#/components/schemas/Name'}
    Name: {type: string}
`)
	write("secret.yaml", "components: {schemas: {S: {type: string}}}\n")
	spec := func(ref string) string {
		return head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n" +
			"          content:\n            application/json:\n              schema: {$ref: '" + ref + "'}\n"
	}

	root := write("api/spec.yaml", spec("schemas/common.yaml#/components/schemas/Thing"))
	doc, err := File(context.Background(), root, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Doc.Paths.Value("/a").Get.Responses.Status(200).Value.Content.Get("application/json").Schema
	if s.Value == nil || s.Value.Properties["name"].Value == nil || !s.Value.Properties["name"].Value.Type.Is("string") {
		t.Errorf("external schema not resolved: %+v", s)
	}

	for _, tc := range []struct{ ref, want string }{
		{"../secret.yaml#/components/schemas/S", `$ref "../secret.yaml#/components/schemas/S" points outside the spec's directory (-ref-root allows a wider one)`},
		{"schemas/missing.yaml#/X", `unresolvable $ref "schemas/missing.yaml#/X": no such file; read as any JSON value`},
		{"schemas/common.yaml#/components/schemas/Nope", `unresolvable $ref "schemas/common.yaml#/components/schemas/Nope": no "Nope" in #/components/schemas in schemas/common.yaml; read as any JSON value`},
	} {
		root := write("api/spec.yaml", spec(tc.ref))
		_, err := File(context.Background(), root, Options{Strict: true})
		want := root + ":11:24: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: " + tc.want
		if err == nil || err.Error() != want {
			t.Errorf("ref %s:\n got: %v\nwant: %s", tc.ref, err, want)
		}
	}

	// A symbolic link inside the directory that leads out of it is refused.
	if err := os.Symlink(filepath.Join(dir, "secret.yaml"), filepath.Join(dir, "api", "link.yaml")); err == nil {
		root := write("api/spec.yaml", spec("link.yaml#/components/schemas/S"))
		_, err := File(context.Background(), root, Options{})
		if err == nil || !strings.Contains(err.Error(), `$ref "link.yaml#/components/schemas/S" points outside the spec's directory`) {
			t.Errorf("symlink escape: %v", err)
		}
	}

	// RefRoot lets refs reach a parent folder, no further: not through a
	// symbolic link, not by an absolute path, and it must hold the spec.
	write("outside.yaml", "components: {schemas: {O: {type: string}}}\n")
	write("tree/common/s.yaml", "components: {schemas: {S: {type: string}}}\n")
	if err := os.Symlink(filepath.Join(dir, "outside.yaml"), filepath.Join(dir, "tree", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	root = write("tree/api/spec.yaml", spec("../common/s.yaml#/components/schemas/S"))
	if _, err := File(context.Background(), root, Options{}); err == nil || !strings.Contains(err.Error(), "points outside the spec's directory (-ref-root allows a wider one)") {
		t.Errorf("sibling folder without RefRoot: %v", err)
	}
	doc, err = File(context.Background(), root, Options{Strict: true, RefRoot: filepath.Join(dir, "tree")})
	if err != nil {
		t.Fatalf("sibling folder with RefRoot: %v", err)
	}
	if s := doc.Doc.Paths.Value("/a").Get.Responses.Status(200).Value.Content.Get("application/json").Schema; s.Value == nil || !s.Value.Type.Is("string") {
		t.Errorf("sibling-folder schema not resolved: %+v", s)
	}
	for _, ref := range []string{"../link.yaml#/components/schemas/O", "../../outside.yaml#/components/schemas/O", filepath.ToSlash(filepath.Join(dir, "tree", "common", "s.yaml"))} {
		root = write("tree/api/spec.yaml", spec(ref))
		_, err := File(context.Background(), root, Options{RefRoot: filepath.Join(dir, "tree")})
		if err == nil || !strings.Contains(err.Error(), "outside the $ref root") && !strings.Contains(err.Error(), "absolute path") {
			t.Errorf("ref %s with RefRoot: %v", ref, err)
		}
	}
	if _, err := File(context.Background(), root, Options{RefRoot: filepath.Join(dir, "api")}); err == nil || !strings.Contains(err.Error(), "does not contain the spec's directory") {
		t.Errorf("RefRoot beside the spec: %v", err)
	}

	// Diagnostics in a referenced file name it relative to the root's
	// directory.
	write("api/schemas/dup.yaml", "X: {type: string}\nX: {type: integer}\n")
	root = write("api/spec.yaml", spec("schemas/dup.yaml#/X"))
	doc, err = File(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Diagnostics.Error(); got != `schemas/dup.yaml:2:1: #/X: warning: duplicate key "X" (first at line 1); the last one is used` {
		t.Errorf("got %s", got)
	}
}

func TestReadURIPolicy(t *testing.T) {
	l := newLoader(context.Background(), filepath.Join(t.TempDir(), "spec.yaml"), Options{})
	for _, u := range []string{"http://169.254.169.254/latest", "https://example.com/x.yaml", "/etc/passwd", "ftp://h/x"} {
		uu, _ := parseURL(u)
		if _, err := l.readURI(nil, uu); err == nil {
			t.Errorf("readURI(%s) allowed", u)
		}
	}
}

func TestFileErrors(t *testing.T) {
	_, err := File(context.Background(), filepath.Join(t.TempDir(), "nope.yaml"), Options{})
	if err == nil || !strings.HasSuffix(err.Error(), "nope.yaml: no such file or directory") {
		t.Errorf("missing file: %v", err)
	}
	_, err = File(context.Background(), t.TempDir(), Options{})
	if err == nil || !strings.HasSuffix(err.Error(), ": is a directory, not a regular file") {
		t.Errorf("directory: %v", err)
	}
}

func parseURL(s string) (*url.URL, error) { return url.Parse(s) }

func TestRemoteRefs(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path != "/common.yaml" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("components:\n  schemas:\n    S: {type: string}\n"))
	}))
	defer srv.Close()
	ref := srv.URL + "/common.yaml#/components/schemas/S"
	in := head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n" +
		"          content:\n            application/json:\n              schema: {$ref: '" + ref + "'}\n"

	_, err := loadBounded(t, "spec.yaml", []byte(in), Options{})
	want := `spec.yaml:11:24: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: remote $ref "` + ref + `" refused; pass -allow-remote-refs to allow`
	if err == nil || err.Error() != want {
		t.Errorf("without the flag:\n got: %v\nwant: %s", err, want)
	}
	if hits != 0 {
		t.Errorf("%d requests made without the flag", hits)
	}

	doc, err := loadBounded(t, "spec.yaml", []byte(in), Options{AllowRemoteRefs: true})
	if err != nil {
		t.Fatalf("with the flag: %v", err)
	}
	s := doc.Doc.Paths.Value("/a").Get.Responses.Status(200).Value.Content.Get("application/json").Schema
	if s.Value == nil || !s.Value.Type.Is("string") {
		t.Errorf("remote schema not resolved: %+v", s)
	}
}

func TestPanicBecomesError(t *testing.T) {
	testHook = func() { panic("boom") }
	defer func() { testHook = nil }()
	doc, err := Data(context.Background(), "spec.yaml", []byte(missingSlash), Options{})
	if doc != nil || err == nil || err.Error() != "spec.yaml: internal error: boom" {
		t.Errorf("got %v, %v", doc, err)
	}
	var list diag.List
	if !errors.As(err, &list) {
		t.Errorf("error is %T", err)
	}
}

// TestNumberIsExact: Number gives a number's text as written, for
// OpenAPI 3 pointers and for Swagger 2.0 elements under their converted
// pointers, so integers beyond 2^53 stay exact.
func TestNumberIsExact(t *testing.T) {
	for _, tc := range []struct{ spec, ptr, want string }{
		{"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {W: {type: integer, enum: [9223372036854775807, -9223372036854775808]}}}\n", "#/components/schemas/W/enum/1", "-9223372036854775808"},
		{`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"W":{"type":"object","properties":{"a/b":{"type":"integer","enum":[9007199254740993]}}}}}}`, "#/components/schemas/W/properties/a~1b/enum/0", "9007199254740993"},
		{"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions: {W: {type: integer, enum: [1, 9223372036854775807]}}\n", "#/components/schemas/W/enum/1", "9223372036854775807"},
	} {
		doc, err := Data(context.Background(), "s.yaml", []byte(tc.spec), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := doc.Number(tc.ptr); !ok || got != tc.want {
			t.Errorf("Number(%s) = %q, %v; want %q", tc.ptr, got, ok, tc.want)
		}
		if _, ok := doc.Number("#/info/title"); ok {
			t.Errorf("a string is not a number")
		}
		if _, ok := doc.Number("#/nope/0"); ok {
			t.Errorf("a missing element is not a number")
		}
	}
}
