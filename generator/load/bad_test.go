package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"

// response200 is a path /a whose GET 200 response is given by body
// (indented for the response object).
func response200(body string) string {
	return head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n" + body
}

// billionLaughs is a YAML alias bomb: ten levels of ten aliases each.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		p := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.Repeat(p+", ", 9)+p)
	}
	return b.String()
}

// deepBlockYAML nests block sequences n levels deep.
func deepBlockYAML(n int) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\nx:\n")
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i+1) + "-\n")
	}
	return b.String()
}

var badInputs = []struct {
	name, in string
	want     string // the full error, one diagnostic per line
}{
	{"yaml syntax error", "openapi: 3.0.3\ninfo: [a, b\npaths: {}\n",
		"spec.yaml:3:6: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 2)"},
	{"truncated json", `{"openapi": "3.0.3", "info": {"title": "t",`,
		"spec.yaml:1:44: invalid JSON: unexpected end of input"},
	{"empty file", "", "spec.yaml: empty document"},
	{"only comments", "# nothing here\n\n", "spec.yaml: empty document"},
	{"non-openapi yaml", "name: x\nversion: 2\n",
		`spec.yaml:1:1: not an OpenAPI document: no "openapi" or "swagger" field`},
	{"top level scalar", "just a string\n",
		"spec.yaml:1:1: not an OpenAPI document: the top level is a scalar, not a mapping"},
	{"top level list", "- a\n- b\n",
		"spec.yaml:1:1: not an OpenAPI document: the top level is a sequence, not a mapping"},
	{"binary garbage", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"spec.yaml:3:1: binary data (NUL byte), not a YAML or JSON document"},
	{"latin-1 text", "openapi: 3.0.3\ninfo: {title: caf\xe9}\n",
		"spec.yaml:2:18: invalid UTF-8 (byte 0xe9); a spec must be UTF-8 text"},
	{"alias cycle", "openapi: 3.0.3\ninfo: &x {title: t, self: *x}\n",
		"spec.yaml:2:27: YAML alias *x refers to a node that contains it (alias cycle)"},
	{"billion laughs", billionLaughs(),
		"spec.yaml:7:5: YAML aliases expand to more than 1000000 nodes (alias bomb?)"},
	{"5000-deep json", strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"spec.yaml:1:1002: nesting deeper than 1000 levels"},
	{"5000-deep flow yaml", "openapi: 3.0.3\nx: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000) + "\n",
		"spec.yaml:2:4004: nesting deeper than 1000 levels"},
	{"1200-deep block yaml", deepBlockYAML(1200),
		"spec.yaml:1002:1001: nesting deeper than 1000 levels"},
	{"more than one document", head + "paths: {}\n---\nx: 1\n",
		"spec.yaml: more than one YAML document in the file"},
	{"path-escaping $ref", response200("          $ref: '../../../../etc/passwd'\n"),
		`spec.yaml:8:11: #/paths/~1a/get/responses/200/$ref: $ref "../../../../etc/passwd" points outside the spec's directory (-ref-root allows a wider one)`},
	{"absolute-path $ref", response200("          $ref: '/etc/passwd'\n"),
		`spec.yaml:8:11: #/paths/~1a/get/responses/200/$ref: $ref "/etc/passwd" is an absolute path; only files in the spec's directory may be referenced`},
	{"file URL $ref", response200("          $ref: 'file:///etc/passwd'\n"),
		`spec.yaml:8:11: #/paths/~1a/get/responses/200/$ref: $ref "file:///etc/passwd" is an absolute path; only files in the spec's directory may be referenced`},
	{"remote $ref without the flag", response200("          $ref: 'https://example.com/r.yaml#/R'\n"),
		`spec.yaml:8:11: #/paths/~1a/get/responses/200/$ref: remote $ref "https://example.com/r.yaml#/R" refused; pass -allow-remote-refs to allow`},
	{"unknown type", head + "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: foo\n",
		`spec.yaml:6:5: #/components/schemas/A: unsupported 'type' value "foo"`},
	{"paths is a list", head + "paths:\n  - /a\n",
		`spec.yaml:3:1: #/paths: "paths" must be a mapping, not a sequence`},
	{"openapi 4.0.0", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
		`spec.yaml:1:10: #/openapi: unsupported OpenAPI version "4.0.0"; kiiexgen reads OpenAPI 3.0, 3.1 and Swagger 2.0`},
	{"swagger 3.0", "swagger: '3.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
		`spec.yaml:1:10: #/swagger: unsupported Swagger version "3.0"; kiiexgen reads OpenAPI 3.0, 3.1 and Swagger 2.0`},
	{"paths colliding after repair", head + "paths:\n  a: {}\n  /a: {}\n",
		`spec.yaml:4:3: #/paths/a: path "a" lacks its leading "/" and, with it, collides with path "/a" at line 5`},
	{"several errors in one pass", head + "paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '/abs.yaml'}\n  /b:\n    get:\n      responses:\n        '200': {$ref: 'http://h/x.yaml'}\n",
		`spec.yaml:7:17: #/paths/~1a/get/responses/200/$ref: $ref "/abs.yaml" is an absolute path; only files in the spec's directory may be referenced` + "\n" +
			`spec.yaml:11:17: #/paths/~1b/get/responses/200/$ref: remote $ref "http://h/x.yaml" refused; pass -allow-remote-refs to allow`},
}

