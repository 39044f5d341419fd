package build

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// Type expressions shared by every build.
var (
	tString   = &ir.GoType{Kind: ir.Builtin, Name: "string"}
	tBool     = &ir.GoType{Kind: ir.Builtin, Name: "bool"}
	tInt32    = &ir.GoType{Kind: ir.Builtin, Name: "int32"}
	tInt64    = &ir.GoType{Kind: ir.Builtin, Name: "int64"}
	tFloat64  = &ir.GoType{Kind: ir.Builtin, Name: "float64"}
	tByte     = &ir.GoType{Kind: ir.Builtin, Name: "byte"}
	tDecimal  = &ir.GoType{Kind: ir.Runtime, Name: "Decimal"}
	tDateTime = &ir.GoType{Kind: ir.Runtime, Name: "DateTime"}
	tDate     = &ir.GoType{Kind: ir.Runtime, Name: "Date"}
	tRaw      = &ir.GoType{Kind: ir.Qualified, Pkg: "encoding/json", Name: "RawMessage"}
)

func named(t *ir.Type) *ir.GoType        { return &ir.GoType{Kind: ir.Named, Ref: t} }
func sliceOf(e *ir.GoType) *ir.GoType    { return &ir.GoType{Kind: ir.Slice, Elem: e} }
func mapOf(e *ir.GoType) *ir.GoType      { return &ir.GoType{Kind: ir.Map, Elem: e} }
func pointerTo(e *ir.GoType) *ir.GoType  { return &ir.GoType{Kind: ir.Pointer, Elem: e} }
func nullableOf(e *ir.GoType) *ir.GoType { return &ir.GoType{Kind: ir.Nullable, Elem: e} }
func isUnion(g *ir.GoType) bool          { return g.Kind == ir.Named && g.Ref.Kind == ir.UnionType }
func schemaTypes(s *openapi3.Schema) []string {
	if s.Type == nil {
		return nil
	}
	var out []string
	for _, t := range *s.Type {
		if t != "null" {
			out = append(out, t)
		}
	}
	return out
}

// isNullable reports whether null is a valid value of s: OpenAPI 3.0's
// nullable, a 3.1 type list with "null", or a null alternative of a union.
func isNullable(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if s.Nullable {
		return true
	}
	if s.Type != nil {
		for _, t := range *s.Type {
			if t == "null" {
				return true
			}
		}
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		for _, a := range alts {
			if a != nil && a.Value != nil && isNullSchema(a.Value) {
				return true
			}
		}
	}
	for _, e := range s.Enum {
		if e == nil {
			return true
		}
	}
	return false
}

func isNullSchema(s *openapi3.Schema) bool {
	return s.Type != nil && len(*s.Type) == 1 && (*s.Type)[0] == "null"
}

// isNilable reports whether nil is a natural "absent" value of g, so a field
// of that type needs no pointer.
func isNilable(g *ir.GoType) bool {
	switch g.Kind {
	case ir.Slice, ir.Map, ir.Pointer, ir.Qualified:
		return true
	case ir.Builtin:
		return g.Name == "any"
	case ir.Named:
		switch g.Ref.Kind {
		case ir.UnionType:
			return true
		case ir.AliasType:
			return g.Ref.Target != nil && isNilable(g.Ref.Target)
		}
	}
	return false
}

// componentType makes the named type of components/schemas/<name>.
func (b *builder) componentType(name string, ref *openapi3.SchemaRef) {
	ptr := "#/components/schemas/" + escape(name)
	s := ref.Value
	if t, ok := b.named[s]; ok {
		// Another component $refs to the same schema: a plain alias.
		if t.Ref != ptr {
			b.newType(GoName(name), ir.AliasType, s, ptr).Target = named(t)
		}
		return
	}
	b.schemaType(s, GoName(name), ptr, true)
}

// newType registers a named type for s under a fresh name.
func (b *builder) newType(hint string, kind ir.TypeKind, s *openapi3.Schema, ptr string) *ir.Type {
	t := &ir.Type{Name: b.names.claim(hint, "Model"), Kind: kind, Role: roleOf(ptr)}
	if s != nil {
		t.Doc = docText(sentence(s.Title), s.Description)
		if s.Title != "" && strings.EqualFold(strings.TrimSpace(s.Title), strings.TrimSpace(s.Description)) {
			t.Doc = strings.TrimSpace(s.Description)
		}
		t.Deprecated = s.Deprecated
		if _, ok := b.named[s]; !ok {
			b.named[s] = t
		}
	}
	if strings.HasPrefix(ptr, "#/components/schemas/") && strings.Count(ptr, "/") == 3 {
		t.Ref = ptr
	}
	b.types = append(b.types, t)
	return t
}

