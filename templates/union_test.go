package templates

import (
	"encoding/json"
	"errors"
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
