package templates

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Ptr returns a pointer to a copy of v, for filling optional fields inline:
// req.Limit = Ptr(int64(50)).
func Ptr[T any](v T) *T { return &v }

// formatParam renders a parameter value the way it goes into a path, query,
// header or cookie. The order of the checks matters: text and JSON
// marshalers define a type's wire form; then the underlying kind is used
// before fmt.Stringer, because a generated integer enum may have a String
// method that returns its label while the wire form is the number.
func formatParam(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.FormatInt(int64(t), 10)
	case int8:
		return strconv.FormatInt(int64(t), 10)
	case int16:
		return strconv.FormatInt(int64(t), 10)
	case int32:
		return strconv.FormatInt(int64(t), 10)
	case int64:
		return strconv.FormatInt(t, 10)
	case uint:
		return strconv.FormatUint(uint64(t), 10)
	case uint8:
		return strconv.FormatUint(uint64(t), 10)
	case uint16:
		return strconv.FormatUint(uint64(t), 10)
	case uint32:
		return strconv.FormatUint(uint64(t), 10)
	case uint64:
		return strconv.FormatUint(t, 10)
	case uintptr:
		return strconv.FormatUint(uint64(t), 10)
	case float32:
		return formatFloat(float64(t), 32)
	case float64:
		return formatFloat(t, 64)
	case Decimal:
		return t.String()
	case DateTime:
		b, _ := t.MarshalText()
		return string(b)
	case Date:
		return t.String()
	case time.Time:
		return t.Format(time.RFC3339Nano)
	case []byte:
		// OpenAPI "format: byte" is base64, as in encoding/json.
		return base64.StdEncoding.EncodeToString(t)
	case encoding.TextMarshaler:
		if b, err := t.MarshalText(); err == nil {
			return string(b)
		}
	case json.Marshaler:
		if b, err := t.MarshalJSON(); err == nil {
			if items, ok := jsonScalarItems(b); ok {
				return strings.Join(items, ",") // as a Go slice would be
			}
			return jsonText(b)
		}
	}

	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return ""
		}
		return formatParam(rv.Elem().Interface())
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32:
		return formatFloat(rv.Float(), 32)
	case reflect.Float64:
		return formatFloat(rv.Float(), 64)
	case reflect.Slice, reflect.Array:
		items, _ := listItems(v)
		return strings.Join(items, ",")
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return jsonText(b)
}

// jsonText returns the text of a JSON string, or the JSON itself for any
// other value, so that a marshaler producing "buy" yields buy.
func jsonText(b []byte) string {
	var s string
	if len(b) > 0 && b[0] == '"' && json.Unmarshal(b, &s) == nil {
		return s
	}
	return string(b)
}

// jsonScalarItems returns the texts of the elements of a JSON array of
// scalars (a union variant holding a list marshals to one); ok is false for
// anything else.
func jsonScalarItems(b []byte) (items []string, ok bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return nil, false
	}
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil, false
	}
	items = make([]string, len(raw))
	for i, r := range raw {
		r = bytes.TrimSpace(r)
		if len(r) == 0 || r[0] == '{' || r[0] == '[' {
			return nil, false
		}
		items[i] = jsonText(r)
	}
	return items, true
}

// listItems formats the elements of a slice or array (but not []byte, which
// is one base64 value). ok is false for any other value.
func listItems(v any) (items []string, ok bool) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, false
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	if rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	if _, isMarshaler := rv.Interface().(encoding.TextMarshaler); isMarshaler {
		return nil, false
	}
	items = make([]string, rv.Len())
	for i := range items {
		items[i] = formatParam(rv.Index(i).Interface())
	}
	return items, true
}

// formatFloat formats like encoding/json: the shortest representation that
// round-trips, in plain notation unless the magnitude is tiny or huge.
func formatFloat(f float64, bits int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b := strconv.AppendFloat(nil, f, format, -1, bits)
	if format == 'e' {
		// Turn e-09 into e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return string(b)
}
