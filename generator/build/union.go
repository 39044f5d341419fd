package build

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// unionWork is a union whose variant checks are computed once every type
// exists (a variant's fields may still be filling when the union is made).
type unionWork struct {
	t    *ir.Type
	s    *openapi3.Schema
	ptr  string
	alts []*openapi3.SchemaRef
	// beside are the JSON names of the properties declared beside the
	// alternatives, for a union held by a struct's Variant field.
	beside []string
}

// unionAlt is one non-null oneOf/anyOf alternative and its JSON pointer.
type unionAlt struct {
	ref *openapi3.SchemaRef
	ptr string
}

// unionType handles oneOf/anyOf. Null alternatives make the union nullable;
// a single remaining alternative collapses to that type (the current KIIEX
// AuthenticateUser body is a one-alternative oneOf). Properties beside two
// or more alternatives are handled by siblingUnion.
func (b *builder) unionType(s *openapi3.Schema, hint, ptr string, forceNamed bool) *ir.GoType {
	alts, anyOf, key := s.OneOf, false, "oneOf"
	if len(alts) == 0 {
		alts, anyOf, key = s.AnyOf, true, "anyOf"
	}
	var keep []unionAlt
	for i, a := range alts {
		if a == nil || a.Value == nil || isNullSchema(a.Value) {
			continue
		}
		keep = append(keep, unionAlt{a, fmt.Sprintf("%s/%s/%d", ptr, key, i)})
	}
	siblings := len(s.Properties) > 0 || len(s.AllOf) > 0
	if siblings && len(keep) > 1 {
		if g := b.siblingUnion(s, keep, key, hint, ptr); g != nil {
			return g
		}
	}
	switch len(keep) {
	case 0:
		return b.schemaTypeWithout(s, hint, ptr, forceNamed)
	case 1:
		a := keep[0]
		if v := a.ref.Value; siblings && objectLike(v) && len(v.OneOf) == 0 && len(v.AnyOf) == 0 {
			// Sibling properties (or allOf parts) and the one
			// alternative form one object.
			t := b.newType(hint, ir.StructType, s, ptr)
			aptr := a.ptr
			if strings.HasPrefix(a.ref.Ref, "#/") {
				aptr = a.ref.Ref // where its properties are, for their order
			}
			b.fillStruct(t, []propSource{{schema: s, ptr: ptr}, {schema: a.ref.Value, ptr: aptr}}, ptr)
			return named(t)
		}
		if a.ref.Ref == "" {
			// The alternative takes the union's name and place.
			g := b.schemaType(a.ref.Value, hint, a.ptr, forceNamed)
			if g.Kind == ir.Named {
				b.named[s] = g.Ref
				if g.Ref.Doc == "" {
					g.Ref.Doc = docText(s.Title, s.Description)
				}
			}
			return g
		}
		if forceNamed {
			// The alias is registered before its target is built: the
			// target may refer back to the union (an alternative with
			// a property of the union's type), and must find this
			// type then, not build a second one or take the recursion
			// for a cycle without an object in between.
			t := b.newType(hint, ir.AliasType, s, ptr)
			g := b.typeOf(a.ref, hint, a.ptr)
			if aliasLoop(g, t) {
				b.warn(ptr, "schema-cycle", "schema refers to itself through $ref/allOf/oneOf with no object or array in between; using json.RawMessage")
				g = tRaw
			}
			t.Target = g
			return named(t)
		}
		return b.typeOf(a.ref, hint, a.ptr)
	}
	t := b.newType(hint, ir.UnionType, s, ptr)
	b.fillUnion(t, s, keep, key, anyOf, ptr, nil)
	return named(t)
}