// loadBounded runs Data in a goroutine and fails the test if it panics or
// takes more than 5 seconds.
func loadBounded(t *testing.T, name string, in []byte, opts Options) (*Document, error) {
	t.Helper()
	type result struct {
		doc *Document
		err error
		p   any
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{p: p}
			}
		}()
		doc, err := Data(context.Background(), name, in, opts)
		ch <- result{doc: doc, err: err}
	}()
	select {
	case r := <-ch:
		if r.p != nil {
			t.Fatalf("panic: %v", r.p)
		}
		return r.doc, r.err
	case <-time.After(60 * time.Second): // a hang guard, not a speed check: loaded CI machines are slow
		t.Fatalf("load did not finish in 60s")
	}
	return nil, nil
}

// brokenSchemaRefs are used $refs that do not resolve where a schema
// belongs: read as any JSON value with a warning, errors under Strict.
var brokenSchemaRefs = []struct {
	name, in string
	want     string
}{
	{"used unresolvable $ref", response200("          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"),
		`spec.yaml:12:17: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: unresolvable $ref "#/components/schemas/Missing": no "components" in #`},
	{"broken $ref under a default response", head + "paths:\n  /a:\n    get:\n      responses:\n        default: {$ref: '#/components/responses/E'}\ncomponents:\n  responses:\n    E:\n      description: e\n      content:\n        application/json:\n          schema:\n            properties:\n              default: {$ref: '#/components/schemas/Gone'}\n",
		`spec.yaml:16:25: #/components/responses/E/content/application~1json/schema/properties/default/$ref: unresolvable $ref "#/components/schemas/Gone": no "schemas" in #/components`},
}

func TestBrokenSchemaRefs(t *testing.T) {
	for _, tc := range brokenSchemaRefs {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := loadBounded(t, "spec.yaml", []byte(tc.in), Options{})
			if err != nil {
				t.Fatalf("lenient: %v", err)
			}
			if got, want := doc.Diagnostics.Error(), strings.Replace(tc.want, ": unresolvable", ": warning: unresolvable", 1)+"; read as any JSON value"; got != want {
				t.Errorf("lenient:\n got: %s\nwant: %s", got, want)
			}
			_, err = loadBounded(t, "spec.yaml", []byte(tc.in), Options{Strict: true})
			if err == nil || err.Error() != tc.want+"; read as any JSON value" {
				t.Errorf("strict:\n got: %v\nwant: %s", err, tc.want+"; read as any JSON value")
			}
		})
	}
}

func TestBadInputs(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := loadBounded(t, "spec.yaml", []byte(tc.in), Options{})
			if err == nil {
				t.Fatalf("no error; warnings: %v", doc.Diagnostics)
			}
			if doc != nil {
				t.Errorf("a document was returned with the error")
			}
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not diag.List: %v", err, err)
			}
			if !list.HasErrors() {
				t.Errorf("the list has no error-severity entry")
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error:\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}