// typeOf maps a schema reference to a Go type. hint names a type that has
// to be created for an inline schema; ptr is the schema's JSON pointer.
func (b *builder) typeOf(ref *openapi3.SchemaRef, hint, ptr string) *ir.GoType {
	if ref == nil || ref.Value == nil {
		return tRaw
	}
	s := ref.Value
	if p := b.poly[s]; p != nil {
		return named(p.t)
	}
	if t, ok := b.named[s]; ok {
		return named(t)
	}
	// A schema met again before it has a named type is a cycle made only
	// of $ref/allOf/oneOf links (A: {allOf: [$ref A]}): no Go type can
	// express it. Named types register before they recurse, so real
	// recursion through objects and arrays never gets here.
	if b.visiting[s] {
		b.warn(ptr, "schema-cycle", "schema refers to itself through $ref/allOf/oneOf with no object or array in between; using json.RawMessage")
		return tRaw
	}
	if t := b.annotatedRef(ref); t != nil {
		return b.typeOf(&openapi3.SchemaRef{Ref: ref.Ref, Value: t}, hint, ptr)
	}
	b.visiting[s] = true
	defer delete(b.visiting, s)
	if ref.Ref != "" {
		hint = GoName(refName(ref.Ref))
		ptr = ref.Ref
		return b.schemaType(s, hint, ptr, true)
	}
	return b.schemaType(s, hint, ptr, false)
}

// annotatedRef returns the component schema a local $ref names when the
// schema kin-openapi made of it is a copy differing only in annotations:
// OpenAPI 3.1 applies the keywords beside a $ref ("$ref: Thing,
// description: the thing"), and kin-openapi does so on a copy, which
// would otherwise become a second Go type (Thing2) identical to the first
// but for its doc. The field keeps the annotations (its doc, readOnly...)
// from the copy. Siblings that constrain the value (kin-openapi adds them
// as an allOf entry), change nullability or the discriminator keep the
// copy as a type of its own.
func (b *builder) annotatedRef(ref *openapi3.SchemaRef) *openapi3.Schema {
	name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/")
	if !ok || b.doc.Components == nil || strings.Contains(name, "/") {
		return nil
	}
	c := b.doc.Components.Schemas[pointerUnescaper.Replace(name)]
	if c == nil || c.Value == nil || c.Value == ref.Value {
		return nil
	}
	t, s := c.Value, *ref.Value
	for _, x := range typeShapingExtensions {
		// Beside the $ref, these change the Go type (its name, its enum
		// constants), not only its doc.
		if !reflect.DeepEqual(s.Extensions[x], t.Extensions[x]) {
			return nil
		}
	}
	s.Title, s.Description, s.Default, s.Deprecated = t.Title, t.Description, t.Default, t.Deprecated
	s.Example, s.Examples, s.ExternalDocs, s.ReadOnly, s.WriteOnly = t.Example, t.Examples, t.ExternalDocs, t.ReadOnly, t.WriteOnly
	s.XML, s.Extensions, s.Origin = t.XML, t.Extensions, t.Origin
	if !reflect.DeepEqual(&s, t) {
		return nil
	}
	return t
}

// typeShapingExtensions are the schema extensions the Go type is made
// from, beyond its doc.
var typeShapingExtensions = []string{"x-go-name", "x-enum-varnames", "x-enum-names", "x-enum-descriptions", "x-discriminator-value"}

