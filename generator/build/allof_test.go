package build

import (
	"math/rand/v2"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func sch(types ...string) *openapi3.Schema {
	s := &openapi3.Schema{}
	if len(types) > 0 {
		t := openapi3.Types(types)
		s.Type = &t
	}
	return s
}

func inline(s *openapi3.Schema) *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: s} }

func withFormat(s *openapi3.Schema, f string) *openapi3.Schema { s.Format = f; return s }

func arrayOf(items *openapi3.SchemaRef) *openapi3.Schema {
	s := sch("array")
	s.Items = items
	return s
}

func object(props map[string]*openapi3.SchemaRef) *openapi3.Schema {
	s := sch("object")
	s.Properties = props
	return s
}

// TestRefine checks each intersection rule on its own and in both orders
// where the rule is symmetric.
func TestRefine(t *testing.T) {
	summary := object(map[string]*openapi3.SchemaRef{"id": inline(sch("string"))})
	summaryRef := &openapi3.SchemaRef{Ref: "#/components/schemas/AccountSummary", Value: summary}
	account := &openapi3.Schema{AllOf: openapi3.SchemaRefs{summaryRef, inline(object(map[string]*openapi3.SchemaRef{"balance": inline(sch("integer"))}))}}
	accountRef := &openapi3.SchemaRef{Ref: "#/components/schemas/Account", Value: account}
	station := &openapi3.SchemaRef{Ref: "#/components/schemas/Station", Value: object(map[string]*openapi3.SchemaRef{"name": inline(sch("string"))})}
	other := &openapi3.SchemaRef{Ref: "#/components/schemas/Other", Value: object(map[string]*openapi3.SchemaRef{"x": inline(sch("string"))})}
	enum := sch("string")
	enum.Enum = []any{"a", "b"}
	narrowing := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{inline(object(map[string]*openapi3.SchemaRef{"id": inline(sch("string"))}))}}
	wider := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{inline(object(map[string]*openapi3.SchemaRef{"zzz": inline(sch("string"))}))}}

	cases := []struct {
		name    string
		a, c    *openapi3.SchemaRef
		sig     string // schemaSig of the result
		warns   bool
		same    *openapi3.SchemaRef // when the result must be this very declaration
		enumOut bool
	}{
		{name: "any then boolean", a: inline(sch()), c: inline(sch("boolean")), sig: "boolean"},
		{name: "boolean then any", a: inline(sch("boolean")), c: inline(sch()), sig: "boolean"},
		{name: "integer then any", a: inline(sch("integer")), c: inline(sch()), sig: "integer"},
		{name: "string then string/uri", a: inline(sch("string")), c: inline(withFormat(sch("string"), "uri")), sig: "string"},
		{name: "string/uri then string/email", a: inline(withFormat(sch("string"), "uri")), c: inline(withFormat(sch("string"), "email")), sig: "string"},
		{name: "date-time twice", a: inline(withFormat(sch("string"), "date-time")), c: inline(withFormat(sch("string"), "date-time")), sig: "string/date-time"},
		{name: "summary then account", a: summaryRef, c: accountRef, same: accountRef},
		{name: "account then summary", a: accountRef, c: summaryRef, same: accountRef},
		{name: "unrelated refs", a: station, c: other, same: other, warns: true},
		{name: "array of object then array of ref", a: inline(arrayOf(inline(sch("object")))), c: inline(arrayOf(station)), sig: `array of $ref "#/components/schemas/Station"`},
		{name: "array of ref then array of any", a: inline(arrayOf(station)), c: inline(arrayOf(inline(sch()))), sig: `array of $ref "#/components/schemas/Station"`},
		{name: "object then object", a: inline(object(map[string]*openapi3.SchemaRef{"a": inline(sch("string"))})), c: inline(object(map[string]*openapi3.SchemaRef{"b": inline(sch("integer"))})), sig: "object"},
		{name: "string then integer", a: inline(sch("string")), c: inline(sch("integer")), sig: "any", warns: true},
		{name: "integer then number", a: inline(sch("integer")), c: inline(sch("number")), sig: "integer"},
		{name: "number then integer", a: inline(sch("number")), c: inline(sch("integer")), sig: "integer"},
		{name: "inline string then ref string", a: inline(sch("string")), c: &openapi3.SchemaRef{Ref: "#/components/schemas/Kind", Value: enum}, sig: `$ref "#/components/schemas/Kind"`},
		{name: "ref object then inline object adding a property", a: summaryRef, c: inline(object(map[string]*openapi3.SchemaRef{"extra": inline(sch("string"))})), sig: "object"},
		{name: "inline object narrowing then ref object", a: inline(object(map[string]*openapi3.SchemaRef{"id": inline(sch("string"))})), c: summaryRef, same: summaryRef},
		{name: "enum then plain", a: inline(enum), c: inline(sch("string")), sig: "string", enumOut: true},
		{name: "ref object then narrowing union", a: summaryRef, c: inline(narrowing), same: summaryRef},
		{name: "ref object then wider union", a: summaryRef, c: inline(wider), warns: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := refine(tc.a, tc.c, 0)
			if (r.why != "") != tc.warns {
				t.Errorf("warning %q, want one: %v", r.why, tc.warns)
			}
			if tc.same != nil && r.ref != tc.same {
				t.Errorf("result %s, want %s", schemaSig(r.ref), schemaSig(tc.same))
			}
			if tc.sig != "" && schemaSig(r.ref) != tc.sig {
				t.Errorf("result %s, want %s", schemaSig(r.ref), tc.sig)
			}
			if tc.enumOut && len(r.ref.Value.Enum) == 0 {
				t.Errorf("enum lost")
			}
		})
	}
	// Merging objects yields both property sets.
	r := refine(cases[11].a, cases[11].c, 0)
	names := map[string]bool{}
	propertyNames(r.ref.Value, names, 0)
	if !names["a"] || !names["b"] {
		t.Errorf("merged object has %v", names)
	}
}