// fillUnion makes t the sealed interface of the alternatives keep. merge,
// when set, gives the Go type of an alternative instead of its own schema
// (nil: its own).
func (b *builder) fillUnion(t *ir.Type, s *openapi3.Schema, keep []unionAlt, key string, anyOf bool, ptr string, merge func(i int, name string) *ir.GoType) *unionWork {
	t.Union = &ir.Union{AnyOf: anyOf, Nullable: isNullable(s), Decoder: b.names.claim("Decode"+t.Name, "")}
	if s.Discriminator != nil {
		t.Union.Discriminator = s.Discriminator.PropertyName
	}
	w := &unionWork{t: t, s: s, ptr: ptr}
	refs := make([]*openapi3.SchemaRef, len(keep))
	for i, a := range keep {
		refs[i] = a.ref
	}
	names := b.variantNames(t.Name, refs)
	vn := newNamer()
	for i, a := range keep {
		var g *ir.GoType
		if merge != nil {
			g = merge(i, names[i])
		}
		if g == nil {
			g = b.typeOf(a.ref, names[i], a.ptr)
		}
		if unionLoops(g, t, map[*ir.Type]bool{}) {
			// A: {oneOf: [$ref A, ...]} (or through other unions only):
			// the alternative adds no value A's others do not, and
			// decoding it would try A again on the same input forever.
			b.warn(a.ptr, "union-cycle", "this alternative leads back to the %s at %s through oneOf/anyOf alone, with no object or array in between; it is left out", key, ptr)
			continue
		}
		v := &ir.Variant{}
		switch {
		case g.Kind == ir.Named && g.Ref.Kind == ir.StructType:
			v.Named, v.Type = g.Ref, pointerTo(g)
		case g.Kind == ir.Named && g.Ref.Kind == ir.EnumType:
			v.Named, v.Type = g.Ref, g
		default:
			wname := names[i]
			if g.Kind == ir.Named {
				wname = t.Name + g.Ref.Name
			}
			wt := b.newType(wname, ir.WrapperType, nil, a.ptr)
			wt.Doc = fmt.Sprintf("%s holds the %s alternative of %s.", wt.Name, describe(g), t.Name)
			wt.Target = g
			v.Named, v.Type = wt, named(wt)
		}
		dup := false
		for _, o := range t.Union.Variants {
			if o.Named == v.Named {
				dup = true
			}
		}
		if dup {
			b.warn(a.ptr, "union-duplicate-variant", "%s lists %s twice; the repeat is ignored", key, v.Named.Name)
			continue
		}
		// alts stays aligned with Variants: finishUnions reads both.
		w.alts = append(w.alts, a.ref)
		v.Label = vn.claim(v.Named.Name, "")
		v.Named.Implements = append(v.Named.Implements, t)
		t.Union.Variants = append(t.Union.Variants, v)
	}
	b.unions = append(b.unions, w)
	return w
}

// unionLoops reports whether decoding g can reach the union target again
// without consuming input: g is target, or a union (seen through pointers,
// aliases and variant wrappers) one of whose alternatives loops.
func unionLoops(g *ir.GoType, target *ir.Type, seen map[*ir.Type]bool) bool {
	g = bare(g)
	if g == nil || g.Kind != ir.Named || g.Ref.Kind != ir.UnionType {
		return false
	}
	if g.Ref == target {
		return true
	}
	if seen[g.Ref] || g.Ref.Union == nil {
		return false
	}
	seen[g.Ref] = true
	for _, v := range g.Ref.Union.Variants {
		if unionLoops(v.Type, target, seen) {
			return true
		}
	}
	return false
}

// schemaTypeWithout maps a union whose alternatives are all null.
func (b *builder) schemaTypeWithout(s *openapi3.Schema, hint, ptr string, forceNamed bool) *ir.GoType {
	if forceNamed {
		t := b.newType(hint, ir.AliasType, s, ptr)
		t.Target = tRaw
		return named(t)
	}
	return tRaw
}

// typeListUnion maps an OpenAPI 3.1 `type: [string, integer]` to a union of
// wrapped primitives.
func (b *builder) typeListUnion(s *openapi3.Schema, types []string, hint, ptr string, forceNamed bool) *ir.GoType {
	clone := *s
	clone.Type = nil
	clone.OneOf = nil
	for _, typ := range types {
		alt := &openapi3.Schema{Type: &openapi3.Types{typ}, Format: s.Format, Items: s.Items, Properties: s.Properties, Required: s.Required, AdditionalProperties: s.AdditionalProperties}
		clone.OneOf = append(clone.OneOf, &openapi3.SchemaRef{Value: alt})
	}
	g := b.unionType(&clone, hint, ptr, forceNamed)
	if g.Kind == ir.Named {
		b.named[s] = g.Ref
	}
	return g
}

