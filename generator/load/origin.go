package load

import (
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"
)

// fixOrigins rewrites every Origin of the loaded model, which kin-openapi
// read off the JSON it was handed, to the position in the file the user
// wrote (File as in diagnostics, Line and Column of the element; EndLine
// and EndColumn are cleared, not being known). Later stages can use
// Origins as they are.
func (l *loader) fixOrigins(doc *openapi3.T) {
	seen := make(map[uintptr]bool)
	fixed := make(map[*openapi3.Origin]bool)
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			if v.Type() == originType {
				if o := v.Interface().(*openapi3.Origin); !fixed[o] {
					fixed[o] = true
					l.fixOrigin(o)
				}
				return
			}
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			// Map-like types keep their entries unexported.
			switch m := v.Interface().(type) {
			case *openapi3.Paths:
				for _, e := range m.Map() {
					walk(reflect.ValueOf(e))
				}
			case *openapi3.Responses:
				for _, e := range m.Map() {
					walk(reflect.ValueOf(e))
				}
			case *openapi3.Callback:
				for _, e := range m.Map() {
					walk(reflect.ValueOf(e))
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() && mayHoldOrigin(f.Type) {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			if !mayHoldOrigin(v.Type().Elem()) {
				return
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			if !mayHoldOrigin(v.Type().Elem()) {
				return
			}
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(doc))
}

var openapi3Pkg = reflect.TypeFor[openapi3.T]().PkgPath()

// mayHoldOrigin reports whether values of type t can lead to an Origin:
// kin-openapi's own types and containers of them, not data (any).
func mayHoldOrigin(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t.PkgPath() == openapi3Pkg
}

func (l *loader) fixOrigin(o *openapi3.Origin) {
	fix := func(loc *openapi3.Location) {
		f := l.files[loc.File]
		if f == nil || f.p == nil {
			return
		}
		ptr, ok := f.em.pointerAt(loc.Line)
		if !ok {
			return
		}
		p, name := l.position(loc.File, ptr)
		loc.File, loc.Line, loc.Column, loc.EndLine, loc.EndColumn = name, p.line, p.col, 0, 0
	}
	if o.Key != nil {
		fix(o.Key)
	}
	for i := range o.Fields {
		fix(&o.Fields[i])
	}
	for _, locs := range o.Sequences {
		for i := range locs {
			fix(&locs[i])
		}
	}
}
