package emit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// unionsFile holds the sealed interfaces, their variants' marker methods,
// wrapper types, DecodeX functions and the small helpers they share.
func unionsFile(pkg *ir.Package, f *jen.File) bool {
	var unions, wrappers []*ir.Type
	for _, t := range pkg.Types {
		switch t.Kind {
		case ir.UnionType:
			unions = append(unions, t)
		case ir.WrapperType:
			wrappers = append(wrappers, t)
		}
	}
	if len(unions) == 0 {
		return false
	}
	for _, t := range unions {
		emitUnion(f, t)
	}
	for _, t := range wrappers {
		emitWrapper(f, t)
	}
	emitUnionHelpers(f)
	return true
}

func variantList(u *ir.Union) string {
	var names []string
	for _, v := range u.Variants {
		s := v.Named.Name
		if v.Type.Kind == ir.Pointer {
			s = "*" + s
		}
		names = append(names, s)
	}
	return strings.Join(names, ", ")
}

func markerName(t *ir.Type) string { return "is" + t.Name }

func emitUnion(f *jen.File, t *ir.Type) {
	u := t.Union
	rule := "Decoding picks the one variant whose required properties are present and whose property types match; no match or several is a *UnionError."
	if u.AnyOf {
		rule = "Decoding (anyOf) picks, among the variants that match, the one with the most required properties, then the first listed."
	}
	if u.Discriminator != "" {
		rule = fmt.Sprintf("Decoding dispatches on the %q property.", u.Discriminator)
		if u.Implicit {
			rule = fmt.Sprintf("Decoding dispatches on the %q property, which each variant fixes to its own value.", u.Discriminator)
		}
	}
	if u.Nullable {
		rule += fmt.Sprintf(" JSON null decodes to a nil %s.", t.Name)
	} else {
		rule += " JSON null is an error: the schema does not allow it."
	}
	fileDoc(f, paragraphs(fmt.Sprintf("%s is one of: %s.", t.Name, variantList(u)), t.Doc, typeDocTail(t), rule))
	f.Type().Id(t.Name).Interface(jen.Id(markerName(t)).Params())
	f.Line()
	for _, v := range u.Variants {
		recv := jen.Id(v.Named.Name)
		if v.Type.Kind == ir.Pointer {
			recv = jen.Op("*").Id(v.Named.Name)
		}
		f.Func().Params(recv).Id(markerName(t)).Params().Block()
	}
	f.Line()
	emitDecoder(f, t)
}

func typeDocTail(t *ir.Type) string {
	var parts []string
	if t.Role != "" {
		parts = append(parts, "It is "+t.Role+".")
	}
	if t.Ref != "" {
		parts = append(parts, "Ref: "+t.Ref)
	}
	if t.Deprecated {
		parts = append(parts, "Deprecated: the spec marks this schema deprecated.")
	}
	return paragraphs(parts...)
}

func emitWrapper(f *jen.File, t *ir.Type) {
	fileDoc(f, t.Doc)
	f.Type().Id(t.Name).Struct(
		jen.Add(comment("Value is the alternative's value.")).Id("Value").Add(typ(t.Target)),
	)
	f.Line()
	emitWrapperEncoder(f, t)
	emitReadJSON(f, t)
}

// decodeVariant returns statements that decode data into variant v and
// return it. With scanned set, obj holds data's members (or is nil), and
// a struct variant is read from them rather than from data again.
func decodeVariant(t *ir.Type, v *ir.Variant, scanned bool) []jen.Code {
	decode := jen.Qual("encoding/json", "Unmarshal").Call
	if hasReadJSON(v.Named) {
		decode = jen.Id("readJSONTop").Call
	}
	if scanned && v.Named.Kind == ir.StructType && hasReadJSON(v.Named) {
		decode = func(args ...jen.Code) *jen.Statement {
			return jen.Id("readMembersTop").Call(append([]jen.Code{args[0], jen.Id("obj")}, args[1:]...)...)
		}
	}
	wrap := func(val jen.Code) []jen.Code {
		return []jen.Code{
			jen.If(jen.Err().Op(":=").Add(decode(jen.Id("data"), val)), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), wrapNamed(jen.Err(), t.Name, v.Label)),
			),
		}
	}
	if v.Type.Kind == ir.Pointer {
		out := []jen.Code{jen.Id("x").Op(":=").New(jen.Id(v.Named.Name))}
		out = append(out, wrap(jen.Id("x"))...)
		return append(out, jen.Return(jen.Id("x"), jen.Nil()))
	}
	out := []jen.Code{jen.Var().Id("x").Id(v.Named.Name)}
	out = append(out, wrap(jen.Op("&").Id("x"))...)
	return append(out, jen.Return(jen.Id("x"), jen.Nil()))
}