// variantNames picks readable names for inline alternatives: x-go-name,
// else title, else the required properties no other alternative requires,
// else the JSON type; $ref alternatives keep their component names.
func (b *builder) variantNames(union string, alts []*openapi3.SchemaRef) []string {
	out := make([]string, len(alts))
	reqCount := map[string]int{}
	for _, a := range alts {
		for _, r := range a.Value.Required {
			reqCount[r]++
		}
	}
	for i, a := range alts {
		s := a.Value
		if v, ok := s.Extensions["x-go-name"].(string); ok && v != "" {
			out[i] = GoName(v)
			continue
		}
		if s.Title != "" {
			out[i] = GoName(s.Title)
			continue
		}
		if c, ok := fixedValue(s).(string); ok && len(s.Properties) == 0 {
			out[i] = union + GoName(c)
			continue
		}
		var distinct []string
		for _, r := range s.Required {
			if reqCount[r] == 1 {
				distinct = append(distinct, GoName(r))
			}
		}
		sort.Strings(distinct)
		if len(distinct) > 3 {
			distinct = distinct[:3]
		}
		if len(distinct) > 0 {
			out[i] = union + "With" + strings.Join(distinct, "")
			continue
		}
		out[i] = union + jsonTypeWord(b, s, i)
	}
	return out
}

func jsonTypeWord(b *builder, s *openapi3.Schema, i int) string {
	types := schemaTypes(s)
	if len(types) == 0 && len(s.Properties) > 0 {
		// Properties without a type: an object, as schemaType reads it.
		types = []string{"object"}
	}
	if len(types) != 1 {
		return fmt.Sprintf("Variant%d", i+1)
	}
	switch types[0] {
	case "string":
		switch s.Format {
		case "date-time":
			return "DateTime"
		case "date":
			return "Date"
		}
		return "String"
	case "integer":
		if s.Format == "int32" {
			return "Int32"
		}
		return "Int64"
	case "number":
		if b.opts.NumberFloat64 {
			return "Float64"
		}
		return "Decimal"
	case "boolean":
		return "Bool"
	case "array":
		return "Array"
	case "object":
		return "Object"
	}
	return fmt.Sprintf("Variant%d", i+1)
}

func describe(g *ir.GoType) string {
	switch g.Kind {
	case ir.Builtin, ir.Runtime:
		return g.Name
	case ir.Qualified:
		return "JSON"
	case ir.Named:
		return g.Ref.Name
	case ir.Slice:
		return "array"
	case ir.Map:
		return "map"
	}
	return "value"
}

// finishUnions computes each variant's JSON shape checks and discriminator
// tags once every struct is complete.
func (b *builder) finishUnions() {
	for _, w := range b.unions {
		u := w.t.Union
		for i, v := range u.Variants {
			v.Kind = kindOf(v.Type)
			if v.Named.Kind == ir.StructType {
				for _, f := range v.Named.Fields {
					// A writeOnly property is never in a response, which is
					// what decoding reads.
					if f.Required && !f.WriteOnly {
						v.Required = append(v.Required, f.JSONName)
					}
					v.Props = append(v.Props, ir.PropKind{Name: f.JSONName, Kind: kindOf(f.Type), Nullable: !f.Required || f.Type.Kind == ir.Pointer || f.Type.Kind == ir.Nullable})
				}
				sort.Strings(v.Required)
				sort.Slice(v.Props, func(i, j int) bool { return v.Props[i].Name < v.Props[j].Name })
			}
			if v.Kind == ir.KindArray {
				if elem := sliceElem(v.Type); elem != nil {
					v.Items = kindOf(elem)
					if items := w.alts[i].Value.Items; items == nil || items.Value == nil || isNullable(items.Value) || v.Items == ir.KindAny && !isUnion(elem) {
						v.ItemsNullable = true
					}
				}
			}
			// A 3.1 const string alternative ({const: auto}) is a string
			// that fits only one value.
			if c, ok := fixedValue(w.alts[i].Value).(string); ok && v.Kind == ir.KindString && v.Named.Kind != ir.EnumType {
				v.EnumStrings = []string{c}
			}
			if v.Named.Kind == ir.EnumType && v.Named.Enum.Base == "string" {
				for _, ev := range v.Named.Enum.Values {
					v.EnumStrings = append(v.EnumStrings, ev.Value.(string))
				}
			}
		}
		for i, a := range w.alts {
			if i < len(u.Variants) && a.Value != nil && a.Value.AdditionalProperties.Has != nil && !*a.Value.AdditionalProperties.Has {
				u.Variants[i].Closed = true
				u.Variants[i].Beside = w.beside
			}
		}
		if w.s.Discriminator == nil {
			b.constRules(u)
		}
		if d := w.s.Discriminator; d != nil {
			for _, val := range sortedKeys(d.Mapping) {
				target := d.Mapping[val].Ref
				if target == "" {
					continue
				}
				matched := false
				for i, a := range w.alts {
					if i < len(u.Variants) && (a.Ref == target || refName(a.Ref) == refName(target) && a.Ref != "") {
						u.Variants[i].Tags = append(u.Variants[i].Tags, val)
						matched = true
					}
				}
				if !matched {
					b.warn(w.ptr+"/discriminator/mapping", "discriminator-mapping", "mapping %q points at %q, which is not an alternative; ignored", val, target)
				}
			}
			for i, v := range u.Variants {
				if len(v.Tags) == 0 && i < len(w.alts) {
					name := v.Named.Name
					if w.alts[i].Ref != "" {
						name = refName(w.alts[i].Ref)
					}
					// Swagger 2.0's way to give a subtype another value.
					if x, ok := w.alts[i].Value.Extensions["x-discriminator-value"].(string); ok && x != "" {
						name = x
					}
					v.Tags = []string{name}
				}
				sort.Strings(v.Tags)
				b.discriminatorFill(v, u.Discriminator)
			}
		}
	}
}

