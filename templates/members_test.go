package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// readMembersTop, the union decoders' second half, against readJSONTop,
// what they called before: the same value, the same error (message, path,
// offset, type, wrapped error), for any input.

// probe is a generated struct written by hand, with a field of each kind
// of reader a readField calls: a string, a slab pointer, a Decimal (whose
// errors stop the decode), a nested struct, a slice, a union field and a
// Nullable union field (applied at the end of the object), and additional
// properties.
type probe struct {
	S  string
	T  string
	P  *int64
	D  Decimal
	N  *probe
	L  []string
	U  any
	NU Nullable[any]
	X  map[string]int64
}

var probeFields = []string{"s", "t", "p", "d", "n", "l", "u", "nu"}

func (v *probe) readJSON(r *jsonReader) error {
	v.X = nil
	return r.object(v)
}

func (v *probe) readField(r *jsonReader, key []byte) error {
	switch string(key) {
	case "s":
		return readString(&v.S, r)
	case "t":
		return readString(&v.T, r)
	case "p":
		return readPtrInt64(&v.P, r)
	case "d":
		return readDecimal(&v.D, r)
	case "n":
		return readPtr(&v.N, r, (*probe).readJSON)
	case "l":
		return readSlice(&v.L, r, readString)
	case "u":
		return readUnionField(&v.U, r, decodeProbeUnion, "u")
	case "nu":
		return readUnionNullable(&v.NU, r, decodeProbeUnion, "nu")
	}
	return readExtra(r, key, v, &v.X, readInt[int64], probeFields, "skipped")
}

// decodeProbeUnion is a generated union decoder's shape: a string variant,
// and an object variant decoded from its scanned members.
func decodeProbeUnion(data []byte) (any, error) {
	if jsonKind(data) == 's' {
		var s string
		err := readJSONTop(data, readerFunc(func(r *jsonReader) error { return readString(&s, r) }))
		return s, err
	}
	var buf [8]jsonMember
	obj, _ := scanMembers(data, buf[:0])
	x := new(probe)
	if err := readMembersTop(data, obj, x); err != nil {
		return nil, fmt.Errorf("probeUnion: probe: %w", err)
	}
	return x, nil
}

var memberSeeds = []string{
	`{"s":"a","p":1,"d":"1.5","n":{"s":"b"},"l":["x"],"u":"str","nu":null,"extra":7}`,
	// duplicates: scalars take the last, nested objects merge, union
	// fields and extras decode only the last (an earlier bad one is never
	// looked at).
	`{"s":"a","s":"b","p":1,"p":null,"p":2,"n":{"s":"x"},"n":{"p":3},"u":{"d":"x"},"u":{"s":"ok"},"e":"bad","e":4}`,
	// escaped and case-folded keys; the path of an error below an escaped
	// key inside another.
	`{"\u0073":"esc","S":"fold","\u006e":{"\u0064":"bad"}}`,
	`{"n":{"n":{"p":"wrong kind"}},"s":1,"p":2}`,
	`{"l":["a",1,"b"],"p":1.5,"d":[1]}`,
	`{"u":{"n":{"u":{"d":"x"}}}}`, `{"nu":{"s":1}}`, `{"nu":"s","u":7}`, `{"x1":1,"x2":"s","x3":{"a":1},"skipped":"s"}`,
	`{"S":1,"s":"later"}`, `{"d":"1e999999999999999999"}`,
	// syntax errors after members a scan could read, and around them.
	`{"s":"a","p":1`, `{"s":"a"} x`, `{"s":"a",}`, `{"s":"a","n":{"s":}}`, `{"s":"\x"}`, `{"s"}`, `{`, `[]`, `"s"`, `null`, ``,
	`{"n":` + deepProbe(3) + `}`,
	// plain strings (cut from one shared string, up to 256 bytes) among
	// others: escaped, non-ASCII, empty, too long to share, not strings.
	`{"s":"abc","t":"","T":"d\u00e9f","S":"gh","x":"\"","d":"2.5","s":"` + strings.Repeat("y", 250) + `","t":"z","p":1}`,
	`{"s":"` + strings.Repeat("a", 256) + `","t":"b","s":"c"}`, `{"s":"` + strings.Repeat("a", 254) + `","t":"b","s":"c"}`,
	`{"s":"é","t":"\u0000","S":"` + "\x7f" + `","T":"\t"}`,
}

func deepProbe(n int) string {
	s := `{"s":"deep","d":"x"}`
	for range n {
		s = `{"n":` + s + `}`
	}
	return s
}

