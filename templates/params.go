package templates

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Parameter serialisation follows the "Style Values" table of OpenAPI 3
// (Parameter Object): for a parameter named color,
//
//	style          explode  array                               object
//	form           false    color=blue,black,brown              color=R,100,G,200,B,150
//	form           true     color=blue&color=black&color=brown  R=100&G=200&B=150
//	spaceDelimited false    color=blue%20black%20brown          color=R%20100%20G%20200%20B%20150
//	pipeDelimited  false    color=blue|black|brown              color=R|100|G|200|B|150
//	deepObject     true     -                                   color[R]=100&color[G]=200&color[B]=150
//	simple         false    blue,black,brown                    R,100,G,200,B,150
//	simple         true     blue,black,brown                    R=100,G=200,B=150
//
// The delimiters the style adds are written literally; the names and values
// between them are percent-encoded (every byte but RFC 3986's unreserved
// ones, and also not its reserved ones when the parameter allows them), so a
// comma inside a value never reads as a delimiter. The one ambiguity left is
// the style's own: a space inside a spaceDelimited value is %20 like the
// delimiter.
//
// spaceDelimited and pipeDelimited with explode=true are written as exploded
// form. deepObject nests: an object inside the object adds a bracket level
// (filter[created][gt]=1), an array adds an index (filter[ids][0]=7, and
// expand[0]=a for an array parameter itself). Objects are the JSON form of
// the value (a struct's fields in declaration order, a map's keys sorted); a
// nested value in a style that cannot nest is written as its JSON text.

// paramValue is a parameter value taken apart for serialisation.
type paramValue struct {
	kind   byte // 's' scalar, 'a' array, 'o' object
	scalar string
	items  []string
	pairs  []paramPair
}

type paramPair struct {
	key string
	raw json.RawMessage // the member's JSON
}

// text is the member's value in a style that cannot nest: the text of a
// scalar, the JSON of an object or array.
func (p paramPair) text() string { return jsonText(p.raw) }

// splitParam takes v apart; ok is false for a value that is not sent (nil).
func splitParam(v any) (pv paramValue, ok bool, err error) {
	if isNil(v) {
		return pv, false, nil
	}
	if items, ok := listItems(v); ok {
		return paramValue{kind: 'a', items: items}, true, nil
	}
	if isObject(v) {
		data, err := json.Marshal(v)
		if err != nil {
			return pv, false, err
		}
		if items, ok := jsonScalarItems(data); ok {
			return paramValue{kind: 'a', items: items}, true, nil
		}
		if len(data) > 0 && data[0] == '{' {
			pairs, err := jsonPairs(data)
			if err != nil {
				return pv, false, err
			}
			return paramValue{kind: 'o', pairs: pairs}, true, nil
		}
		if string(data) == "null" {
			return pv, false, nil
		}
	}
	return paramValue{kind: 's', scalar: formatParam(v)}, true, nil
}

// isObject reports whether v is a struct or map that is not a scalar in
// disguise (Decimal, DateTime, anything with a text form).
func isObject(v any) bool {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return false
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct && rv.Kind() != reflect.Map {
		return false
	}
	switch rv.Interface().(type) {
	case encoding.TextMarshaler, Decimal, DateTime, Date:
		return false
	}
	return true
}

// jsonPairs returns the members of a JSON object in document order, leaving
// out null members (they have no representation in a parameter).
func jsonPairs(data []byte) ([]paramPair, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out []paramPair
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if string(raw) == "null" {
			continue
		}
		out = append(out, paramPair{key, raw})
	}
	return out, nil
}

