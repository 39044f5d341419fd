package build

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// polyBase is a component schema that declares a discriminator without
// listing its alternatives: the schemas that extend it through allOf are
// its subtypes. This is how Swagger 2.0 writes polymorphism (discriminator
// is a property name there), and OpenAPI 3 allows it too ("the
// discriminator MAY be added to a parent schema definition").
type polyBase struct {
	name string // component name
	s    *openapi3.Schema
	// t is the union used wherever the spec refers to the base; the base's
	// own struct stays for the subtypes' allOf and as a variant itself.
	t *ir.Type
	// subs are the extending components, in name order.
	subs []string
}

// findPolyBases finds the polymorphic bases among the components and makes
// their (still unnamed) union types, so that references met while the
// components are built resolve to the union.
func (b *builder) findPolyBases() {
	if b.doc.Components == nil {
		return
	}
	schemas := b.doc.Components.Schemas
	names := sortedKeys(schemas)
	for _, name := range names {
		ref := schemas[name]
		if ref == nil || ref.Value == nil || ref.Ref != "" {
			continue
		}
		s := ref.Value
		if s.Discriminator == nil || s.Discriminator.PropertyName == "" || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
			continue
		}
		p := &polyBase{name: name, s: s}
		for _, sub := range names {
			if sub != name && extends(schemas[sub], s, 0) {
				p.subs = append(p.subs, sub)
			}
		}
		if len(p.subs) == 0 {
			continue
		}
		p.t = &ir.Type{Kind: ir.UnionType, Role: "the " + name + " schema with its subtypes", Ref: "#/components/schemas/" + escape(name)}
		b.poly[s] = p
		b.polyOrder = append(b.polyOrder, p)
	}
}

// extends reports whether ref is the base itself or reaches it through
// allOf (a subtype of a subtype extends the base too).
func extends(ref *openapi3.SchemaRef, base *openapi3.Schema, depth int) bool {
	if ref == nil || ref.Value == nil || depth > 32 {
		return false
	}
	for _, part := range ref.Value.AllOf {
		if part == nil || part.Value == nil {
			continue
		}
		if part.Value == base || extends(part, base, depth+1) {
			return true
		}
	}
	return false
}

// isPolySubtype reports whether a lone allOf part is a polymorphic base or
// one of its subtypes: a schema made of it alone is then a subtype with a
// discriminator value of its own, not another name for the part.
func (b *builder) isPolySubtype(part *openapi3.SchemaRef) bool {
	if part == nil || part.Value == nil {
		return false
	}
	for _, p := range b.polyOrder {
		if part.Value == p.s || extends(part, p.s, 0) {
			return true
		}
	}
	return false
}

// finishPolyBases names the unions and lists their variants once every
// component has its type: the base struct first, then the subtypes.
func (b *builder) finishPolyBases() {
	for _, p := range b.polyOrder {
		t := p.t
		t.Name = b.names.claim(GoName(p.name)+"Union", "")
		t.Doc = fmt.Sprintf("The spec declares the discriminator %q on %s and extends %s through allOf, so wherever it refers to %s the value is one of these; the base struct holds the shared properties and is itself a variant.", p.s.Discriminator.PropertyName, p.name, p.name, p.name)
		t.Union = &ir.Union{Discriminator: p.s.Discriminator.PropertyName, Nullable: isNullable(p.s), Decoder: b.names.claim("Decode"+t.Name, "")}
		b.types = append(b.types, t)
		w := &unionWork{t: t, ptr: "#/components/schemas/" + escape(p.name), s: &openapi3.Schema{Discriminator: p.s.Discriminator}}
		vn := newNamer()
		for _, name := range append([]string{p.name}, p.subs...) {
			s := b.doc.Components.Schemas[name].Value
			st := b.named[s]
			if st == nil || st.Kind != ir.StructType {
				what := fmt.Sprintf("%q extends %q", name, p.name)
				if name == p.name {
					what = fmt.Sprintf("%q declares a discriminator", name)
				}
				b.warn("#/components/schemas/"+escape(name), "polymorphic-subtype", "%s but is not an object type; it is not a variant of %s", what, t.Name)
				continue
			}
			v := &ir.Variant{Named: st, Type: pointerTo(named(st)), Label: vn.claim(st.Name, "")}
			st.Implements = append(st.Implements, t)
			t.Union.Variants = append(t.Union.Variants, v)
			w.alts = append(w.alts, &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: s})
		}
		b.unions = append(b.unions, w)
	}
}
