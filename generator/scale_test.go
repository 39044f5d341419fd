package generator_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/internal/testnote"
)

// Spec shapes for complexity checks. Each builds a valid OpenAPI 3.0
// document whose size grows linearly with n in one direction only, so that
// the generator's time on it shows how it scales in that direction.
// TestScalingShapes generates mid-sized ones (no timing asserted: quadratic
// code makes it obviously slow); BenchmarkScaling and bench/scaling.sh
// report time against size.
var scaleShapes = []struct {
	name string
	mid  int // size TestScalingShapes uses
	gen  func(n int) []byte
}{
	{"properties", 20000, scaleProperties},
	{"refchain", 2000, scaleRefChain},
	{"schemas", 10000, scaleSchemas},
	{"nesting", 900, scaleNesting}, // MaxDepth is 1000 YAML levels; each level is 2
	{"operations", 5000, scaleOperations},
	{"enum", 10000, scaleEnum},
	{"oneof", 5000, scaleOneOf},
	{"allof", 1000, scaleAllOf},
	{"pathparams", 20000, scalePathParams},
	{"description", 1 << 20, scaleDescription},
	{"examples", 5000, scaleExamples},
	{"unusedchain", 5000, scaleUnusedChain},
	{"requiredbool", 20000, scaleRequiredBool},
	{"collisions", 6000, scaleCollisions},
	{"schemerefs", 4000, scaleSchemeRefs},
	{"defsrefs", 2000, scaleDefinitionRefs},
}

const scaleHead = "openapi: 3.0.3\ninfo: {title: Scale, version: '1'}\n"

// scaleOp is one operation returning schema S (so that S is used).
func scaleOp(ref string) string {
	return "paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/" + ref + "'}\n"
}

// scaleProperties: one object with n properties.
func scaleProperties(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("S") + "components:\n  schemas:\n    S:\n      type: object\n      properties:\n")
	for i := range n {
		fmt.Fprintf(&b, "        prop%d: {type: string}\n", i)
	}
	return []byte(b.String())
}

// scaleRefChain: A0 is a $ref to A1, ..., A(n-1) is an object.
func scaleRefChain(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("A0") + "components:\n  schemas:\n")
	for i := range n - 1 {
		fmt.Fprintf(&b, "    A%d: {$ref: '#/components/schemas/A%d'}\n", i, i+1)
	}
	fmt.Fprintf(&b, "    A%d: {type: object, properties: {id: {type: integer}}}\n", n-1)
	return []byte(b.String())
}

// scaleSchemeRefs: n security schemes, each a $ref to the next, the last
// one unusable (all are dropped: cubic once, see schemeEnds).
func scaleSchemeRefs(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + "paths: {}\ncomponents:\n  securitySchemes:\n")
	for i := range n {
		fmt.Fprintf(&b, "    S%d: {$ref: '#/components/securitySchemes/S%d'}\n", i, i+1)
	}
	fmt.Fprintf(&b, "    S%d: {type: bogus}\n", n)
	return []byte(b.String())
}

// scaleDefinitionRefs: a $ref n "definitions" deep into a schema that has
// definitions (quadratic once in the $ref's length, see hoistDefinitions).
func scaleDefinitionRefs(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + "paths: {}\ncomponents:\n  schemas:\n    A:\n      definitions: {y: {type: string}}\n    B: {$ref: '#/components/schemas/A")
	for range n {
		b.WriteString("/definitions/x")
	}
	b.WriteString("'}\n")
	return []byte(b.String())
}

// scaleSchemas: n objects, each referring to the next.
func scaleSchemas(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("S0") + "components:\n  schemas:\n")
	for i := range n {
		fmt.Fprintf(&b, "    S%d:\n      type: object\n      properties:\n        id: {type: integer}\n        name: {type: string}\n", i)
		if i+1 < n {
			fmt.Fprintf(&b, "        next: {$ref: '#/components/schemas/S%d'}\n", i+1)
		}
	}
	return []byte(b.String())
}

