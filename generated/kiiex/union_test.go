package kiiex

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestDecodeUnionMembers: what the credential union decodes from the
// members it scanned to choose the variant.
func TestDecodeUnionMembers(t *testing.T) {
	// The last of duplicate keys decides the shape and the value; an
	// earlier duplicate of another kind is decoded (and overwritten) too.
	v, err := DecodeAuthenticateUserRequest([]byte(`{"UserName":"a","Password":"p","UserName":"b","Password":"q"}`))
	if p, ok := v.(*PasswordCredentials); err != nil || !ok || p.UserName != "b" || p.Password != "q" {
		t.Errorf("duplicates: %#v, %v", v, err)
	}
	v, err = DecodeAuthenticateUserRequest([]byte(`{"APIKey":"j","Signature":"s","UserId":"1","Nonce":"2","UserName":"u","UserName":null,"APIKey":"k"}`))
	if k, ok := v.(*APIKeyCredentials); err != nil || !ok || k.APIKey != "k" || k.UserName != nil {
		t.Errorf("duplicates: %#v, %v", v, err)
	}
	// An earlier duplicate of the wrong kind passes the shape check (the
	// last is a string) but is still decoded: its mismatch is the error,
	// as with encoding/json.
	_, err = DecodeAuthenticateUserRequest([]byte(`{"APIKey":1,"Signature":"s","UserId":"1","Nonce":"2","APIKey":"k"}`))
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != ".APIKey" || de.Offset != 10 {
		t.Errorf("duplicates across kinds: %v", err)
	}
	// Both variants fit once the last APIKey is a string: ambiguous.
	_, err = DecodeAuthenticateUserRequest([]byte(`{"APIKey":1,"Signature":"s","UserId":"1","Nonce":"2","UserName":"u","Password":"p","APIKey":"k"}`))
	var ue *UnionError
	if !errors.As(err, &ue) || len(ue.Candidates) != 2 {
		t.Errorf("duplicates across variants: %v", err)
	}
	// Escaped keys count as what they spell, in the checks and the decode;
	// a key matching a field only case-insensitively fills it.
	v, err = DecodeAuthenticateUserRequest([]byte(`{"\u0055serName":"a","Pass\u0077ord":"p\u00e9","password":"last"}`))
	if p, ok := v.(*PasswordCredentials); err != nil || !ok || p.UserName != "a" || p.Password != "last" {
		t.Errorf("escaped keys: %#v, %v", v, err)
	}
	// A member of the wrong kind inside the chosen variant: a DecodeError
	// with its path and offset, decoding having gone on.
	data := []byte(`{"APIKey":"k","Signature":"s","userid":5,"UserId":"1","Nonce":"2"}`)
	_, err = DecodeAuthenticateUserRequest(data)
	var te *json.UnmarshalTypeError
	if !errors.As(err, &de) || de.Type != "APIKeyCredentials" || de.Path != ".userid" || de.Offset != 39 || !errors.As(err, &te) || te.Value != "number" {
		t.Errorf("wrong kind: %v (%#v)", err, de)
	}
	// Syntax errors after members a scan could read: no variant.
	for _, s := range []string{`{"UserName":"a","Password":"p"} x`, `{"UserName":"a","Password":"p",`, `{"UserName":"a","Password":"p","x":}`} {
		if _, err := DecodeAuthenticateUserRequest([]byte(s)); !errors.As(err, &ue) || ue.Reason != "no variant matches" {
			t.Errorf("%s: %v", s, err)
		}
	}
}
