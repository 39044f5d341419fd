package load

import (
	"context"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// exampleMode is the direction kin-openapi checks an example in: a request
// body's example as a request (readOnly properties may be absent...), a
// response's as a response, anything else as neither.
type exampleMode int

const (
	asNeither exampleMode = iota
	asRequest
	asResponse
)

// exampleChecker checks the examples of media types and parameters as
// kin-openapi's validation does (MediaType.Validate, Parameter.Validate),
// but each once, against the schema as it is, without validating the
// schema again from every place that uses it.
type exampleChecker struct {
	l    *loader
	ctx  context.Context // version options, for Example.Validate
	v31  bool
	seen map[any]bool
}

func (l *loader) checkOuterExamples(doc *openapi3.T) {
	c := &exampleChecker{l: l, v31: doc.IsOpenAPI31OrLater(), seen: make(map[any]bool)}
	c.ctx = openapi3.WithValidationOptions(l.ctx, versionOptions(doc)...)
	if doc.Paths != nil {
		m := doc.Paths.Map()
		for _, k := range sortedKeys(m) {
			c.pathItem(m[k])
		}
	}
	for _, k := range sortedKeys(doc.Webhooks) {
		c.pathItem(doc.Webhooks[k])
	}
	if cs := doc.Components; cs != nil {
		for _, k := range sortedKeys(cs.Parameters) {
			if r := cs.Parameters[k]; r != nil {
				c.parameter(r.Value, asNeither)
			}
		}
		for _, k := range sortedKeys(cs.Headers) {
			if r := cs.Headers[k]; r != nil {
				c.header(r.Value, asNeither)
			}
		}
		for _, k := range sortedKeys(cs.RequestBodies) {
			if r := cs.RequestBodies[k]; r != nil && r.Value != nil {
				c.content(r.Value.Content, asRequest)
			}
		}
		for _, k := range sortedKeys(cs.Responses) {
			c.response(cs.Responses[k])
		}
		for _, k := range sortedKeys(cs.Callbacks) {
			c.callback(cs.Callbacks[k])
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (c *exampleChecker) once(x any, mode exampleMode) bool {
	type key struct {
		x    any
		mode exampleMode
	}
	k := key{x, mode}
	if x == nil || c.seen[k] {
		return false
	}
	c.seen[k] = true
	return true
}

func (c *exampleChecker) pathItem(p *openapi3.PathItem) {
	if p == nil || !c.once(p, asNeither) {
		return
	}
	for _, r := range p.Parameters {
		if r != nil {
			c.parameter(r.Value, asNeither)
		}
	}
	ops := p.Operations()
	for _, m := range sortedKeys(ops) {
		op := ops[m]
		if op == nil {
			continue
		}
		for _, r := range op.Parameters {
			if r != nil {
				c.parameter(r.Value, asNeither)
			}
		}
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			c.content(op.RequestBody.Value.Content, asRequest)
		}
		if op.Responses != nil {
			rs := op.Responses.Map()
			for _, k := range sortedKeys(rs) {
				c.response(rs[k])
			}
		}
		for _, k := range sortedKeys(op.Callbacks) {
			c.callback(op.Callbacks[k])
		}
	}
}

func (c *exampleChecker) callback(r *openapi3.CallbackRef) {
	if r == nil || r.Value == nil {
		return
	}
	m := r.Value.Map()
	for _, k := range sortedKeys(m) {
		c.pathItem(m[k])
	}
}

func (c *exampleChecker) response(r *openapi3.ResponseRef) {
	if r == nil || r.Value == nil {
		return
	}
	c.content(r.Value.Content, asResponse)
	for _, k := range sortedKeys(r.Value.Headers) {
		if h := r.Value.Headers[k]; h != nil {
			c.header(h.Value, asResponse)
		}
	}
}

// header: kin-openapi checks no example of a header's own, only those of
// its content.
func (c *exampleChecker) header(h *openapi3.Header, mode exampleMode) {
	if h != nil {
		c.content(h.Content, mode)
	}
}

func (c *exampleChecker) content(content openapi3.Content, mode exampleMode) {
	for _, k := range sortedKeys(content) {
		mt := content[k]
		if mt == nil || !c.once(mt, mode) {
			continue
		}
		for _, ek := range sortedKeys(mt.Encoding) {
			if e := mt.Encoding[ek]; e != nil {
				for _, hk := range sortedKeys(e.Headers) {
					if h := e.Headers[hk]; h != nil {
						c.header(h.Value, mode)
					}
				}
			}
		}
		if mt.Schema == nil || mt.Schema.Value == nil || mt.Example != nil && mt.Examples != nil {
			continue
		}
		s := mt.Schema.Value
		if mt.Example != nil {
			if err := c.visit(s, mt.Example, mode); err != nil {
				c.report(err, mt.Origin)
			}
			continue
		}
		for _, ek := range sortedKeys(mt.Examples) {
			v := mt.Examples[ek]
			if v == nil || v.Validate(c.ctx) != nil || v.Value == nil {
				break
			}
			if err := c.visit(s, v.Value.Value, mode); err != nil {
				c.report(&openapi3.MediaTypeExampleValidationError{ExampleName: ek, Cause: err}, valueOrigin(v.Value, mt.Origin))
				break
			}
		}
	}
}

func (c *exampleChecker) parameter(p *openapi3.Parameter, mode exampleMode) {
	if p == nil || !c.once(p, mode) {
		return
	}
	c.content(p.Content, mode)
	if p.Schema == nil || p.Schema.Value == nil || p.Example != nil && p.Examples != nil {
		return
	}
	s := p.Schema.Value
	if p.Example != nil {
		if err := c.visit(s, p.Example, mode); err != nil {
			c.report(err, p.Origin)
		}
		return
	}
	for _, ek := range sortedKeys(p.Examples) {
		v := p.Examples[ek]
		if v == nil || v.Validate(c.ctx) != nil || v.Value == nil {
			return
		}
		if err := c.visit(s, v.Value.Value, mode); err != nil {
			c.report(&openapi3.ParameterExampleValidationError{ExampleName: ek, Cause: err}, valueOrigin(v.Value, p.Origin))
			return
		}
	}
}

// visit is kin-openapi's validateExampleValue.
func (c *exampleChecker) visit(s *openapi3.Schema, value any, mode exampleMode) error {
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	switch mode {
	case asRequest:
		opts = append(opts, openapi3.VisitAsRequest())
	case asResponse:
		opts = append(opts, openapi3.VisitAsResponse())
	}
	if c.v31 {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	return s.VisitJSON(value, opts...)
}

func (c *exampleChecker) report(cause error, origin *openapi3.Origin) {
	c.l.kinDiag(&openapi3.ExampleViolatesSchema{SchemaValueError: openapi3.SchemaValueError{ValueKind: "example", Cause: cause, Origin: origin}})
}

// valueOrigin is kin-openapi's exampleValueOrigin: the position of a named
// example's "value", else of the example, else fallback.
func valueOrigin(ex *openapi3.Example, fallback *openapi3.Origin) *openapi3.Origin {
	if ex == nil || ex.Origin == nil {
		return fallback
	}
	if loc, ok := ex.Origin.Fields.Lookup("value"); ok {
		return &openapi3.Origin{Key: &loc}
	}
	return ex.Origin
}
