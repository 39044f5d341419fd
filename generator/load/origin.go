package load

import (
	"reflect"
	"strconv"
	"strings"

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

// addOrigins gives a model that kin-openapi decoded from JSON (which
// carries no Origins; see loadOpenAPI3) the Origins its YAML decoder would
// have given: each object's Key is its line in the emitted JSON, found by
// its JSON pointer, so that fixOrigins and kinPointer place findings as
// exactly as for any document. An object whose pointer cannot be told (a
// field kin-openapi names differently from the JSON key) keeps no Origin;
// its findings are placed by their context, as before.
func (l *loader) addOrigins(doc *openapi3.T, em *emitted) {
	lines := make(map[string]int, len(em.lines))
	for i, p := range em.lines {
		if _, dup := lines[p]; !dup {
			lines[p] = i + 1
		}
	}
	file := l.rootURL.String()
	seen := make(map[uintptr]bool)
	var walk func(v reflect.Value, ptr string)
	walk = func(v reflect.Value, ptr string) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || v.Type() == originType || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			switch m := v.Interface().(type) {
			case *openapi3.Paths:
				for k, e := range m.Map() {
					walk(reflect.ValueOf(e), join(ptr, k))
				}
			case *openapi3.Responses:
				for k, e := range m.Map() {
					walk(reflect.ValueOf(e), join(ptr, k))
				}
			case *openapi3.Callback:
				for k, e := range m.Map() {
					walk(reflect.ValueOf(e), join(ptr, k))
				}
			}
			walk(v.Elem(), ptr)
		case reflect.Struct:
			t := v.Type()
			if o := v.FieldByName("Origin"); o.IsValid() && o.Type() == originType && o.IsNil() && o.CanSet() {
				if line, ok := lines[ptr]; ok {
					origin := &openapi3.Origin{Key: &openapi3.Location{File: file, Line: line}}
					// The fields kin-openapi holds as data (an example's
					// value) are placed through Origin.Fields.
					for i := range t.NumField() {
						f := t.Field(i)
						if !f.IsExported() || mayHoldOrigin(f.Type) || v.Field(i).IsZero() {
							continue
						}
						name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
						if name == "" || name == "-" {
							continue
						}
						if fl, ok := lines[join(ptr, name)]; ok {
							origin.Fields = append(origin.Fields, openapi3.Location{File: file, Line: fl, Name: name})
						}
					}
					o.Set(reflect.ValueOf(origin))
				}
			}
			if ref, val := v.FieldByName("Ref"), v.FieldByName("Value"); ref.IsValid() && ref.Kind() == reflect.String && val.IsValid() && val.Kind() == reflect.Pointer {
				// A $ref's target is placed where it is written.
				if ref.String() == "" {
					walk(val, ptr)
				}
				return
			}
			if t == reflect.TypeFor[openapi3.AdditionalProperties]() {
				walk(v.FieldByName("Schema"), ptr)
				return
			}
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() || !mayHoldOrigin(f.Type) {
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				switch {
				case f.Anonymous && name == "":
					walk(v.Field(i), ptr)
				case name != "" && name != "-":
					walk(v.Field(i), join(ptr, name))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), ptr+"/"+strconv.Itoa(i))
			}
		case reflect.Map:
			if v.Type().Key().Kind() != reflect.String {
				return
			}
			for it := v.MapRange(); it.Next(); {
				walk(it.Value(), join(ptr, it.Key().String()))
			}
		}
	}
	walk(reflect.ValueOf(doc), "")
}
