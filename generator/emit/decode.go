package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// The generated decoders. Every JSON type with a Go type of its own (a
// struct, a wrapper, a defined slice or map type) gets a readJSON method
// that reads it from the runtime's jsonReader (templates/jsonread.go)
// without reflection, and an UnmarshalJSON that calls it; the client reads
// response bodies through readJSON directly. A struct's readField is one
// switch over its JSON names, each case a call of a generic runtime reader
// with the field's address: the per-type code is a line or two per field,
// and all the work is in the runtime.

// readStmt is the statement reading the next JSON value into *ptr, a
// value of g.
func readStmt(g *ir.GoType, ptr jen.Code) jen.Code {
	if leafReader(g) != "" {
		return jen.Add(readerExpr(g)).Call(ptr, jen.Id("r"))
	}
	switch g.Kind {
	case ir.Pointer:
		if e := g.Elem; e.Kind == ir.Builtin || e.Kind == ir.Runtime {
			// The common pointees come from the reader's slabs.
			switch e.Name {
			case "int64", "string", "bool", "Decimal", "DateTime":
				return jen.Id("readPtr"+upperFirst(e.Name)).Call(ptr, jen.Id("r"))
			}
		}
		return jen.Id("readPtr").Call(ptr, jen.Id("r"), readerExpr(g.Elem))
	case ir.Nullable:
		return jen.Id("readNullable").Call(ptr, jen.Id("r"), readerExpr(g.Elem))
	case ir.Slice:
		return jen.Id("readSlice").Call(ptr, jen.Id("r"), readerExpr(g.Elem))
	case ir.Map:
		return jen.Id("readMap").Call(ptr, jen.Id("r"), readerExpr(g.Elem))
	case ir.Named:
		t := g.Ref
		switch {
		case hasReadJSON(t):
			return jen.Parens(ptr).Dot("readJSON").Call(jen.Id("r"))
		case t.Kind == ir.AliasType:
			return readStmt(t.Target, ptr)
		case t.Kind == ir.UnionType:
			return jen.Id("readUnion").Call(ptr, jen.Id("r"), jen.Id(t.Union.Decoder))
		}
	}
	return jen.Add(readerExpr(g)).Call(ptr, jen.Id("r"))
}

// readerExpr is a func(*T, *jsonReader) error value reading g.
func readerExpr(g *ir.GoType) jen.Code {
	if name := leafReader(g); name != "" {
		if g.Kind == ir.Named && g.Ref.Kind != ir.AliasType || name == "readVia" {
			// A defined type (an enum) and the fallback need their type
			// argument spelled out: inference sees only the func type.
			return jen.Id(name).Types(typ(g))
		}
		return jen.Id(name)
	}
	if g.Kind == ir.Named && hasReadJSON(g.Ref) {
		return jen.Parens(jen.Op("*").Id(g.Ref.Name)).Dot("readJSON")
	}
	if g.Kind == ir.Named && g.Ref.Kind == ir.AliasType {
		return readerExpr(g.Ref.Target)
	}
	return jen.Func().Params(jen.Id("p").Op("*").Add(typ(g)), jen.Id("r").Op("*").Id("jsonReader")).Error().Block(
		jen.Return(readStmt(g, jen.Id("p"))),
	)
}

// leafReader names the runtime reader of a scalar type, or "".
func leafReader(g *ir.GoType) string {
	switch g.Kind {
	case ir.Builtin:
		switch g.Name {
		case "string":
			return "readString"
		case "bool":
			return "readBool"
		case "int64", "int32":
			return "readInt"
		case "float64":
			return "readFloat"
		}
		return "readVia"
	case ir.Runtime:
		switch g.Name {
		case "Decimal":
			return "readDecimal"
		case "DateTime":
			return "readDateTime"
		case "Date":
			return "readDate"
		}
		return "readVia"
	case ir.Qualified:
		if g.Pkg == "encoding/json" && g.Name == "RawMessage" {
			return "readRaw"
		}
		return "readVia"
	case ir.Slice:
		if e := g.Elem; e.Kind == ir.Builtin && e.Name == "byte" {
			return "readVia" // base64, as encoding/json decodes []byte
		}
	case ir.Named:
		if t := g.Ref; t.Kind == ir.EnumType {
			return leafReader(&ir.GoType{Kind: ir.Builtin, Name: t.Enum.Base})
		}
	}
	return ""
}

// hasReadJSON reports whether the generated type t has a readJSON method.
func hasReadJSON(t *ir.Type) bool {
	switch t.Kind {
	case ir.StructType:
		return !t.Params
	case ir.WrapperType:
		return true
	case ir.AliasType:
		return t.Target.Kind == ir.Slice || t.Target.Kind == ir.Map
	}
	return false
}

// emitUnmarshalJSON writes UnmarshalJSON for a type with readJSON, so that
// encoding/json users get the generated decoder too.
func emitUnmarshalJSON(f *jen.File, t *ir.Type) {
	fileNote(f, fmt.Sprintf("UnmarshalJSON decodes %s with its generated decoder (no reflection).", t.Name))
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Id("readJSONTop").Call(jen.Id("data"), jen.Id("v"))),
	)
	f.Line()
}

