package build

import (
	"fmt"
	"go/token"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// checkIdentifiers is the namer's guarantee, checked: every Go name in
// the IR (the only names the emitter passes to jen.Id) is an identifier
// and not a keyword. Spec text can only reach an identifier through
// GoName; a name failing here is a kiiexgen bug, reported as an internal
// error rather than written out as code.
func checkIdentifiers(pkg *ir.Package) error {
	var bad []string
	check := func(what, name string) {
		if !token.IsIdentifier(name) || token.IsKeyword(name) {
			bad = append(bad, fmt.Sprintf("%s %q", what, name))
		}
	}
	for _, t := range pkg.Types {
		check("type", t.Name)
		for _, f := range t.Fields {
			check("field", f.Name)
		}
		if t.Enum != nil {
			for _, v := range t.Enum.Values {
				check("constant", v.Name)
			}
		}
		if t.Union != nil {
			check("decoder", t.Union.Decoder)
		}
	}
	for _, ops := range [][]*ir.Operation{pkg.Operations, pkg.Skipped} {
		for _, op := range ops {
			check("method", op.Name)
			check("operation variable", op.Var)
			if op.ErrorFunc != "" {
				check("error function", op.ErrorFunc)
			}
		}
	}
	for _, s := range pkg.Servers {
		check("server constant", s.Name)
		if s.Func != "" {
			check("server function", s.Func)
		}
		for _, v := range s.Variables {
			check("server variable parameter", v.Param)
		}
	}
	for _, s := range pkg.SecuritySchemes {
		check("security constant", s.Const)
	}
	if len(bad) > 0 {
		return fmt.Errorf("internal error: the namer produced invalid Go names: %v", bad)
	}
	return nil
}