// scaleNesting: an inline object n levels deep (JSON flow style, so the
// YAML depth is what the spec's nesting is).
func scaleNesting(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("S") + "components:\n  schemas:\n    S: ")
	levels := (n - 6) / 2 // components/schemas/S/properties/p/... and the root
	for range levels {
		b.WriteString("{type: object, properties: {p: ")
	}
	b.WriteString("{type: string}")
	for range levels {
		b.WriteString("}}")
	}
	b.WriteString("\n")
	return []byte(b.String())
}

// scaleOperations: n paths with one operation each.
func scaleOperations(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + "paths:\n")
	for i := range n {
		fmt.Fprintf(&b, "  /r%d/{id}:\n    get:\n      operationId: get%d\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: q, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/T'}\n", i, i)
	}
	b.WriteString("components:\n  schemas:\n    T: {type: object, properties: {id: {type: integer}}}\n")
	return []byte(b.String())
}

// scaleEnum: a string enum of n values.
func scaleEnum(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("S") + "components:\n  schemas:\n    S:\n      type: object\n      properties:\n        e: {$ref: '#/components/schemas/E'}\n    E:\n      type: string\n      enum:\n")
	for i := range n {
		fmt.Fprintf(&b, "        - value_%d\n", i)
	}
	return []byte(b.String())
}

// scaleOneOf: a oneOf of n object variants with a discriminator.
func scaleOneOf(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("U") + "components:\n  schemas:\n    U:\n      oneOf:\n")
	for i := range n {
		fmt.Fprintf(&b, "        - $ref: '#/components/schemas/V%d'\n", i)
	}
	b.WriteString("      discriminator: {propertyName: kind}\n")
	for i := range n {
		fmt.Fprintf(&b, "    V%d: {type: object, required: [kind], properties: {kind: {type: string}, v%d: {type: integer}}}\n", i, i)
	}
	return []byte(b.String())
}

// scaleAllOf: an allOf of n parents, each adding one property.
func scaleAllOf(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("C") + "components:\n  schemas:\n    C:\n      allOf:\n")
	for i := range n {
		fmt.Fprintf(&b, "        - $ref: '#/components/schemas/P%d'\n", i)
	}
	for i := range n {
		fmt.Fprintf(&b, "    P%d: {type: object, properties: {f%d: {type: string}}}\n", i, i)
	}
	return []byte(b.String())
}

// scalePathParams: n path parameters, 20 to a path. (One path with
// thousands of them is refused: see load.PointerBudget.)
func scalePathParams(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + "paths:\n")
	for p := range max(n/20, 1) {
		fmt.Fprintf(&b, "  /x%d", p)
		for i := range 20 {
			fmt.Fprintf(&b, "/{p%d}", i)
		}
		fmt.Fprintf(&b, ":\n    get:\n      operationId: get%d\n      parameters:\n", p)
		for i := range 20 {
			fmt.Fprintf(&b, "        - {name: p%d, in: path, required: true, schema: {type: string}}\n", i)
		}
		b.WriteString("      responses:\n        '200': {description: ok}\n")
	}
	return []byte(b.String())
}

// scaleExamples: n objects, each with an example and referring to the next
// (kin-openapi would check every example again from every schema before it).
func scaleExamples(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("S0") + "components:\n  schemas:\n")
	for i := range n {
		fmt.Fprintf(&b, "    S%d:\n      type: object\n      example: {id: %d}\n      properties:\n        id: {type: integer, default: 1}\n", i, i)
		if i+1 < n {
			fmt.Fprintf(&b, "        next: {$ref: '#/components/schemas/S%d'}\n", i+1)
		}
	}
	return []byte(b.String())
}

// scaleUnusedChain: n components no operation uses, each referring to the
// next, the last to one that does not exist: all are dropped, with a
// warning each.
func scaleUnusedChain(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + "paths: {}\ncomponents:\n  schemas:\n")
	for i := range n {
		next := fmt.Sprintf("A%d", i+1)
		if i+1 == n {
			next = "Missing"
		}
		fmt.Fprintf(&b, "    A%d: {type: object, properties: {x: {$ref: '#/components/schemas/%s'}}}\n", i, next)
	}
	return []byte(b.String())
}

