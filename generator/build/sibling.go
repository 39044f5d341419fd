package build

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// siblingUnion maps a schema that declares properties (or allOf parts,
// which add theirs) beside two or more oneOf/anyOf alternatives. JSON Schema applies both to the same value:
// the object has the properties and also matches exactly one (oneOf) or at
// least one (anyOf) of the alternatives. Three shapes occur:
//
//   - every alternative only constrains the properties declared beside it
//     (Lob's "name or company is required": anyOf [{required: [name]},
//     {required: [company]}]): one struct of the properties, the rule
//     stated in its doc;
//   - some alternative is not an object (oneOf [boolean, object] with
//     properties, which only constrain the object): a union whose inline
//     object alternatives each carry the properties as well;
//   - otherwise: a struct of the properties with one more field, the
//     union of the alternatives (see ir.Type.Variant), decoded from the
//     same object and written into the same object.
//
// It returns nil, after a warning, when none fits (a $ref object
// alternative beside non-object ones, which would need a copy of the
// referenced type): the caller then ignores the properties.
func (b *builder) siblingUnion(s *openapi3.Schema, keep []unionAlt, key, hint, ptr string) *ir.GoType {
	anyOf := key == "anyOf"
	constraints, objects := true, true
	own := map[string]bool{}
	propertyNames(s, own, 0)
	for _, a := range keep {
		v := a.ref.Value
		if !objectLike(v) {
			objects = false
			continue
		}
		if !addsNoProperties(own, v) {
			constraints = false
		}
	}
	switch {
	case objects && constraints:
		t := b.newType(hint, ir.StructType, s, ptr)
		b.fillStruct(t, []propSource{{schema: s, ptr: ptr}}, ptr)
		t.Doc = docText(t.Doc, constraintDoc(keep, key))
		return named(t)
	case !objects:
		for _, a := range keep {
			if objectLike(a.ref.Value) && a.ref.Ref != "" {
				b.warn(ptr, "union-sibling-properties", "properties beside %s apply to its object alternatives, but %s is a $ref beside alternatives that are not objects; the properties are ignored", key, a.ref.Ref)
				return nil
			}
		}
		t := b.newType(hint, ir.UnionType, s, ptr)
		b.fillUnion(t, s, keep, key, anyOf, ptr, func(i int, name string) *ir.GoType {
			a := keep[i]
			if !objectLike(a.ref.Value) {
				return nil
			}
			// The properties constrain only an object: they join the
			// object alternatives.
			st := b.newType(name, ir.StructType, a.ref.Value, a.ptr)
			b.fillStruct(st, []propSource{{schema: s, ptr: ptr}, {schema: a.ref.Value, ptr: a.ptr}}, a.ptr)
			return named(st)
		})
		return named(t)
	}
	t := b.newType(hint, ir.StructType, s, ptr)
	b.fillStruct(t, []propSource{{schema: s, ptr: ptr}}, ptr)
	u := b.newType(t.Name+"Variant", ir.UnionType, nil, ptr)
	u.Ref = ""
	u.Role = ""
	rule := "exactly one"
	if anyOf {
		rule = "at least one"
	}
	u.Doc = fmt.Sprintf("%s is the %s alternative a %s matches besides its own properties (%s of them must match). It is decoded from the whole %s object.", u.Name, key, t.Name, rule, t.Name)
	w := b.fillUnion(u, s, keep, key, anyOf, ptr, nil)
	// null is the object's business, not the alternative's.
	u.Union.Nullable = false
	reserved := slices.Clone(fieldMethodNames)
	for _, f := range t.Fields {
		reserved = append(reserved, f.Name)
		w.beside = append(w.beside, f.JSONName)
	}
	w.beside = append(w.beside, t.Unmapped...)
	if t.Extra != nil {
		reserved = append(reserved, t.Extra.Name)
	}
	name := newNamer(reserved...).claim("Variant", "")
	t.Variant = &ir.Field{
		Name:     name,
		Type:     named(u),
		Required: true,
		Doc: fmt.Sprintf("%s is the %s alternative the object matches as well (%s of them must); it is decoded from the whole object. "+
			"MarshalJSON writes its members after the properties above, except a member one of them already wrote: a field above wins over the alternative's field of the same JSON name. It must not be nil when sent.",
			name, key, rule),
	}
	if t.Extra != nil {
		// The alternatives' members are not additional properties: the
		// map would hold a stale copy of each, written over the
		// alternative's own on encoding.
		names := map[string]bool{}
		for _, a := range keep {
			propertyNames(a.ref.Value, names, 0)
		}
		for _, n := range sortedKeys(names) {
			if !slices.Contains(w.beside, n) {
				t.Unmapped = append(t.Unmapped, n)
			}
		}
	}
	if t.Closed {
		// additionalProperties: false beside alternatives that add
		// properties: read literally, no object could match; the
		// alternatives' members are meant to be allowed.
		b.warn(ptr, "union-sibling-properties", "additionalProperties: false beside %s would refuse the alternatives' own properties; it is not enforced", key)
		t.Closed = false
	}
	return named(t)
}

