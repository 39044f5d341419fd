package kiiex

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The differential test of the JSON writer. This file does not depend on
// the spec: the golden tests copy it into every generated package with a
// list of that package's types (jsonTypes), so the same checks run there.
//
// The differential test of the JSON writer: every generated type that
// encodes itself is decoded from fuzz input with encoding/json, then its
// appendJSON output is compared byte for byte with what encoding/json
// writes for the same value without the generated encoders (jsonMirror),
// both as MarshalJSON writes it (HTML-escaped, as json.Marshal) and as the
// client sends it (request bodies are not HTML-escaped, except where a
// MarshalJSON used to escape them). A second mode replaces every string in
// the value with raw fuzz bytes, which JSON decoding could never produce
// (invalid UTF-8, control characters).

// checkEncoding compares the writer with encoding/json for v, in both
// escaping modes.
func checkEncoding(t *testing.T, v reflect.Value) {
	t.Helper()
	a := v.Interface().(jsonAppender)
	m, merr := jsonMirror(v)
	for _, html := range []bool{true, false} {
		got, err := encodeJSON(a.appendJSON, html)
		var want []byte
		werr := merr
		if werr == nil {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(html)
			werr = enc.Encode(m)
			want = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%s html=%v: error %v, encoding/json %v", v.Type(), html, err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("%s html=%v:\n got %s\nwant %s", v.Type(), html, got, want)
		}
	}
	// Through encoding/json, MarshalJSON's output passes its validation
	// and compaction unchanged.
	if merr == nil {
		got, err := json.Marshal(v.Interface())
		want, _ := json.Marshal(m)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s json.Marshal: %v\n got %s\nwant %s", v.Type(), err, got, want)
		}
	}
}

// refMarshaler is implemented by structs with wire rules: their reference
// encoding is the one MarshalJSON had before the writer.
type refMarshaler interface {
	marshalJSONReflect() ([]byte, error)
}

var anyType = reflect.TypeFor[any]()

// jsonMirror returns a value that encoding/json encodes as v was encoded
// before the generated encoders existed, without calling any of them: each
// generated struct becomes an anonymous struct of its written members (the
// omitempty and omitzero rules applied here, as encoding/json applies them),
// slices and maps become []any and map[string]any, and the values whose
// MarshalJSON called json.Marshal (Nullable, union wrappers, structs with
// wire rules) become that call's output. The runtime's Decimal, DateTime
// and Date keep their own MarshalJSON.
func jsonMirror(v reflect.Value) (any, error) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		return jsonMirror(v.Elem())
	}
	x := v.Interface()
	switch x.(type) {
	case Decimal, DateTime, Date, json.RawMessage:
		return x, nil
	}
	if r, ok := x.(refMarshaler); ok {
		b, err := r.marshalJSONReflect()
		return json.RawMessage(b), err
	}
	if n, ok := x.(interface{ IsSet() bool }); ok && strings.HasPrefix(v.Type().Name(), "Nullable[") {
		if !n.IsSet() {
			return nil, nil
		}
		return marshalMirror(v.MethodByName("Get").Call(nil)[0])
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.Struct:
		if _, ok := x.(jsonAppender); ok && t.NumField() == 1 && t.Field(0).Name == "Value" && t.Field(0).Tag == "" {
			return marshalMirror(v.Field(0)) // a union wrapper
		}
		var fields []reflect.StructField
		var vals []any
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, ok := sf.Tag.Lookup("json")
			if !ok || tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			fv := v.Field(i)
			if hasOpt(opts, "omitempty") && isEmptyJSON(fv) || hasOpt(opts, "omitzero") && isZeroJSON(fv.Interface()) {
				continue
			}
			m, err := jsonMirror(fv)
			if err != nil {
				return nil, err
			}
			fields = append(fields, reflect.StructField{Name: "F" + strconv.Itoa(i), Type: anyType, Tag: reflect.StructTag("json:" + strconv.Quote(name))})
			vals = append(vals, m)
		}
		s := reflect.New(reflect.StructOf(fields)).Elem()
		for i, m := range vals {
			if m != nil {
				s.Field(i).Set(reflect.ValueOf(m))
			}
		}
		return s.Interface(), nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return x, nil
		}
		out := make([]any, v.Len())
		for i := range out {
			m, err := jsonMirror(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			m, err := jsonMirror(it.Value())
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = m
		}
		return out, nil
	}
	return x, nil
}

// marshalMirror is json.Marshal of v's mirror, as the MarshalJSON methods
// that called json.Marshal wrote it.
func marshalMirror(v reflect.Value) (any, error) {
	m, err := jsonMirror(v)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(m)
	return json.RawMessage(b), err
}

func hasOpt(opts, opt string) bool {
	return slices.Contains(strings.Split(opts, ","), opt)
}