func tried(u *ir.Union) jen.Code {
	var labels []jen.Code
	for _, v := range u.Variants {
		labels = append(labels, jen.Lit(v.Label))
	}
	return jen.Index().String().Values(labels...)
}

func emitDecoder(f *jen.File, t *ir.Type) {
	u := t.Union
	var body []jen.Code
	body = append(body,
		jen.Id("kind").Op(":=").Id("jsonKind").Call(jen.Id("data")),
	)
	if u.Nullable {
		body = append(body, jen.If(jen.Id("kind").Op("==").Add(runeLit('z'))).Block(jen.Return(jen.Nil(), jen.Nil())))
	} else {
		body = append(body, jen.If(jen.Id("kind").Op("==").Add(runeLit('z'))).Block(
			jen.Return(jen.Nil(), jen.Op("&").Id("UnionError").Add(ordered(kv{"Union", jen.Lit(t.Name)}, kv{"Reason", jen.Lit("null is not allowed")}))),
		))
	}
	if u.Discriminator != "" {
		body = append(body, discriminatorDispatch(t)...)
	} else {
		body = append(body, matchDispatch(t)...)
	}
	nullDoc := fmt.Sprintf("JSON null gives a nil %s", t.Name)
	if !u.Nullable {
		nullDoc = "JSON null is a *UnionError"
	}
	fileNote(f, fmt.Sprintf("%s decodes JSON into the matching variant of %s; %s.", u.Decoder, t.Name, nullDoc))
	f.Func().Id(u.Decoder).Params(jen.Id("data").Index().Byte()).Params(jen.Id(t.Name), jen.Error()).Block(body...)
	f.Line()
}

func discriminatorDispatch(t *ir.Type) []jen.Code {
	u := t.Union
	out := []jen.Code{
		jen.Var().Id("buf").Index(jen.Lit(8)).Id("jsonMember"),
		jen.List(jen.Id("obj"), jen.Err()).Op(":=").Id("scanMembers").Call(jen.Id("data"), jen.Id("buf").Index(jen.Empty(), jen.Lit(0))),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Op("&").Id("UnionError").Add(ordered(kv{"Union", jen.Lit(t.Name)}, kv{"Tried", tried(u)}, kv{"Reason", jen.Err().Dot("Error").Call()}))),
		),
		jen.Var().Id("tag").String(),
		jen.If(jen.List(jen.Id("raw"), jen.Id("ok")).Op(":=").Id("obj").Dot("get").Call(jen.Lit(u.Discriminator)), jen.Id("ok")).Block(
			jen.Id("tag").Op("=").Id("jsonStringValue").Call(jen.Id("raw")),
		),
	}
	var cases []jen.Code
	for _, v := range u.Variants {
		var tags []jen.Code
		for _, tg := range v.Tags {
			tags = append(tags, jen.Lit(tg))
		}
		if len(tags) == 0 {
			continue
		}
		cases = append(cases, jen.Case(tags...).Block(decodeVariant(t, v, true)...))
	}
	out = append(out, jen.Switch(jen.Id("tag")).Block(cases...))
	out = append(out, jen.Return(jen.Nil(), jen.Op("&").Id("UnionError").Add(ordered(kv{"Union", jen.Lit(t.Name)}, kv{"Tried", tried(u)},
		kv{"Reason", jen.Qual("fmt", "Sprintf").Call(jen.Lit("unknown %s %q"), jen.Lit(u.Discriminator), jen.Id("tag"))}))))
	return out
}

