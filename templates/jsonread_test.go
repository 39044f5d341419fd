package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The building blocks of the generated decoders against encoding/json.
// The generated packages' differential fuzz targets check whole types.

var jsonSeeds = []string{
	`""`, `"abc"`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u12AB"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\udc00x"`,
	`"\ud83d\u0041"`, `"\ud83dabc"`, "\"\xff\xfe\"", "\"é\"", "\"\xe2\x82\"", `"\u12"`, `"\x"`, "\"a\tb\"", `"abc`,
	`0`, `-0`, `1.5`, `-1e10`, `1E+2`, `01`, `1.`, `.5`, `-`, `1e`, `9223372036854775807`, `9223372036854775808`,
	`-9223372036854775808`, `1e400`, `true`, `false`, `null`, `nul`, `tru`, `{}`, `[]`, `{"a":1,"b":[1,{"c":null}]}`,
	`{"a":1,}`, `[1,]`, `{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, ` [ 1 , 2 ] `, `{"a":1}x`, `{"\u0041":1,"A":2}`, ``, ` `,
}

// FuzzReaderStrings: a string decodes to what encoding/json makes of it,
// and fails where it fails.
func FuzzReaderStrings(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want string
		wantErr := json.Unmarshal(data, &want)
		var got string
		gotErr := readJSONTop(data, readerFunc(func(r *jsonReader) error { return readString(&got, r) }))
		if gotErr == nil && wantErr != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(wantErr, &te) {
				t.Fatalf("%q: accepted, encoding/json: %v", data, wantErr)
			}
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: got %q, %v; encoding/json %q, %v", data, got, gotErr, want, wantErr)
		}
		if gotErr == nil && got != want {
			t.Fatalf("%q: got %q, encoding/json %q", data, got, want)
		}
		// The key reader agrees with the string reader.
		if gotErr == nil && len(bytes.TrimSpace(data)) > 0 && bytes.TrimSpace(data)[0] == '"' {
			r := jsonReader{data: bytes.TrimSpace(data)}
			k, err := r.key()
			if err != nil || string(k) != want {
				t.Fatalf("%q: key %q, %v", data, k, err)
			}
		}
	})
}

// FuzzReaderSkip: skipping a value accepts exactly the documents
// json.Valid accepts, and raw returns the value's text.
func FuzzReaderSkip(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw []byte
		err := readJSONTop(data, readerFunc(func(r *jsonReader) error {
			var e error
			raw, e = r.raw()
			return e
		}))
		if (err == nil) != json.Valid(data) {
			t.Fatalf("%q: raw error %v, json.Valid %v", data, err, json.Valid(data))
		}
		if err == nil && !bytes.Equal(raw, bytes.TrimSpace(data)) {
			t.Fatalf("%q: raw %q", data, raw)
		}
		if err != nil {
			var se *json.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: syntax error %v does not unwrap to *json.SyntaxError", data, err)
			}
		}
	})
}

// FuzzReaderNumbers: integers, floats and decimals decode as encoding/json
// decodes them (with Decimal's own UnmarshalJSON).
func FuzzReaderNumbers(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(name string, got, want any, gotErr, wantErr error) {
			t.Helper()
			if (gotErr == nil) != (wantErr == nil) || gotErr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %q: got %v, %v; encoding/json %v, %v", name, data, got, gotErr, want, wantErr)
			}
		}
		var i64, w64 int64
		check("int64", &i64, &w64, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readInt(&i64, r) })), json.Unmarshal(data, &w64))
		var i32, w32 int32
		check("int32", &i32, &w32, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readInt(&i32, r) })), json.Unmarshal(data, &w32))
		var fl, wf float64
		check("float64", &fl, &wf, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readFloat(&fl, r) })), json.Unmarshal(data, &wf))
		var b, wb bool
		check("bool", &b, &wb, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readBool(&b, r) })), json.Unmarshal(data, &wb))
		var d, wd Decimal
		check("Decimal", &d, &wd, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readDecimal(&d, r) })), json.Unmarshal(data, &wd))
		var p, wp *int64
		check("*int64", &p, &wp, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readPtrInt64(&p, r) })), json.Unmarshal(data, &wp))
		var s, ws []int64
		check("[]int64", &s, &ws, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readSlice(&s, r, readInt) })), json.Unmarshal(data, &ws))
		var m, wm map[string]string
		check("map", &m, &wm, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readMap(&m, r, readString) })), json.Unmarshal(data, &wm))
		var n, wn Nullable[string]
		check("Nullable", &n, &wn, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readNullable(&n, r, readString) })), json.Unmarshal(data, &wn))
		var raw, wraw json.RawMessage
		check("RawMessage", &raw, &wraw, readJSONTop(data, readerFunc(func(r *jsonReader) error { return readRaw(&raw, r) })), json.Unmarshal(data, &wraw))
	})
}

// FuzzQuickDateTime: the allocation-free date-time path gives exactly
// what ParseDateTime gives, or leaves the string to it.
func FuzzQuickDateTime(f *testing.F) {
	for _, s := range []string{
		"2025-08-26T20:35:22.893Z", "2025-08-26T20:35:22", "2025-08-26T20:35:22.1234567891Z", "2025-02-30T00:00:00Z",
		"2024-02-29T23:59:59.999999999Z", "2025-08-26T24:00:00Z", "2025-08-26T20:35:60Z", "0000-01-01T00:00:00Z",
		"2025-08-26T20:35:22.Z", "2025-08-26T20:35:22+02:00", "2025-8-26T20:35:22Z", "2025-08-26t20:35:22z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, _ := json.Marshal(s)
		got, ok := quickDateTime(b)
		if !ok {
			return
		}
		want, err := ParseDateTime(s)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: quick %#v; ParseDateTime %#v, %v", s, got, want, err)
		}
	})
}

// FuzzScanMembers: the union decoders' member scan fails where
// jsonObjectKeys fails and finds the same members (the last of duplicates).
func FuzzScanMembers(f *testing.F) {
	for _, s := range append(jsonSeeds, `{"a":1,"a":2}`, `{"a\nb":"x","\u00e9":[1],"b":{"c":{}}}`) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := jsonObjectKeys(data)
		got, gotErr := scanMembers(data, nil)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: scanMembers %v, jsonObjectKeys %v", data, gotErr, wantErr)
		}
		if gotErr != nil {
			if gotErr.Error() != wantErr.Error() {
				t.Fatalf("%q: error %q, jsonObjectKeys %q", data, gotErr, wantErr)
			}
			return
		}
		for k, v := range want {
			raw, ok := got.get(k)
			if !ok || !bytes.Equal(raw, v) {
				t.Fatalf("%q: member %q = %q, %v; want %q", data, k, raw, ok, v)
			}
		}
		for _, m := range got {
			if _, ok := want[string(m.key)]; !ok {
				t.Fatalf("%q: extra member %q", data, m.key)
			}
			if m.at+len(m.raw) > len(data) || !bytes.Equal(data[m.at:m.at+len(m.raw)], m.raw) {
				t.Fatalf("%q: member %q at %d, raw %q", data, m.key, m.at, m.raw)
			}
			// A string str may take as it is: ASCII, no escapes.
			plain := len(m.raw) >= 2 && m.raw[0] == '"'
			for _, c := range m.raw[1:] {
				plain = plain && c >= 0x20 && c < 0x80 && c != '\\'
			}
			plain = plain && bytes.IndexByte(m.raw[1:], '"') == len(m.raw)-2
			if m.plain != plain {
				t.Fatalf("%q: member %q plain %v, want %v", data, m.key, m.plain, plain)
			}
		}
	})
}

// TestDecodeErrors: errors name the path and unwrap to encoding/json's
// error types.
func TestDecodeErrors(t *testing.T) {
	var s []map[string]int64
	err := readJSONTop([]byte(`[{"a":1},{"b":"x"}]`), readerFunc(func(r *jsonReader) error {
		return readSlice(&s, r, func(p *map[string]int64, r *jsonReader) error { return readMap(p, r, readInt) })
	}))
	var de *DecodeError
	var te *json.UnmarshalTypeError
	if !errors.As(err, &de) || de.Path != `[1].b` || !errors.As(err, &te) || te.Value != "string" {
		t.Fatalf("%v (%#v)", err, de)
	}
	// Decoding went on after the mismatch, as encoding/json does.
	if len(s) != 2 || s[0]["a"] != 1 {
		t.Errorf("partial value %v", s)
	}
	var ints []int64
	err = readJSONTop([]byte(`[1,2`), readerFunc(func(r *jsonReader) error { return readSlice(&ints, r, readInt) }))
	var se *json.SyntaxError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "unexpected end of JSON input") {
		t.Errorf("syntax: %v", err)
	}
	var d Decimal
	err = readJSONTop([]byte(`{"x":1}`), readerFunc(func(r *jsonReader) error { return readDecimal(&d, r) }))
	if err == nil || !strings.Contains(err.Error(), "decimal: cannot unmarshal JSON object into a number") {
		t.Errorf("decimal: %v", err)
	}
}

// TestDepth: nesting beyond encoding/json's limit of 10000 is a syntax
// error, at it is fine.
func TestDepth(t *testing.T) {
	for _, n := range []int{10000, 10001} {
		data := []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
		err := readJSONTop(data, readerFunc(func(r *jsonReader) error { return r.skip() }))
		if (err == nil) != json.Valid(data) {
			t.Errorf("depth %d: %v, json.Valid %v", n, err, json.Valid(data))
		}
		data = []byte(strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n))
		var m map[string]json.RawMessage
		err = readJSONTop(data, readerFunc(func(r *jsonReader) error { return readMap(&m, r, readRaw) }))
		if (err == nil) != json.Valid(data) {
			t.Errorf("object depth %d: %v, json.Valid %v", n, err, json.Valid(data))
		}
	}
}

// TestSlabs: pointers from the slabs are distinct variables.
func TestSlabs(t *testing.T) {
	var ps []*int64
	err := readJSONTop([]byte(`[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]`), readerFunc(func(r *jsonReader) error {
		return readSlice(&ps, r, readPtrInt64)
	}))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		if *p != int64(i+1) {
			t.Fatalf("ps[%d] = %d", i, *p)
		}
		*p = 0
	}
	for i, p := range ps[1:] {
		if p == ps[i] {
			t.Fatal("shared pointer")
		}
	}
	var raws []json.RawMessage
	if err := readJSONTop([]byte(`[{"a":1},[2],"x"]`), readerFunc(func(r *jsonReader) error { return readSlice(&raws, r, readRaw) })); err != nil {
		t.Fatal(err)
	}
	raws[0] = append(raws[0], 'X') // capacity is clipped: cannot overwrite raws[1]
	if string(raws[1]) != "[2]" {
		t.Errorf("raw messages share their bytes: %q", raws[1])
	}
}

// TestReadSized: a declared body length sizes the read buffer but never
// the limit: a body longer than declared (or than the limit) is still
// read up to the limit and refused beyond it.
func TestReadSized(t *testing.T) {
	body := strings.Repeat("x", 100)
	for _, tc := range []struct {
		size, limit int64
		ok          bool
	}{{100, 100, true}, {100, 99, false}, {10, 100, true}, {10, 99, false}, {1000, 100, true}, {-1, 100, true}, {0, 100, true}, {-1, 50, false}} {
		data, err := readSized(strings.NewReader(body), tc.limit, tc.size)
		if tc.ok != (err == nil) || tc.ok && string(data) != body {
			t.Errorf("size %d limit %d: %d bytes, %v", tc.size, tc.limit, len(data), err)
		}
		if !tc.ok && !errors.Is(err, ErrResponseTooLarge) {
			t.Errorf("size %d limit %d: %v, want ErrResponseTooLarge", tc.size, tc.limit, err)
		}
	}
}
