package emit

import (
	"fmt"
	"strings"
	"sync"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// marshalRules collects what a struct's wire form adds to plain
// encoding/json of its fields: a required union left nil is an error (it
// would be sent as null), empty discriminators and fixed (const) strings are
// filled in, read-only fields are left out, and additional properties are
// written after the declared ones. pre are the checks and fills, run on the
// receiver (a copy) before encoding; fail renders the return statement of
// an error. does says what the rules do, for doc comments; it is empty for
// structs with none.
func marshalRules(t *ir.Type, fail func(err jen.Code) jen.Code) (pre []jen.Code, does []string) {
	for _, fl := range t.Fields {
		if requiredUnion(fl) {
			pre = append(pre, jen.If(jen.Id("isNil").Call(jen.Id("v").Dot(fl.Name))).Block(
				fail(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: %w"), jen.Lit(t.Name+"."+fl.JSONName), jen.Id("errNilUnion").Call(jen.Lit(fl.Type.Ref.Name)))),
			))
			does = append(does, fmt.Sprintf("fails when %s (required) is nil", fl.Name))
		}
		// An element of a union array has no "absent": nil would be null.
		if g := fl.Type; !fl.ReadOnly && g.Kind == ir.Slice && isUnionType(g.Elem) && !g.Elem.Ref.Union.Nullable {
			pre = append(pre, jen.For(jen.List(jen.Id("i"), jen.Id("x")).Op(":=").Range().Id("v").Dot(fl.Name)).Block(
				jen.If(jen.Id("isNil").Call(jen.Id("x"))).Block(
					fail(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s[%d]: %w"), jen.Lit(t.Name+"."+fl.JSONName), jen.Id("i"), jen.Id("errNilUnion").Call(jen.Lit(g.Elem.Ref.Name)))),
				),
			))
			does = append(does, fmt.Sprintf("fails when an element of %s is nil", fl.Name))
		}
	}
	if x := t.Variant; x != nil {
		pre = append(pre, jen.If(jen.Id("isNil").Call(jen.Id("v").Dot(x.Name))).Block(
			fail(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: %w"), jen.Lit(t.Name), jen.Id("errNilUnion").Call(jen.Lit(x.Type.Ref.Name)))),
		))
		does = append(does, fmt.Sprintf("fails when %s is nil", x.Name))
		if fl, u := variantTagField(t); fl != nil {
			var cases []jen.Code
			for _, v := range u.Variants {
				if len(v.Tags) == 0 {
					continue
				}
				val := jen.Lit(v.Tags[0])
				if fl.Type.Kind == ir.Pointer {
					val = jen.Id("Ptr").Call(jen.Add(typ(fl.Type.Elem)).Call(jen.Lit(v.Tags[0])))
				}
				cases = append(cases, jen.Case(typ(v.Type)).Block(jen.Id("v").Dot(fl.Name).Op("=").Add(val)))
			}
			empty := jen.Id("v").Dot(fl.Name).Op("==").Lit("")
			if fl.Type.Kind == ir.Pointer {
				empty = jen.Id("v").Dot(fl.Name).Op("==").Nil()
			}
			pre = append(pre, jen.If(empty).Block(jen.Switch(jen.Id("v").Dot(x.Name).Assert(jen.Type())).Block(cases...)))
			does = append(does, fmt.Sprintf("writes the discriminator value of %s's type as %q when it is empty", x.Name, fl.JSONName))
		}
	}
	var readOnly []string
	for _, fl := range t.Fields {
		if fl.ReadOnly {
			readOnly = append(readOnly, fl.Name)
			continue
		}
		value, fill := "", false
		switch {
		case fl.FillConst:
			value, fill = fl.Const.(string), true
		case t.Fill != nil && t.Fill.Field == fl:
			value, fill = t.Fill.Value, true
		}
		if !fill {
			continue
		}
		field := jen.Id("v").Dot(fl.Name)
		if fl.Type.Kind == ir.Pointer {
			pre = append(pre, jen.If(field.Clone().Op("==").Nil()).Block(field.Clone().Op("=").Id("Ptr").Call(jen.Add(typ(fl.Type.Elem)).Call(jen.Lit(value)))))
		} else {
			pre = append(pre, jen.If(field.Clone().Op("==").Lit("")).Block(field.Clone().Op("=").Lit(value)))
		}
		does = append(does, fmt.Sprintf("writes %q as %q when it is empty", value, fl.JSONName))
	}
	if len(readOnly) > 0 {
		does = append(does, "leaves out the read-only "+joinClauses(readOnly))
	}
	if t.Extra != nil {
		does = append(does, "adds the members of "+t.Extra.Name)
	}
	return pre, does
}

// emitMarshalReference writes marshalJSONReflect for a struct with wire
// rules: the rules applied the way MarshalJSON applied them before the JSON
// writer existed, through encoding/json. Only the differential tests call
// it; they hold appendJSON to its bytes.
//
// Read-only fields are hidden from encoding/json by shallower fields of the
// same JSON name that are always empty.
func emitMarshalReference(f *jen.File, t *ir.Type) {
	body, _ := marshalRules(t, func(err jen.Code) jen.Code { return jen.Return(jen.Nil(), err) })
	var hide []jen.Code
	for _, fl := range t.Fields {
		if fl.ReadOnly {
			hide = append(hide, jen.Id(fl.Name).Op("*").Struct().Tag(map[string]string{"json": fl.JSONName + ",omitempty"}))
		}
	}
	body = append(body, jen.Type().Id("plain").Id(t.Name))
	val := jen.Id("plain").Call(jen.Id("v"))
	if len(hide) > 0 {
		val = jen.Struct(append([]jen.Code{jen.Id("plain")}, hide...)...).Values(jen.Id("plain").Op(":").Id("plain").Call(jen.Id("v")))
	}
	if t.Extra == nil && t.Variant == nil {
		body = append(body, jen.Return(jen.Qual("encoding/json", "Marshal").Call(val)))
	} else {
		body = append(body,
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(val),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		)
		var ret jen.Code
		if t.Extra != nil {
			ret = jen.Id("appendExtraMembers").Call(append([]jen.Code{jen.Id("data"), jen.Id("v").Dot(t.Extra.Name)}, knownKeys(t)...)...)
		}
		if x := t.Variant; x != nil {
			if t.Extra != nil {
				body = append(body,
					jen.List(jen.Id("data"), jen.Err()).Op("=").Add(ret),
					jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
				)
			}
			ret = jen.Id("appendVariantMembers").Call(jen.Id("data"), jen.Id("v").Dot(x.Name), jen.Lit(x.Type.Ref.Name))
		}
		body = append(body, jen.Return(ret))
	}
	fileNote(f, "marshalJSONReflect is the encoding/json reference for appendJSON, for the differential tests.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("marshalJSONReflect").Params().Params(jen.Index().Byte(), jen.Error()).Block(body...)
	f.Line()
}

// joinClauses joins "a", "b" and "c" as "a, b and c".
func joinClauses(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// knownKeys are the JSON names a struct declares, as literals: the members
// that never go into (or come from) its additional-properties map.
func knownKeys(t *ir.Type) []jen.Code {
	var out []jen.Code
	for _, fl := range t.Fields {
		out = append(out, jen.Lit(fl.JSONName))
	}
	for _, n := range t.Unmapped {
		out = append(out, jen.Lit(n))
	}
	return out
}

// wireChecks returns the structs that get a checkWire method, which the
// client runs on a request body before encoding it so that a required union
// left nil is reported by its full path (Drawing.layers[0].fill) rather than
// by the innermost MarshalJSON. A struct qualifies when a field it sends is
// a required non-nullable union, a collection of non-nullable unions, or a
// value that may hold a qualifying struct (through pointers, Nullable,
// slices, maps, true aliases and union variants).
func wireChecks(pkg *ir.Package) map[*ir.Type]bool {
	wireMu.Lock()
	defer wireMu.Unlock()
	if wirePkg == pkg {
		return wireNeeds
	}
	needs := map[*ir.Type]bool{}
	for changed := true; changed; {
		changed = false
		for _, t := range pkg.Types {
			if t.Kind != ir.StructType || t.Params || needs[t] {
				continue
			}
			if t.Variant != nil {
				needs[t], changed = true, true
				continue
			}
			for _, f := range t.Fields {
				if !f.ReadOnly && (requiredUnion(f) || unionElems(f.Type) != "" || typeNeeds(f.Type, needs)) {
					needs[t], changed = true, true
					break
				}
			}
		}
	}
	wirePkg, wireNeeds = pkg, needs
	return needs
}

// The last package's wireChecks result: models_gen.go and client_gen.go
// render concurrently from the same package and both need it.
var (
	wireMu    sync.Mutex
	wirePkg   *ir.Package
	wireNeeds map[*ir.Type]bool
)

// variantTagField returns the field, declared beside the alternatives of
// t.Variant, that holds their union's discriminator, when it is a string
// MarshalJSON can fill from the alternative's type (its own field would
// lose to it); nil otherwise.
func variantTagField(t *ir.Type) (*ir.Field, *ir.Union) {
	u := t.Variant.Type.Ref.Union
	if u.Discriminator == "" {
		return nil, nil
	}
	for _, fl := range t.Fields {
		if fl.JSONName != u.Discriminator || fl.ReadOnly {
			continue
		}
		g := fl.Type
		if g.Kind == ir.Pointer {
			g = g.Elem
		}
		if g.Kind == ir.Builtin && g.Name == "string" || g.Kind == ir.Named && g.Ref.Kind == ir.EnumType && g.Ref.Enum.Base == "string" {
			return fl, u
		}
	}
	return nil, nil
}

// requiredUnion reports whether f must hold a variant when sent.
func requiredUnion(f *ir.Field) bool {
	return f.Required && !f.Nullable && !f.ReadOnly && isUnionType(f.Type) && !f.Type.Ref.Union.Nullable
}

// unionElems names the element union of a slice or map whose elements must
// not be nil, or returns "".
func unionElems(g *ir.GoType) string {
	if (g.Kind == ir.Slice || g.Kind == ir.Map) && isUnionType(g.Elem) && !g.Elem.Ref.Union.Nullable {
		return g.Elem.Ref.Name
	}
	return ""
}

// typeNeeds reports whether a value of g may hold a struct with checks.
func typeNeeds(g *ir.GoType, needs map[*ir.Type]bool) bool {
	switch g.Kind {
	case ir.Pointer, ir.Nullable, ir.Slice, ir.Map:
		return typeNeeds(g.Elem, needs)
	case ir.Named:
		switch g.Ref.Kind {
		case ir.StructType:
			return needs[g.Ref]
		case ir.UnionType:
			for _, v := range g.Ref.Union.Variants {
				if needs[v.Named] {
					return true
				}
			}
		case ir.AliasType:
			// Defined slice and map types have no method of their own.
			if t := g.Ref.Target; t.Kind != ir.Slice && t.Kind != ir.Map {
				return typeNeeds(t, needs)
			}
		}
	}
	return false
}

// emitWireCheck writes checkWire for a struct in wireChecks.
func emitWireCheck(f *jen.File, t *ir.Type, needs map[*ir.Type]bool) {
	ret := func(call jen.Code) jen.Code {
		return jen.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))
	}
	var body []jen.Code
	if x := t.Variant; x != nil {
		field := jen.Id("v").Dot(x.Name)
		body = append(body, jen.If(jen.Id("isNil").Call(field.Clone())).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: %w"), jen.Id("path"), jen.Id("errNilUnion").Call(jen.Lit(x.Type.Ref.Name)))),
		))
		if typeNeeds(x.Type, needs) {
			body = append(body, ret(jen.Id("checkWireValue").Call(field.Clone(), jen.Id("path"))))
		}
	}
	for _, fl := range t.Fields {
		if fl.ReadOnly {
			continue
		}
		path := jen.Id("path").Op("+").Lit("." + fl.JSONName)
		field := jen.Id("v").Dot(fl.Name)
		if requiredUnion(fl) {
			body = append(body, jen.If(jen.Id("isNil").Call(field.Clone())).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%s: %w"), path.Clone(), jen.Id("errNilUnion").Call(jen.Lit(fl.Type.Ref.Name)))),
			))
		}
		g := fl.Type
		switch {
		case (g.Kind == ir.Slice || g.Kind == ir.Map) && (unionElems(g) != "" || typeNeeds(g.Elem, needs)):
			helper := "checkWireSlice"
			if g.Kind == ir.Map {
				helper = "checkWireMap"
			}
			body = append(body, ret(jen.Id(helper).Call(field.Clone(), path.Clone(), jen.Lit(unionElems(g)))))
		case typeNeeds(g, needs):
			body = append(body, ret(jen.Id("checkWireValue").Call(field.Clone(), path.Clone())))
		}
	}
	body = append(body, jen.Return(jen.Nil()))
	fileNote(f, "checkWire reports a required union left nil in v or below it, by its path; path names v.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("checkWire").Params(jen.Id("path").String()).Error().Block(body...)
	f.Line()
}
