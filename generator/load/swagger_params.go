package load

import (
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
)

// swagger2CSV restores Swagger 2.0's default collectionFormat, csv, on array
// query parameters that do not name one: openapi2conv leaves their style and
// explode unset, which OpenAPI 3 reads as exploded form (ids=1&ids=2) rather
// than the ids=1,2 the Swagger document means.
func swagger2CSV(doc2 *openapi2.T, doc *openapi3.T) {
	isCSV := func(p *openapi2.Parameter) bool {
		return p != nil && p.Ref == "" && p.In == "query" && p.CollectionFormat == "" && p.Type != nil && p.Type.Is("array")
	}
	fix := func(p *openapi3.Parameter) {
		if p != nil && p.Style == "" && p.Explode == nil {
			p.Style = openapi3.SerializationForm
			p.Explode = openapi3.Ptr(false)
		}
	}
	if doc.Components != nil {
		for name, p := range doc2.Parameters {
			if c := doc.Components.Parameters[name]; isCSV(p) && c != nil {
				fix(c.Value)
			}
		}
	}
	match := func(params2 openapi2.Parameters, params3 openapi3.Parameters) {
		for _, p := range params2 {
			if !isCSV(p) {
				continue
			}
			for _, q := range params3 {
				if q != nil && q.Ref == "" && q.Value != nil && q.Value.In == "query" && q.Value.Name == p.Name {
					fix(q.Value)
				}
			}
		}
	}
	if doc.Paths == nil {
		return
	}
	for path, item := range doc2.Paths {
		item3 := doc.Paths.Value(path)
		if item == nil || item3 == nil {
			continue
		}
		match(item.Parameters, item3.Parameters)
		for method, op := range item.Operations() {
			if op3 := item3.GetOperation(method); op != nil && op3 != nil {
				match(op.Parameters, op3.Parameters)
			}
		}
	}
}