// emitReadJSON writes readJSON (and UnmarshalJSON) for a defined slice or
// map type or a wrapper: the value read as its underlying type.
func emitReadJSON(f *jen.File, t *ir.Type) {
	var stmt jen.Code
	if t.Kind == ir.WrapperType {
		stmt = readStmt(t.Target, jen.Op("&").Id("v").Dot("Value"))
	} else {
		stmt = readStmt(t.Target, jen.Parens(jen.Op("*").Add(typ(t.Target))).Parens(jen.Id("v")))
	}
	emitUnmarshalJSON(f, t)
	fileNote(f, fmt.Sprintf("readJSON reads %s from r.", t.Name))
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("readJSON").Params(jen.Id("r").Op("*").Id("jsonReader")).Error().Block(
		jen.Return(stmt),
	)
	f.Line()
}

// multi renders call arguments one per line, so that a property added to
// the spec adds a line rather than changing one.
var multi = jen.Options{Open: "(", Close: ")", Separator: ",", Multi: true}

// emitStructReader writes UnmarshalJSON, readJSON and readField for a
// JSON struct.
func emitStructReader(f *jen.File, t *ir.Type) {
	emitUnmarshalJSON(f, t)
	var names []jen.Code
	for _, fl := range t.Fields {
		names = append(names, jen.Lit(fl.JSONName))
	}
	read := []jen.Code{jen.Return(jen.Id("r").Dot("object").Call(jen.Id("v")))}
	if x := t.Variant; x != nil {
		read = []jen.Code{jen.Return(jen.Id("readVariantObject").Call(jen.Id("r"), jen.Id("v"), jen.Op("&").Id("v").Dot(x.Name), jen.Id(x.Type.Ref.Union.Decoder)))}
	}
	if t.Extra != nil {
		// Each reading of the object replaces the map, as the members
		// no field names are collected per object.
		read = append([]jen.Code{jen.Id("v").Dot(t.Extra.Name).Op("=").Nil()}, read...)
	}
	note := fmt.Sprintf("readJSON reads %s from r; see readField.", t.Name)
	if x := t.Variant; x != nil {
		note = fmt.Sprintf("readJSON reads %s from r (see readField), then %s from the same object.", t.Name, x.Name)
	}
	fileNote(f, note)
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("readJSON").Params(jen.Id("r").Op("*").Id("jsonReader")).Error().Block(read...)
	f.Line()

	var cases []jen.Code
	for _, fl := range t.Fields {
		ptr := jen.Op("&").Id("v").Dot(fl.Name)
		var stmt jen.Code
		switch {
		case fl.Type.Kind == ir.Nullable && needsDecoder(fl.Type.Elem):
			stmt = jen.Id("readUnionNullable").Call(ptr, jen.Id("r"), decoderExpr(fl.Type.Elem), jen.Lit(fl.JSONName))
		case needsDecoder(fl.Type):
			stmt = jen.Id("readUnionField").Call(ptr, jen.Id("r"), decoderExpr(fl.Type), jen.Lit(fl.JSONName))
		default:
			stmt = readStmt(fl.Type, ptr)
		}
		cases = append(cases, jen.Case(jen.Lit(fl.JSONName)).Block(jen.Return(stmt)))
	}
	var other jen.Code
	if x := t.Extra; x != nil {
		var unmapped []jen.Code
		for _, n := range t.Unmapped {
			unmapped = append(unmapped, jen.Lit(n))
		}
		other = jen.Id("readExtra").Custom(multi, append([]jen.Code{jen.Id("r"), jen.Id("key"), jen.Id("v"), jen.Op("&").Id("v").Dot(x.Name), readerExpr(x.Type.Elem),
			jen.Index().String().Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, names...)}, unmapped...)...)
	} else {
		other = jen.Id("r").Dot("otherField").Custom(multi, append([]jen.Code{jen.Id("v"), jen.Id("key")}, names...)...)
	}
	body := []jen.Code{}
	if len(cases) > 0 {
		body = append(body, jen.Switch(jen.String().Parens(jen.Id("key"))).Block(cases...))
	}
	body = append(body, jen.Return(other))
	fileNote(f, "readField reads the member key of a JSON object into v: the field with that JSON name, else one whose name matches case-insensitively, else nothing.")
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("readField").Params(jen.Id("r").Op("*").Id("jsonReader"), jen.Id("key").Index().Byte()).Error().Block(body...)
	f.Line()
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// readInto is the out argument of a client call decoding a response of
// type g into the variable ptr points to: a readerFunc running the
// generated decoder, or ptr itself where the runtime has no reader (the
// client then falls back to encoding/json).
func readInto(g *ir.GoType, ptr jen.Code) jen.Code {
	if leafReader(g) == "readVia" || g.Kind == ir.Builtin && g.Name == "string" {
		// decodeResponse takes *string and *[]byte as the raw body.
		return ptr
	}
	return jen.Id("readerFunc").Call(jen.Func().Params(jen.Id("r").Op("*").Id("jsonReader")).Error().Block(
		jen.Return(readStmt(g, ptr)),
	))
}