// kindOf is the JSON kind a Go type encodes as (KindAny when it varies).
func kindOf(g *ir.GoType) ir.JSONKind {
	switch g.Kind {
	case ir.Pointer, ir.Nullable:
		return kindOf(g.Elem)
	case ir.Slice:
		if g.Elem.Kind == ir.Builtin && g.Elem.Name == "byte" {
			return ir.KindString
		}
		return ir.KindArray
	case ir.Map:
		return ir.KindObject
	case ir.Builtin:
		switch g.Name {
		case "string":
			return ir.KindString
		case "bool":
			return ir.KindBool
		case "int32", "int64":
			return ir.KindInteger
		case "float64":
			return ir.KindNumber
		}
	case ir.Runtime:
		if g.Name == "Decimal" {
			return ir.KindNumber
		}
		return ir.KindString
	case ir.Named:
		switch g.Ref.Kind {
		case ir.StructType:
			return ir.KindObject
		case ir.EnumType:
			switch g.Ref.Enum.Base {
			case "string":
				return ir.KindString
			case "float64":
				return ir.KindNumber
			}
			return ir.KindInteger
		case ir.AliasType, ir.WrapperType:
			return kindOf(g.Ref.Target)
		}
	}
	return ir.KindAny
}

// breakCycles turns value-typed struct fields that close a cycle into
// pointers, so recursive schemas compile. The walk runs in type-name order,
// so the choice of which edge becomes a pointer is deterministic.
func (b *builder) breakCycles() {
	sorted := append([]*ir.Type(nil), b.types...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	const (
		white = iota
		grey
		black
	)
	state := map[*ir.Type]int{}
	var visit func(t *ir.Type)
	visit = func(t *ir.Type) {
		state[t] = grey
		for _, f := range t.Fields {
			target := valueStruct(f.Type)
			if target == nil {
				continue
			}
			switch state[target] {
			case grey:
				f.Type = pointerTo(f.Type)
			case white:
				visit(target)
			}
		}
		if t.Kind == ir.WrapperType || t.Kind == ir.AliasType {
			if target := valueStruct(t.Target); target != nil {
				if state[target] == white {
					visit(target)
				}
			}
		}
		state[t] = black
	}
	for _, t := range sorted {
		if state[t] == white {
			visit(t)
		}
	}
}

// valueStruct returns the struct a field embeds by value (directly or via
// an alias or Nullable), or nil.
func valueStruct(g *ir.GoType) *ir.Type {
	switch g.Kind {
	case ir.Nullable:
		return valueStruct(g.Elem)
	case ir.Named:
		switch g.Ref.Kind {
		case ir.StructType:
			return g.Ref
		case ir.AliasType:
			if g.Ref.Target != nil && g.Ref.Target.Kind == ir.Named {
				return valueStruct(g.Ref.Target)
			}
		}
	}
	return nil
}

// discriminatorFill lets a variant struct write its discriminator value
// when the caller leaves the field empty, so &OrderEvent{...} encodes as
// the server expects. Only unambiguous cases qualify: one tag, a string
// (or string enum) field, and the struct in no other discriminated union.
func (b *builder) discriminatorFill(v *ir.Variant, prop string) {
	t := v.Named
	if t.Kind != ir.StructType || len(v.Tags) != 1 {
		return
	}
	if b.fillSeen[t] {
		// A variant of two discriminated unions: ambiguous, unless both
		// agree (a base's polymorphic union and a oneOf listing the same
		// subtypes).
		if f := t.Fill; f != nil && (f.Field.JSONName != prop || f.Value != v.Tags[0]) {
			t.Fill = nil
		}
		return
	}
	b.fillSeen[t] = true
	for _, f := range t.Fields {
		if f.JSONName != prop {
			continue
		}
		g := f.Type
		if g.Kind == ir.Pointer {
			g = g.Elem
		}
		str := g.Kind == ir.Builtin && g.Name == "string" || g.Kind == ir.Named && g.Ref.Kind == ir.EnumType && g.Ref.Enum.Base == "string"
		if str {
			t.Fill = &ir.Fill{Field: f, Value: v.Tags[0]}
		}
		return
	}
}

// sliceElem returns the element type of a slice, seen through wrappers,
// aliases and pointers; nil for anything else.
func sliceElem(g *ir.GoType) *ir.GoType {
	for {
		switch {
		case g.Kind == ir.Pointer || g.Kind == ir.Nullable:
			g = g.Elem
		case g.Kind == ir.Named && (g.Ref.Kind == ir.WrapperType || g.Ref.Kind == ir.AliasType) && g.Ref.Target != nil:
			g = g.Ref.Target
		case g.Kind == ir.Slice:
			return g.Elem
		default:
			return nil
		}
	}
}

// constRules uses the properties that variants fix (const, or an enum of
// one value) to tell them apart, for unions without a discriminator. When
// every variant is an object fixing the same property to a distinct string,
// that property becomes the discriminator (dispatch, with an empty field
// filled on encoding). Otherwise each fixed property is a matching
// constraint: a payload with another value there does not match, and when
// every object variant fixes the property to a value of its own (beside
// non-object variants) the payload must carry it, as dispatch would need.
func (b *builder) constRules(u *ir.Union) {
	type fixed struct {
		field *ir.Field
		json  string
	}
	var objects []map[string]fixed
	objVariants := 0
	for _, v := range u.Variants {
		if v.Named.Kind != ir.StructType {
			objects = append(objects, nil)
			continue
		}
		objVariants++
		m := map[string]fixed{}
		for _, f := range v.Named.Fields {
			if f.Const != nil && !f.WriteOnly {
				m[f.JSONName] = fixed{f, constJSON(f.Const)}
			}
		}
		objects = append(objects, m)
	}
	// Keys every object variant fixes, each to a different value.
	var shared []string
	if objVariants >= 2 {
		var first map[string]fixed
		for _, m := range objects {
			if m != nil {
				first = m
				break
			}
		}
		for _, key := range sortedKeys(first) {
			seen := map[string]bool{}
			ok := true
			for _, m := range objects {
				if m == nil {
					continue
				}
				f, has := m[key]
				if !has || seen[f.json] {
					ok = false
					break
				}
				seen[f.json] = true
			}
			if ok {
				shared = append(shared, key)
			}
		}
	}
	if objVariants == len(u.Variants) {
		for _, key := range shared {
			allStrings := true
			for _, m := range objects {
				if _, ok := m[key].field.Const.(string); !ok {
					allStrings = false
				}
			}
			if !allStrings {
				continue
			}
			u.Discriminator, u.Implicit = key, true
			for i, v := range u.Variants {
				f := objects[i][key].field
				v.Tags = []string{f.Const.(string)}
				if stringField(f.Type) && !f.ReadOnly {
					f.FillConst = true
				}
			}
			return
		}
	}
	for i, v := range u.Variants {
		for _, key := range sortedKeys(objects[i]) {
			f := objects[i][key]
			present := slices.Contains(shared, key)
			v.Consts = append(v.Consts, ir.PropConst{Name: key, JSON: f.json, Present: present})
			// Decoding will require the property, so encoding writes it.
			if _, ok := f.field.Const.(string); ok && present && stringField(f.field.Type) && !f.field.ReadOnly {
				f.field.FillConst = true
			}
		}
	}
}

// aliasLoop reports whether g leads back to the alias t through true
// aliases and pointer or Nullable types alone: Go refuses such an alias
// (type A = *A), while a defined type in between (a struct, or a slice or
// map type, which the emitter declares as defined types) is fine.
func aliasLoop(g *ir.GoType, t *ir.Type) bool {
	for depth := 0; g != nil && depth < 1000; depth++ {
		switch g.Kind {
		case ir.Slice, ir.Map, ir.Pointer, ir.Nullable:
			g = g.Elem
		case ir.Named:
			if g.Ref == t {
				return true
			}
			if g.Ref.Kind != ir.AliasType || g.Ref.Target == nil {
				return false
			}
			if k := g.Ref.Target.Kind; k == ir.Slice || k == ir.Map {
				return false // emitted as a defined type (type E []D)
			}
			g = g.Ref.Target
		default:
			return false
		}
	}
	return false
}
