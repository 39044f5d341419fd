package build

import (
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// shape summarises the Go type of component X: a struct's JSON names and
// Variant (its alternatives, each with the keys a closed one accepts
// beside its own), or a union's variants with their fields.
func shape(pkg *ir.Package) string {
	var fields func(t *ir.Type) string
	fields = func(t *ir.Type) string {
		var names []string
		for _, f := range t.Fields {
			n := f.JSONName
			if f.Required {
				n += "!"
			}
			names = append(names, n)
		}
		s := "[" + strings.Join(names, " ") + "]"
		if len(t.Unmapped) > 0 {
			s += " unmapped" + "[" + strings.Join(t.Unmapped, " ") + "]"
		}
		return s
	}
	variants := func(u *ir.Union) string {
		var vs []string
		for _, v := range u.Variants {
			s := v.Label
			if v.Named.Kind == ir.StructType {
				s += fields(v.Named)
			}
			if v.Closed {
				s += " closed+" + strings.Join(v.Beside, ",")
			}
			vs = append(vs, s)
		}
		return strings.Join(vs, "; ")
	}
	for _, t := range pkg.Types {
		if t.Name != "X" {
			continue
		}
		switch t.Kind {
		case ir.StructType:
			s := "struct" + fields(t)
			if t.Variant != nil {
				s += " " + t.Variant.Name + "=" + t.Variant.Type.Ref.Name + "{" + variants(t.Variant.Type.Ref.Union) + "}"
			}
			return s
		case ir.UnionType:
			return "union{" + variants(t.Union) + "}"
		}
		return "other"
	}
	return "none"
}

// TestSiblingShapes: properties beside oneOf/anyOf, shape by shape.
func TestSiblingShapes(t *testing.T) {
	const refs = `    C: {type: object, required: [c], properties: {c: {type: string}}}
    D: {type: object, required: [d], additionalProperties: false, properties: {d: {type: integer}}}
`
	for _, tc := range []struct{ name, x, want string }{
		{"refs", `{properties: {a: {type: string}}, required: [a], oneOf: [{$ref: '#/components/schemas/C'}, {$ref: '#/components/schemas/D'}]}`,
			"struct[a!] Variant=XVariant{C[c!]; D[d!] closed+a}"},
		{"inline anyOf", `{properties: {a: {type: string}}, anyOf: [{properties: {p: {type: integer}}}, {required: [q], properties: {q: {type: integer}}}]}`,
			"struct[a] Variant=XVariant{XVariantObject[p]; XVariantWithQ[q!]}"},
		{"property named Variant", `{properties: {Variant: {type: string}}, oneOf: [{$ref: '#/components/schemas/C'}, {$ref: '#/components/schemas/D'}]}`,
			"struct[Variant] Variant2=XVariant{C[c!]; D[d!] closed+Variant}"},
		{"allOf beside", `{allOf: [{$ref: '#/components/schemas/C'}], oneOf: [{$ref: '#/components/schemas/D'}, {properties: {e: {type: string}}}]}`,
			"struct[c!] Variant=XVariant{D[d!] closed+c; XVariantObject[e]}"},
		{"additional properties beside", `{properties: {a: {type: string}}, additionalProperties: true, oneOf: [{$ref: '#/components/schemas/C'}, {$ref: '#/components/schemas/D'}]}`,
			"struct[a] unmapped[c d] Variant=XVariant{C[c!]; D[d!] closed+a}"},
		{"constraints only", `{properties: {a: {type: string}, b: {type: string}}, anyOf: [{required: [a]}, {required: [b], properties: {b: {minLength: 1}}}]}`,
			"struct[a b]"},
		{"non-object alternative", `{properties: {a: {type: string}}, oneOf: [{type: boolean}, {type: object, required: [a]}, {type: object, properties: {z: {type: string}}}]}`,
			"union{XBool; XWithA[a!]; XObject[a z]}"},
		{"non-object beside a $ref object", `{properties: {a: {type: string}}, oneOf: [{type: boolean}, {$ref: '#/components/schemas/C'}]}`,
			"union{XBool; C[c!]}"},
		{"one $ref alternative", `{properties: {a: {type: string}}, oneOf: [{$ref: '#/components/schemas/C'}]}`,
			"struct[a c!]"},
		{"null alternative", `{properties: {a: {type: string}}, oneOf: [{type: 'null'}, {$ref: '#/components/schemas/C'}, {$ref: '#/components/schemas/D'}]}`,
			"struct[a] Variant=XVariant{C[c!]; D[d!] closed+a}"},
		{"self", `{properties: {a: {type: string}}, oneOf: [{$ref: '#/components/schemas/X'}, {$ref: '#/components/schemas/C'}]}`,
			"struct[a] Variant=XVariant{C[c!]}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg := buildComponents(t, refs+"    X: "+tc.x+"\n")
			if got := shape(pkg); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