// scaleRequiredBool: one object with n properties marked "required: true"
// (repaired into the object's required list, with a warning each).
func scaleRequiredBool(n int) []byte {
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("S") + "components:\n  schemas:\n    S:\n      type: object\n      properties:\n")
	for i := range n {
		fmt.Fprintf(&b, "        prop%d: {type: string, required: true}\n", i)
	}
	return []byte(b.String())
}

// scaleCollisions: n components, and n properties of one of them, whose
// names differ only in separators ("Thing.", "Thing-", "Thing._"...): all
// become the same Go name, numbered.
func scaleCollisions(n int) []byte {
	names := make([]string, 0, n)
	for k := 1; len(names) < n; k++ {
		seps := []string{""}
		for range k {
			var next []string
			for _, p := range seps {
				next = append(next, p+".", p+"-", p+"_")
			}
			seps = next
		}
		for _, sep := range seps {
			if len(names) < n {
				names = append(names, sep)
			}
		}
	}
	var b strings.Builder
	b.WriteString(scaleHead + scaleOp("Thing") + "components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n")
	for _, sep := range names {
		fmt.Fprintf(&b, "        'id%s': {type: integer}\n", sep)
	}
	for _, sep := range names {
		fmt.Fprintf(&b, "    'Thing%s': {type: object, properties: {id: {type: integer}}}\n", sep)
	}
	return []byte(b.String())
}

// scaleDescription: a schema and a property with an n-byte description.
func scaleDescription(n int) []byte {
	words := strings.Repeat("lorem ipsum ", n/12+1)[:n]
	return []byte(scaleHead + scaleOp("S") + "components:\n  schemas:\n    S:\n      type: object\n      description: " + strconv.Quote(words) + "\n      properties:\n        p: {type: string, description: " + strconv.Quote(words) + "}\n")
}

// TestScalingShapes generates a mid-sized spec of every shape. It asserts
// only that each generates; a quadratic hot spot makes it take minutes.
func TestScalingShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates large specs")
	}
	// The everyday suite generates each shape at a quarter of its mid
	// size (a quadratic hot spot still shows as seconds); `make corpus`
	// at full size.
	div := 4
	if testnote.Corpus() {
		div = 1
	}
	for _, s := range scaleShapes {
		t.Run(s.name, func(t *testing.T) {
			n := s.mid / div
			data := s.gen(n)
			start := time.Now()
			files, _, err := generator.Generate(context.Background(), generator.Input{Path: s.name + ".yaml", Data: data}, generator.Options{Package: "scale"})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) == 0 {
				t.Fatal("no files")
			}
			t.Logf("%s n=%d: %d bytes of spec in %v", s.name, n, len(data), time.Since(start))
		})
	}
}

// BenchmarkScaling reports generation time per shape at three sizes, each
// double the last: linear code takes twice as long per step, quadratic four
// times. bench/scaling.sh runs it and prints the ratios.
func BenchmarkScaling(b *testing.B) {
	for _, s := range scaleShapes {
		for _, k := range []int{1, 2, 4} {
			n := s.mid * k / 4
			if s.name == "nesting" {
				n = 200 * k // nesting stays under MaxDepth
			}
			data := s.gen(n)
			b.Run(fmt.Sprintf("%s/n=%d", s.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, _, err := generator.Generate(context.Background(), generator.Input{Path: s.name + ".yaml", Data: data}, generator.Options{Package: "scale"}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestWriteScaleSpecs writes every shape, at its mid size times
// KIIEXGEN_SCALE_FACTOR (default 1), into KIIEXGEN_SCALE_DIR, for timing
// and profiling by hand (bench/scaling.sh).
func TestWriteScaleSpecs(t *testing.T) {
	dir := os.Getenv("KIIEXGEN_SCALE_DIR")
	if dir == "" {
		t.Skip("KIIEXGEN_SCALE_DIR not set")
	}
	factor := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("KIIEXGEN_SCALE_FACTOR"), 64); err == nil {
		factor = v
	}
	for _, s := range scaleShapes {
		n := int(float64(s.mid) * factor)
		if s.name == "nesting" {
			n = min(n, 990)
		}
		if err := os.WriteFile(filepath.Join(dir, s.name+".yaml"), s.gen(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
