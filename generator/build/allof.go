package build

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// allOf is an intersection: a value must satisfy every part. When two parts
// declare the same property, the property's schema is the intersection of
// the two declarations, which is what refine computes as far as a Go type
// can tell: where one side leaves the value open, the other side; the same
// primitive type with different formats, that type (a format survives only
// when both agree); two $refs where one includes the other through allOf,
// the narrower; arrays, the intersection of their items; objects, a struct
// of both property sets; a $ref and an inline schema of the same type, the
// $ref (a named type). Those are silent: the spec is valid and means that.
// Anything else has no exact Go reading: unrelated $refs or shapes take the
// later (more derived) declaration, and incompatible primitive types
// (string and integer) any JSON value, each with a warning (Kind
// allof-conflict), which -strict makes an error.

// refinement is the outcome of intersecting two property declarations.
type refinement struct {
	ref *openapi3.SchemaRef
	// why is set when the result is a guess, for the warning.
	why string
}

const maxRefineDepth = 16

// refine intersects the declarations a (earlier) and c (later, more
// derived) of one property.
func refine(a, c *openapi3.SchemaRef, depth int) refinement {
	if a == nil || a.Value == nil {
		return refinement{ref: c}
	}
	if c == nil || c.Value == nil {
		return refinement{ref: a}
	}
	if a == c || a.Value == c.Value || a.Ref != "" && a.Ref == c.Ref {
		return refinement{ref: a}
	}
	if depth > maxRefineDepth {
		return refinement{ref: c, why: "nested too deeply to compare"}
	}
	switch {
	case unconstrained(c.Value):
		return refinement{ref: a}
	case unconstrained(a.Value):
		return refinement{ref: c}
	}
	if a.Ref != "" && c.Ref != "" {
		switch {
		case includes(c.Value, a.Value, 0):
			return refinement{ref: c}
		case includes(a.Value, c.Value, 0):
			return refinement{ref: a}
		}
		return refinement{ref: c, why: "neither $ref includes the other"}
	}
	// A $ref to an object against a union whose variants only narrow
	// properties the object declares: the object reads every value.
	if narrowsObject(c, a) {
		return refinement{ref: a}
	}
	if narrowsObject(a, c) {
		return refinement{ref: c}
	}
	ta, tc := simpleType(a.Value), simpleType(c.Value)
	if ta == "" || tc == "" {
		// A union or composition on one side: no exact Go reading.
		return refinement{ref: c, why: "one side is a composition"}
	}
	if ta != tc {
		if ta == "integer" && tc == "number" {
			return refinement{ref: a}
		}
		if ta == "number" && tc == "integer" {
			return refinement{ref: c}
		}
		return refinement{ref: &openapi3.SchemaRef{Value: &openapi3.Schema{}}, why: "the types are incompatible; using json.RawMessage"}
	}
	// Same type. A $ref names it: prefer it, unless it is an object the
	// inline side adds properties to.
	if a.Ref != "" || c.Ref != "" {
		r, in := a, c
		if r.Ref == "" {
			r, in = c, a
		}
		if ta != "object" || in.Ref != "" || addsNothing(in.Value, r.Value) {
			return refinement{ref: r}
		}
		return refinement{ref: &openapi3.SchemaRef{Value: &openapi3.Schema{
			Type:     &openapi3.Types{"object"},
			Nullable: a.Value.Nullable && c.Value.Nullable,
			AllOf:    openapi3.SchemaRefs{a, c},
		}}}
	}
	switch ta {
	case "array":
		items := refine(a.Value.Items, c.Value.Items, depth+1)
		merged := *c.Value
		merged.Items = items.ref
		merged.Nullable = a.Value.Nullable && c.Value.Nullable
		return refinement{ref: &openapi3.SchemaRef{Value: &merged}, why: items.why}
	case "object":
		// One side declaring nothing the other does not (same names,
		// same shapes) adds nothing: keep the other, and its type.
		if sameProps(c.Value, a.Value) {
			return refinement{ref: a}
		}
		if sameProps(a.Value, c.Value) {
			return refinement{ref: c}
		}
		merged := &openapi3.Schema{
			Title: c.Value.Title, Description: c.Value.Description,
			Nullable: a.Value.Nullable && c.Value.Nullable,
			AllOf:    openapi3.SchemaRefs{a, c},
		}
		if t := c.Value.Type; t != nil {
			merged.Type = &openapi3.Types{"object"}
		}
		return refinement{ref: &openapi3.SchemaRef{Value: merged}}
	}
	// Primitives of one type: the side with an enum is the narrower;
	// a format survives only when both agree.
	if a.Value.Format == c.Value.Format && len(c.Value.Enum) == 0 && a.Value.Nullable == c.Value.Nullable {
		return refinement{ref: a}
	}
	if a.Value.Format == c.Value.Format && len(a.Value.Enum) == 0 && a.Value.Nullable == c.Value.Nullable {
		return refinement{ref: c}
	}
	base := c.Value
	if len(a.Value.Enum) > 0 && len(c.Value.Enum) == 0 {
		base = a.Value
	}
	merged := *base
	if a.Value.Format != c.Value.Format {
		merged.Format = ""
	}
	merged.Nullable = a.Value.Nullable && c.Value.Nullable
	return refinement{ref: &openapi3.SchemaRef{Value: &merged}}
}

