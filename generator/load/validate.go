package load

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// kin-openapi validates every component, and every schema of a parameter
// or a media type, on its own, following $refs into the schemas it
// reaches: a document whose schemas refer to each other (S0 -> S1 -> ...)
// costs time quadratic in their number. validate therefore hands it the
// document with every $ref'd schema replaced by an empty one (a stub), so
// that each call sees only the schema's own inline tree, and validates each
// $ref target once: through its component, or on its own. The second pass
// checks examples and defaults against whole schemas, each once: see
// validateExamples.

// schemaGraph is what validate needs to know of a document's schemas.
type schemaGraph struct {
	refs    []*openapi3.SchemaRef // every $ref with a resolved value, once
	targets []*openapi3.Schema    // their values, in the same order
	// inline leads from each schema to the schemas written inside it.
	inline map[*openapi3.Schema][]*openapi3.Schema
	// own are the schemas holding an example or a default (each once);
	// examples is set when anything holds an example or a default.
	own      []*openapi3.Schema
	examples bool
	seen     map[visitKey]bool
}

type visitKey struct {
	t reflect.Type
	p uintptr
}

var (
	schemaRefType = reflect.TypeFor[openapi3.SchemaRef]()
	schemaType    = reflect.TypeFor[openapi3.Schema]()
	parameterType = reflect.TypeFor[openapi3.Parameter]()
	mediaTypeType = reflect.TypeFor[openapi3.MediaType]()
)

func newSchemaGraph(doc *openapi3.T) *schemaGraph {
	g := &schemaGraph{inline: make(map[*openapi3.Schema][]*openapi3.Schema), seen: make(map[visitKey]bool)}
	g.walk(reflect.ValueOf(doc), nil)
	g.seen = nil
	return g
}

// walk finds the schemas and $refs under v by reflection (so no field of
// kin-openapi's model is missed); parent is the schema whose inline tree v
// belongs to. Values of type any hold data (examples, extensions), never
// schemas, and are not entered.
func (g *schemaGraph) walk(v reflect.Value, parent *openapi3.Schema) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Type() == originType {
			return
		}
		k := visitKey{v.Type(), v.Pointer()}
		if g.seen[k] {
			if v.Type().Elem() == schemaRefType {
				g.edge(parent, v.Interface().(*openapi3.SchemaRef))
			}
			return
		}
		g.seen[k] = true
		switch v.Type().Elem() {
		case schemaRefType:
			r := v.Interface().(*openapi3.SchemaRef)
			if r.Ref != "" && r.Value != nil {
				g.refs = append(g.refs, r)
				g.targets = append(g.targets, r.Value)
			}
			g.edge(parent, r)
		case schemaType:
			s := v.Interface().(*openapi3.Schema)
			if s.Example != nil || s.Default != nil {
				g.own = append(g.own, s)
				g.examples = true
			}
			parent = s
		}
		g.walk(v.Elem(), parent)
	case reflect.Struct:
		switch v.Type() {
		case parameterType, mediaTypeType:
			if !v.FieldByName("Example").IsNil() || v.FieldByName("Examples").Len() > 0 {
				g.examples = true
			}
		}
		for _, i := range exportedFields(v.Type()) {
			g.walk(v.Field(i), parent)
		}
		// Paths, Responses and Callback keep their entries unexported.
		if v.CanAddr() {
			switch m := v.Addr().Interface().(type) {
			case *openapi3.Paths:
				g.walk(reflect.ValueOf(m.Map()), parent)
			case *openapi3.Responses:
				g.walk(reflect.ValueOf(m.Map()), parent)
			case *openapi3.Callback:
				g.walk(reflect.ValueOf(m.Map()), parent)
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			g.walk(it.Value(), parent)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			g.walk(v.Index(i), parent)
		}
	}
}

// exportedFields lists the indexes of t's exported fields that can hold a
// schema: kin-openapi's own types and containers of them (not data of type
// any, not strings or numbers, not Origins); computed once per type.
// Walking the others found nothing, at the cost of a reflective step per
// field of every object.
func exportedFields(t reflect.Type) []int {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Type.Kind() != reflect.Interface && f.Type != originType && mayHoldOrigin(f.Type) {
			out = append(out, i)
		}
	}
	fieldCache.Store(t, out)
	return out
}

var fieldCache sync.Map // reflect.Type -> []int

// edge records that parent holds r, when written inside it.
func (g *schemaGraph) edge(parent *openapi3.Schema, r *openapi3.SchemaRef) {
	if parent != nil && r.Value != nil {
		if r.Ref == "" {
			g.inline[parent] = append(g.inline[parent], r.Value)
		}
	}
}

// stub replaces the value of each $ref whose target keep refuses by stub;
// restore undoes it.
func (g *schemaGraph) stub(keep func(*openapi3.Schema) bool) {
	stub := &openapi3.Schema{}
	for i, r := range g.refs {
		if !keep(g.targets[i]) {
			r.Value = stub
		}
	}
}

func (g *schemaGraph) restore() {
	for i, r := range g.refs {
		r.Value = g.targets[i]
	}
}

