package emit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// Encoding without reflection: every JSON struct, union wrapper and defined
// slice or map type gets an appendJSON method that writes its JSON through
// the runtime's jsonWriter (templates/jsonwrite.go), field by field, in
// straight-line code; MarshalJSON and the client's request bodies call it.
// Straight-line functions were chosen over field tables interpreted by one
// runtime loop: a table needs unsafe field offsets or a closure per field to
// stay reflection-free, and the per-field code is two to four lines.

// emitEncoder writes appendJSON and MarshalJSON for a JSON struct, and for
// a struct with wire rules the encoding/json reference of them.
func emitEncoder(f *jen.File, t *ir.Type) {
	pre, does := marshalRules(t, func(err jen.Code) jen.Code { return jen.Id("w").Dot("fail").Call(err).Line().Return() })
	special := len(does) > 0
	body := pre
	if special {
		// Such a struct used to be encoded by a MarshalJSON calling
		// json.Marshal, which escaped HTML even inside a request body.
		body = append(body, jen.Id("h").Op(":=").Id("w").Dot("html"), jen.Id("w").Dot("html").Op("=").True())
	}
	body = append(body, jen.Id("s").Op(":=").Id("w").Dot("openObject").Call())
	for _, fl := range t.Fields {
		if fl.ReadOnly {
			continue
		}
		x := jen.Id("v").Dot(fl.Name)
		if call := optionalField(fl, x); call != nil {
			body = append(body, call)
			continue
		}
		val := encodeValue(fl.Type, x, 0)
		cond := omitCond(fl, x)
		if fl.OmitEmpty && !fl.OmitZero && fl.Type.Kind == ir.Pointer {
			// The condition already tested the pointer.
			val = encodeValue(fl.Type.Elem, jen.Parens(jen.Op("*").Add(x.Clone())), 0)
		}
		stmts := append([]jen.Code{keyLit(",", fl.JSONName)}, val...)
		if cond != nil {
			body = append(body, jen.If(cond).Block(stmts...))
		} else {
			body = append(body, stmts...)
		}
	}
	if x := t.Extra; x != nil {
		loop := []jen.Code{}
		if known := knownKeys(t); len(known) > 0 {
			loop = append(loop, jen.Switch(jen.Id("k")).Block(jen.Case(known...).Block(jen.Continue())))
		}
		loop = append(loop, jen.Id("w").Dot("byte1").Call(jen.LitRune(',')), jen.Id("w").Dot("str").Call(jen.Id("k")), jen.Id("w").Dot("byte1").Call(jen.LitRune(':')))
		loop = append(loop, encodeValue(x.Type.Elem, jen.Id("v").Dot(x.Name).Index(jen.Id("k")), 0)...)
		body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("sortedKeys").Call(jen.Id("v").Dot(x.Name))).Block(loop...))
	}
	if x := t.Variant; x != nil {
		body = append(body, jen.Id("w").Dot("variantMembers").Call(jen.Id("s"), jen.Id("v").Dot(x.Name), jen.Lit(x.Type.Ref.Name)))
	}
	body = append(body, jen.Id("w").Dot("closeObject").Call(jen.Id("s")))
	if special {
		body = append(body, jen.Id("w").Dot("html").Op("=").Id("h"))
	}
	fileNote(f, "appendJSON writes v's JSON (see MarshalJSON).")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("appendJSON").Params(jen.Id("w").Op("*").Id("jsonWriter")).Block(body...)
	f.Line()
	doc := "MarshalJSON encodes v as encoding/json encodes its fields, without reflection."
	if special {
		doc = fmt.Sprintf("MarshalJSON encodes v without reflection; it %s.", joinClauses(does))
	}
	fileDoc(f, doc)
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("encodeJSON").Call(jen.Id("v").Dot("appendJSON"), jen.True())),
	)
	f.Line()
	if special {
		emitMarshalReference(f, t)
	}
}

