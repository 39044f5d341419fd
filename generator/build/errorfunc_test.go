package build

import (
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// TestErrorFuncName pins the content-derived names of error-table helpers:
// the name depends only on the table, and distinct tables never share one.
func TestErrorFuncName(t *testing.T) {
	e := func(s int, g *ir.GoType) ir.ErrorBody { return ir.ErrorBody{Status: s, Type: g} }
	named := func(n string) *ir.GoType { return &ir.GoType{Kind: ir.Named, Ref: &ir.Type{Name: n}} }
	str := &ir.GoType{Kind: ir.Builtin, Name: "string"}
	raw := &ir.GoType{Kind: ir.Qualified, Pkg: "encoding/json", Name: "RawMessage"}
	gen, nf := named("GenericResponse"), named("NotFound")
	for _, c := range []struct {
		errs []ir.ErrorBody
		want string
	}{
		{[]ir.ErrorBody{e(400, gen), e(401, gen)}, "errorBody400And401GenericResponse"},
		{[]ir.ErrorBody{e(400, gen), e(401, gen), e(404, gen)}, "errorBody400And401And404GenericResponse"},
		{[]ir.ErrorBody{e(400, gen), e(404, nf), e(500, gen)}, "errorBody400And500GenericResponse404NotFound"},
		{[]ir.ErrorBody{e(4, str), e(0, raw)}, "errorBody4XXString" + "DefaultJSONRawMessage"},
		{[]ir.ErrorBody{e(400, &ir.GoType{Kind: ir.Slice, Elem: gen})}, "errorBody400SliceOfGenericResponse"},
	} {
		if got := errorFuncName(c.errs); got != c.want {
			t.Errorf("errorFuncName(%v) = %s, want %s", c.errs, got, c.want)
		}
	}
	// Long tables fall back to a hash of the spelling: still stable, still
	// distinct.
	var long, long2 []ir.ErrorBody
	for s := 400; s < 420; s++ {
		long = append(long, ir.ErrorBody{Status: s, Type: named("E" + strings.Repeat("x", s-399))})
		long2 = append(long2, ir.ErrorBody{Status: s, Type: named("E" + strings.Repeat("x", s-398))})
	}
	a, b := errorFuncName(long), errorFuncName(long2)
	if len(a) > maxErrorFuncName || a == b || a != errorFuncName(long) || !strings.HasPrefix(a, "errorBodyExEtc") {
		t.Errorf("long tables: %s, %s", a, b)
	}
}
