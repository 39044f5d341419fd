package templates

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// The JSON writer: generated types encode themselves through appendJSON
// methods that call it, without reflection, and MarshalJSON and the client's
// request bodies use them. The output is byte for byte what encoding/json
// writes for the same value (field order, omitempty and omitzero, string
// escaping, float formatting, sorted map keys, nil slices as null), which
// the differential tests hold it to.
//
// HTML escaping follows what each value got before the writer existed, so
// that the bytes on the wire do not change: a request body is written
// without escaping <, > and & (the client's encoder turned it off), except
// inside the values encoding/json used to reach through a MarshalJSON that
// called json.Marshal (a Nullable's value, a union wrapper, a struct with
// wire rules of its own), which escaped them; MarshalJSON escapes them all,
// as json.Marshal would anyway.

// jsonWriter appends JSON text to buf.
type jsonWriter struct {
	buf []byte
	// html escapes <, > and & in strings as \u003c, \u003e and \u0026.
	html bool
	// err is the first error; writing goes on after it (the output is
	// discarded), so that the generated code needs no error checks.
	err error
}

// jsonAppender is implemented by every generated type that encodes itself.
type jsonAppender interface {
	appendJSON(w *jsonWriter)
}

// fail records err unless an earlier error is already recorded.
func (w *jsonWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// encodeJSON runs appendJSON (a generated type's method value) on a pooled
// writer and returns a copy of exactly the output's length: one
// allocation, of the size of the result. MarshalJSON methods call it with
// html set, as json.Marshal escapes; a method value that does not escape
// costs no allocation, where boxing the receiver into an interface would.
func encodeJSON(appendJSON func(*jsonWriter), html bool) ([]byte, error) {
	w := jsonWriters.Get().(*jsonWriter)
	w.buf, w.html, w.err = w.buf[:0], html, nil
	appendJSON(w)
	err := w.err
	w.err = nil
	var out []byte
	if err == nil {
		out = bytes.Clone(w.buf)
	}
	if cap(w.buf) <= maxPooledJSON {
		jsonWriters.Put(w)
	}
	return out, err
}

// maxPooledJSON is the largest buffer the pool keeps, so that one huge
// body does not stay allocated.
const maxPooledJSON = 64 << 10

var jsonWriters = sync.Pool{New: func() any { return &jsonWriter{buf: make([]byte, 0, 1024)} }}

func (w *jsonWriter) null() { w.buf = append(w.buf, "null"...) }

func (w *jsonWriter) byte1(c byte) { w.buf = append(w.buf, c) }

// lit appends JSON text the generator computed (member names with their
// quotes, commas and colons).
func (w *jsonWriter) lit(s string) { w.buf = append(w.buf, s...) }

// key appends a precomputed member name in the form the escaping mode
// needs: plain when <, > and & go unescaped, html otherwise. Only names
// holding one of those characters need two forms.
func (w *jsonWriter) key(plain, html string) {
	if w.html {
		w.buf = append(w.buf, html...)
	} else {
		w.buf = append(w.buf, plain...)
	}
}

// openObject starts an object whose members are each written with a
// leading comma; closeObject turns the first comma into the brace, so
// optional members need no "first member" bookkeeping.
func (w *jsonWriter) openObject() int { return len(w.buf) }

func (w *jsonWriter) closeObject(start int) {
	if len(w.buf) == start {
		w.buf = append(w.buf, "{}"...)
		return
	}
	w.buf[start] = '{'
	w.buf = append(w.buf, '}')
}

// str appends s as a JSON string, escaped as encoding/json does: quotes,
// backslashes and control characters always, U+2028 and U+2029 always, <,
// > and & in html mode, and each invalid UTF-8 byte as \ufffd.
func (w *jsonWriter) str(s string) { w.buf = appendJSONString(w.buf, s, w.html) }

func appendJSONString(dst []byte, s string, html bool) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func (w *jsonWriter) int(n int64) { w.buf = strconv.AppendInt(w.buf, n, 10) }

func (w *jsonWriter) boolean(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

// float appends f as encoding/json does (shortest form, exponent only
// below 1e-6 and from 1e21); NaN and infinities are an error, as there.
func (w *jsonWriter) float(f float64, bits int) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.fail(&json.UnsupportedValueError{Value: reflect.ValueOf(f), Str: strconv.FormatFloat(f, 'g', -1, bits)})
		return
	}
	w.buf = append(w.buf, formatFloat(f, bits)...)
}