// randomSchema makes a schema of a random shape, depth-limited.
func randomSchema(r *rand.Rand, depth int, named []*openapi3.SchemaRef) *openapi3.SchemaRef {
	if depth > 0 && len(named) > 0 && r.IntN(4) == 0 {
		return named[r.IntN(len(named))]
	}
	kinds := []string{"", "string", "integer", "number", "boolean", "array", "object"}
	k := kinds[r.IntN(len(kinds))]
	s := sch()
	if k != "" {
		s = sch(k)
	}
	switch k {
	case "string":
		s.Format = []string{"", "uri", "date-time", "email"}[r.IntN(4)]
		if r.IntN(3) == 0 {
			s.Enum = []any{"a", "b"}
		}
	case "array":
		if depth < 3 {
			s.Items = randomSchema(r, depth+1, named)
		}
	case "object":
		if depth < 3 {
			s.Properties = map[string]*openapi3.SchemaRef{}
			for i := r.IntN(3); i > 0; i-- {
				s.Properties[string(rune('a'+r.IntN(4)))] = randomSchema(r, depth+1, named)
			}
		}
	case "":
		if depth < 3 && r.IntN(3) == 0 {
			s.AnyOf = openapi3.SchemaRefs{randomSchema(r, depth+1, named)}
		}
	}
	s.Nullable = r.IntN(5) == 0
	return inline(s)
}

// TestRefineProperties: over many random pairs, refine terminates, gives a
// declaration, keeps a declaration met twice as it is, and agrees with
// itself on repetition; with an open side it gives the other side.
func TestRefineProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var named []*openapi3.SchemaRef
	for i := range 6 {
		v := randomSchema(r, 1, named)
		named = append(named, &openapi3.SchemaRef{Ref: "#/components/schemas/N" + string(rune('0'+i)), Value: v.Value})
	}
	open := inline(sch())
	for i := 0; i < 5000; i++ {
		a, c := randomSchema(r, 0, named), randomSchema(r, 0, named)
		got := refine(a, c, 0)
		if got.ref == nil || got.ref.Value == nil {
			t.Fatalf("refine(%s, %s) gave no declaration", schemaSig(a), schemaSig(c))
		}
		if again := refine(a, c, 0); schemaSig(again.ref) != schemaSig(got.ref) || again.why != got.why {
			t.Fatalf("refine(%s, %s) differs between runs", schemaSig(a), schemaSig(c))
		}
		if same := refine(a, a, 0); same.ref != a || same.why != "" {
			t.Fatalf("refine(x, x) for %s gave %s (%s)", schemaSig(a), schemaSig(same.ref), same.why)
		}
		if o := refine(open, c, 0); o.ref != c && !unconstrained(c.Value) {
			t.Fatalf("refine(any, %s) gave %s", schemaSig(c), schemaSig(o.ref))
		}
		if o := refine(a, open, 0); o.ref != a && !unconstrained(a.Value) {
			t.Fatalf("refine(%s, any) gave %s", schemaSig(a), schemaSig(o.ref))
		}
	}
}
