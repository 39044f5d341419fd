package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"testing"
)

func TestExtraMembers(t *testing.T) {
	data := []byte(`{"a":1,"b":"x","c":"y","d\u00e9":"z"}`)
	got, err := extraMembers[string](data, nil, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got["b"] != "x" || got["c"] != "y" || got["dé"] != "z" {
		t.Errorf("got %v", got)
	}
	if got, err := extraMembers[string]([]byte(`{"a":1}`), nil, "a"); err != nil || got != nil {
		t.Errorf("no extras: %v %v", got, err)
	}
	for _, in := range []string{`null`, `[1]`, `"s"`, ``} {
		if got, err := extraMembers[string]([]byte(in), nil); err != nil || got != nil {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	_, err = extraMembers[string]([]byte(`{"a":1,"b":2}`), nil, "a")
	if err == nil || err.Error() != `additional property "b": json: cannot unmarshal number into Go value of type string` {
		t.Errorf("bad value: %v", err)
	}
	dec := func(b []byte) (int, error) {
		n, err := strconv.Atoi(string(b))
		if n < 0 {
			return 0, errors.New("negative")
		}
		return n * 2, err
	}
	got2, err := extraMembers([]byte(`{"x":2,"y":3}`), dec)
	if err != nil || got2["x"] != 4 || got2["y"] != 6 {
		t.Errorf("decoder: %v %v", got2, err)
	}
	if _, err := extraMembers([]byte(`{"x":-1}`), dec); err == nil || err.Error() != `additional property "x": negative` {
		t.Errorf("decoder error: %v", err)
	}
}

func TestAppendExtraMembers(t *testing.T) {
	for _, c := range []struct {
		obj   string
		extra map[string]any
		known []string
		want  string
	}{
		{`{}`, nil, nil, `{}`},
		{`{}`, map[string]any{"b": 1, "a": "x"}, nil, `{"a":"x","b":1}`},
		{`{"k":1}`, map[string]any{"k": 2, "z": nil}, []string{"k"}, `{"k":1,"z":null}`},
		{`{"k":1}`, map[string]any{"k": 2}, []string{"k"}, `{"k":1}`},
		{`{"k":1}`, map[string]any{"q\"": []int{1}}, nil, `{"k":1,"q\"":[1]}`},
	} {
		got, err := appendExtraMembers([]byte(c.obj), c.extra, c.known...)
		if err != nil || string(got) != c.want {
			t.Errorf("%s + %v: %s %v, want %s", c.obj, c.extra, got, err, c.want)
		}
		if !json.Valid(got) {
			t.Errorf("invalid JSON %s", got)
		}
	}
	if _, err := appendExtraMembers([]byte(`[]`), map[string]int{"a": 1}); err == nil {
		t.Error("a non-object must fail")
	}
	if _, err := appendExtraMembers([]byte(`{}`), map[string]any{"a": make(chan int)}); err == nil {
		t.Error("an unencodable value must fail")
	}
	// The input is not modified (it may alias a caller's buffer).
	obj := []byte(`{"k":1}`)
	if _, err := appendExtraMembers(obj[:7:7], map[string]int{"a": 1}); err != nil || string(obj) != `{"k":1}` {
		t.Errorf("aliasing: %s %v", obj, err)
	}
}

func TestDecodeResponseNullObject(t *testing.T) {
	type thing struct{ A int }
	op := &operation{id: "GetThing", object: true}
	var v thing
	if err := decodeResponse(op, []byte(" null "), &v); err == nil || err.Error() != "GetThing: decode response: null body, expected a JSON object" {
		t.Errorf("null: %v", err)
	}
	if err := decodeResponse(op, []byte(`{"A":1}`), &v); err != nil || v.A != 1 {
		t.Errorf("object: %v %v", v, err)
	}
	// Without the flag (a nullable schema) null decodes as before.
	if err := decodeResponse(&operation{id: "GetThing"}, []byte("null"), &v); err != nil {
		t.Errorf("nullable: %v", err)
	}
}

// needsA is a stand-in for a generated struct with a required union.
type needsA struct{ A any }

func (v needsA) checkWire(path string) error {
	if isNil(v.A) {
		return fmt.Errorf("%s: %w", path+".a", errNilUnion("U"))
	}
	return nil
}

func TestCheckWire(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"value", checkWireValue(needsA{}, "T"), "T.a: U is nil"},
		{"pointer", checkWireValue(&needsA{}, "T"), "T.a: U is nil"},
		{"nil pointer", checkWireValue((*needsA)(nil), "T"), ""},
		{"no checker", checkWireValue(3, "T"), ""},
		{"slice", checkWireSlice([]needsA{{A: 1}, {}}, "T.xs", ""), "T.xs[1].a: U is nil"},
		{"nil union element", checkWireSlice([]any{1, nil}, "T.us", "U"), "T.us[1]: U is nil"},
		{"nil element allowed", checkWireSlice([]any{1, nil}, "T.us", ""), ""},
		{"map in key order", checkWireMap(map[string]needsA{"b": {}, "a": {}, "c": {A: 1}}, "T.m", ""), `T.m["a"].a: U is nil`},
		{"map union", checkWireMap(map[string]any{"k\"": nil}, "T.m", "U"), `T.m["k\""]: U is nil`},
		{"nullable set", checkWireValue(NewNullable(needsA{}), "T.n"), "T.n.a: U is nil"},
		{"nullable null", checkWireValue(Null[needsA](), "T.n"), ""},
		{"nullable absent", checkWireValue(Nullable[needsA]{}, "T.n"), ""},
	} {
		got := ""
		if c.err != nil {
			got = c.err.Error()
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
