package build

import (
	"go/token"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// TestNamesAreIdentifiers: whatever the spec text, GoName gives an
// exported Go identifier, localName a lower-case word that the namer (with
// localReserved) turns into an identifier that is neither a keyword nor a
// predeclared name.
func TestNamesAreIdentifiers(t *testing.T) {
	inputs := []string{
		"", "-", "_", "__", "type", "func", "init", "main", "\nfunc init(){}\n//go:generate x", "*/ /*", "%v%w",
		"\x00", "\ufeff", "\u202e", "\u2028", "\u0301é", "٣", "Ⅻ", "ǅ", "𝔸", "\xff\xfe", "1e10", "中文", "a\u200db",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09_-. /{}%$\\\"`'\n\r\t\x00\x1b\u00e9\u0301\u202e\ufeff\u2028\u4e2d\u0663\u2160\u01c5\U0001d538")
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	n := newNamer(localReserved...)
	for _, in := range inputs {
		g := GoName(in)
		if !token.IsIdentifier(g) || !token.IsExported(g) {
			t.Errorf("GoName(%q) = %q: not an exported identifier", in, g)
		}
		l := localName(in)
		// A keyword is an identifier token here; the namer below refuses it.
		if !(token.IsIdentifier(l) || token.IsKeyword(l)) || !utf8.ValidString(l) {
			t.Errorf("localName(%q) = %q: not an identifier", in, l)
		}
		if c := n.claim(l, "Value"); !token.IsIdentifier(c) || token.IsKeyword(c) || n.reserved[c] {
			t.Errorf("claim(%q) = %q", l, c)
		}
	}
}

func TestCheckIdentifiers(t *testing.T) {
	good := &ir.Package{Types: []*ir.Type{{Name: "Order", Fields: []*ir.Field{{Name: "ID"}}}}}
	if err := checkIdentifiers(good); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*ir.Package{
		{Types: []*ir.Type{{Name: "Order\nfunc init(){}"}}},
		{Types: []*ir.Type{{Name: "Order", Fields: []*ir.Field{{Name: "func"}}}}},
		{Operations: []*ir.Operation{{Name: "Get", Var: "op Get"}}},
		{Servers: []ir.Server{{Name: "ServerX", Func: "ServerXURL", Variables: []ir.ServerVariable{{Param: "type"}}}}},
		{SecuritySchemes: []ir.SecurityScheme{{Const: ""}}},
	} {
		if err := checkIdentifiers(bad); err == nil || !strings.HasPrefix(err.Error(), "internal error") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestLocalReservedHoldsEveryKeyword(t *testing.T) {
	for tok := token.BREAK; tok <= token.VAR; tok++ {
		if tok.IsKeyword() && !slices.Contains(localReserved, tok.String()) {
			t.Errorf("keyword %s missing", tok)
		}
	}
	for _, p := range []string{"string", "error", "any", "nil", "true", "len", "min", "clear"} {
		if !slices.Contains(localReserved, p) {
			t.Errorf("predeclared %s missing", p)
		}
	}
}
