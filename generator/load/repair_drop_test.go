package load

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Repairs found by running kiiexgen over the APIs.guru collection (2,639
// published specs): each refused a whole document for one part a client
// can do without or read one obvious way. Each is a warning in lenient
// mode and an error with Strict; check looks at what the model holds.
func TestRealWorldDrops(t *testing.T) {
	const sw2 = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
	op := func(params string) string {
		return head + "paths:\n  /x:\n    get:\n      parameters:\n" + params + "      responses: {'200': {description: ok}}\n"
	}
	cases := []struct {
		name, in string
		want     []string
		check    func(*openapi3.T) string
	}{
		{"nameless query parameter (brainbi, notion)", op("        - {name: '', in: query, schema: {type: string}}\n        - {name: q, in: query, schema: {type: string}}\n        - {in: header, schema: {type: string}}\n"),
			[]string{
				`spec.yaml:7:12: #/paths/~1x/get/parameters/0: warning: query parameter without a name (nothing can be sent for it); dropped`,
				`spec.yaml:9:11: #/paths/~1x/get/parameters/2: warning: header parameter without a name (nothing can be sent for it); dropped`,
			},
			func(d *openapi3.T) string {
				if ps := d.Paths.Value("/x").Get.Parameters; len(ps) != 1 || ps[0].Value.Name != "q" {
					return "want only q left"
				}
				return ""
			}},
		{"nameless path-level parameter", head + "paths:\n  /x:\n    parameters:\n      - {name: ~, in: query, schema: {type: string}}\n    get:\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:6:10: #/paths/~1x/parameters/0: warning: query parameter without a name (nothing can be sent for it); dropped`},
			func(d *openapi3.T) string {
				if len(d.Paths.Value("/x").Parameters) != 0 {
					return "path-level parameter kept"
				}
				return ""
			}},
		{"schema examples as a map (codat)", head + "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: string\n      examples: {a: {value: x}}\n",
			[]string{`spec.yaml:8:7: #/components/schemas/S/examples: warning: a schema's "examples" is a list of values, not a mapping; dropped`},
			func(d *openapi3.T) string {
				if d.Components.Schemas["S"].Value.Examples != nil {
					return "examples kept"
				}
				return ""
			}},
		{"discriminator mapping into a missing file (digitalocean bundle)", head + "paths: {}\ncomponents:\n  schemas:\n    U:\n      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]\n      discriminator:\n        propertyName: t\n        mapping: {a: 'gone.yml#/a', b: '#/components/schemas/B', c: '#/components/schemas/Gone'}\n    A: {type: object, properties: {t: {type: string}}}\n    B: {type: object, properties: {t: {type: string}}}\n",
			[]string{
				`spec.yaml:10:22: #/components/schemas/U/discriminator/mapping/a: warning: discriminator mapping "a" -> "gone.yml#/a" does not resolve (no such file); dropped`,
				`spec.yaml:10:69: #/components/schemas/U/discriminator/mapping/c: warning: discriminator mapping "c" -> "#/components/schemas/Gone" does not resolve (no "Gone" in #/components/schemas); dropped`,
			},
			func(d *openapi3.T) string {
				m := d.Components.Schemas["U"].Value.Discriminator.Mapping
				if len(m) != 1 || m["b"].Ref != "#/components/schemas/B" {
					return "want only b left"
				}
				return ""
			}},
		{"router pattern in a path variable, parameter named with it (rapidapi)", head + "paths:\n  /i/{id:}:\n    get:\n      parameters:\n        - {name: 'id:', in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:4:3: #/paths/~1i~1{id:}: warning: path variable names end before a ":" pattern or a "*" (router syntax, not OpenAPI): {id:} read as {id}, its parameter "id:" named "id"`},
			func(d *openapi3.T) string {
				if p := d.Paths.Value("/i/{id}"); p == nil || p.Get.Parameters[0].Value.Name != "id" {
					return "want /i/{id} with parameter id"
				}
				return ""
			}},
		{"gorilla/mux and RFC 6570 variables", head + "paths:\n  /i/{id:[0-9]+}/{rest*}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: rest, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:4:3: #/paths/~1i~1{id:[0-9]+}~1{rest*}: warning: path variable names end before a ":" pattern or a "*" (router syntax, not OpenAPI): {id:[0-9]+} read as {id}; {rest*} read as {rest}`},
			func(d *openapi3.T) string {
				if p := d.Paths.Value("/i/{id}/{rest}"); p == nil || len(p.Get.Parameters) != 2 {
					return "want /i/{id}/{rest} with both parameters"
				}
				return ""
			}},
		{"router pattern with a $ref'd parameter, and $refs into renamed paths (review)", head + "paths:\n  /y/{yid:}:\n    get:\n      parameters: [{$ref: '#/components/parameters/Yid'}]\n      responses: {'200': {description: ok}}\n  nolead/{x}:\n    get:\n      parameters:\n        - {name: x, in: path, required: true, schema: {type: integer}}\n      responses: {'200': {description: ok}}\n  /z/{x}:\n    get:\n      parameters:\n        - $ref: '#/paths/nolead~1%7Bx%7D/get/parameters/0'\n        - $ref: '#/paths/~1y~1%7Byid:%7D/get/parameters/0'\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    Yid: {name: 'yid:', in: path, required: true, schema: {type: integer}}\n",
			[]string{
				`spec.yaml:4:3: #/paths/~1y~1{yid:}: warning: path variable names end before a ":" pattern or a "*" (router syntax, not OpenAPI): {yid:} read as {yid}, its parameter "yid:" named "yid"`,
				`spec.yaml:8:3: #/paths/nolead~1{x}: warning: path "nolead/{x}" does not start with "/"; read as "/nolead/{x}"`,
				`spec.yaml:17:11: #/paths/~1z~1{x}/get/parameters: warning: path parameter "yid" does not occur in the path /z/{x}; dropped`,
			},
			func(d *openapi3.T) string {
				y := d.Paths.Value("/y/{yid}").Get.Parameters[0].Value
				z := d.Paths.Value("/z/{x}").Get.Parameters
				if y.Name != "yid" || !y.Schema.Value.Type.Is("integer") || len(z) != 1 || z[0].Value.Name != "x" || !z[0].Value.Schema.Value.Type.Is("integer") {
					return "want yid an integer, /z/{x}'s x the integer of /nolead/{x}"
				}
				return ""
			}},
		{"schema $ref to a parameter in paths (enode bundle)", head + "paths:\n  /v/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: f, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}\n        - {name: g, in: query, schema: {$ref: '#/paths/~1v~1%7Bid%7D/get/parameters/1'}}\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:9:41: #/paths/~1v~1{id}/get/parameters/2/schema/$ref: warning: $ref "#/paths/~1v~1%7Bid%7D/get/parameters/1" stands for a schema but points at a parameter; its schema is copied in place`},
			func(d *openapi3.T) string {
				g := d.Paths.Value("/v/{id}").Get.Parameters[2].Value.Schema.Value
				if !g.Type.Is("array") || len(g.Items.Value.Enum) != 2 {
					return "g is not f's array of enum strings"
				}
				return ""
			}},
		{"schema $ref to the parameter holding it", head + "paths:\n  /v:\n    get:\n      parameters:\n        - {name: f, in: query, schema: {type: array, items: {$ref: '#/paths/~1v/get/parameters/0'}}}\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:7:62: #/paths/~1v/get/parameters/0/schema/items/$ref: warning: $ref "#/paths/~1v/get/parameters/0" stands for a schema but points at a parameter; its target contains this $ref, so copying it in place never ends; read as any JSON value`},
			nil},
		{"$refs into JSON Schema definitions (codat)", head + "paths: {}\ncomponents:\n  schemas:\n    Item:\n      type: object\n      properties:\n        ref: {$ref: '#/components/schemas/Item/definitions/itemRef'}\n        kind: {$ref: '#/components/schemas/Item/definitions/itemRef/definitions/kind'}\n        tags: {$ref: '#/components/schemas/Item/definitions/tags/items'}\n      definitions:\n        itemRef:\n          type: object\n          properties: {id: {type: string}}\n          definitions:\n            kind: {type: string, enum: [a, b]}\n        tags: {type: array, items: {type: string}}\n    tags: {type: integer}\n    U:\n      oneOf: [{$ref: '#/components/schemas/Item/definitions/itemRef'}]\n      discriminator: {propertyName: id, mapping: {x: '#/components/schemas/Item/definitions/itemRef'}}\n",
			[]string{
				`spec.yaml:13:9: #/components/schemas/Item/definitions/itemRef: warning: $refs point into "itemRef", a JSON Schema "definitions" entry (OpenAPI schemas have no definitions); moved to #/components/schemas/itemRef`,
				`spec.yaml:17:13: #/components/schemas/Item/definitions/itemRef/definitions/kind: warning: $refs point into "kind", a JSON Schema "definitions" entry (OpenAPI schemas have no definitions); moved to #/components/schemas/kind`,
				`spec.yaml:18:9: #/components/schemas/Item/definitions/tags: warning: $refs point into "tags", a JSON Schema "definitions" entry (OpenAPI schemas have no definitions); moved to #/components/schemas/Item.tags`,
			},
			func(d *openapi3.T) string {
				s := d.Components.Schemas
				item := s["Item"].Value.Properties
				if item["ref"].Ref != "#/components/schemas/itemRef" || item["kind"].Ref != "#/components/schemas/kind" || item["tags"].Ref != "#/components/schemas/Item.tags/items" {
					return fmt.Sprintf("refs not rewritten: %s %s %s", item["ref"].Ref, item["kind"].Ref, item["tags"].Ref)
				}
				if len(s["kind"].Value.Enum) != 2 || !s["tags"].Value.Type.Is("integer") || !s["Item.tags"].Value.Type.Is("array") {
					return "hoisted schemas wrong"
				}
				if m := s["U"].Value.Discriminator.Mapping["x"]; m.Ref != "#/components/schemas/itemRef" {
					return "mapping not rewritten: " + m.Ref
				}
				return ""
			}},
		{"a schema as a type name (codat)", head + "paths: {}\ncomponents:\n  schemas:\n    T:\n      type: {type: string}\n",
			[]string{`spec.yaml:7:7: #/components/schemas/T/type: warning: "type" is a mapping, not a type name; dropped (any JSON value)`},
			func(d *openapi3.T) string {
				if d.Components.Schemas["T"].Value.Type != nil {
					return "type kept"
				}
				return ""
			}},
		{"Swagger 2.0: a path's body and an operation's own (go-openapi)", sw2 + "paths:\n  /a:\n    parameters:\n      - {name: shared, in: body, schema: {type: object}}\n    post:\n      parameters:\n        - {name: own, in: body, schema: {type: string}}\n        - {name: extra, in: body, schema: {type: integer}}\n      responses: {'200': {description: ok}}\n    put:\n      responses: {'200': {description: ok}}\n",
			[]string{
				`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
				`spec.yaml:6:9: #/paths/~1a/parameters/0: warning: the path's body parameter "shared" does not apply to POST, which sends a body of its own (a Swagger 2.0 operation sends one body or one form)`,
				`spec.yaml:10:11: #/paths/~1a/post/parameters/1: warning: body parameter "extra": a Swagger 2.0 operation has one body at most ("own" is kept); dropped`,
			},
			func(d *openapi3.T) string {
				a := d.Paths.Value("/a")
				post := a.Post.RequestBody.Value.Content.Get("application/json").Schema.Value
				put := a.Put.RequestBody.Value.Content.Get("application/json").Schema.Value
				if !post.Type.Is("string") || !put.Type.Is("object") || len(a.Parameters) != 0 {
					return fmt.Sprintf("post body %v, put body %v, path parameters %d", post.Type, put.Type, len(a.Parameters))
				}
				return ""
			}},
		{"Swagger 2.0: a path's body and an operation's own form (review)", sw2 + "paths:\n  /a:\n    parameters:\n      - {name: shared, in: body, schema: {type: object}}\n    post:\n      consumes: [multipart/form-data]\n      parameters:\n        - {name: file, in: formData, type: file}\n      responses: {'200': {description: ok}}\n",
			[]string{
				`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
				`spec.yaml:6:9: #/paths/~1a/parameters/0: warning: the path's body parameter "shared" does not apply to POST, which sends a form of its own (a Swagger 2.0 operation sends one body or one form)`,
			},
			func(d *openapi3.T) string {
				b := d.Paths.Value("/a").Post.RequestBody.Value.Content.Get("multipart/form-data")
				if b == nil || b.Schema.Value.Properties["file"] == nil {
					return "want the operation's own form with its file"
				}
				return ""
			}},
		{"Swagger 2.0: body and formData together", sw2 + "paths:\n  /a:\n    post:\n      parameters:\n        - {name: f, in: formData, type: string}\n        - {name: b, in: body, schema: {type: object}}\n      responses: {'200': {description: ok}}\n",
			[]string{
				`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
				`spec.yaml:7:11: #/paths/~1a/post/parameters/0: warning: formData parameter "f" beside the body parameter "b" (a Swagger 2.0 operation sends one or the other); dropped`,
			},
			func(d *openapi3.T) string {
				if b := d.Paths.Value("/a").Post.RequestBody.Value.Content.Get("application/json"); b == nil || !b.Schema.Value.Type.Is("object") {
					return "body not kept"
				}
				return ""
			}},
		{"Swagger 2.0: undeclared path variable, nameless parameter component", sw2 + "parameters:\n  tag: {in: query, type: string}\n  q: {$ref: '#/parameters/tag'}\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - {$ref: '#/parameters/tag'}\n      responses: {'200': {description: ok}}\n",
			[]string{
				`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
				`spec.yaml:4:3: #/parameters/tag: warning: query parameter without a name (nothing can be sent for it); dropped`,
				`spec.yaml:5:7: #/parameters/q/$ref: warning: unresolvable $ref "#/parameters/tag" (no "tag" in #/parameters) in component #/parameters/q, which no operation uses; the component is dropped`,
				`spec.yaml:8:5: #/paths/~1a~1{id}/get: warning: path variable {id} has no parameter; read as a required string parameter`,
				`spec.yaml:10:11: #/paths/~1a~1{id}/get/parameters/0: warning: $ref "#/parameters/tag" leads to a query parameter without a name (nothing can be sent for it); dropped`,
			},
			func(d *openapi3.T) string {
				ps := d.Paths.Value("/a/{id}").Get.Parameters
				if len(ps) != 1 || ps[0].Value.Name != "id" || ps[0].Value.In != "path" || !ps[0].Value.Schema.Value.Type.Is("string") {
					return "want the one path parameter id"
				}
				return ""
			}},
		{"a cycle of pure $refs (speakeasy)", head + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    C: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n",
			[]string{`spec.yaml:7:8: #/components/schemas/B: warning: a cycle of schemas that are only $refs to each other (no schema at the end); read as any JSON value`},
			func(d *openapi3.T) string {
				s := d.Components.Schemas
				if s["B"].Value == nil || s["B"].Value.Type != nil || s["A"].Value != s["B"].Value || s["C"].Value.Properties["a"].Value != s["B"].Value {
					return "want A and C.a to be B, which takes any value"
				}
				return ""
			}},
		{"links naming no operation (speakeasy)", head + "paths:\n  /u:\n    get:\n      responses:\n        '200':\n          description: ok\n          links:\n            L: {$ref: '#/components/links/L'}\n            M: {parameters: {id: $response.body#/id}}\n            N: {operationId: getU}\ncomponents:\n  links:\n    L: {description: nothing}\n",
			[]string{
				`spec.yaml:10:13: #/paths/~1u/get/responses/200/links/L: warning: link "L" refers to "#/components/links/L", which names no operation (operationId or operationRef is required); dropped`,
				`spec.yaml:11:13: #/paths/~1u/get/responses/200/links/M: warning: link "M" names no operation (operationId or operationRef is required); dropped`,
				`spec.yaml:15:5: #/components/links/L: warning: link "L" names no operation (operationId or operationRef is required); dropped`,
			},
			func(d *openapi3.T) string {
				if links := d.Paths.Value("/u").Get.Responses.Value("200").Value.Links; len(links) != 1 || links["N"] == nil {
					return "want only link N"
				}
				return ""
			}},
		{"request bodies without content", head + "paths:\n  /a:\n    post:\n      requestBody: {description: d}\n      responses: {'200': {description: ok}}\n    put:\n      requestBody: {$ref: '#/components/requestBodies/R'}\n      responses: {'200': {description: ok}}\ncomponents:\n  requestBodies:\n    R: {required: true}\n",
			[]string{
				`spec.yaml:6:20: #/paths/~1a/post/requestBody: warning: request body without content (required); read as no body`,
				`spec.yaml:13:8: #/components/requestBodies/R: warning: request body without content (required); read as no body`,
			},
			func(d *openapi3.T) string {
				a := d.Paths.Value("/a")
				if a.Post.RequestBody.Value.Content == nil || len(a.Post.RequestBody.Value.Content) != 0 || len(a.Put.RequestBody.Value.Content) != 0 {
					return "want empty content"
				}
				return ""
			}},
		{"Swagger 2.0: body parameter without schema (go-swagger)", sw2 + "parameters:\n  B: {name: b, in: body, required: true}\npaths:\n  /a:\n    post:\n      parameters: [{$ref: '#/parameters/B'}]\n      responses: {'200': {description: ok}}\n",
			[]string{
				`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
				`spec.yaml:4:6: #/parameters/B: warning: body parameter without schema (required); read as any JSON value`,
			},
			func(d *openapi3.T) string {
				if b := d.Paths.Value("/a").Post.RequestBody.Value.Content.Get("application/json"); b == nil || b.Schema.Value.Type != nil {
					return "want a JSON body of any value"
				}
				return ""
			}},
		{"OAuth 2 flows without their URLs (go-openapi)", head + "paths: {}\ncomponents:\n  securitySchemes:\n    o:\n      type: oauth2\n      flows:\n        implicit: {authorizationUrl: 'https://{tenant}.example.com/auth', tokenUrl: 'https://x/t', scopes: {}}\n        password: {scopes: {}}\n        clientCredentials: {tokenUrl: 'https://x/t'}\n        authorizationCode: {authorizationUrl: 'https://x/a', tokenUrl: 'https://x/t', refreshUrl: 'https://x/r', scopes: {read: r}}\n",
			[]string{
				`spec.yaml:9:9: #/components/securitySchemes/o/flows/implicit: warning: OAuth 2 flow "implicit" has an authorizationUrl that is not a URL ("https://{tenant}.example.com/auth"); dropped (the token is still sent)`,
				`spec.yaml:10:9: #/components/securitySchemes/o/flows/password: warning: OAuth 2 flow "password" has no tokenUrl; dropped (the token is still sent)`,
				`spec.yaml:11:9: #/components/securitySchemes/o/flows/clientCredentials: warning: OAuth 2 flow "clientCredentials" has no scopes; dropped (the token is still sent)`,
			},
			func(d *openapi3.T) string {
				f := d.Components.SecuritySchemes["o"].Value.Flows
				if f.Implicit != nil || f.Password != nil || f.ClientCredentials != nil || f.AuthorizationCode == nil || f.AuthorizationCode.Scopes["read"] != "r" {
					return "want only the authorizationCode flow"
				}
				return ""
			}},
		{"Swagger 2.0: an OAuth 2 flow without its URL", sw2 + "securityDefinitions:\n  o: {type: oauth2, flow: accessCode, tokenUrl: 'https://x/t', scopes: {}}\nsecurity: [{o: []}]\npaths: {}\n",
			[]string{
				`spec.yaml:1:1: #/swagger: warning: Swagger 2.0 document converted to OpenAPI 3.0.3`,
				`spec.yaml:4:21: #/securityDefinitions/o/flow: warning: OAuth 2 flow "accessCode" has no authorizationUrl; dropped (the token is still sent)`,
			},
			func(d *openapi3.T) string {
				o := d.Components.SecuritySchemes["o"]
				if o == nil || o.Value.Type != "oauth2" || o.Value.Flows == nil || o.Value.Flows.AuthorizationCode != nil || len(d.Security) != 1 {
					return "want the oauth2 scheme kept, without flows, still required"
				}
				return ""
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := wantWarnings(t, c.in, c.want)
			if c.check != nil {
				if msg := c.check(doc.Doc); msg != "" {
					t.Error(msg)
				}
			}
			if _, err := Data(context.Background(), "spec.yaml", []byte(c.in), Options{Strict: true}); err == nil {
				t.Errorf("strict: no error")
			}
		})
	}
}

// wantWarnings loads in leniently and checks that its diagnostics are
// exactly want (their String forms, in order).
func wantWarnings(t *testing.T, in string, want []string) *Document {
	t.Helper()
	doc, err := Data(context.Background(), "spec.yaml", []byte(in), Options{})
	if err != nil {
		t.Fatalf("lenient: %v", err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		got = append(got, d.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	return doc
}
