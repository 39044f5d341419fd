package build

import (
	"encoding/json"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// wireFlags records what a property's schema says about the wire beyond
// its type: readOnly (never sent), writeOnly (never received) and a fixed
// value (const, or an enum of one value).
func (b *builder) wireFlags(f *ir.Field, s *openapi3.Schema) {
	if s == nil {
		return
	}
	f.ReadOnly, f.WriteOnly = s.ReadOnly, s.WriteOnly
	f.Nullable = isNullable(s)
	f.Const = fixedValue(s)
	if _, ok := f.Const.(string); ok && f.Required && !f.ReadOnly && stringField(f.Type) {
		f.FillConst = true
	}
}

// fixedValue returns the one value s allows, when it is a JSON scalar other
// than null: its const, or the only member of its enum.
func fixedValue(s *openapi3.Schema) any {
	v := s.Const
	if v == nil && len(s.Enum) == 1 {
		v = s.Enum[0]
	}
	switch x := v.(type) {
	case string, bool, float64:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	}
	return nil
}

// constJSON is the JSON encoding of a fixed value.
func constJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

// stringField reports whether a field holds a string (or string enum)
// that MarshalJSON can fill: a value or a pointer, not a Nullable.
func stringField(g *ir.GoType) bool {
	if g.Kind == ir.Pointer {
		g = g.Elem
	}
	return g.Kind == ir.Builtin && g.Name == "string" || g.Kind == ir.Named && g.Ref.Kind == ir.EnumType && g.Ref.Enum.Base == "string"
}

// extraField gives a struct whose schema combines properties with
// additionalProperties (a schema, or true) a map for the members the
// properties do not name, so they survive a decode and re-encode. The map
// is named after the properties, so a property called
// "AdditionalProperties" keeps its name and the map takes the next one.
func (b *builder) extraField(t *ir.Type, srcs []propSource, fn *namer) {
	for _, src := range srcs {
		if ap := src.schema.AdditionalProperties; ap.Has != nil && !*ap.Has && ap.Schema == nil {
			t.Closed = true
		}
	}
	if len(t.Fields) == 0 {
		return
	}
	for _, src := range srcs {
		ap := src.schema.AdditionalProperties
		var g *ir.GoType
		switch {
		case ap.Schema != nil:
			g = b.typeOf(ap.Schema, t.Name+"Value", src.ptr+"/additionalProperties")
		case ap.Has != nil && *ap.Has:
			g = tRaw
		default:
			continue
		}
		name := fn.claim("AdditionalProperties", "Field")
		t.Extra = &ir.Field{
			Name: name,
			Type: mapOf(g),
			Doc:  name + " holds the members the declared properties do not name (additionalProperties). MarshalJSON writes them after the properties, in key order, and never over a property.",
		}
		return
	}
}