// FuzzReadMembersTop: decoding a struct from its scanned members gives
// what decoding its text does.
func FuzzReadMembersTop(f *testing.F) {
	for _, s := range append(memberSeeds, jsonSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := new(probe)
		wantErr := readJSONTop(data, want)
		got := new(probe)
		obj, _ := scanMembers(data, nil)
		gotErr := readMembersTop(data, obj, got)
		if !sameDecodeError(gotErr, wantErr) {
			t.Fatalf("%q: error\n%#v\nwant (readJSONTop)\n%#v", data, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: value\n%#v\nwant (readJSONTop)\n%#v", data, got, want)
		}
	})
}

// sameDecodeError reports whether a and b are the same error: message,
// and for *DecodeError each field and the wrapped error's type.
func sameDecodeError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Error() != b.Error() {
		return false
	}
	var da, db *DecodeError
	if errors.As(a, &da) != errors.As(b, &db) {
		return false
	}
	if da == nil {
		return true
	}
	return da.Type == db.Type && da.Path == db.Path && da.Offset == db.Offset && da.Msg == db.Msg &&
		reflect.TypeOf(da.Err) == reflect.TypeOf(db.Err) && fmt.Sprint(da.Err) == fmt.Sprint(db.Err)
}

// TestReadMembersTop pins what the seeds exercise, for both decoders.
func TestReadMembersTop(t *testing.T) {
	for _, top := range []bool{false, true} {
		decode := func(s string) (*probe, error) {
			data := []byte(s)
			v := new(probe)
			if top {
				return v, readJSONTop(data, v)
			}
			obj, err := scanMembers(data, nil)
			if err != nil {
				t.Fatalf("%s: scan: %v", s, err)
			}
			return v, readMembersTop(data, obj, v)
		}
		checkProbe(t, decode)
	}
	// A failed scan leaves obj nil: the text is decoded again, for its
	// syntax error.
	data := []byte(`{"s":"a","p":1`)
	var se *json.SyntaxError
	if err := readMembersTop(data, nil, new(probe)); !errors.As(err, &se) || se.Offset != int64(len(data)) {
		t.Errorf("syntax: %v", err)
	}
}

// TestPlainText: a struct's plain string members cost one allocation
// together, and their values are right wherever they come from.
func TestPlainText(t *testing.T) {
	data := []byte(`{"s":"abc","p":null,"t":"defg","s":"hi"}`)
	obj, err := scanMembers(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := new(probe)
	allocs := testing.AllocsPerRun(100, func() {
		if err := readMembersTop(data, obj, v); err != nil {
			t.Fatal(err)
		}
	})
	if v.S != "hi" || v.T != "defg" {
		t.Errorf("decoded %+v", v)
	}
	if allocs != 1 {
		t.Errorf("%v allocations, want 1 (the shared text)", allocs)
	}
	if got := plainText(obj); got != "abcdefghi" {
		t.Errorf("plainText = %q", got)
	}
}

func checkProbe(t *testing.T, decode func(string) (*probe, error)) {
	t.Helper()
	v, err := decode(memberSeeds[1])
	if err != nil {
		t.Fatal(err)
	}
	if v.S != "b" || v.P == nil || *v.P != 2 || v.N.S != "x" || *v.N.P != 3 || v.U.(*probe).S != "ok" || v.X["e"] != 4 {
		t.Errorf("duplicates: %+v", v)
	}
	_, err = decode(memberSeeds[2])
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != ".n.d" || de.Type != "probe" || de.Offset != int64(len(`{"\u0073":"esc","S":"fold","\u006e":{"\u0064":`)) {
		t.Errorf("escaped keys: %v (%#v)", err, de)
	}
	v, err = decode(memberSeeds[3])
	var te *json.UnmarshalTypeError
	if !errors.As(err, &de) || de.Path != ".n.n.p" || !errors.As(err, &te) || te.Value != "string" {
		t.Errorf("wrong kind: %v", err)
	}
	if v.P == nil || *v.P != 2 {
		t.Errorf("decoding went on after the mismatch: %+v", v)
	}
	_, err = decode(`{"u":{"n":{"u":{"d":"x"}}}}`)
	// A union field's error is its decoder's, wrapped whole.
	if !errors.As(err, &de) || de.Path != ".u" || !strings.Contains(err.Error(), "probe.n.u: ") || !strings.Contains(err.Error(), `probe.d: decimal: invalid number "x"`) {
		t.Errorf("union fields: %v", err)
	}
	v, err = decode(`{"nu":"s","x1":1,"x1":2,"skipped":"s"}`)
	if nu, ok := v.NU.Get(); err != nil || !ok || nu != "s" || len(v.X) != 1 || v.X["x1"] != 2 {
		t.Errorf("nullable union, extras: %+v, %v", v, err)
	}
}
