package load

import (
	"encoding/json"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// loadSwagger2 repairs a Swagger 2.0 tree and converts it to OpenAPI 3.
// A definition's discriminator (a property name in 2.0) becomes an OpenAPI 3
// discriminator without a mapping, and x-discriminator-value stays on the
// subtypes as an extension; the build stage turns such a base and the
// definitions extending it through allOf into a union (build/poly.go).
func (l *loader) loadSwagger2() (*openapi3.T, error) {
	if !l.prepare() {
		return nil, nil
	}
	em := l.emitRoot()
	var doc2 openapi2.T
	if err := json.Unmarshal(em.data, &doc2); err != nil {
		l.kinLoadError(err)
		return nil, nil
	}
	doc, err := openapi2conv.ToV3WithLoader(&doc2, l.kinLoader(), l.rootURL)
	if err != nil {
		l.kinLoadError(err)
		return nil, nil
	}
	if doc.Paths == nil {
		doc.Paths = openapi3.NewPaths()
	}
	swagger2CSV(&doc2, doc)
	if doc.Components != nil {
		for name, s := range doc.Components.SecuritySchemes {
			if l.noFlows2[name] && s != nil && s.Value != nil {
				s.Value.Flows = &openapi3.OAuthFlows{}
			}
		}
	}
	k, _ := get(l.root.root, "swagger")
	l.rep.notice("converted-swagger2", l.name, nodePos(k), "/swagger", "Swagger 2.0 document converted to OpenAPI "+doc.OpenAPI)
	l.fixDoc(doc)
	l.validate(doc)
	l.fixOrigins(doc)
	return doc, nil
}

// v2Prefixes map pointers of the converted document back to the Swagger
// 2.0 document's.
var v2Prefixes = [][2]string{
	{"/components/schemas/", "/definitions/"},
	{"/components/parameters/", "/parameters/"},
	{"/components/responses/", "/responses/"},
	{"/components/securitySchemes/", "/securityDefinitions/"},
}

func v2Pointer(ptr string) string {
	for _, p := range v2Prefixes {
		if strings.HasPrefix(ptr, p[0]) {
			return p[1] + ptr[len(p[0]):]
		}
	}
	return ptr
}
