package fake

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// Parameters are read back as the client writes them (OpenAPI's style
// table): path values in simple, label or matrix style, query values in
// form (exploded or comma-separated), spaceDelimited or pipeDelimited
// style, headers in simple style, cookies by name, and parameters declared
// with content application/json as JSON text. Scalars, enums, decimals,
// dates and lists of them are supported; an object in a style other than
// JSON (deepObject, or an exploded form object) is refused with a message
// saying the fake does not read it.

// param decodes the parameter name (in path, query, header or cookie) into
// dst, a pointer to the field of the client's parameter struct.
func (x *exchange) param(dst any, name, in, style string, explode, required bool) error {
	raw, present := x.rawParam(name, in, style)
	if !present {
		if required {
			return &invalidError{path: in + " parameter " + strconv.Quote(name), msg: "required parameter missing"}
		}
		return nil
	}
	if err := setParam(reflect.ValueOf(dst).Elem(), raw, in, style, explode); err != nil {
		return &invalidError{path: in + " parameter " + strconv.Quote(name), msg: err.Error()}
	}
	return nil
}

// rawParam returns the values of a parameter as sent.
func (x *exchange) rawParam(name, in, style string) ([]string, bool) {
	switch in {
	case "path":
		v, ok := x.vars[name]
		switch style {
		case "label":
			v = strings.TrimPrefix(v, ".")
		case "matrix":
			v = strings.TrimPrefix(v, ";"+name+"=")
		}
		return []string{v}, ok
	case "query":
		q := x.r.URL.Query()
		v, ok := q[name]
		return v, ok
	case "header":
		v := x.r.Header.Values(name)
		return v, len(v) > 0
	case "cookie":
		c, err := x.r.Cookie(name)
		if err != nil {
			return nil, false
		}
		v, err := url.QueryUnescape(c.Value)
		if err != nil {
			v = c.Value
		}
		return []string{v}, true
	}
	return nil, false
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// setParam stores the values of one parameter into v.
func setParam(v reflect.Value, raw []string, in, style string, explode bool) error {
	if style == "json" {
		return json.Unmarshal([]byte(strings.Join(raw, "")), v.Addr().Interface())
	}
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		if err := setParam(p.Elem(), raw, in, style, explode); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8 && !v.Addr().Type().Implements(jsonUnmarshaler) {
		items := splitItems(raw, in, style, explode)
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, it := range items {
			if err := setScalar(s.Index(i), it); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		v.Set(s)
		return nil
	}
	if len(raw) != 1 && in != "header" {
		return fmt.Errorf("sent %d times, want once", len(raw))
	}
	return setScalar(v, strings.Join(raw, ","))
}

// splitItems takes a list parameter apart by its style's delimiter.
func splitItems(raw []string, in, style string, explode bool) []string {
	if in == "query" && explode && (style == "" || style == "form" || style == "spaceDelimited" || style == "pipeDelimited") {
		return raw
	}
	sep := ","
	switch style {
	case "spaceDelimited":
		sep = " "
	case "pipeDelimited":
		sep = "|"
	case "label":
		sep = "."
		if !explode {
			sep = ","
		}
	case "matrix":
		if explode {
			sep = ";"
		}
	}
	joined := strings.Join(raw, sep)
	if joined == "" {
		return nil
	}
	return strings.Split(joined, sep)
}

// setScalar stores one value: through UnmarshalText or UnmarshalJSON when
// the type has them (Decimal, DateTime, Date, Nullable), else by kind.
func setScalar(v reflect.Value, s string) error {
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		if err := setScalar(p.Elem(), s); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	addr := v.Addr()
	if addr.Type().Implements(textUnmarshaler) {
		return addr.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
	}
	if addr.Type().Implements(jsonUnmarshaler) {
		u := addr.Interface().(json.Unmarshaler)
		if json.Valid([]byte(s)) && u.UnmarshalJSON([]byte(s)) == nil {
			return nil
		}
		q, _ := json.Marshal(s)
		return u.UnmarshalJSON(q)
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not a boolean", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not an integer of %d bits", s, v.Type().Bits())
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	case reflect.Interface:
		if v.NumMethod() != 0 {
			return fmt.Errorf("the fake does not read a parameter of type %s", v.Type())
		}
		v.Set(reflect.ValueOf(s))
	default:
		return fmt.Errorf("the fake does not read a parameter of type %s in this style (only as JSON content)", v.Type())
	}
	return nil
}

// decodeForm decodes an application/x-www-form-urlencoded body into v, a
// pointer to the client's body struct: each member goes to the field whose
// JSON name it is, read like an exploded form query parameter.
func (x *exchange) decodeForm(v any) error {
	form, err := url.ParseQuery(string(x.body))
	if err != nil {
		return &invalidError{path: "request body", msg: "not a URL-encoded form: " + err.Error()}
	}
	rv := reflect.ValueOf(v).Elem()
	if rv.Kind() != reflect.Struct {
		return &invalidError{path: "request body", msg: fmt.Sprintf("the fake does not read a form into %s", rv.Type())}
	}
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		vals, ok := form[name]
		if !ok {
			continue
		}
		if err := setParam(rv.Field(i), vals, "query", "form", true); err != nil {
			return &invalidError{path: name, msg: err.Error()}
		}
	}
	return nil
}
