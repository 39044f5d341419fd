package emit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// modelsFile holds structs, enums and aliases (unions and their wrappers
// live in unions_gen.go).
func modelsFile(pkg *ir.Package, f *jen.File) bool {
	any := false
	checks := wireChecks(pkg)
	for _, t := range pkg.Types {
		switch t.Kind {
		case ir.StructType:
			emitStruct(f, t, checks)
		case ir.EnumType:
			emitEnum(f, t)
		case ir.AliasType:
			emitAlias(f, t)
		default:
			continue
		}
		any = true
	}
	return any
}

// jsonFile holds the models' JSON code: appendJSON and MarshalJSON,
// readJSON, readField and UnmarshalJSON of every JSON struct and defined
// slice or map type. Apart from the types, a reviewer reads a type's change
// in models_gen.go and its wire code here; and the two files, of about the
// same size, render concurrently.
func jsonFile(pkg *ir.Package, f *jen.File) bool {
	any := false
	for _, t := range pkg.Types {
		switch {
		case t.Kind == ir.StructType && !t.Params:
			// A parameters, form or result struct is never JSON (it has no
			// tags; a path and a query parameter may share a name).
			emitEncoder(f, t)
			emitStructReader(f, t)
		case t.Kind == ir.AliasType && (t.Target.Kind == ir.Slice || t.Target.Kind == ir.Map):
			emitCollectionEncoder(f, t)
			emitReadJSON(f, t)
		default:
			continue
		}
		any = true
	}
	return any
}

// typeDoc is the doc comment of a named type: its role, its description,
// a back-link to the schema, and a deprecation notice.
func typeDoc(t *ir.Type, fallback string) string {
	first := t.Name + " is " + t.Role + "."
	if t.Role == "" {
		first = fallback
	}
	ref := ""
	if t.Ref != "" {
		ref = "Ref: " + t.Ref
	}
	dep := ""
	if t.Deprecated {
		dep = "Deprecated: the spec marks this schema deprecated."
	}
	return paragraphs(first, t.Doc, ref, dep)
}

func emitStruct(f *jen.File, t *ir.Type, checks map[*ir.Type]bool) {
	var fields []jen.Code
	for i, fl := range t.Fields {
		if i > 0 {
			// A blank line between fields keeps gofmt from aligning them
			// as one block, so adding a field changes only its own lines.
			fields = append(fields, jen.Line())
		}
		doc := fl.Doc
		if doc == "" {
			if t.Params {
				doc = fmt.Sprintf("%s is the %q parameter.", fl.Name, fl.JSONName)
			} else {
				doc = fmt.Sprintf("%s is the %q property.", fl.Name, fl.JSONName)
			}
		}
		if fl.Deprecated {
			doc = paragraphs(doc, "Deprecated: the spec marks this field deprecated.")
		}
		if fl.ReadOnly && !t.Params {
			doc = paragraphs(doc, "Read-only: the server sets it; MarshalJSON leaves it out, so request bodies never carry it.")
		}
		if fl.WriteOnly && !t.Params {
			doc = paragraphs(doc, "Write-only: it is sent in requests; responses do not carry it.")
		}
		st := jen.Add(comment(doc)).Id(fl.Name).Add(typ(fl.Type))
		if !t.Params {
			tag := fl.JSONName
			if fl.OmitEmpty {
				tag += ",omitempty"
			}
			if fl.OmitZero {
				tag += ",omitzero"
			}
			st.Tag(map[string]string{"json": jsonTagName(tag)})
		}
		fields = append(fields, st)
	}
	if x := t.Extra; x != nil {
		fields = append(fields, jen.Line(), jen.Add(comment(x.Doc)).Id(x.Name).Add(typ(x.Type)).Tag(map[string]string{"json": "-"}))
	}
	if x := t.Variant; x != nil {
		fields = append(fields, jen.Line(), jen.Add(comment(x.Doc)).Id(x.Name).Add(typ(x.Type)).Tag(map[string]string{"json": "-"}))
	}
	fileDoc(f, typeDoc(t, t.Name+" is a generated struct."))
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
	if t.Secret {
		emitRedaction(f, t)
	}
	if checks[t] {
		emitWireCheck(f, t, checks)
	}
}

// jsonTagName is a json struct tag value: the tag itself, except that a
// property called "-" without options needs "-," (a bare "-" tells
// encoding/json to skip the field). The build stage has already left out
// names a tag cannot carry (quotes, commas, backslashes, controls).
func jsonTagName(tag string) string {
	if tag == "-" {
		return "-,"
	}
	return tag
}