// decimal appends the number's text verbatim.
func (w *jsonWriter) decimal(d Decimal) { w.buf = append(w.buf, d.String()...) }

// dateTime appends d in the form it was decoded from.
func (w *jsonWriter) dateTime(d DateTime) {
	b, err := d.MarshalText()
	if err != nil {
		w.fail(&json.MarshalerError{Type: reflect.TypeFor[DateTime](), Err: err})
		return
	}
	w.buf = appendJSONString(w.buf, string(b), true)
}

// date appends d as "2006-01-02".
func (w *jsonWriter) date(d Date) { w.buf = appendJSONString(w.buf, d.String(), true) }

// bytes appends b as a base64 string; nil is null.
func (w *jsonWriter) bytes(b []byte) {
	if b == nil {
		w.null()
		return
	}
	w.buf = append(w.buf, '"')
	w.buf = base64.StdEncoding.AppendEncode(w.buf, b)
	w.buf = append(w.buf, '"')
}

// rawMessage appends m compacted, as encoding/json does with the result of
// a MarshalJSON method: validated, insignificant space removed, and in html
// mode <, >, &, U+2028 and U+2029 escaped. nil is null.
func (w *jsonWriter) rawMessage(m json.RawMessage) {
	if m == nil {
		w.null()
		return
	}
	if !json.Valid(m) {
		// json.Marshal's error, with its message.
		_, err := json.Marshal(m)
		if err == nil {
			err = errors.New("json: invalid RawMessage")
		}
		w.fail(err)
		return
	}
	w.buf = appendCompactJSON(w.buf, m, w.html)
}

// appendCompactJSON appends the valid JSON src without insignificant
// space, escaping as encoding/json's compaction does.
func appendCompactJSON(dst, src []byte, html bool) []byte {
	const hexDigits = "0123456789abcdef"
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if html {
			switch {
			case c == '<' || c == '>' || c == '&':
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
				continue
			case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
				dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[src[i+2]&0xF])
				i += 2
				continue
			}
		}
		if inString {
			dst = append(dst, c)
			switch c {
			case '\\':
				i++
				dst = append(dst, src[i])
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inString = true
		}
		dst = append(dst, c)
	}
	return dst
}

