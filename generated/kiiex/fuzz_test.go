package kiiex

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzDecodeAuthenticateUserRequest: the credential union decoder never
// panics, fails only with *UnionError or a JSON error, and what it decodes
// re-encodes to something that decodes to the same variant and value.
func FuzzDecodeAuthenticateUserRequest(f *testing.F) {
	for _, s := range []string{
		`{"UserName":"alice","Password":"pw"}`,
		`{"APIKey":"k","Signature":"s","UserId":"96","Nonce":"2247733562"}`,
		`{"APIKey":"k","Signature":"s","UserId":"96","Nonce":"1","UserName":"a","Password":"p"}`,
		`{"UserName":1}`, `null`, `[]`, `"x"`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeAuthenticateUserRequest(data)
		if err != nil {
			var ue *UnionError
			var se *json.SyntaxError
			if !errors.As(err, &ue) && !errors.As(err, &se) && json.Valid(data) {
				// Valid JSON may still fail a variant's own decoding (a
				// type mismatch the shape check let through); that must be
				// a wrapped JSON error, never a panic.
				var te *json.UnmarshalTypeError
				if !errors.As(err, &te) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
			}
			return
		}
		if v == nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		w, err := DecodeAuthenticateUserRequest(out)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out, err)
		}
		if !reflect.DeepEqual(v, w) {
			t.Fatalf("round trip changed %#v into %#v", v, w)
		}
	})
}
