package build

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// buildComponents builds an OpenAPI 3.1 document whose components/schemas
// are the given YAML (indented by four spaces under "schemas:").
func buildComponents(t *testing.T, schemas string) *ir.Package {
	t.Helper()
	src := "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n" + schemas
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(src))
	if err != nil {
		t.Fatalf("load: %v\n%s", err, src)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Logf("(invalid document, built anyway: %v)", err)
	}
	pkg, _, err := Build(doc, Options{Package: "p"})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return pkg
}

// unionRules summarises how a union tells its variants apart: the
// dispatch property, or each variant's fixed-value constraints.
func unionRules(pkg *ir.Package, name string) string {
	for _, tp := range pkg.Types {
		if tp.Name != name || tp.Union == nil {
			continue
		}
		u := tp.Union
		if u.Discriminator != "" {
			var tags []string
			for _, v := range u.Variants {
				tags = append(tags, v.Label+"="+strings.Join(v.Tags, "|"))
			}
			return fmt.Sprintf("dispatch %s implicit=%v: %s", u.Discriminator, u.Implicit, strings.Join(tags, " "))
		}
		var parts []string
		for _, v := range u.Variants {
			var cs []string
			for _, c := range v.Consts {
				p := ""
				if c.Present {
					p = "!"
				}
				cs = append(cs, c.Name+p+"="+c.JSON)
			}
			if len(v.EnumStrings) > 0 {
				cs = append(cs, "in"+fmt.Sprint(v.EnumStrings))
			}
			parts = append(parts, v.Label+"{"+strings.Join(cs, ",")+"}")
		}
		return "match: " + strings.Join(parts, " ")
	}
	return "no union " + name
}

func TestConstRules(t *testing.T) {
	obj := func(title, props string) string {
		return "        - {title: " + title + ", type: object, properties: {" + props + "}}\n"
	}
	for _, c := range []struct {
		name, alts, want string
	}{
		{"const strings on every variant: dispatch",
			obj("A", "t: {const: a}, x: {type: string}") + obj("B", "t: {const: b}"),
			"dispatch t implicit=true: A=a B=b"},
		{"single-value enums count as const",
			obj("A", "t: {type: string, enum: [a]}") + obj("B", "t: {const: b}"),
			"dispatch t implicit=true: A=a B=b"},
		{"the first shared key in name order wins",
			obj("A", "z: {const: a}, k: {const: x}") + obj("B", "z: {const: b}, k: {const: y}"),
			"dispatch k implicit=true: A=x B=y"},
		{"equal values are no discriminator: constraints, present required",
			obj("A", "t: {const: a}") + obj("B", "t: {const: a}"),
			"match: A{t=\"a\"} B{t=\"a\"}"},
		{"numbers and booleans constrain but do not dispatch",
			obj("A", "v: {const: 1}") + obj("B", "v: {const: 2}"),
			"match: A{v!=1} B{v!=2}"},
		{"a booleans pair",
			obj("A", "ok: {const: true}") + obj("B", "ok: {const: false}"),
			"match: A{ok!=true} B{ok!=false}"},
		{"only some variants fix the key: absent still matches",
			obj("A", "t: {const: a}") + obj("B", "u: {type: string}"),
			"match: A{t=\"a\"} B{}"},
		{"a string alternative beside fixed objects: constraints must be present",
			"        - {type: string}\n" + obj("A", "t: {const: a}") + obj("B", "t: {const: b}"),
			"match: UString{} A{t!=\"a\"} B{t!=\"b\"}"},
		{"const string alternatives",
			"        - {const: auto}\n        - {const: none}\n",
			"match: UAuto{in[auto]} UNone{in[none]}"},
		{"a writeOnly const is never in what is decoded",
			obj("A", "t: {const: a, writeOnly: true}") + obj("B", "t: {const: b}"),
			"match: A{} B{t=\"b\"}"},
		{"object consts (not scalars) are ignored",
			obj("A", "t: {const: {k: 1}}") + obj("B", "t: {const: b}"),
			"match: A{} B{t=\"b\"}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pkg := buildComponents(t, "    U:\n      oneOf:\n"+c.alts)
			if got := unionRules(pkg, "U"); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestConstFill(t *testing.T) {
	pkg := buildComponents(t, `    A:
      type: object
      required: [t, n, b]
      properties:
        t: {const: a}
        o: {const: x}
        n: {const: 1}
        b: {const: a, readOnly: true}
`)
	for _, tp := range pkg.Types {
		if tp.Name != "A" {
			continue
		}
		var fill []string
		for _, f := range tp.Fields {
			if f.FillConst {
				fill = append(fill, f.JSONName)
			}
		}
		// Only the required, writable string const is filled.
		if strings.Join(fill, ",") != "t" {
			t.Errorf("filled %v", fill)
		}
		return
	}
	t.Fatal("no type A")
}

func TestPolyBases(t *testing.T) {
	pkg := buildComponents(t, `    Pet:
      type: object
      discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}
      properties:
        kind: {type: string}
        friend: {$ref: '#/components/schemas/Pet'}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {type: object, properties: {claws: {type: integer}}}
    Lion:
      x-discriminator-value: leo
      allOf:
        - $ref: '#/components/schemas/Cat'
    Cats:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Lion'
      discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}
    Plain:
      type: object
      discriminator: {propertyName: kind}
      properties:
        kind: {type: string}
`)
	if got, want := unionRules(pkg, "PetUnion"), "dispatch kind implicit=false: Pet=Pet Cat=kitty Lion=leo"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	// A discriminator nobody extends is just a struct.
	if got := unionRules(pkg, "PlainUnion"); got != "no union PlainUnion" {
		t.Errorf("Plain: %s", got)
	}
	// Cat and Lion are variants of two discriminated unions that agree on
	// their values, so encoding still fills them in.
	for _, tp := range pkg.Types {
		want := map[string]string{"Cat": "kitty", "Lion": "leo"}[tp.Name]
		if want == "" {
			continue
		}
		if tp.Fill == nil || tp.Fill.Value != want || tp.Fill.Field.JSONName != "kind" {
			t.Errorf("%s fill: %+v", tp.Name, tp.Fill)
		}
	}
	found := false
	for _, tp := range pkg.Types {
		if tp.Name != "Pet" {
			continue
		}
		for _, f := range tp.Fields {
			if f.JSONName == "friend" {
				found = true
				if f.Type.Kind != ir.Named || f.Type.Ref.Name != "PetUnion" {
					t.Errorf("Pet.friend should be the union: %+v", f.Type)
				}
			}
		}
	}
	if !found {
		t.Error("no Pet.friend field")
	}
}