// value appends v: a generated type through its own encoder, anything else
// (a free-form value, a runtime type without one) through encoding/json
// with the writer's escaping. A nil interface is null.
func (w *jsonWriter) value(v any) {
	switch x := v.(type) {
	case nil:
		w.null()
		return
	case jsonAppender:
		x.appendJSON(w)
		return
	case string:
		w.str(x)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(w.html)
	if err := enc.Encode(v); err != nil {
		w.fail(err)
		return
	}
	w.buf = append(w.buf, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// sortedKeys returns m's keys in the order encoding/json writes them.
func sortedKeys[T any](m map[string]T) []string { return slices.Sorted(maps.Keys(m)) }

// isZeroJSON is encoding/json's omitzero test for types the generated code
// does not test directly: an IsZero method if there is one, else the zero
// value.
func isZeroJSON(v any) bool {
	if z, ok := v.(interface{ IsZero() bool }); ok {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v == nil || reflect.ValueOf(v).IsZero()
}

// Optional members, one call per field in the generated code. They are
// not inlined: inlined at every optional field of a large spec (Twilio's
// has 2,000), they double the package's compile time for a few
// nanoseconds per field. optional
// writes key and the pointed-to value unless p is nil (omitempty);
// nullable writes nothing for an absent n (omitzero), key and null for a
// null one, key and the value otherwise, HTML-escaped as Nullable's
// MarshalJSON escaped it.

//go:noinline
func optional[T any](w *jsonWriter, key string, p *T, enc func(*jsonWriter, T)) {
	if p != nil {
		w.lit(key)
		enc(w, *p)
	}
}

//go:noinline
func nullable[T any](w *jsonWriter, key string, n Nullable[T], enc func(*jsonWriter, T)) {
	switch n.state {
	case nullableAbsent:
	case nullableNull:
		w.lit(key)
		w.null()
	default:
		w.lit(key)
		h := w.html
		w.html = true
		enc(w, n.value)
		w.html = h
	}
}

// The value encoders optional and nullable take.

func encString[T ~string](w *jsonWriter, v T)             { w.str(string(v)) }
func encInt[T ~int | ~int32 | ~int64](w *jsonWriter, v T) { w.int(int64(v)) }
func encBool[T ~bool](w *jsonWriter, v T)                 { w.boolean(bool(v)) }
func encFloat64[T ~float64](w *jsonWriter, v T)           { w.float(float64(v), 64) }
func encFloat32[T ~float32](w *jsonWriter, v T)           { w.float(float64(v), 32) }
func encDecimal(w *jsonWriter, v Decimal)                 { w.decimal(v) }
func encDateTime(w *jsonWriter, v DateTime)               { w.dateTime(v) }
func encDate(w *jsonWriter, v Date)                       { w.date(v) }
func encRaw(w *jsonWriter, v json.RawMessage)             { w.rawMessage(v) }
func encBytes(w *jsonWriter, v []byte)                    { w.bytes(v) }
func encObject[T jsonAppender](w *jsonWriter, v T)        { v.appendJSON(w) }
func encAny[T any](w *jsonWriter, v T)                    { w.value(v) }

// variantMembers writes the members of v's JSON object into the object
// being written since start (see openObject), for a struct whose schema
// declares properties beside oneOf/anyOf alternatives: v is the
// alternative, and its members join the properties in one object. A member
// whose key the struct's own fields already wrote is left out, so each key
// appears once and the struct's field wins. An alternative that does not
// encode as an object cannot share the object; union names the union in
// that error.
func (w *jsonWriter) variantMembers(start int, v any, union string) {
	mark := len(w.buf)
	w.value(v)
	if w.err != nil {
		return
	}
	if k := jsonKind(w.buf[mark:]); k != 'o' {
		w.fail(fmt.Errorf("%s: the alternative %T encodes as a JSON %s, not as the object its properties belong to", union, v, kindName(k)))
		return
	}
	alt := bytes.Clone(w.buf[mark:])
	w.buf = w.buf[:mark]
	var written []string
	for i := start; i < mark; {
		// Members as the writer wrote them: ,"key":value
		key, end := memberAt(w.buf, i+1)
		written = append(written, key)
		i = end
	}
	for i := skipJSONSpace(alt, 1); i < len(alt) && alt[i] != '}'; {
		key, end := memberAt(alt, i)
		if !slices.Contains(written, key) {
			w.buf = append(w.buf, ',')
			w.buf = append(w.buf, alt[i:end]...)
		}
		i = skipJSONSpace(alt, end)
		if i < len(alt) && alt[i] == ',' {
			i = skipJSONSpace(alt, i+1)
		}
	}
}

// memberAt returns the unescaped key of the object member whose key starts
// at data[i] (valid JSON, as the writer or encoding/json wrote it) and the
// index after its value.
func memberAt(data []byte, i int) (string, int) {
	kend := endOfJSONString(data, i)
	lit := data[i:kend]
	key := ""
	if plainASCII(lit) {
		key = string(lit[1 : len(lit)-1])
	} else {
		_ = json.Unmarshal(lit, &key) // a valid string literal
	}
	j := skipJSONSpace(data, kend) + 1 // past ':'
	j = skipJSONSpace(data, j)
	return key, endOfJSONValue(data, j)
}
