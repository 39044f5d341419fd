package load

import (
	"context"
	"testing"
)

// Repairs found by running kiiexgen over public real-world specs (GitHub,
// Superset, Pokemon and ogen's corpus): each has one obvious reading, is a
// warning in lenient mode and an error with Strict.
func TestMoreRepairs(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"missing info", "openapi: 3.0.3\npaths: {}\n",
			[]string{`spec.yaml:1:1: #/info: warning: the document has no info object (required); title and version "-" are used`}},
		{"components only", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents: {schemas: {A: {type: string}}}\n",
			[]string{`spec.yaml:1:1: #/paths: warning: the document has no paths; read as an empty paths object (models only)`}},
		{"info without version", "openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n",
			[]string{`spec.yaml:2:1: #/info/version: warning: info has no version (required); "-" is used`}},
		{"undeclared path variable", head + "paths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:5:5: #/paths/~1a~1{id}/get: warning: path variable {id} has no parameter; read as a required string parameter`}},
		{"path parameter not in the path", head + "paths:\n  /a/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: extra, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
			[]string{`spec.yaml:8:11: #/paths/~1a~1{id}/get/parameters: warning: path parameter "extra" does not occur in the path /a/{id}; dropped`}},
		{"array without items", head + "paths: {}\ncomponents:\n  schemas:\n    A: {type: array}\n",
			[]string{`spec.yaml:6:9: #/components/schemas/A: warning: array schema without items; elements are read as any JSON value`}},
		{"tuple items", head + "paths: {}\ncomponents:\n  schemas:\n    A: {type: array, items: [{type: string}, {type: integer}]}\n",
			[]string{`spec.yaml:6:22: #/components/schemas/A/items: warning: a list of item schemas (a tuple) is not OpenAPI; elements are read as any JSON value`}},
		{"unquoted null type", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: [string, null]}\n",
			[]string{`spec.yaml:6:24: #/components/schemas/A/type: warning: YAML null in a type list; read as the type name "null"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantWarnings(t, c.in, c.want)
			if _, err := Data(context.Background(), "spec.yaml", []byte(c.in), Options{Strict: true}); err == nil {
				t.Errorf("strict: no error")
			}
		})
	}
}