// validate runs kin-openapi's validation and turns its findings into
// diagnostics.
//
// It runs twice: once without validating examples and defaults, so that an
// invalid example cannot hide a structural finding of the same object
// (kin-openapi stops at the first finding of a schema), then for examples
// and defaults only. Both take time linear in the document's size (see
// schemaGraph and validateExamples).
func (l *loader) validate(doc *openapi3.T) {
	g := newSchemaGraph(doc)
	defer g.restore()

	// Pass 1: every $ref stubbed. Component definitions are validated
	// through the components; every other $ref target on its own.
	g.stub(func(*openapi3.Schema) bool { return false })
	structural := []openapi3.ValidationOption{openapi3.EnableMultiError(),
		openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation()}
	cctx := openapi3.WithValidationOptions(l.ctx, append(structural, versionOptions(doc)...)...)
	for _, e := range docFindings(l.ctx, doc, structural, runtime.GOMAXPROCS(0)) {
		if !l.componentName(cctx, doc, e) {
			l.kinDiag(e)
		}
	}
	defs := make(map[*openapi3.Schema]bool)
	if doc.Components != nil {
		for _, r := range doc.Components.Schemas {
			if r != nil && r.Ref == "" && r.Value != nil {
				defs[r.Value] = true
			}
		}
	}
	ctx := openapi3.WithValidationOptions(l.ctx, append(structural, versionOptions(doc)...)...)
	done := make(map[*openapi3.Schema]bool)
	for _, t := range g.targets {
		if defs[t] || done[t] {
			continue
		}
		done[t] = true
		for _, e := range multi(t.Validate(ctx)) {
			l.kinDiag(e)
		}
	}
	g.restore()

	// Pass 2: examples and defaults, against whole schemas.
	if g.examples {
		l.validateExamples(doc, g)
	}
}

// validateExamples checks examples and defaults in time linear in the
// document. kin-openapi checks a schema's example and default (always
// against the schema alone, never as a request or a response) each time a
// validation reaches the schema, and an example of a media type or a
// parameter after validating its whole schema again; and it reports only
// the first finding of each validation. Here each is checked once, with
// kin-openapi's own value check and error types (see checkOuterExamples).
func (l *loader) validateExamples(doc *openapi3.T, g *schemaGraph) {
	c := l.newExampleChecker(doc, g)
	c.document(doc)
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	if c.v31 {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	for _, s := range g.own {
		wrap := c.owner[s]
		if wrap == nil {
			wrap = noContext
		}
		// kin-openapi checks the default first and stops at its finding.
		if s.Default != nil {
			if err := s.VisitJSON(s.Default, opts...); err != nil {
				l.kinDiag(wrap(&openapi3.DefaultViolatesSchema{SchemaValueError: openapi3.SchemaValueError{ValueKind: "default", Cause: err, Origin: s.Origin}}))
				continue
			}
		}
		if s.Example != nil {
			if err := s.VisitJSON(s.Example, opts...); err != nil {
				l.kinDiag(wrap(&openapi3.ExampleViolatesSchema{SchemaValueError: openapi3.SchemaValueError{ValueKind: "example", Cause: err, Origin: s.Origin}}))
			}
		}
	}
}

// versionOptions are the options doc.Validate adds for the document's
// version; a schema validated on its own needs them too.
func versionOptions(doc *openapi3.T) []openapi3.ValidationOption {
	var opts []openapi3.ValidationOption
	if doc.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.IsOpenAPI31OrLater())
	}
	if doc.IsOpenAPI32OrLater() {
		opts = append(opts, openapi3.IsOpenAPI32OrLater())
	}
	return opts
}

// docFindings is multi(doc.Validate(ctx, opts...)), with the components
// validated on another goroutine when there are many: doc.Validate checks
// each section on its own, the components first (after the findings of
// the document's own fields), so the rest of the document is validated
// with only the security schemes of its components (which the security
// requirements are checked against) and their findings are put in the
// place of the components' findings.
func docFindings(ctx context.Context, doc *openapi3.T, opts []openapi3.ValidationOption, procs int) []error {
	cs := doc.Components
	if procs < 2 || cs == nil || len(cs.Schemas)+len(cs.Parameters)+len(cs.Responses) < 64 || doc.Paths.Len() < 16 {
		return multi(doc.Validate(ctx, opts...))
	}
	var comps []error
	done := make(chan any)
	go func() {
		defer func() { done <- recover() }()
		cctx := openapi3.WithValidationOptions(ctx, slices.Concat(opts, versionOptions(doc))...)
		flattenWrapped(cs.Validate(cctx), func(e error) error {
			return &openapi3.SectionValidationError{Section: "components", Cause: e}
		}, &comps)
	}()
	rest := *doc
	rest.Components = &openapi3.Components{SecuritySchemes: cs.SecuritySchemes}
	found := multi(rest.Validate(ctx, opts...))
	if r := <-done; r != nil {
		panic(r)
	}
	i := 0
	for i < len(found) && leadingFinding(found[i]) {
		i++
	}
	j := i
	for j < len(found) && inSection(found[j], "components") {
		j++
	}
	out := make([]error, 0, len(found)-(j-i)+len(comps))
	out = append(out, found[:i]...)
	out = append(out, comps...)
	return append(out, found[j:]...)
}

// flattenWrapped appends err's findings to out as kin-openapi's error
// collector does for a section: nested MultiErrors flattened, each
// finding wrapped.
func flattenWrapped(err error, wrap func(error) error, out *[]error) {
	if err == nil {
		return
	}
	if me, ok := err.(openapi3.MultiError); ok {
		for _, sub := range me {
			flattenWrapped(sub, wrap, out)
		}
		return
	}
	*out = append(*out, wrap(err))
}

// leadingFinding reports whether e is one of the findings doc.Validate
// makes before it validates the components: of the document's own
// fields, not wrapped in a section.
func leadingFinding(e error) bool {
	if _, ok := e.(*openapi3.SectionValidationError); ok {
		return false
	}
	var v *openapi3.OpenAPIVersionRequired
	var w *openapi3.WebhooksFieldFor31Plus
	var d *openapi3.JSONSchemaDialectFieldFor31Plus
	return errors.As(e, &v) || errors.As(e, &w) || errors.As(e, &d)
}

func inSection(e error, section string) bool {
	s, ok := e.(*openapi3.SectionValidationError)
	return ok && s.Section == section
}