// isEmptyJSON is encoding/json's omitempty test.
func isEmptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// injectStrings replaces every non-empty string v holds (fields, elements,
// map values, set Nullable strings) with s.
func injectStrings(v reflect.Value, s string, depth int) {
	if depth > 32 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			injectStrings(v.Elem(), s, depth+1)
		}
	case reflect.Struct:
		if n, ok := v.Interface().(interface{ IsSet() bool }); ok && strings.HasPrefix(v.Type().Name(), "Nullable[") {
			if n.IsSet() && v.CanAddr() {
				x := v.MethodByName("Get").Call(nil)[0]
				c := reflect.New(x.Type()).Elem()
				c.Set(x)
				injectStrings(c, s, depth+1)
				v.Addr().MethodByName("Set").Call([]reflect.Value{c})
			}
			return
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				injectStrings(v.Field(i), s, depth+1)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			injectStrings(v.Index(i), s, depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			c := reflect.New(it.Value().Type()).Elem()
			c.Set(it.Value())
			injectStrings(c, s, depth+1)
			v.SetMapIndex(it.Key(), c)
		}
	case reflect.String:
		if v.CanSet() && v.Len() > 0 {
			v.SetString(s)
		}
	}
}

// TestEncodeRandomValues runs the differential check on random values of
// every type: all optional states (nil, empty, absent, null, set), union
// variants, hostile strings, float edge cases, exotic decimals and
// date-time forms, raw JSON with spaces and HTML characters.
func TestEncodeRandomValues(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 30
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, typ := range jsonTypes {
		for range n {
			v := reflect.New(typ).Elem()
			fillRandom(r, v, 0)
			checkEncoding(t, v)
		}
	}
}

var (
	randStrings = []string{"", "a", "<script>&amp;</script>", "\u2028\u2029", "\x00\x1f\"\\/", "\xff\xfe\xc3", "é😀€", "OMSId"}
	randFloats  = []float64{0, math.Copysign(0, -1), 0.1, 1e21, 1e20, 1e-6, 1e-7, -123.456, 5e-324, math.MaxFloat64, 64250.5}
	randDecimal = []string{"0", "-0", "1.50", "1e-8", "1E+30", "-12345678901234567890.000001", "0.125"}
	randRaw     = []string{`{}`, `[]`, `null`, ` { "a" : [ 1 , 2.5e3 , "x<y&z" ] } `, "\"\u2028<>\"", `"\u003c"`, `true`}
	randTimes   = []string{"2025-08-26T20:35:22.893Z", "2025-08-26T20:35:22", "2025-08-26T20:35:22.5+02:00", "0001-01-01T00:00:00Z"}
)

// fillRandom sets v (settable) to a random value of its type.
func fillRandom(r *rand.Rand, v reflect.Value, depth int) {
	deep := depth > 4
	switch x := v.Addr().Interface().(type) {
	case *Decimal:
		*x = MustDecimal(randDecimal[r.IntN(len(randDecimal))])
		return
	case *DateTime:
		if r.IntN(3) == 0 {
			*x = NewDateTime(time.Unix(r.Int64N(1<<35)-1<<34, r.Int64N(1e9)).In(time.FixedZone("", 3600*(r.IntN(25)-12))))
		} else {
			*x, _ = ParseDateTime(randTimes[r.IntN(len(randTimes))])
		}
		return
	case *Date:
		*x = Date{Year: r.IntN(3000), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		return
	case *json.RawMessage:
		if r.IntN(4) > 0 {
			*x = json.RawMessage(randRaw[r.IntN(len(randRaw))])
		}
		return
	}
	if strings.HasPrefix(v.Type().Name(), "Nullable[") {
		switch r.IntN(3) {
		case 1:
			v.Addr().MethodByName("SetNull").Call(nil)
		case 2:
			e := reflect.New(v.Addr().MethodByName("Set").Type().In(0)).Elem()
			fillRandom(r, e, depth+1)
			v.Addr().MethodByName("Set").Call([]reflect.Value{e})
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !deep && r.IntN(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fillRandom(r, v.Elem(), depth+1)
		}
	case reflect.Interface:
		if deep || r.IntN(6) == 0 {
			return
		}
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf([]any{nil, "x<&>", 1.5, []any{true, "\u2028"}, map[string]any{"b": 1, "a": nil}}[r.IntN(5)]))
			return
		}
		var impl []reflect.Type
		for _, t := range jsonTypes {
			for _, c := range []reflect.Type{t, reflect.PointerTo(t)} {
				if c.Implements(v.Type()) {
					impl = append(impl, c)
				}
			}
		}
		if len(impl) == 0 {
			return
		}
		c := impl[r.IntN(len(impl))]
		if c.Kind() == reflect.Pointer {
			p := reflect.New(c.Elem())
			fillRandom(r, p.Elem(), depth+1)
			v.Set(p)
		} else {
			e := reflect.New(c).Elem()
			fillRandom(r, e, depth+1)
			v.Set(e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				fillRandom(r, v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if deep || r.IntN(5) == 0 {
			return
		}
		n := r.IntN(4)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fillRandom(r, v.Index(i), depth+1)
		}
	case reflect.Map:
		if deep || r.IntN(5) == 0 {
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for range r.IntN(4) {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString(randStrings[r.IntN(len(randStrings))])
			e := reflect.New(v.Type().Elem()).Elem()
			fillRandom(r, e, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		v.SetString(randStrings[r.IntN(len(randStrings))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, -1, 1, 42, math.MaxInt32, math.MinInt32, math.MaxInt64}[r.IntN(7)]) // truncated to the field's size
	case reflect.Uint8:
		v.SetUint(uint64(r.IntN(256)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(randFloats[r.IntN(len(randFloats))])
	}
}