// addsNoProperties reports whether the alternative alt (an object schema)
// only constrains the properties declared beside it (own): it declares no
// other property and combines nothing further.
func addsNoProperties(own map[string]bool, alt *openapi3.Schema) bool {
	if len(alt.AllOf) > 0 || len(alt.OneOf) > 0 || len(alt.AnyOf) > 0 || alt.AdditionalProperties.Schema != nil {
		return false
	}
	for name := range alt.Properties {
		if !own[name] {
			return false
		}
	}
	return true
}

// constraintDoc states the rule of alternatives that only constrain the
// struct's own properties: which properties each one requires.
func constraintDoc(keep []unionAlt, key string) string {
	var alts []string
	for _, a := range keep {
		v := a.ref.Value
		d := "any object"
		if len(v.Required) > 0 {
			req := slices.Clone(v.Required)
			slices.Sort(req)
			d = "requires " + strings.Join(req, ", ")
		}
		if v.Title != "" {
			d = fmt.Sprintf("%q (%s)", v.Title, d)
		}
		alts = append(alts, d)
	}
	rule := "exactly one"
	if key == "anyOf" {
		rule = "at least one"
	}
	return fmt.Sprintf("The spec also requires %s of these %s alternatives to match: %s. They add no properties, so the struct holds them all; the generated code does not check the rule.", rule, key, strings.Join(alts, "; "))
}

// variantCycles leaves out the alternatives through which decoding a
// struct with a Variant would decode that struct again from the same
// object, consuming nothing (A: {properties, oneOf: [$ref A, B]}, or
// through other such structs and unions): decoding would never end.
func (b *builder) variantCycles() {
	for _, t := range b.types {
		if t.Kind != ir.StructType || t.Variant == nil {
			continue
		}
		u := t.Variant.Type.Ref
		var w *unionWork
		for _, x := range b.unions {
			if x.t == u {
				w = x
			}
		}
		for i := 0; i < len(u.Union.Variants); i++ {
			v := u.Union.Variants[i]
			if !sameObject(v.Type, t, map[*ir.Type]bool{}) {
				continue
			}
			b.warn(w.ptr, "union-cycle", "alternative %s of %s leads back to %s without consuming input (the alternative is decoded from the same object); it is left out", v.Label, u.Name, t.Name)
			u.Union.Variants = slices.Delete(u.Union.Variants, i, i+1)
			w.alts = slices.Delete(w.alts, i, i+1)
			v.Named.Implements = slices.DeleteFunc(v.Named.Implements, func(x *ir.Type) bool { return x == u })
			i--
		}
	}
}

// sameObject reports whether decoding g from an object decodes the struct
// target from that same object: g is target, or a struct with a Variant or
// a union one of whose alternatives does.
func sameObject(g *ir.GoType, target *ir.Type, seen map[*ir.Type]bool) bool {
	g = bare(g)
	if g == nil || g.Kind != ir.Named {
		return false
	}
	t := g.Ref
	if t == target {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	var u *ir.Union
	switch {
	case t.Kind == ir.UnionType:
		u = t.Union
	case t.Kind == ir.StructType && t.Variant != nil:
		u = t.Variant.Type.Ref.Union
	}
	if u == nil {
		return false
	}
	for _, v := range u.Variants {
		if sameObject(v.Type, target, seen) {
			return true
		}
	}
	return false
}