// checkedProps returns the names of the properties the variants' checks
// read, sorted, and each name's index among them: the decoder finds their
// values in one pass over the members (see propValues).
func checkedProps(vs []*ir.Variant) ([]string, map[string]int) {
	slot := map[string]int{}
	var names []string
	add := func(n string) {
		if _, ok := slot[n]; !ok {
			slot[n] = 0
			names = append(names, n)
		}
	}
	for _, v := range vs {
		if v.Kind != ir.KindObject {
			continue
		}
		for _, r := range v.Required {
			add(r)
		}
		for _, p := range v.Props {
			if p.Kind != ir.KindAny {
				add(p.Name)
			}
		}
		for _, c := range v.Consts {
			add(c.Name)
		}
	}
	sort.Strings(names)
	for i, n := range names {
		slot[n] = i
	}
	return names, slot
}

// propValues declares prop, the values of the last members (encoding/json
// keeps the last of duplicates) named names, nil where there is none, and
// fills it in one pass over obj.
func propValues(names []string) []jen.Code {
	var cases []jen.Code
	for i, n := range names {
		cases = append(cases, jen.Case(jen.Lit(n)).Block(jen.Id("prop").Index(jen.Lit(i)).Op("=").Id("m").Dot("raw")))
	}
	return []jen.Code{
		jen.Add(comment("The values the checks read: the last member with each name (encoding/json keeps the last of duplicates), nil when there is none.")).
			Var().Id("prop").Index(jen.Lit(len(names))).Index().Byte(),
		jen.For(jen.List(jen.Id("_"), jen.Id("m")).Op(":=").Range().Id("obj")).Block(
			jen.Switch(jen.String().Parens(jen.Id("m").Dot("key"))).Block(cases...),
		),
	}
}

// variantCond is the boolean expression telling whether data fits v; slot
// indexes prop (see propValues).
func variantCond(v *ir.Variant, slot map[string]int) jen.Code {
	prop := func(name string) *jen.Statement { return jen.Id("prop").Index(jen.Lit(slot[name])) }
	kindIs := func(k ir.JSONKind) *jen.Statement {
		if k == ir.KindInteger {
			return jen.Id("kind").Op("==").Add(runeLit('n')).Op("&&").Id("isJSONInteger").Call(jen.Id("data"))
		}
		return jen.Id("kind").Op("==").Add(runeLit(byte(k)))
	}
	switch v.Kind {
	case ir.KindAny:
		return jen.True()
	case ir.KindObject:
		cond := kindIs(ir.KindObject)
		for _, r := range v.Required {
			cond = cond.Op("&&").Add(prop(r)).Op("!=").Nil()
		}
		for _, p := range v.Props {
			if p.Kind == ir.KindAny {
				continue
			}
			cond = cond.Op("&&").Id("unionKind").Call(prop(p.Name), runeLit(byte(p.Kind)))
		}
		for _, c := range v.Consts {
			cond = cond.Op("&&").Id("unionValueIs").Call(prop(c.Name), jen.Lit(c.JSON), jen.Lit(c.Present))
		}
		if v.Closed {
			var keys []jen.Code
			for _, p := range v.Props {
				keys = append(keys, jen.Lit(p.Name))
			}
			for _, name := range v.Beside {
				keys = append(keys, jen.Lit(name))
			}
			cond = cond.Op("&&").Id("unionOnlyKeys").Call(append([]jen.Code{jen.Id("obj")}, keys...)...)
		}
		return cond
	case ir.KindArray:
		cond := kindIs(ir.KindArray)
		if v.Items != ir.KindAny || !v.ItemsNullable {
			cond = cond.Op("&&").Id("unionItemsKind").Call(jen.Id("data"), kindLit(v.Items), jen.Lit(v.ItemsNullable))
		}
		return cond
	case ir.KindString:
		cond := kindIs(ir.KindString)
		if len(v.EnumStrings) > 0 {
			var vals []jen.Code
			for _, s := range v.EnumStrings {
				vals = append(vals, jen.Lit(s))
			}
			cond = cond.Op("&&").Id("unionStringIn").Call(append([]jen.Code{jen.Id("data")}, vals...)...)
		}
		return cond
	}
	return kindIs(v.Kind)
}