// sameProps reports whether every property of x (an inline object without
// allOf) is declared by y with the same shape.
func sameProps(x, y *openapi3.Schema) bool {
	if len(x.AllOf) > 0 || len(y.AllOf) > 0 || x.AdditionalProperties.Schema != nil {
		return false
	}
	for n, p := range x.Properties {
		q, ok := y.Properties[n]
		if !ok || schemaSig(p) != schemaSig(q) {
			return false
		}
	}
	return true
}

// addsNothing reports whether every property the object x declares (allOf
// parts included) is one that y declares too.
func addsNothing(x, y *openapi3.Schema) bool {
	xn, yn := map[string]bool{}, map[string]bool{}
	propertyNames(x, xn, 0)
	propertyNames(y, yn, 0)
	for n := range xn {
		if !yn[n] {
			return false
		}
	}
	return true
}

// narrowsObject reports whether u is a oneOf/anyOf whose variants are
// objects declaring only properties that the object $ref r declares.
func narrowsObject(u, r *openapi3.SchemaRef) bool {
	if r.Ref == "" || simpleType(r.Value) != "object" {
		return false
	}
	alts := append(append(openapi3.SchemaRefs{}, u.Value.OneOf...), u.Value.AnyOf...)
	if len(alts) == 0 {
		return false
	}
	names := map[string]bool{}
	propertyNames(r.Value, names, 0)
	for _, v := range alts {
		if v == nil || v.Value == nil || simpleType(v.Value) != "object" && !unconstrained(v.Value) {
			return false
		}
		vn := map[string]bool{}
		propertyNames(v.Value, vn, 0)
		for n := range vn {
			if !names[n] {
				return false
			}
		}
	}
	return true
}

// propertyNames adds the names of s's properties, allOf parts included.
func propertyNames(s *openapi3.Schema, out map[string]bool, depth int) {
	if depth > maxRefineDepth {
		return
	}
	for n := range s.Properties {
		out[n] = true
	}
	for _, p := range s.AllOf {
		if p != nil && p.Value != nil {
			propertyNames(p.Value, out, depth+1)
		}
	}
}

// unconstrained reports whether s admits every JSON value (annotations
// aside).
func unconstrained(s *openapi3.Schema) bool {
	return len(schemaTypes(s)) == 0 && len(s.Properties) == 0 && s.Items == nil &&
		s.AdditionalProperties.Schema == nil && len(s.AllOf) == 0 && len(s.OneOf) == 0 &&
		len(s.AnyOf) == 0 && len(s.Enum) == 0 && s.Const == nil && s.Not == nil
}

// simpleType is the one JSON type of s, inferred from its keywords when
// "type" is absent, or "" for a composition or several types.
func simpleType(s *openapi3.Schema) string {
	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return ""
	}
	types := schemaTypes(s)
	switch {
	case len(types) == 1:
		return types[0]
	case len(types) > 1:
		return ""
	case len(s.AllOf) > 0, len(s.Properties) > 0, s.AdditionalProperties.Schema != nil:
		return "object"
	case s.Items != nil:
		return "array"
	}
	return ""
}

// includes reports whether s is t or includes it through allOf.
func includes(s, t *openapi3.Schema, depth int) bool {
	if s == t {
		return true
	}
	if depth > maxRefineDepth {
		return false
	}
	return slices.ContainsFunc(s.AllOf, func(p *openapi3.SchemaRef) bool {
		return p != nil && p.Value != nil && includes(p.Value, t, depth+1)
	})
}
