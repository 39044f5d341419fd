package templates

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestUnionError(t *testing.T) {
	for _, tc := range []struct {
		e    *UnionError
		want string
	}{
		{&UnionError{Union: "AuthenticateUserRequest", Tried: []string{"PasswordCredentials", "APIKeyCredentials"}},
			"AuthenticateUserRequest: no variant matches (tried PasswordCredentials, APIKeyCredentials)"},
		{&UnionError{Union: "AuthenticateUserRequest", Candidates: []string{"PasswordCredentials", "APIKeyCredentials"}, Tried: []string{"PasswordCredentials", "APIKeyCredentials"}},
			"AuthenticateUserRequest: ambiguous, matches PasswordCredentials and APIKeyCredentials"},
		{&UnionError{Union: "U", Candidates: []string{"A", "B", "C"}}, "U: ambiguous, matches A, B and C"},
		{&UnionError{Union: "Pet", Tried: []string{"Cat", "Dog"}, Reason: `unknown discriminator value "fish"`},
			`Pet: unknown discriminator value "fish" (tried Cat, Dog)`},
		{&UnionError{Union: "U"}, "U: no variant matches"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if err := errNilUnion("AuthenticateUserRequest"); err.Error() != "AuthenticateUserRequest is nil" {
		t.Errorf("errNilUnion = %v", err)
	}
	var ue *UnionError
	if !errors.As(error(&UnionError{Union: "U"}), &ue) {
		t.Error("errors.As")
	}
}

func TestJSONHelpers(t *testing.T) {
	for in, want := range map[string]byte{
		`{"a":1}`: 'o', ` [1]`: 'a', "\n\t\"s\"": 's', `-1`: 'n', `0.5`: 'n', `true`: 'b', `false`: 'b', `null`: 'z',
		``: 0, `   `: 0, `x`: 0, `}`: 0,
	} {
		if got := jsonKind([]byte(in)); got != want {
			t.Errorf("jsonKind(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		`1`: true, `-12`: true, ` 0 `: true, `9223372036854775808`: true, `1.0`: false, `1e3`: false, `-`: false,
		`01`: false, `"1"`: false, ``: false, `null`: false, `-0`: true,
	} {
		if got := isJSONInteger(json.RawMessage(in)); got != want {
			t.Errorf("isJSONInteger(%q) = %v", in, got)
		}
	}
	m, err := jsonObjectKeys([]byte(`{"a":1,"b":{"c":[2]}}`))
	if err != nil || string(m["a"]) != "1" || string(m["b"]) != `{"c":[2]}` {
		t.Errorf("jsonObjectKeys = %v, %v", m, err)
	}
	for _, bad := range []string{`null`, `[]`, `"x"`, `{`, ``} {
		if _, err := jsonObjectKeys([]byte(bad)); err == nil {
			t.Errorf("jsonObjectKeys(%q) accepted", bad)
		}
	}
}

// The hand-written object walk agrees with json.Unmarshal into a map.
func TestJSONObjectKeysMatchesUnmarshal(t *testing.T) {
	for _, in := range []string{
		`{}`, ` { "a" : 1 , "b":"x\"}y", "c":{"d":[1,{"e":"]"}]}, "d":[], "e":null, "f":true, "g":-1.5e3 } `,
		`{"k\u00e9y":1,"a\\b":"\\"}`, `{"a":1,"a":2}`, "{\"t\":\t[ 1 ,2 ]\n}",
	} {
		got, err := jsonObjectKeys([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d keys, want %d", in, len(got), len(want))
		}
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Errorf("%s: [%q] = %s, want %s", in, k, got[k], v)
			}
		}
	}
}

func FuzzJSONObjectKeys(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":{"b":[1,"]"]}}`, `{`, `{"a":}`, `{"\u00e9":"\\"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := jsonObjectKeys(data)
		var want map[string]json.RawMessage
		werr := json.Unmarshal(data, &want)
		if (err == nil) != (werr == nil && jsonKind(data) == 'o') {
			t.Fatalf("%q: err %v, json.Unmarshal err %v", data, err, werr)
		}
		if err != nil {
			return
		}
		for k, v := range want {
			var a, b any
			json.Unmarshal(v, &a)
			json.Unmarshal(got[k], &b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%q: [%q] = %s, want %s", data, k, got[k], v)
			}
		}
	})
}