// TestLenientComponentsAndTypes: specification extensions under components
// hold any value, and programming-language type names are read as the
// JSON Schema types they mean (warnings), where the unknown "foo" of
// TestBadInputs stays an error.
func TestLenientComponentsAndTypes(t *testing.T) {
	src := head + "paths: {}\ncomponents:\n  x-note: a scalar extension\n  x-list: [1, 2]\n  schemas:\n" +
		"    A:\n      type: object\n      properties:\n" +
		"        n: {type: int}\n        l: {type: long}\n        b: {type: bool}\n" +
		"        d: {type: double}\n        f: {type: float, format: custom}\n        m: {type: [int, 'null']}\n"
	doc, err := loadBounded(t, "spec.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	props := doc.Doc.Components.Schemas["A"].Value.Properties
	want := map[string][2]string{
		"n": {"integer", ""}, "l": {"integer", "int64"}, "b": {"boolean", ""},
		"d": {"number", "double"}, "f": {"number", "custom"}, "m": {"integer", ""},
	}
	for name, w := range want {
		s := props[name].Value
		if !s.Type.Is(w[0]) || s.Format != w[1] {
			t.Errorf("%s: type %v format %q, want %s %q", name, s.Type.Slice(), s.Format, w[0], w[1])
		}
	}
	n := 0
	for _, d := range doc.Diagnostics {
		if d.Kind == "type-alias" {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d type-alias warnings, want 6: %v", n, doc.Diagnostics)
	}
	if _, err := Data(context.Background(), "spec.yaml", []byte(src), Options{Strict: true}); err == nil {
		t.Error("-strict accepted type aliases")
	}
}

// TestNullWebhookDropped: a null webhook is a warning, not a refusal.
func TestNullWebhookDropped(t *testing.T) {
	src := "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nwebhooks:\n  gone: null\n  kept:\n    post:\n      responses: {'200': {description: ok}}\n"
	doc, err := loadBounded(t, "spec.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Doc.Webhooks["gone"] != nil || doc.Doc.Webhooks["kept"] == nil {
		t.Errorf("webhooks %v", doc.Doc.Webhooks)
	}
	if len(doc.Diagnostics) != 1 || doc.Diagnostics[0].Kind != "null-webhook" || doc.Diagnostics[0].String() != `spec.yaml:5:3: #/webhooks/gone: warning: webhook "gone" is null; dropped` {
		t.Errorf("diagnostics %v", doc.Diagnostics)
	}
}

// TestComponentNamesOutsideOpenAPICharset: springfox's Swagger 2.0
// definition names ("ResponseEntity«List«User»»", valid in 2.0) load
// without a finding; in OpenAPI 3 such names are a warning, and the value
// of a component so named is still validated.
func TestComponentNamesOutsideOpenAPICharset(t *testing.T) {
	v2 := "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /u:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema: {$ref: '#/definitions/ResponseEntity«List«User»»'}\n" +
		"definitions:\n  ResponseEntity«List«User»»:\n    type: object\n    properties:\n      body: {type: array, items: {$ref: '#/definitions/User'}}\n  User: {type: object}\n"
	doc, err := loadBounded(t, "spec.yaml", []byte(v2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.Diagnostics {
		if d.Kind != "converted-swagger2" {
			t.Errorf("Swagger 2.0: %s", d)
		}
	}
	if doc.Doc.Components.Schemas["ResponseEntity«List«User»»"] == nil {
		t.Error("definition lost")
	}
	v3 := head + "paths: {}\ncomponents:\n  schemas:\n    Foo Bar: {type: object}\n    Bad[Value]: {type: foo}\n"
	_, err = loadBounded(t, "spec.yaml", []byte(v3), Options{})
	var list diag.List
	if !errors.As(err, &list) || len(list) != 1 || list[0].String() != `spec.yaml:7:5: #/components/schemas/Bad[Value]: unsupported 'type' value "foo"` {
		t.Fatalf("a bad value under a bad name: %v", err)
	}
	doc, err = loadBounded(t, "spec.yaml", []byte(head+"paths: {}\ncomponents:\n  schemas:\n    Foo Bar: {type: object}\n"), Options{})
	if err != nil || len(doc.Diagnostics) != 1 || doc.Diagnostics[0].Kind != "component-name" {
		t.Fatalf("%v %v", err, doc.Diagnostics)
	}
}

// TestRepairsChangeOnePlace: a repair of a node a YAML alias repeats
// changes the place it is made in only (a header's "name" removed must not
// strip the parameter the header was written as); a valid "required: True"
// is no finding; Swagger 2.0's collectionFormat on an OpenAPI 3 query
// parameter becomes its style and explode.
func TestRepairsChangeOnePlace(t *testing.T) {
	src := head + "paths:\n  /x/{id}:\n    get:\n      parameters:\n" +
		"        - &rid {name: X-Request-Id, in: header, schema: {type: string}}\n" +
		"        - {name: id, in: path, required: True, schema: {type: string}}\n" +
		"        - {name: ids, in: query, type: array, items: {type: string}, collectionFormat: pipes}\n" +
		"      responses:\n        '200':\n          description: ok\n          headers:\n            X-Request-Id: *rid\n"
	doc, err := loadBounded(t, "spec.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Doc.Paths.Value("/x/{id}").Get
	if p := op.Parameters[0].Value; p.Name != "X-Request-Id" || p.In != "header" {
		t.Errorf("the aliased parameter was changed: %+v", p)
	}
	if p := op.Parameters[2].Value; p.Style != "pipeDelimited" || p.Explode == nil || *p.Explode || p.Schema == nil || !p.Schema.Value.Type.Is("array") {
		t.Errorf("collectionFormat: style %q explode %v schema %+v", p.Style, p.Explode, p.Schema)
	}
	for _, d := range doc.Diagnostics {
		if strings.Contains(d.Pointer, "parameters/1") {
			t.Errorf("required: True reported: %s", d)
		}
	}
}

// TestSilentRepairInReferencedFile: a repair that changes a referenced
// file without a diagnostic (a null response description read as "") is
// what kin-openapi reads of that file.
func TestSilentRepairInReferencedFile(t *testing.T) {
	dir := t.TempDir()
	root := head + "paths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: 'b.yaml#/components/responses/R'}\n"
	other := "components:\n  responses:\n    R:\n      description: ~\n      content:\n        application/json:\n          schema: {type: string}\n"
	for name, data := range map[string]string{"a.yaml": root, "b.yaml": other} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := File(context.Background(), filepath.Join(dir, "a.yaml"), Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestServerVariableDefaults: an empty default is valid (kin-openapi takes
// it for a missing one); a missing default is a warning, not a refusal.
func TestServerVariableDefaults(t *testing.T) {
	for _, c := range []struct{ vars, want string }{
		{`{e: {default: ""}}`, ""},
		{`{e: {description: d}}`, `spec.yaml:6:7: #/servers/0/variables/e: warning: server variable without default (required); read as the empty string`},
	} {
		src := head + "servers:\n  - url: '{e}/v1'\n    variables:\n      e: " + strings.TrimPrefix(strings.TrimSuffix(c.vars, "}"), "{e: ") + "\npaths: {}\n"
		doc, err := loadBounded(t, "spec.yaml", []byte(src), Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.vars, err)
		}
		var got []string
		for _, d := range doc.Diagnostics {
			got = append(got, d.String())
		}
		if strings.Join(got, "\n") != c.want {
			t.Errorf("%s: %q, want %q", c.vars, got, c.want)
		}
	}
}

// TestThreeOneOnlyIn30: a 3.0 document with 3.1's webhooks or a mutualTLS
// security scheme loads (both dropped, with warnings).
func TestThreeOneOnlyIn30(t *testing.T) {
	src := head + "paths: {}\nwebhooks:\n  w:\n    post:\n      responses: {'200': {description: ok}}\ncomponents:\n  securitySchemes:\n    m: {type: mutualTLS}\n"
	doc, err := loadBounded(t, "spec.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, d := range doc.Diagnostics {
		kinds[d.Kind] = true
	}
	if !kinds["webhooks-in-3.0"] || !kinds["invalid-security-scheme"] || len(doc.Doc.Webhooks) != 0 {
		t.Errorf("diagnostics %v, webhooks %v", doc.Diagnostics, doc.Doc.Webhooks)
	}
}

// TestSecuritySchemeRefToUnusableScheme: a security scheme that $refs an
// unusable scheme in another file is dropped like the scheme itself
// (kin-openapi refused the document), whether the walk of $refs repaired
// that file before the root (the root also uses a schema of it) or not,
// and through a chain of $refs in the other file.
func TestSecuritySchemeRefToUnusableScheme(t *testing.T) {
	other := "components:\n  schemas:\n    S: {type: string}\n  securitySchemes:\n    B: {type: cookie, name: sid}\n    C: {$ref: '#/components/securitySchemes/B'}\n    D: {type: apiKey, in: header, name: X-Key}\n"
	for _, c := range []struct{ name, ref, schema, want string }{
		{"unvisited file", "b.yaml#/components/securitySchemes/B", "{type: string}",
			`security scheme "A" refers to "b.yaml#/components/securitySchemes/B", a scheme that cannot be used (it has type "cookie", which is not a security scheme type)`},
		{"repaired file", "b.yaml#/components/securitySchemes/B", "{$ref: 'b.yaml#/components/schemas/S'}",
			`security scheme "A" refers to "b.yaml#/components/securitySchemes/B", which leads to the dropped scheme "B"`},
		{"chain", "b.yaml#/components/securitySchemes/C", "{type: string}",
			`security scheme "A" refers to "b.yaml#/components/securitySchemes/C", a scheme that cannot be used (it has type "cookie", which is not a security scheme type)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			root := head + "security: [{A: []}, {K: []}]\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: " + c.schema +
				"\ncomponents:\n  securitySchemes:\n    A: {$ref: '" + c.ref + "'}\n    K: {$ref: 'b.yaml#/components/securitySchemes/D'}\n"
			for name, data := range map[string]string{"a.yaml": root, "b.yaml": other} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			doc, err := File(context.Background(), filepath.Join(dir, "a.yaml"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, d := range doc.Diagnostics {
				found = found || strings.Contains(d.String(), "a.yaml:") && strings.Contains(d.String(), c.want)
			}
			if !found {
				t.Errorf("no warning %q in %v", c.want, doc.Diagnostics)
			}
			schemes := doc.Doc.Components.SecuritySchemes
			if schemes["A"] != nil || schemes["K"] == nil || schemes["K"].Value == nil || schemes["K"].Value.Name != "X-Key" {
				t.Errorf("schemes %v: want K (resolved) without A", schemes)
			}
			if _, err := File(context.Background(), filepath.Join(dir, "a.yaml"), Options{Strict: true}); err == nil {
				t.Error("-strict: loaded")
			}
		})
	}
}
