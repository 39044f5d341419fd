package build

import (
	"slices"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// typeList lists a package's types: "Name = target" for aliases, the
// fields of structs (types spelled by typeKey).
func typeList(pkg *ir.Package) []string {
	var out []string
	for _, t := range pkg.Types {
		s := t.Name
		if t.Kind == ir.AliasType && t.Target != nil {
			s += " = " + typeKey(t.Target)
		}
		if t.Kind == ir.StructType {
			s += " struct{"
			for _, f := range t.Fields {
				s += " " + f.Name + " " + typeKey(f.Type)
			}
			s += " }"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// TestOneAlternativeUnionRecursion: a union of one $ref alternative is an
// alias of it; an alternative whose property refers back to the union is
// plain recursion through an object, whichever of the two is built first
// (the order of components, or a property reaching the union first as in
// a multi-file spec). It used to give a second alias (AUnion2) or, when
// the union was reached first, json.RawMessage with a false cycle warning.
func TestOneAlternativeUnionRecursion(t *testing.T) {
	for _, leaf := range []string{"ALeaf", "ZLeaf"} {
		pkg := buildComponents(t, strings.ReplaceAll(`    Root:
      type: object
      properties:
        a: {$ref: '#/components/schemas/AUnion'}
    AUnion:
      oneOf: [{$ref: '#/components/schemas/LEAF'}]
    LEAF:
      type: object
      properties:
        self: {$ref: '#/components/schemas/AUnion'}
`, "LEAF", leaf))
		want := []string{"AUnion = N" + leaf, leaf + " struct{ Self *NAUnion }", "Root struct{ A *NAUnion }"}
		slices.Sort(want)
		if got := typeList(pkg); !slices.Equal(got, want) {
			t.Errorf("%s: types %q, want %q", leaf, got, want)
		}
	}
}

// TestAliasCycles: aliases that lead back to themselves without a defined
// type in between are not Go; the first one met becomes json.RawMessage,
// and no duplicate alias is made on the way.
func TestAliasCycles(t *testing.T) {
	pkg := buildComponents(t, `    A: {oneOf: [{$ref: '#/components/schemas/B'}]}
    B: {oneOf: [{$ref: '#/components/schemas/A'}]}
    D: {oneOf: [{$ref: '#/components/schemas/E'}]}
    E: {type: array, items: {$ref: '#/components/schemas/D'}}
`)
	want := []string{"A = encoding/json.RawMessage", "B = NA", "D = NE", "E = []ND"}
	if got := typeList(pkg); !slices.Equal(got, want) {
		t.Errorf("types %q, want %q", got, want)
	}
}