// kindLit renders a JSON kind for the helpers: a character literal, or 0
// for any kind.
func kindLit(k ir.JSONKind) jen.Code {
	if k == ir.KindAny {
		return jen.Lit(0)
	}
	return runeLit(byte(k))
}

// usesObj reports whether variantCond(v) reads the object's members.
func usesObj(v *ir.Variant) bool {
	if v.Kind != ir.KindObject {
		return false
	}
	if len(v.Required) > 0 || len(v.Consts) > 0 || v.Closed {
		return true
	}
	for _, p := range v.Props {
		if p.Kind != ir.KindAny {
			return true
		}
	}
	return false
}

func noMatch(t *ir.Type) jen.Code {
	return jen.Op("&").Id("UnionError").Add(ordered(kv{"Union", jen.Lit(t.Name)}, kv{"Tried", tried(t.Union)}, kv{"Reason", jen.Lit("no variant matches")}))
}

func matchDispatch(t *ir.Type) []jen.Code {
	u := t.Union
	order := make([]*ir.Variant, len(u.Variants))
	copy(order, u.Variants)
	if u.AnyOf {
		// Most specific first: more required properties win, then the
		// order the spec lists them in.
		sort.SliceStable(order, func(i, j int) bool { return len(order[i].Required) > len(order[j].Required) })
	}
	needObj := false
	for _, v := range order {
		needObj = needObj || usesObj(v)
	}
	var out []jen.Code
	names, slot := checkedProps(order)
	if needObj {
		out = append(out,
			jen.Var().Id("buf").Index(jen.Lit(8)).Id("jsonMember"),
			jen.List(jen.Id("obj"), jen.Id("_")).Op(":=").Id("scanMembers").Call(jen.Id("data"), jen.Id("buf").Index(jen.Empty(), jen.Lit(0))))
		if len(names) > 0 {
			out = append(out, propValues(names)...)
		}
	}
	// On the stack: the matches escape only into an error, as a copy.
	out = append(out, jen.Var().Id("found").Index(jen.Lit(len(order))).String(), jen.Id("matches").Op(":=").Id("found").Index(jen.Empty(), jen.Lit(0)))
	for _, v := range order {
		out = append(out, jen.If(variantCond(v, slot)).Block(jen.Id("matches").Op("=").Append(jen.Id("matches"), jen.Lit(v.Label))))
	}
	// A whole number fits both an integer and a number alternative; the
	// integer one is the more specific reading.
	var intV, numV *ir.Variant
	for _, v := range u.Variants {
		if v.Kind == ir.KindInteger && intV == nil {
			intV = v
		}
		if v.Kind == ir.KindNumber && numV == nil {
			numV = v
		}
	}
	if !u.AnyOf && intV != nil && numV != nil {
		out = append(out, jen.If(jen.Len(jen.Id("matches")).Op("==").Lit(2).Op("&&").Id("matches").Index(jen.Lit(0)).Op("==").Lit(intV.Label).Op("&&").Id("matches").Index(jen.Lit(1)).Op("==").Lit(numV.Label)).Block(
			jen.Id("matches").Op("=").Id("matches").Index(jen.Empty(), jen.Lit(1)),
		))
	}
	if u.AnyOf {
		out = append(out, jen.If(jen.Len(jen.Id("matches")).Op("==").Lit(0)).Block(
			jen.Return(jen.Nil(), noMatch(t)),
		))
	} else {
		out = append(out,
			jen.If(jen.Len(jen.Id("matches")).Op("==").Lit(0)).Block(
				jen.Return(jen.Nil(), noMatch(t)),
			),
			jen.If(jen.Len(jen.Id("matches")).Op(">").Lit(1)).Block(
				jen.Return(jen.Nil(), jen.Op("&").Id("UnionError").Add(ordered(kv{"Union", jen.Lit(t.Name)}, kv{"Candidates", jen.Qual("slices", "Clone").Call(jen.Id("matches"))}, kv{"Tried", tried(u)}, kv{"Reason", jen.Lit("ambiguous: several variants match")}))),
			),
		)
	}
	var cases []jen.Code
	for _, v := range u.Variants {
		cases = append(cases, jen.Case(jen.Lit(v.Label)).Block(decodeVariant(t, v, needObj)...))
	}
	out = append(out, jen.Switch(jen.Id("matches").Index(jen.Lit(0))).Block(cases...))
	out = append(out, jen.Return(jen.Nil(), noMatch(t)))
	return out
}