// emitWrapperEncoder writes appendJSON and MarshalJSON for a union wrapper:
// the value itself, HTML-escaped as the json.Marshal call it replaces.
func emitWrapperEncoder(f *jen.File, t *ir.Type) {
	body := []jen.Code{jen.Id("h").Op(":=").Id("w").Dot("html"), jen.Id("w").Dot("html").Op("=").True()}
	body = append(body, encodeValue(t.Target, jen.Id("v").Dot("Value"), 0)...)
	body = append(body, jen.Id("w").Dot("html").Op("=").Id("h"))
	fileNote(f, "appendJSON writes the value itself, without a wrapper object.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("appendJSON").Params(jen.Id("w").Op("*").Id("jsonWriter")).Block(body...)
	f.Line()
	fileNote(f, "MarshalJSON encodes the value itself, without a wrapper object.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("encodeJSON").Call(jen.Id("v").Dot("appendJSON"), jen.True())),
	)
	f.Line()
}

// emitCollectionEncoder writes appendJSON for a defined slice or map type,
// so that a request body of that type is encoded without reflection. It
// gets no MarshalJSON: encoding/json encodes it as before, each element
// through its own MarshalJSON.
func emitCollectionEncoder(f *jen.File, t *ir.Type) {
	fileNote(f, "appendJSON writes v's JSON as encoding/json does.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("appendJSON").Params(jen.Id("w").Op("*").Id("jsonWriter")).Block(encodeValue(t.Target, jen.Id("v"), 0)...)
	f.Line()
}

// keyLit writes sep followed by the member name name and its colon, as
// encoding/json writes the name in each escaping mode.
func keyLit(sep, name string) jen.Code {
	plain, same := plainKey(sep, name)
	if same {
		return jen.Id("w").Dot("lit").Call(jen.Lit(plain))
	}
	html, _ := json.Marshal(name)
	return jen.Id("w").Dot("key").Call(jen.Lit(plain), jen.Lit(sep+string(html)+":"))
}

// omitCond is the condition under which field fl (the expression x) is
// written, or nil when it always is: encoding/json's omitempty (false, 0,
// "", nil, empty slice or map; a struct is never empty) and omitzero (the
// IsZero method, else the zero value).
func omitCond(fl *ir.Field, x *jen.Statement) jen.Code {
	var conds []jen.Code
	if fl.OmitEmpty {
		if c := nonEmpty(fl.Type, x); c != nil {
			conds = append(conds, c)
		}
	}
	if fl.OmitZero {
		if fl.Type.Kind == ir.Nullable {
			conds = append(conds, jen.Op("!").Add(x.Clone()).Dot("IsZero").Call())
		} else {
			conds = append(conds, jen.Op("!").Id("isZeroJSON").Call(x.Clone()))
		}
	}
	switch len(conds) {
	case 0:
		return nil
	case 1:
		return conds[0]
	}
	return jen.Add(conds[0]).Op("&&").Add(conds[1])
}

// nonEmpty is encoding/json's "not empty" test for a value of g, or nil
// when such values are never empty (structs).
func nonEmpty(g *ir.GoType, x *jen.Statement) jen.Code {
	switch g.Kind {
	case ir.Pointer:
		return x.Clone().Op("!=").Nil()
	case ir.Slice, ir.Map, ir.Qualified:
		return jen.Len(x.Clone()).Op("!=").Lit(0)
	case ir.Builtin:
		return builtinNonEmpty(g.Name, x)
	case ir.Named:
		switch g.Ref.Kind {
		case ir.UnionType:
			return x.Clone().Op("!=").Nil()
		case ir.EnumType:
			return builtinNonEmpty(g.Ref.Enum.Base, x)
		case ir.AliasType:
			return nonEmpty(g.Ref.Target, x)
		}
	}
	return nil
}

func builtinNonEmpty(name string, x *jen.Statement) jen.Code {
	switch name {
	case "string":
		return x.Clone().Op("!=").Lit("")
	case "bool":
		return x.Clone()
	case "any":
		return x.Clone().Op("!=").Nil()
	case "int", "int32", "int64", "float32", "float64", "byte":
		return x.Clone().Op("!=").Lit(0)
	}
	return nil
}

// encodeValue returns statements that write the JSON of x, an expression
// of type g. depth names the loop and temporary variables of nested
// collections.
func encodeValue(g *ir.GoType, x *jen.Statement, depth int) []jen.Code {
	w := func(method string, args ...jen.Code) *jen.Statement { return jen.Id("w").Dot(method).Call(args...) }
	check := func(call jen.Code) []jen.Code { return []jen.Code{call} }
	d := strconv.Itoa(depth)
	switch g.Kind {
	case ir.Builtin:
		return encodeBuiltin(g.Name, x)
	case ir.Runtime:
		switch g.Name {
		case "Decimal":
			return []jen.Code{w("decimal", x)}
		case "DateTime":
			return check(w("dateTime", x))
		case "Date":
			return []jen.Code{w("date", x)}
		}
		return check(w("value", x))
	case ir.Qualified:
		if g.Pkg == "encoding/json" && g.Name == "RawMessage" {
			return check(w("rawMessage", x))
		}
		return check(w("value", x))
	case ir.Named:
		switch g.Ref.Kind {
		case ir.StructType, ir.WrapperType:
			return check(x.Clone().Dot("appendJSON").Call(jen.Id("w")))
		case ir.EnumType:
			return encodeBuiltin(g.Ref.Enum.Base, jen.Id(g.Ref.Enum.Base).Call(x))
		case ir.UnionType:
			return check(w("value", x))
		case ir.AliasType:
			if k := g.Ref.Target.Kind; k == ir.Slice || k == ir.Map {
				return check(x.Clone().Dot("appendJSON").Call(jen.Id("w")))
			}
			return encodeValue(g.Ref.Target, x, depth)
		}
	case ir.Pointer:
		return []jen.Code{jen.If(x.Clone().Op("==").Nil()).Block(w("null")).Else().Block(
			encodeValue(g.Elem, jen.Parens(jen.Op("*").Add(x)), depth)...,
		)}
	case ir.Nullable:
		// Nullable's MarshalJSON called json.Marshal: its value is
		// HTML-escaped even inside a request body.
		y := jen.Id("y" + d)
		set := []jen.Code{jen.Id("h" + d).Op(":=").Id("w").Dot("html"), jen.Id("w").Dot("html").Op("=").True()}
		set = append(set, encodeValue(g.Elem, y, depth+1)...)
		set = append(set, jen.Id("w").Dot("html").Op("=").Id("h"+d))
		return []jen.Code{jen.If(jen.List(y.Clone(), jen.Id("ok")).Op(":=").Add(x).Dot("Get").Call(), jen.Id("ok")).Block(set...).Else().Block(w("null"))}
	case ir.Slice:
		if g.Elem.Kind == ir.Builtin && g.Elem.Name == "byte" {
			return []jen.Code{w("bytes", x)}
		}
		i, y := jen.Id("i"+d), jen.Id("y"+d)
		loop := []jen.Code{jen.If(i.Clone().Op(">").Lit(0)).Block(w("byte1", jen.LitRune(',')))}
		loop = append(loop, encodeValue(g.Elem, y, depth+1)...)
		return []jen.Code{jen.If(x.Clone().Op("==").Nil()).Block(w("null")).Else().Block(
			w("byte1", jen.LitRune('[')),
			jen.For(jen.List(i.Clone(), y.Clone()).Op(":=").Range().Add(x)).Block(loop...),
			w("byte1", jen.LitRune(']')),
		)}
	case ir.Map:
		i, k := jen.Id("i"+d), jen.Id("k"+d)
		loop := []jen.Code{
			jen.If(i.Clone().Op(">").Lit(0)).Block(w("byte1", jen.LitRune(','))),
			w("str", k.Clone()), w("byte1", jen.LitRune(':')),
		}
		loop = append(loop, encodeValue(g.Elem, x.Clone().Index(k.Clone()), depth+1)...)
		return []jen.Code{jen.If(x.Clone().Op("==").Nil()).Block(w("null")).Else().Block(
			w("byte1", jen.LitRune('{')),
			jen.For(jen.List(i.Clone(), k.Clone()).Op(":=").Range().Id("sortedKeys").Call(x)).Block(loop...),
			w("byte1", jen.LitRune('}')),
		)}
	}
	return check(w("value", x))
}

// encodeBuiltin writes x, of the predeclared type name (or an enum based
// on it, already converted).
func encodeBuiltin(name string, x *jen.Statement) []jen.Code {
	w := func(method string, args ...jen.Code) *jen.Statement { return jen.Id("w").Dot(method).Call(args...) }
	check := func(call jen.Code) []jen.Code { return []jen.Code{call} }
	switch name {
	case "string":
		return []jen.Code{w("str", x)}
	case "bool":
		return []jen.Code{w("boolean", x)}
	case "int64":
		return []jen.Code{w("int", x)}
	case "int", "int32", "byte":
		return []jen.Code{w("int", jen.Int64().Call(x))}
	case "float64":
		return check(w("float", x, jen.Lit(64)))
	case "float32":
		return check(w("float", jen.Float64().Call(x), jen.Lit(32)))
	}
	return check(w("value", x))
}

// optionalField is the one-line encoding of an optional field through the
// runtime's optional (a pointer under omitempty) or nullable (a Nullable
// under omitzero), or nil when the field takes the general path: another
// shape, a value type without a ready encoder, or a member name that
// differs between the escaping modes.
func optionalField(fl *ir.Field, x *jen.Statement) jen.Code {
	var helper string
	switch {
	case fl.OmitEmpty && !fl.OmitZero && fl.Type.Kind == ir.Pointer:
		helper = "optional"
	case fl.OmitZero && !fl.OmitEmpty && fl.Type.Kind == ir.Nullable:
		helper = "nullable"
	default:
		return nil
	}
	enc := valueEncoder(fl.Type.Elem)
	key, ok := plainKey(",", fl.JSONName)
	if enc == nil || !ok {
		return nil
	}
	return jen.Id(helper).Call(jen.Id("w"), jen.Lit(key), x, enc)
}

// valueEncoder names the runtime function (enc*) that writes a value of g,
// or returns nil when there is none.
func valueEncoder(g *ir.GoType) jen.Code {
	switch g.Kind {
	case ir.Builtin:
		return builtinEncoder(g.Name)
	case ir.Runtime:
		switch g.Name {
		case "Decimal", "DateTime", "Date":
			return jen.Id("enc" + g.Name)
		}
	case ir.Qualified:
		if g.Pkg == "encoding/json" && g.Name == "RawMessage" {
			return jen.Id("encRaw")
		}
	case ir.Slice:
		if g.Elem.Kind == ir.Builtin && g.Elem.Name == "byte" {
			return jen.Id("encBytes")
		}
	case ir.Named:
		switch g.Ref.Kind {
		case ir.StructType, ir.WrapperType:
			return jen.Id("encObject")
		case ir.EnumType:
			return builtinEncoder(g.Ref.Enum.Base)
		case ir.UnionType:
			return jen.Id("encAny")
		case ir.AliasType:
			if k := g.Ref.Target.Kind; k == ir.Slice || k == ir.Map {
				return jen.Id("encObject")
			}
			return valueEncoder(g.Ref.Target)
		}
	}
	return nil
}

func builtinEncoder(name string) jen.Code {
	switch name {
	case "string":
		return jen.Id("encString")
	case "bool":
		return jen.Id("encBool")
	case "int", "int32", "int64":
		return jen.Id("encInt")
	case "float64":
		return jen.Id("encFloat64")
	case "float32":
		return jen.Id("encFloat32")
	case "any":
		return jen.Id("encAny")
	}
	return nil
}

// plainKey is sep, the member name and its colon as encoding/json writes
// them, and whether that text is the same in both escaping modes.
func plainKey(sep, name string) (string, bool) {
	html, _ := json.Marshal(name)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(name) // a string always encodes
	plain := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return sep + string(plain) + ":", bytes.Equal(html, plain)
}
