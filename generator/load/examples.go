package load

import (
	"context"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// exampleMode is the direction kin-openapi checks an example in: a request
// body's as a request (no readOnly property), a response's as a response
// (no writeOnly property), anything else as neither.
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
//
// It also finds, for each schema, the object it is written in (a
// component, an operation), in the context errors kin-openapi would be
// wrapped in there: a document without Origins (a converted Swagger 2.0
// one) places its findings by that context.
type exampleChecker struct {
	l    *loader
	g    *schemaGraph
	ctx  context.Context // version options, for Example.Validate
	v31  bool
	seen map[any]bool
	// wrap puts an error in the context of what is being walked.
	wrap  func(error) error
	owner map[*openapi3.Schema]func(error) error
}

func noContext(err error) error { return err }

func (l *loader) newExampleChecker(doc *openapi3.T, g *schemaGraph) *exampleChecker {
	c := &exampleChecker{l: l, g: g, v31: doc.IsOpenAPI31OrLater(), seen: make(map[any]bool),
		wrap: noContext, owner: make(map[*openapi3.Schema]func(error) error)}
	c.ctx = openapi3.WithValidationOptions(l.ctx, versionOptions(doc)...)
	return c
}

// document checks the examples of doc's media types and parameters, and
// finds the owners of its schemas; components first, as kin-openapi
// validates them.
func (c *exampleChecker) document(doc *openapi3.T) {
	if cs := doc.Components; cs != nil {
		for _, k := range sortedKeys(cs.Schemas) {
			c.in(&openapi3.ComponentValidationError{Section: "schema", Name: k})
			c.own(cs.Schemas[k])
		}
		for _, k := range sortedKeys(cs.Parameters) {
			if r := cs.Parameters[k]; r != nil {
				c.in(&openapi3.ComponentValidationError{Section: "parameter", Name: k})
				c.parameter(r.Value, asNeither)
			}
		}
		for _, k := range sortedKeys(cs.Headers) {
			if r := cs.Headers[k]; r != nil {
				c.in(&openapi3.ComponentValidationError{Section: "header", Name: k})
				c.header(r.Value, asNeither)
			}
		}
		for _, k := range sortedKeys(cs.RequestBodies) {
			if r := cs.RequestBodies[k]; r != nil && r.Value != nil {
				c.in(&openapi3.ComponentValidationError{Section: "request body", Name: k})
				c.content(r.Value.Content, asRequest)
			}
		}
		for _, k := range sortedKeys(cs.Responses) {
			c.in(&openapi3.ComponentValidationError{Section: "response", Name: k})
			c.response(cs.Responses[k])
		}
		for _, k := range sortedKeys(cs.Callbacks) {
			c.in(&openapi3.ComponentValidationError{Section: "callback", Name: k})
			c.callback(cs.Callbacks[k])
		}
	}
	if doc.Paths != nil {
		m := doc.Paths.Map()
		for _, k := range sortedKeys(m) {
			c.in(&openapi3.PathValidationError{Path: k})
			c.pathItem(m[k])
		}
	}
	for _, k := range sortedKeys(doc.Webhooks) {
		c.in(&openapi3.WebhookValidationError{Name: k})
		c.pathItem(doc.Webhooks[k])
	}
}

// in sets the context of what follows to w (whose Cause is filled in for
// each error).
func (c *exampleChecker) in(w error) {
	c.wrap = contextWrap(w, nil)
}

// contextWrap returns a function wrapping an error in a copy of w, itself
// wrapped by outer (nil: nothing).
func contextWrap(w error, outer func(error) error) func(error) error {
	return func(err error) error {
		var e error
		switch w := w.(type) {
		case *openapi3.ComponentValidationError:
			e = &openapi3.ComponentValidationError{Section: w.Section, Name: w.Name, Cause: err}
		case *openapi3.PathValidationError:
			e = &openapi3.PathValidationError{Path: w.Path, Cause: err}
		case *openapi3.WebhookValidationError:
			e = &openapi3.WebhookValidationError{Name: w.Name, Cause: err}
		case *openapi3.OperationValidationError:
			e = &openapi3.OperationValidationError{Method: w.Method, Cause: err}
		default:
			e = err
		}
		if outer != nil {
			return outer(e)
		}
		return e
	}
}

// own gives the schemas written inside r's schema the current context,
// unless they have one.
func (c *exampleChecker) own(r *openapi3.SchemaRef) {
	if r == nil || r.Ref != "" || r.Value == nil {
		return
	}
	stack := []*openapi3.Schema{r.Value}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.owner[s] != nil {
			continue
		}
		c.owner[s] = c.wrap
		stack = append(stack, c.g.inline[s]...)
	}
}

// sortedKeys returns a map's keys in byte order.
func sortedKeys[M ~map[string]V, V any](m M) []string { return slices.Sorted(maps.Keys(m)) }

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
	outer := c.wrap
	defer func() { c.wrap = outer }()
	for _, m := range sortedKeys(ops) {
		op := ops[m]
		if op == nil {
			continue
		}
		c.wrap = contextWrap(&openapi3.OperationValidationError{Method: m}, outer)
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
	outer := c.wrap
	defer func() { c.wrap = outer }()
	for _, k := range sortedKeys(m) {
		c.wrap = contextWrap(&openapi3.PathValidationError{Path: k}, outer)
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
		c.own(h.Schema)
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
		c.own(mt.Schema)
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
	c.own(p.Schema)
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
	c.l.kinDiag(c.wrap(&openapi3.ExampleViolatesSchema{SchemaValueError: openapi3.SchemaValueError{ValueKind: "example", Cause: cause, Origin: origin}}))
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