// emitUnionHelpers writes the spec-independent helpers the decoders use.
// They are emitted with the unions (rather than living in the runtime) so a
// package without unions carries none of them.
func emitUnionHelpers(f *jen.File) {
	obj := jen.Id("jsonMembers")
	fileNote(f, "unionOnlyKeys reports whether obj has no key outside allowed.")
	f.Func().Id("unionOnlyKeys").Params(jen.Id("obj").Add(obj.Clone()), jen.Id("allowed").Op("...").String()).Bool().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("m")).Op(":=").Range().Id("obj")).Block(
			jen.If(jen.Op("!").Qual("slices", "Contains").Call(jen.Id("allowed"), jen.String().Parens(jen.Id("m").Dot("key")))).Block(jen.Return(jen.False())),
		),
		jen.Return(jen.True()),
	)
	f.Line()
	fileNote(f, "unionKind reports whether the member value raw, when present (not nil) and not null, has the JSON kind want ('i' is a whole number).")
	f.Func().Id("unionKind").Params(jen.Id("raw").Index().Byte(), jen.Id("want").Byte()).Bool().Block(
		jen.Id("k").Op(":=").Id("jsonKind").Call(jen.Id("raw")),
		jen.Switch().Block(
			jen.Case(jen.Id("raw").Op("==").Nil().Op("||").Id("k").Op("==").Add(runeLit('z'))).Block(jen.Return(jen.True())),
			jen.Case(jen.Id("want").Op("==").Add(runeLit('i'))).Block(jen.Return(jen.Id("k").Op("==").Add(runeLit('n')).Op("&&").Id("isJSONInteger").Call(jen.Id("raw")))),
		),
		jen.Return(jen.Id("k").Op("==").Id("want")),
	)
	f.Line()
	fileNote(f, "unionValueIs reports whether the member value raw equals the JSON value want (a scalar, so == cannot panic); an absent (nil) value matches unless present is set.")
	f.Func().Id("unionValueIs").Params(jen.Id("raw").Index().Byte(), jen.Id("want").String(), jen.Id("present").Bool()).Bool().Block(
		jen.If(jen.Id("raw").Op("==").Nil()).Block(jen.Return(jen.Op("!").Id("present"))),
		jen.If(jen.String().Parens(jen.Id("raw")).Op("==").Id("want")).Block(jen.Return(jen.True())),
		jen.Var().List(jen.Id("got"), jen.Id("fixed")).Any(),
		jen.If(jen.Qual("encoding/json", "Unmarshal").Call(jen.Id("raw"), jen.Op("&").Id("got")).Op("!=").Nil().Op("||").Qual("encoding/json", "Unmarshal").Call(jen.Index().Byte().Parens(jen.Id("want")), jen.Op("&").Id("fixed")).Op("!=").Nil()).Block(jen.Return(jen.False())),
		jen.Return(jen.Id("got").Op("==").Id("fixed")),
	)
	f.Line()
	fileNote(f, "unionItemsKind reports whether every element of the JSON array data has the JSON kind want (0: any; 'i': a whole number), null elements only when nullOK.")
	f.Func().Id("unionItemsKind").Params(jen.Id("data").Index().Byte(), jen.Id("want").Byte(), jen.Id("nullOK").Bool()).Bool().Block(
		jen.Var().Id("items").Index().Qual("encoding/json", "RawMessage"),
		jen.If(jen.Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("items")).Op("!=").Nil()).Block(jen.Return(jen.False())),
		jen.For(jen.List(jen.Id("_"), jen.Id("raw")).Op(":=").Range().Id("items")).Block(
			jen.Id("k").Op(":=").Id("jsonKind").Call(jen.Id("raw")),
			jen.Switch().Block(
				jen.Case(jen.Id("k").Op("==").Add(runeLit('z'))).Block(
					jen.If(jen.Op("!").Id("nullOK")).Block(jen.Return(jen.False())),
				),
				jen.Case(jen.Id("want").Op("==").Lit(0)).Block(),
				jen.Case(jen.Id("want").Op("==").Add(runeLit('i'))).Block(
					jen.If(jen.Id("k").Op("!=").Add(runeLit('n')).Op("||").Op("!").Id("isJSONInteger").Call(jen.Id("raw"))).Block(jen.Return(jen.False())),
				),
				jen.Case(jen.Id("k").Op("!=").Id("want")).Block(jen.Return(jen.False())),
			),
		),
		jen.Return(jen.True()),
	)
	f.Line()
	fileNote(f, "unionStringIn reports whether the JSON string data is one of values.")
	f.Func().Id("unionStringIn").Params(jen.Id("data").Index().Byte(), jen.Id("values").Op("...").String()).Bool().Block(
		jen.Var().Id("s").String(),
		jen.If(jen.Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("s")).Op("!=").Nil()).Block(jen.Return(jen.False())),
		jen.Return(jen.Qual("slices", "Contains").Call(jen.Id("values"), jen.Id("s"))),
	)
	f.Line()
	T := jen.Id("T")
	fileNote(f, "decodeJSON decodes data into a new T with encoding/json.")
	f.Func().Id("decodeJSON").Types(jen.Id("T").Any()).Params(jen.Id("data").Index().Byte()).Params(T.Clone(), jen.Error()).Block(
		jen.Var().Id("v").Add(T.Clone()),
		jen.Err().Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("v")),
		jen.Return(jen.Id("v"), jen.Err()),
	)
	f.Line()
	fileNote(f, "decodeSlice decodes a JSON array whose elements need their own decoder.")
	f.Func().Id("decodeSlice").Types(jen.Id("T").Any()).Params(jen.Id("data").Index().Byte(), jen.Id("dec").Func().Params(jen.Index().Byte()).Params(T.Clone(), jen.Error())).Params(jen.Index().Add(T.Clone()), jen.Error()).Block(
		jen.Var().Id("raws").Index().Qual("encoding/json", "RawMessage"),
		jen.If(jen.Err().Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("raws")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Id("raws").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.Id("out").Op(":=").Make(jen.Index().Add(T.Clone()), jen.Len(jen.Id("raws"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("raw")).Op(":=").Range().Id("raws")).Block(
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id("dec").Call(jen.Id("raw")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("[%d]: %w"), jen.Id("i"), jen.Err()))),
			jen.Id("out").Index(jen.Id("i")).Op("=").Id("v"),
		),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
	f.Line()
	fileNote(f, "decodeMap decodes a JSON object whose values need their own decoder.")
	f.Func().Id("decodeMap").Types(jen.Id("T").Any()).Params(jen.Id("data").Index().Byte(), jen.Id("dec").Func().Params(jen.Index().Byte()).Params(T.Clone(), jen.Error())).Params(jen.Map(jen.String()).Add(T.Clone()), jen.Error()).Block(
		jen.Var().Id("raws").Map(jen.String()).Qual("encoding/json", "RawMessage"),
		jen.If(jen.Err().Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("raws")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Id("raws").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Nil())),
		jen.Id("out").Op(":=").Make(jen.Map(jen.String()).Add(T.Clone()), jen.Len(jen.Id("raws"))),
		jen.For(jen.List(jen.Id("k"), jen.Id("raw")).Op(":=").Range().Id("raws")).Block(
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id("dec").Call(jen.Id("raw")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("[%q]: %w"), jen.Id("k"), jen.Err()))),
			jen.Id("out").Index(jen.Id("k")).Op("=").Id("v"),
		),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
	f.Line()
}
