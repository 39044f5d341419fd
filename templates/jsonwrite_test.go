package templates

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// encodingJSON is what encoding/json writes for v in the given escaping
// mode.
func encodingJSON(t *testing.T, v any, html bool) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	err := enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// FuzzJSONWriter holds the writer's primitives to encoding/json byte for
// byte: strings (escapes, invalid UTF-8, U+2028/9, HTML in both modes),
// float64 and float32 formatting, base64 bytes, and raw JSON compaction.
func FuzzJSONWriter(f *testing.F) {
	for _, s := range []string{"", "plain", "<a href=\"x\">&amp;</a>", "\x00\x1f\x7f\b\f\n\r\t\\", "\u2028\u2029é€😀", "\xff\xc3(\xed\xa0\x80", "{ \"a\" : [ 1 , \"<\\u2028>\" , null ] }"} {
		f.Add(s, 0.1, float32(1e21))
	}
	f.Add("1e-7", -0.0, float32(-1e-7))
	f.Add("[]", 1e21, float32(123456789))
	f.Add("0", 5e-324, float32(math.MaxFloat32))
	f.Fuzz(func(t *testing.T, s string, f64 float64, f32 float32) {
		for _, html := range []bool{true, false} {
			check := func(what string, write func(w *jsonWriter), v any) {
				t.Helper()
				w := &jsonWriter{html: html}
				write(w)
				err := w.err
				want, werr := encodingJSON(t, v, html)
				if (err == nil) != (werr == nil) {
					t.Fatalf("%s %q html=%v: error %v, encoding/json %v", what, s, html, err, werr)
				}
				if err == nil && !bytes.Equal(w.buf, want) {
					t.Fatalf("%s %q html=%v:\n got %s\nwant %s", what, s, html, w.buf, want)
				}
			}
			check("string", func(w *jsonWriter) { w.str(s) }, s)
			check("float64", func(w *jsonWriter) { w.float(f64, 64) }, f64)
			check("float32", func(w *jsonWriter) { w.float(float64(f32), 32) }, f32)
			check("bytes", func(w *jsonWriter) { w.bytes([]byte(s)) }, []byte(s))
			check("raw", func(w *jsonWriter) { w.rawMessage(json.RawMessage(s)) }, json.RawMessage(s))
			check("value", func(w *jsonWriter) { w.value(map[string]any{s: []any{s, f64}}) }, map[string]any{s: []any{s, f64}})
		}
	})
}

func TestJSONWriterSpecials(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		w := &jsonWriter{}
		if w.float(f, 64); w.err == nil {
			t.Errorf("%v: no error", f)
		}
	}
	w := &jsonWriter{}
	if w.rawMessage(nil); w.err != nil || string(w.buf) != "null" {
		t.Errorf("nil RawMessage: %s, %v", w.buf, w.err)
	}
	w = &jsonWriter{}
	if w.rawMessage(json.RawMessage{}); w.err == nil {
		t.Errorf("empty RawMessage: no error")
	}
	w = &jsonWriter{}
	w.bytes(nil)
	if string(w.buf) != "null" {
		t.Errorf("nil bytes: %s", w.buf)
	}
	w = &jsonWriter{}
	w.closeObject(w.openObject())
	if string(w.buf) != "{}" {
		t.Errorf("empty object: %s", w.buf)
	}
	w = &jsonWriter{html: true}
	w.key(`,"a<":`, `,"a\u003c":`)
	if string(w.buf) != `,"a\u003c":` {
		t.Errorf("key html: %s", w.buf)
	}
}

func TestEncodeJSONPool(t *testing.T) {
	// A result is never aliased by the pooled buffer it was written in.
	a, _ := encodeJSON(rawAppender(`"first"`).appendJSON, true)
	b, _ := encodeJSON(rawAppender(`"second"`).appendJSON, true)
	if string(a) != `"first"` || string(b) != `"second"` {
		t.Fatalf("got %s and %s", a, b)
	}
	big := make([]byte, maxPooledJSON+1)
	for i := range big {
		big[i] = 'a'
	}
	if _, err := encodeJSON(rawAppender(`"`+string(big)+`"`).appendJSON, false); err != nil {
		t.Fatal(err)
	}
}

type rawAppender string

func (r rawAppender) appendJSON(w *jsonWriter) { w.lit(string(r)) }

// TestVariantMembers holds variantMembers (the writer) and
// appendVariantMembers (its encoding/json reference) to the same bytes:
// the alternative's members join the object, except the keys already
// written, whatever their escaping; a non-object alternative is an error.
func TestVariantMembers(t *testing.T) {
	type alt struct {
		Name  string         `json:"name"`
		Note  string         `json:"a<b,omitempty"`
		Inner map[string]any `json:"inner,omitempty"`
		Kind  string         `json:"kind"`
	}
	for _, tc := range []struct {
		written []string // members written before, as the writer writes them
		alt     any
		want    string
	}{
		{nil, alt{Name: "x", Kind: "k"}, `{"name":"x","kind":"k"}`},
		{[]string{`"name":"own"`}, alt{Name: "x", Kind: "k"}, `{"name":"own","kind":"k"}`},
		{[]string{`"kind":"own"`, `"name":"n"`}, alt{Name: "x", Kind: "k"}, `{"kind":"own","name":"n"}`},
		{[]string{`"a\u003cb":1`}, alt{Note: "<,}\"", Inner: map[string]any{"name": "{,}"}, Kind: "k"}, `{"a\u003cb":1,"name":"","inner":{"name":"{,}"},"kind":"k"}`},
		{[]string{`"z":{"name":1}`}, map[string]any{"name": 2}, `{"z":{"name":1},"name":2}`},
		{[]string{`"z":1`}, map[string]any{}, `{"z":1}`},
		{[]string{`"z":1`}, "str", ``},
		{nil, []int{1}, ``},
	} {
		w := &jsonWriter{html: true}
		s := w.openObject()
		for _, m := range tc.written {
			w.lit("," + m)
		}
		w.variantMembers(s, tc.alt, "U")
		w.closeObject(s)
		got, err := string(w.buf), w.err
		obj := "{" + strings.Join(tc.written, ",") + "}"
		ref, refErr := appendVariantMembers([]byte(obj), tc.alt, "U")
		if tc.want == "" {
			if err == nil || refErr == nil || !strings.Contains(err.Error(), "U: the alternative") {
				t.Errorf("%v: want an error, got %v / reference %v", tc.alt, err, refErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%v:\n got %s, %v\nwant %s", tc.alt, got, err, tc.want)
		}
		var a, b any
		if refErr != nil || json.Unmarshal(ref, &a) != nil || json.Unmarshal([]byte(got), &b) != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%v: reference %s, %v; writer %s", tc.alt, ref, refErr, got)
		}
	}
}