// emitRedaction gives a struct with secret fields fmt methods that print
// "[REDACTED]" in their place, whatever the verb.
func emitRedaction(f *jen.File, t *ir.Type) {
	var secrets []jen.Code
	var names []string
	for _, fl := range t.Fields {
		if fl.Secret {
			secrets = append(secrets, jen.Lit(fl.Name))
			names = append(names, fl.Name)
		}
	}
	recv := jen.Id("v").Id(t.Name)
	fileNote(f, fmt.Sprintf("Format implements fmt.Formatter so that %s never print.", strings.Join(names, ", ")))
	f.Func().Params(recv.Clone()).Id("Format").Params(jen.Id("f").Qual("fmt", "State"), jen.Id("verb").Rune()).Block(
		jen.Id("formatRedacted").Call(append([]jen.Code{jen.Id("f"), jen.Id("verb"), jen.Id("v")}, secrets...)...),
	)
	f.Line()
	fileNote(f, "String returns v with its secret fields redacted.")
	f.Func().Params(recv.Clone()).Id("String").Params().String().Block(
		jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit("%v"), jen.Id("v"))),
	)
	f.Line()
	fileNote(f, "GoString returns v in Go syntax with its secret fields redacted.")
	f.Func().Params(recv.Clone()).Id("GoString").Params().String().Block(
		jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit("%#v"), jen.Id("v"))),
	)
	f.Line()
	// slog's JSON handler would encode v with encoding/json, secrets and all.
	fileNote(f, "LogValue implements slog.LogValuer so that log handlers get v with its secret fields redacted.")
	f.Func().Params(recv.Clone()).Id("LogValue").Params().Qual("log/slog", "Value").Block(
		jen.Return(jen.Id("logValueRedacted").Call(append([]jen.Code{jen.Id("v")}, secrets...)...)),
	)
	f.Line()
	// The client scrubs these values from the errors of a call whose body
	// holds v (a server echoing a password back, say).
	fileNote(f, "secretFields names the fields the client scrubs from the errors of a call that sends v.")
	f.Func().Params(jen.Id(t.Name)).Id("secretFields").Params().Index().String().Block(
		jen.Return(jen.Index().String().Values(secrets...)),
	)
	f.Line()
}

func emitEnum(f *jen.File, t *ir.Type) {
	e := t.Enum
	fileDoc(f, paragraphs(typeDoc(t, t.Name+" is a generated enum."), "Values the spec does not list still decode; Valid tells them apart."))
	f.Type().Id(t.Name).Id(e.Base)
	f.Line()
	if len(e.Values) > 0 {
		var consts []jen.Code
		for _, v := range e.Values {
			doc := fmt.Sprintf("%s is the %s value %s.", v.Name, t.Name, literalText(v.Value))
			consts = append(consts, jen.Add(comment(paragraphs(doc, v.Doc))).Id(v.Name).Id(t.Name).Op("=").Add(literal(v.Value)))
		}
		f.Const().Defs(consts...)
		f.Line()
	}
	var cases []jen.Code
	for _, v := range e.Values {
		cases = append(cases, jen.Id(v.Name))
	}
	body := []jen.Code{jen.Return(jen.False())}
	if len(cases) > 0 {
		body = []jen.Code{jen.Switch(jen.Id("v")).Block(jen.Case(cases...).Block(jen.Return(jen.True()))), jen.Return(jen.False())}
	}
	fileNote(f, fmt.Sprintf("Valid reports whether v is one of the values the spec lists for %s.", t.Name))
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("Valid").Params().Bool().Block(body...)
	f.Line()
	if e.Base != "string" && len(e.Values) > 0 {
		var sc []jen.Code
		for _, v := range e.Values {
			sc = append(sc, jen.Case(jen.Id(v.Name)).Block(jen.Return(jen.Lit(strings.TrimPrefix(v.Name, t.Name)))))
		}
		fileNote(f, "String returns the value's name, or the number for values the spec does not list.")
		f.Func().Params(jen.Id("v").Id(t.Name)).Id("String").Params().String().Block(
			jen.Switch(jen.Id("v")).Block(sc...),
			jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit(t.Name+"(%v)"), jen.Id(e.Base).Call(jen.Id("v")))), // format: identifiers only
		)
		f.Line()
	}
}

// literal renders an untyped constant, so it converts to the enum type.
func literal(v any) jen.Code {
	switch x := v.(type) {
	case int64:
		return jen.Op(strconv.FormatInt(x, 10))
	case float64:
		return jen.Op(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return jen.Lit(v)
}

func literalText(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

func emitAlias(f *jen.File, t *ir.Type) {
	fileDoc(f, typeDoc(t, t.Name+" is a generated type."))
	if t.Target.Kind == ir.Slice || t.Target.Kind == ir.Map {
		// A defined type, not an alias: a recursive array schema needs one,
		// and it can carry a decoder when its elements are unions.
		f.Type().Id(t.Name).Add(typ(t.Target))
		f.Line()
		return
	}
	f.Type().Id(t.Name).Op("=").Add(typ(t.Target))
	f.Line()
}
