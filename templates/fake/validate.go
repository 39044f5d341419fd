package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// The request checks walk tables the generator derives from the spec's
// schemas (vtype, vobject); nothing reads the spec at run time. They check
// what the client's types cannot tell on their own: required members,
// members the schema does not declare (where it is closed), the JSON kind
// of every value and null where it is not allowed. Enum values are not
// checked: the client accepts values its spec does not list (an API adds
// one before the spec does), and a fake stricter than that would fail
// tests for no fault of the code under test. Unions are checked by
// decoding them with the client's own decoders.

// vtype is the expected shape of one JSON value.
type vtype struct {
	// kind is 's' string, 'i' integer, 'n' number, 'b' boolean, 'o' object
	// (obj indexes the schema table), 'm' map (elem), 'a' array (elem),
	// 'x' anything (unions, free-form values).
	kind byte
	// null allows null.
	null bool
	obj  int
	elem *vtype
}

// vobject is the shape of an object: its declared members.
type vobject struct {
	name   string
	fields []vfield
	// closed refuses members fields do not name; extra, when set, is the
	// shape of those members.
	closed bool
	extra  *vtype
}

// vfield is one declared member.
type vfield struct {
	name     string
	t        vtype
	required bool
}

// validate checks a JSON document against t; the error names the member.
func (s *Server) validate(data []byte, t *vtype) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return &invalidError{msg: "not valid JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &invalidError{msg: "not valid JSON: data after the value"}
	}
	return s.check(v, t, "")
}

func joinPath(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

func kindName(k byte) string {
	switch k {
	case 's':
		return "a string"
	case 'i':
		return "an integer"
	case 'n':
		return "a number"
	case 'b':
		return "a boolean"
	case 'o', 'm':
		return "an object"
	case 'a':
		return "an array"
	}
	return "a value"
}

func valueKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		if isInteger(v) {
			return "an integer"
		}
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value"
}

// isInteger reports whether a JSON number has no fraction or exponent, as
// Go's integer types require.
func isInteger(n json.Number) bool { return !strings.ContainsAny(string(n), ".eE") }

func (s *Server) check(v any, t *vtype, path string) error {
	where := path // "" at the top: the caller says "request body"
	if v == nil {
		if t.null || t.kind == 'x' {
			return nil
		}
		return &invalidError{path: where, msg: "null is not allowed, want " + kindName(t.kind)}
	}
	wrong := func() error {
		return &invalidError{path: where, msg: fmt.Sprintf("wrong type: %s, want %s", valueKind(v), kindName(t.kind))}
	}
	switch t.kind {
	case 'x':
		return nil
	case 's':
		if _, ok := v.(string); !ok {
			return wrong()
		}
	case 'b':
		if _, ok := v.(bool); !ok {
			return wrong()
		}
	case 'n':
		if _, ok := v.(json.Number); !ok {
			return wrong()
		}
	case 'i':
		n, ok := v.(json.Number)
		if !ok || !isInteger(n) {
			return wrong()
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			return &invalidError{path: where, msg: string(n) + " is out of the range of a 64-bit integer"}
		}
	case 'a':
		items, ok := v.([]any)
		if !ok {
			return wrong()
		}
		for i, it := range items {
			if err := s.check(it, t.elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case 'm':
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		for _, k := range sortedKeys(obj) {
			if err := s.check(obj[k], t.elem, joinPath(path, k)); err != nil {
				return err
			}
		}
	case 'o':
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		return s.checkObject(obj, &s.schemas[t.obj], path)
	}
	return nil
}

func (s *Server) checkObject(obj map[string]any, o *vobject, path string) error {
	for _, f := range o.fields {
		if _, ok := obj[f.name]; f.required && !ok {
			return &invalidError{path: joinPath(path, f.name), msg: "required field missing"}
		}
	}
	for _, k := range sortedKeys(obj) {
		var t *vtype
		for i := range o.fields {
			if o.fields[i].name == k {
				t = &o.fields[i].t
				break
			}
		}
		switch {
		case t == nil && o.extra != nil:
			t = o.extra
		case t == nil && o.closed:
			msg := "unknown field"
			for _, f := range o.fields {
				if strings.EqualFold(f.name, k) {
					msg += fmt.Sprintf(" (the spec spells it %q)", f.name)
					break
				}
			}
			return &invalidError{path: joinPath(path, k), msg: msg}
		case t == nil:
			continue
		}
		if err := s.check(obj[k], t, joinPath(path, k)); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