// refName is the last segment of a $ref: the component name, or the file
// name without extension for a whole-file ref.
func refName(ref string) string {
	file, frag, _ := strings.Cut(ref, "#")
	if frag != "" {
		seg := frag[strings.LastIndex(frag, "/")+1:]
		return pointerUnescaper.Replace(seg)
	}
	base := file[strings.LastIndexAny(file, `/\`)+1:]
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

// schemaType maps a resolved schema. forceNamed makes scalars, arrays and
// maps into a named alias (used for components and other $ref targets).
func (b *builder) schemaType(s *openapi3.Schema, hint, ptr string, forceNamed bool) *ir.GoType {
	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return b.unionType(s, hint, ptr, forceNamed)
	}
	if len(s.AllOf) > 0 {
		return b.allOfType(s, hint, ptr, forceNamed)
	}
	types := schemaTypes(s)
	if len(types) > 1 {
		return b.typeListUnion(s, types, hint, ptr, forceNamed)
	}
	if len(s.Enum) > 0 {
		if g := b.enumType(s, hint, ptr); g != nil {
			return g
		}
	}
	typ := ""
	if len(types) == 1 {
		typ = types[0]
	}
	if s.Const != nil && typ == "" {
		switch s.Const.(type) {
		case string:
			typ = "string"
		case bool:
			typ = "boolean"
		case float64, int, int64:
			typ = "number"
		}
	}
	if typ == "" && (len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil) {
		typ = "object"
	}
	if typ == "" && s.Items != nil {
		typ = "array"
	}
	var g *ir.GoType
	switch typ {
	case "object":
		if len(s.Properties) > 0 {
			t := b.newType(hint, ir.StructType, s, ptr)
			b.fillStruct(t, []propSource{{schema: s, ptr: ptr}}, ptr)
			return named(t)
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			if forceNamed {
				// Create the alias first so a map of itself terminates.
				t := b.newType(hint, ir.AliasType, s, ptr)
				t.Target = mapOf(b.typeOf(ap, hint+"Value", ptr+"/additionalProperties"))
				return named(t)
			}
			g = mapOf(b.typeOf(ap, hint+"Value", ptr+"/additionalProperties"))
		} else {
			g = tRaw
		}
	case "array":
		if forceNamed {
			t := b.newType(hint, ir.AliasType, s, ptr)
			t.Target = sliceOf(b.itemType(s, hint, ptr))
			return named(t)
		}
		g = sliceOf(b.itemType(s, hint, ptr))
	case "string":
		switch s.Format {
		case "date-time":
			g = tDateTime
		case "date":
			g = tDate
		case "byte":
			g = sliceOf(tByte)
		default:
			g = tString
		}
	case "integer":
		if s.Format == "int32" {
			g = tInt32
		} else {
			g = tInt64
		}
	case "number":
		if b.opts.NumberFloat64 {
			g = tFloat64
		} else {
			g = tDecimal
		}
	case "boolean":
		g = tBool
	case "", "any":
		g = tRaw
	case "file":
		g = tString
	default:
		b.warn(ptr, "unknown-type", "unknown schema type %q; using json.RawMessage", typ)
		g = tRaw
	}
	if forceNamed {
		t := b.newType(hint, ir.AliasType, s, ptr)
		t.Target = g
		return named(t)
	}
	return g
}

func (b *builder) itemType(s *openapi3.Schema, hint, ptr string) *ir.GoType {
	if s.Items == nil {
		return tRaw
	}
	return b.typeOf(s.Items, hint+"Item", ptr+"/items")
}

// propSource is one schema contributing properties to a struct (the schema
// itself, or each part of an allOf).
type propSource struct {
	schema *openapi3.Schema
	ptr    string
}

type prop struct {
	name     string
	ref      *openapi3.SchemaRef
	ptr      string
	line     int
	col      int
	required bool
	alt      bool // declared only by oneOf/anyOf alternatives inside an allOf
}

// collectProps flattens allOf parts into one property list. A property
// declared by several parts gets the intersection of the declarations
// (see refine).
func (b *builder) collectProps(srcs []propSource, structPtr string) []*prop {
	byName := map[string]*prop{}
	required := map[string]bool{}
	var order []*prop
	// optional: the schema is one alternative of a oneOf/anyOf inside an
	// allOf; its properties join the struct, none of them required.
	var walk func(s *openapi3.Schema, ptr string, depth int, optional bool)
	// onPath holds the schemas being walked, outermost first.
	var onPath []*openapi3.Schema
	walk = func(s *openapi3.Schema, ptr string, depth int, optional bool) {
		if depth > 64 {
			b.errorf(ptr, "allof-depth", "allOf nesting deeper than 64 levels")
			return
		}
		onPath = append(onPath, s)
		defer func() { onPath = onPath[:len(onPath)-1] }()
		for i, part := range s.AllOf {
			if part == nil || part.Value == nil {
				continue
			}
			pptr := fmt.Sprintf("%s/allOf/%d", ptr, i)
			if strings.HasPrefix(part.Ref, "#/") {
				pptr = part.Ref
			}
			walk(part.Value, pptr, depth+1, optional)
		}
		// allOf [Base, {oneOf: [A, B]}] is Base and one of A or B: the
		// struct carries Base's properties and, optional, those of every
		// alternative, so that whichever alternative arrives survives a
		// round trip. (At depth 0 the schema's own oneOf is a union and
		// is built as one elsewhere.)
		if depth > 0 {
			for _, alts := range []struct {
				kw   string
				list openapi3.SchemaRefs
			}{{"oneOf", s.OneOf}, {"anyOf", s.AnyOf}} {
				for i, alt := range alts.list {
					if alt == nil || alt.Value == nil {
						continue
					}
					aptr := fmt.Sprintf("%s/%s/%d", ptr, alts.kw, i)
					if strings.HasPrefix(alt.Ref, "#/") {
						aptr = alt.Ref
					}
					if slices.Contains(onPath, alt.Value) || extends(alt, s, 0) {
						// Animal {oneOf: [Bird, Fish]} with Bird {allOf:
						// [Animal, ...]}: the alternatives are Animal's
						// subtypes, not shapes of the Bird being built
						// (and walking them would never end).
						continue
					}
					if !objectLike(alt.Value) {
						b.warn(aptr, "allof-union", "this %s alternative inside allOf is not an object, so no value can be both it and the object; it is left out of the struct", alts.kw)
						continue
					}
					walk(alt.Value, aptr, depth+1, true)
				}
			}
		}
		for _, name := range sortedKeys(s.Properties) {
			pr := s.Properties[name]
			pptr := ptr + "/properties/" + escape(name)
			if old, ok := byName[name]; ok {
				if optional || old.alt {
					// Alternatives are not all true at once, so their
					// declarations are not intersected: the first one is
					// kept, and only a different JSON type is worth a word.
					if schemaSig(pr) != schemaSig(old.ref) && jsonTypeOf(pr) != jsonTypeOf(old.ref) {
						b.warn(pptr, "allof-union", "property %q is %s here but %s at %s; the first declaration is used", name, schemaSig(pr), schemaSig(old.ref), old.ptr)
					}
					if !optional {
						// A plain allOf part outranks an alternative.
						old.ref, old.ptr, old.alt = pr, pptr, false
					}
					continue
				}
				r := refine(old.ref, pr, 0)
				if r.why != "" {
					b.warn(pptr, "allof-conflict", "allOf conflict: property %q is %s here but %s at %s; %s", name, schemaSig(pr), schemaSig(old.ref), old.ptr, r.why)
				}
				old.ref = r.ref
				continue
			}
			line, col := b.opts.Locate(pptr)
			p := &prop{name: name, ref: pr, ptr: pptr, line: line, col: col, alt: optional}
			byName[name] = p
			order = append(order, p)
		}
		if !optional {
			for _, r := range s.Required {
				required[r] = true
			}
		}
	}
	for _, src := range srcs {
		walk(src.schema, src.ptr, 0, false)
	}
	for _, p := range order {
		p.required = required[p.name]
	}
	// Source order reads best; fall back to name order when a position is
	// unknown (JSON input without an index, external files).
	all := true
	for _, p := range order {
		if p.line == 0 {
			all = false
			break
		}
	}
	if all {
		sort.SliceStable(order, func(i, j int) bool {
			if order[i].line != order[j].line {
				return order[i].line < order[j].line
			}
			return order[i].col < order[j].col
		})
	} else {
		sort.SliceStable(order, func(i, j int) bool { return order[i].name < order[j].name })
	}
	return order
}

// objectLike reports whether s can describe a JSON object: it declares
// properties, combines parts that may, or says type object (or no type).
func objectLike(s *openapi3.Schema) bool {
	if len(s.Properties) > 0 || len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return true
	}
	ts := schemaTypes(s)
	if len(ts) == 0 {
		return true
	}
	for _, t := range ts {
		if t == "object" {
			return true
		}
	}
	return false
}

// jsonTypeOf is the declared JSON type of a property schema ("" when open).
func jsonTypeOf(r *openapi3.SchemaRef) string {
	if r == nil || r.Value == nil {
		return ""
	}
	return strings.Join(schemaTypes(r.Value), "|")
}

// schemaSig summarises a property schema for allOf conflict detection.
func schemaSig(r *openapi3.SchemaRef) string {
	if r == nil || r.Value == nil {
		return "any"
	}
	if r.Ref != "" {
		return "$ref " + strconv.Quote(r.Ref)
	}
	s := r.Value
	t := strings.Join(schemaTypes(s), "|")
	if t == "" {
		t = "any"
	}
	if s.Format != "" {
		t += "/" + s.Format
	}
	if t == "array" && s.Items != nil {
		t += " of " + schemaSig(s.Items)
	}
	return t
}

// fieldMethodNames are taken by methods the emitter may add to a struct.
var fieldMethodNames = []string{"String", "GoString", "Format", "LogValue", "MarshalJSON", "UnmarshalJSON"}

func (b *builder) fillStruct(t *ir.Type, srcs []propSource, ptr string) {
	props := b.collectProps(srcs, ptr)
	// Names are decided in JSON-name order so collisions number the same way
	// whatever order the fields are printed in.
	byJSON := append([]*prop(nil), props...)
	sort.Slice(byJSON, func(i, j int) bool { return byJSON[i].name < byJSON[j].name })
	fn := newNamer(fieldMethodNames...)
	goNames := map[*prop]string{}
	for _, p := range byJSON {
		goNames[p] = fn.claim(GoName(p.name), "Field")
	}
	for _, p := range props {
		if !validTagName(p.name) {
			b.warn(p.ptr, "unrepresentable-property", "property name %q cannot be a Go struct tag key (encoding/json cannot address it); the property is left out of the struct", p.name)
			t.Unmapped = append(t.Unmapped, p.name)
			continue
		}
		g := b.typeOf(p.ref, t.Name+GoName(p.name), p.ptr)
		nullable := isNullable(p.ref.Value)
		f := &ir.Field{Name: goNames[p], JSONName: p.name, Required: p.required}
		f.Type, f.OmitEmpty, f.OmitZero = fieldType(g, p.required, nullable)
		if s := p.ref.Value; s != nil {
			f.Doc = docText(s.Description)
			if f.Doc == "" {
				f.Doc = docText(sentence(s.Title))
			}
			f.Deprecated = s.Deprecated
			f.Secret = isSecret(p.name, s)
		}
		if f.Secret {
			t.Secret = true
		}
		b.wireFlags(f, p.ref.Value)
		t.Fields = append(t.Fields, f)
	}
	b.extraField(t, srcs, fn)
}

// fieldType applies the DESIGN.md rules: required non-nullable fields are
// values, optional ones pointers with omitempty, optional nullable ones
// (unions included) Nullable[T] with omitzero (so an explicit null can be
// sent).
func fieldType(g *ir.GoType, required, nullable bool) (t *ir.GoType, omitEmpty, omitZero bool) {
	nilable := isNilable(g)
	switch {
	case required && !nullable:
		return g, false, false
	case required:
		if nilable {
			return g, false, false
		}
		return pointerTo(g), false, false
	case !nullable:
		if nilable {
			return g, true, false
		}
		return pointerTo(g), true, false
	default:
		// Unions too: a nil interface cannot tell "absent" from "null".
		return nullableOf(g), false, true
	}
}

// isSecret marks fields whose values must never be printed.
func isSecret(name string, s *openapi3.Schema) bool {
	if v, ok := s.Extensions["x-kiiex-secret"].(bool); ok {
		return v
	}
	if v, ok := s.Extensions["x-secret"].(bool); ok && v {
		return true
	}
	if s.Format == "password" {
		return true
	}
	n := strings.ToLower(name)
	return strings.Contains(n, "password") || strings.Contains(n, "secret") || strings.Contains(n, "signature") || strings.HasSuffix(n, "token")
}

// validTagName reports whether encoding/json accepts name as a tag key
// (its isValidTag: ASCII punctuation other than quotes, backslash and comma,
// and Unicode letters and digits; a name it refuses would silently fall
// back to the Go field name on the wire).
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case unicode.IsLetter(c) || unicode.IsDigit(c):
		default:
			return false
		}
	}
	return true
}

// allOfType merges allOf parts into one struct; a lone $ref part (often
// used to attach a description) is that type itself.
func (b *builder) allOfType(s *openapi3.Schema, hint, ptr string, forceNamed bool) *ir.GoType {
	nonNil := 0
	var only *openapi3.SchemaRef
	for _, p := range s.AllOf {
		if p != nil && p.Value != nil {
			nonNil++
			only = p
		}
	}
	// A schema extending a polymorphic base is a subtype (a struct of its
	// own), even when it adds no properties.
	if nonNil == 1 && len(s.Properties) == 0 && !b.isPolySubtype(only) {
		g := b.typeOf(only, hint, ptr+"/allOf/0")
		if forceNamed && g.Kind != ir.Named {
			t := b.newType(hint, ir.AliasType, s, ptr)
			t.Target = g
			return named(t)
		}
		if forceNamed && g.Kind == ir.Named && g.Ref != b.named[s] {
			t := b.newType(hint, ir.AliasType, s, ptr)
			t.Target = g
			return named(t)
		}
		return g
	}
	t := b.newType(hint, ir.StructType, s, ptr)
	b.fillStruct(t, []propSource{{schema: s, ptr: ptr}}, ptr)
	return named(t)
}

// enumType makes a named type with constants. Boolean enums stay bool and
// enums whose values do not fit their type fall back to the plain type.
func (b *builder) enumType(s *openapi3.Schema, hint, ptr string) *ir.GoType {
	types := schemaTypes(s)
	typ := ""
	if len(types) == 1 {
		typ = types[0]
	}
	if typ == "" {
		typ = "string"
		for _, v := range s.Enum {
			switch v.(type) {
			case float64, int, int64, uint64:
				typ = "integer"
			}
		}
	}
	base := ""
	switch typ {
	case "string":
		base = "string"
	case "integer":
		base = "int64"
		if s.Format == "int32" {
			base = "int32"
		}
	case "number":
		base = "float64"
	default:
		return nil
	}
	t := b.newType(hint, ir.EnumType, s, ptr)
	e := &ir.Enum{Base: base}
	t.Enum = e
	varNames := stringList(s.Extensions, "x-enum-varnames", "x-enumNames", "x-enum-names")
	descs := stringList(s.Extensions, "x-enum-descriptions", "x-enumDescriptions")
	if len(varNames) != len(s.Enum) {
		varNames = nil
	}
	if len(descs) != len(s.Enum) {
		descs = nil
	}
	// Values first, so an int32 enum with a value beyond int32 can widen
	// before any constant is named.
	type value struct {
		v  any
		at int
	}
	var values []value
	for i, v := range s.Enum {
		if v == nil {
			continue
		}
		vptr := ptr + "/enum/" + strconv.Itoa(i)
		cv, ok := enumValue(base, v, func() (string, bool) { return b.opts.Number(vptr) })
		if !ok {
			text := valueText(v)
			if raw, ok := b.opts.Number(vptr); ok {
				text = raw
			}
			b.warn(vptr, "enum-value-type", "enum value %s does not fit the %s type %s; it is left out of the constants (it still decodes)", text, typ, base)
			continue
		}
		values = append(values, value{cv, i})
	}
	if base == "int32" {
		for _, v := range values {
			if n := v.v.(int64); n < math.MinInt32 || n > math.MaxInt32 {
				b.warn(ptr+"/enum/"+strconv.Itoa(v.at), "enum-int32-range", "enum value %d is outside format int32; the enum type is int64 instead", n)
				base = "int64"
				e.Base = base
				break
			}
		}
	}
	seen := map[string]bool{}
	for _, val := range values {
		i, cv := val.at, val.v
		key := fmt.Sprint(cv)
		if seen[key] {
			continue
		}
		seen[key] = true
		word := ""
		if varNames != nil {
			word = GoName(varNames[i])
		} else {
			word = enumWord(cv)
		}
		ev := ir.EnumValue{Name: b.names.claim(t.Name+word, ""), Value: cv}
		if descs != nil {
			ev.Doc = strings.TrimSpace(descs[i])
		}
		e.Values = append(e.Values, ev)
	}
	return named(t)
}

func enumWord(v any) string {
	switch x := v.(type) {
	case string:
		return GoName(x)
	case int64:
		if x < 0 {
			return "Minus" + strings.TrimPrefix(strconv.FormatInt(x, 10), "-")
		}
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
		s = strings.ReplaceAll(s, ".", "Point")
		if x < 0 {
			return "Minus" + s
		}
		return s
	}
	return GoName(fmt.Sprint(v))
}

// valueText shows a spec value in a message: strings quoted, numbers as
// written.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// enumValue converts a decoded enum value to the base type. Integers are
// exact: a float64 beyond 2^53 (which kin-openapi made of a larger integer)
// is read again from the spec text through raw.
func enumValue(base string, v any, raw func() (string, bool)) (any, bool) {
	switch base {
	case "string":
		switch x := v.(type) {
		case string:
			return x, true
		case bool, float64, int, int64, uint64:
			return fmt.Sprint(x), true
		}
	case "int64", "int32":
		switch x := v.(type) {
		case float64:
			if x != math.Trunc(x) {
				return nil, false
			}
			if math.Abs(x) < 1<<53 {
				return int64(x), true
			}
			if text, ok := raw(); ok {
				if n, err := strconv.ParseInt(text, 10, 64); err == nil {
					return n, true
				}
			}
		case int:
			return int64(x), true
		case int64:
			return x, true
		case uint64:
			if x <= math.MaxInt64 {
				return int64(x), true
			}
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, true
			}
		}
	case "float64":
		switch x := v.(type) {
		case float64:
			return x, true
		case int:
			return float64(x), true
		case int64:
			return float64(x), true
		}
	}
	return nil, false
}

func stringList(ext map[string]any, keys ...string) []string {
	for _, k := range keys {
		raw, ok := ext[k].([]any)
		if !ok {
			continue
		}
		out := make([]string, len(raw))
		for i, v := range raw {
			out[i] = fmt.Sprint(v)
		}
		return out
	}
	return nil
}

// roleOf describes where the schema at ptr sits, for the opening line of a
// type's doc comment.
func roleOf(ptr string) string {
	if ptr == "" {
		return ""
	}
	if file, frag, ok := strings.Cut(ptr, "#"); ok && file != "" {
		return strings.TrimSuffix(roleOf("#"+frag), " schema") + " schema of " + file
	} else if !ok {
		return "the schema in " + ptr
	}
	segs := strings.Split(strings.TrimPrefix(ptr, "#/"), "/")
	for i, s := range segs {
		segs[i] = pointerUnescaper.Replace(s)
	}
	return role(segs)
}

func role(segs []string) string {
	n := len(segs)
	switch {
	case n == 3 && segs[0] == "components" && segs[1] == "schemas":
		return "the " + segs[2] + " schema"
	case n == 0:
		return ""
	case n == 1:
		return "the " + segs[0] + " schema"
	}
	last := segs[n-1]
	parent := segs[:n-1]
	switch {
	case last == "schema" && n >= 2:
		return role(parent)
	case n >= 2 && segs[n-2] == "properties":
		return "the " + last + " property of " + role(segs[:n-2])
	case last == "items":
		return "an element of " + role(parent)
	case last == "additionalProperties":
		return "a value of " + role(parent)
	case n >= 2 && (segs[n-2] == "oneOf" || segs[n-2] == "anyOf" || segs[n-2] == "allOf"):
		return "alternative " + last + " of " + role(segs[:n-2])
	case n >= 3 && segs[n-2] == "content":
		return role(segs[:n-2])
	case last == "requestBody" && n >= 3 && segs[0] == "paths":
		return "the request body of " + strings.ToUpper(segs[2]) + " " + segs[1]
	case n >= 2 && segs[n-2] == "responses" && segs[0] == "paths" && n >= 5:
		return "the " + last + " response of " + strings.ToUpper(segs[2]) + " " + segs[1]
	case n >= 2 && segs[n-2] == "parameters":
		return "parameter " + last + " of " + role(segs[:n-2])
	case n == 3 && segs[0] == "components":
		return "the " + last + " component"
	case n == 3 && segs[0] == "paths":
		return strings.ToUpper(segs[2]) + " " + segs[1]
	case n >= 3 && segs[0] == "paths":
		return "part of " + strings.ToUpper(segs[2]) + " " + segs[1]
	}
	return "#/" + strings.Join(segs, "/")
}

// sentence ends a title with a period, so go/doc does not read a lone
// title line as a section heading.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?:") {
		return s
	}
	return s + "."
}