// addQuery adds a query parameter in the given style ("form",
// "spaceDelimited", "pipeDelimited", "deepObject", or "json" for a
// parameter whose content is application/json). nil values are not sent.
func (r *request) addQuery(name string, v any, style string, explode, allowReserved bool) {
	if style == "json" {
		if isNil(v) {
			return
		}
		data, err := json.Marshal(v)
		if err != nil {
			r.fail(err)
			return
		}
		r.query = append(r.query, queryEscape(name, false)+"="+queryEscape(string(data), allowReserved))
		return
	}
	pv, ok, err := splitParam(v)
	if err != nil {
		r.fail(err)
	}
	if !ok {
		return
	}
	esc := func(s string) string { return queryEscape(s, allowReserved) }
	key := queryEscape(name, false)
	add := func(k, v string) { r.query = append(r.query, k+"="+v) }
	if style == "deepObject" && pv.kind == 'o' {
		for _, p := range pv.pairs {
			if err := addDeep(add, key+"["+queryEscape(p.key, false)+"]", p.raw, esc); err != nil {
				r.fail(err)
			}
		}
		return
	}
	if style == "deepObject" && pv.kind == 'a' {
		// The table leaves deepObject arrays undefined; indices match the
		// nested case (Stripe's expand[0]=a).
		for i, it := range pv.items {
			add(key+"["+strconv.Itoa(i)+"]", esc(it))
		}
		return
	}
	sep := ","
	switch style {
	case "spaceDelimited":
		sep = "%20"
	case "pipeDelimited":
		sep = "|"
	}
	switch {
	case pv.kind == 's':
		add(key, esc(pv.scalar))
	case explode && pv.kind == 'a':
		for _, it := range pv.items {
			add(key, esc(it))
		}
	case explode:
		for _, p := range pv.pairs {
			add(queryEscape(p.key, false), esc(p.text()))
		}
	case pv.kind == 'a':
		parts := make([]string, len(pv.items))
		for i, it := range pv.items {
			parts[i] = esc(it)
		}
		add(key, strings.Join(parts, sep))
	default:
		parts := make([]string, 0, 2*len(pv.pairs))
		for _, p := range pv.pairs {
			parts = append(parts, esc(p.key), esc(p.text()))
		}
		add(key, strings.Join(parts, sep))
	}
}

// addDeep writes one deepObject member, descending into objects and arrays.
func addDeep(add func(k, v string), key string, raw json.RawMessage, esc func(string) string) error {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '{':
		pairs, err := jsonPairs(raw)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			if err := addDeep(add, key+"["+queryEscape(p.key, false)+"]", p.raw, esc); err != nil {
				return err
			}
		}
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		for i, it := range items {
			if err := addDeep(add, key+"["+strconv.Itoa(i)+"]", it, esc); err != nil {
				return err
			}
		}
	case string(raw) == "null":
	default:
		add(key, esc(jsonText(raw)))
	}
	return nil
}

// queryEscape percent-encodes s for a query string: every byte but RFC
// 3986's unreserved characters, and with allowReserved also not its reserved
// ones (OpenAPI's allowReserved). Brackets are kept in names, where
// deepObject and many APIs (page[size]) use them as structure.
func queryEscape(s string, allowReserved bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || allowReserved && strings.IndexByte(":/?#[]@!$&'()*+,;=", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// setHeader sets a header parameter in simple style: arrays and objects
// comma-joined, object members as key,value. nil values are not sent.
func (r *request) setHeader(name string, v any) { r.setHeaderStyle(name, v, false) }

// setHeaderStyle is setHeader with explode: object members as key=value.
func (r *request) setHeaderStyle(name string, v any, explode bool) {
	pv, ok, err := splitParam(v)
	if err != nil {
		r.fail(err)
	}
	if !ok {
		return
	}
	if r.header == nil {
		r.header = make(map[string][]string)
	}
	r.header.Set(name, pv.simple(explode))
}

// simple joins a value in simple style, without escaping.
func (pv paramValue) simple(explode bool) string {
	switch pv.kind {
	case 'a':
		return strings.Join(pv.items, ",")
	case 'o':
		parts := make([]string, 0, 2*len(pv.pairs))
		for _, p := range pv.pairs {
			if explode {
				parts = append(parts, p.key+"="+p.text())
			} else {
				parts = append(parts, p.key, p.text())
			}
		}
		return strings.Join(parts, ",")
	}
	return pv.scalar
}

// addCookie adds a cookie parameter in form style: arrays and objects
// comma-joined (key,value pairs), or with explode one cookie per element or
// member. Each name and value is kept when it is a valid cookie token and
// percent-encoded otherwise, so the delimiters stay unambiguous. nil values
// are not sent.
func (r *request) addCookie(name string, v any, explode bool) {
	pv, ok, err := splitParam(v)
	if err != nil {
		r.fail(err)
	}
	if !ok {
		return
	}
	add := func(n, v string) { r.cookies = append(r.cookies, cookieValue(n)+"="+v) }
	switch {
	case pv.kind == 's':
		add(name, cookieValue(pv.scalar))
	case explode && pv.kind == 'a':
		for _, it := range pv.items {
			add(name, cookieValue(it))
		}
	case explode:
		for _, p := range pv.pairs {
			add(p.key, cookieValue(p.text()))
		}
	case pv.kind == 'a':
		parts := make([]string, len(pv.items))
		for i, it := range pv.items {
			parts[i] = cookieValue(it)
		}
		add(name, strings.Join(parts, ","))
	default:
		parts := make([]string, 0, 2*len(pv.pairs))
		for _, p := range pv.pairs {
			parts = append(parts, cookieValue(p.key), cookieValue(p.text()))
		}
		add(name, strings.Join(parts, ","))
	}
}
