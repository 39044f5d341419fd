package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// request collects the parameters and body of one call. Generated operation
// methods fill it and hand it to Client.do. Encoding errors are kept and
// reported by do, so that the generated code stays a flat list of calls.
type request struct {
	pathParams  map[string]string
	query       []string // encoded name=value pairs, in the order added
	header      http.Header
	cookies     []string // encoded name=value pairs
	body        []byte   // nil: no body
	bodyReader  io.Reader
	multipart   bool       // body is a multipart form of parts
	parts       []formPart // multipart parts, streamed when sent
	contentType string
	editors     []RequestEditorFn // per-call editors, run after the client's
	err         error             // first encoding error
	secrets     []string          // secret values in the body or parameters
	sentReq     *http.Request     // the request last sent (set by attempt)
	sentBy      *Client           // the client that sent it
	sentForms   []string          // its secret values in all their encodings, computed on first use
}

// newRequest starts a request; opts are the per-call editors of the
// operation method.
func newRequest(opts []RequestEditorFn) *request {
	return &request{editors: opts}
}

// secretForms returns the secrets the request was sent with, in every
// encoding they may be echoed in. They are only needed on the way to an
// error, so they are computed then, once.
func (r *request) secretForms() []string {
	if r.sentForms == nil && r.sentReq != nil {
		r.sentForms = secretForms(r.sentBy.requestSecrets(r.sentReq, r))
	}
	return r.sentForms
}

func (r *request) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// isNil reports whether v is nil, a nil pointer, map or interface, or a
// Nullable without a value: optional parameters are generated as pointers
// and nil means "not sent"; a null parameter has no representation in a
// path, query, header or cookie, so it is not sent either.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	if n, ok := v.(interface{ hasValue() bool }); ok {
		return !n.hasValue()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// setPath fills "{name}" in the operation's path template in simple style
// (see setPathStyle).
func (r *request) setPath(name string, v any) { r.setPathStyle(name, v, "simple", false) }

// setPathStyle fills "{name}" in the operation's path template, written in
// the parameter's style (OpenAPI 3, Parameter Object, "Style Values"): for
// a parameter named color,
//
//	style   explode  scalar        array                              object
//	simple  false    blue          blue,black,brown                   R,100,G,200
//	simple  true     blue          blue,black,brown                   R=100,G=200
//	label   false    .blue         .blue,black,brown                  .R,100,G,200
//	label   true     .blue         .blue.black.brown                  .R=100.G=200
//	matrix  false    ;color=blue   ;color=blue,black,brown            ;color=R,100,G,200
//	matrix  true     ;color=blue   ;color=blue;color=black;color=brown ;R=100;G=200
//
// Names and values are path-escaped, so that they cannot change the route:
// "/", "?", "#" and "%" are percent-encoded, and inside arrays, objects and
// the matrix and label styles so are the delimiters ",", ";" and "="; a
// path segment that would consist of dots only is sent as %2E's (see
// expandPath). nil is reported as "not set" when the path is expanded.
func (r *request) setPathStyle(name string, v any, style string, explode bool) {
	if r.pathParams == nil {
		r.pathParams = make(map[string]string)
	}
	pv, ok, err := splitParam(v)
	if !ok {
		if err != nil {
			r.fail(fmt.Errorf("path parameter %q: %w", name, err))
		}
		return
	}
	r.pathParams[name] = pv.pathText(name, style, explode)
}

// pathText writes a split value in a path style, escaped.
func (pv paramValue) pathText(name, style string, explode bool) string {
	strict := style != "simple" || pv.kind != 's' // delimiters in values must be escaped
	esc := func(s string) string { return escapePathValue(s, strict) }
	n := esc(name)
	var parts []string
	sep := ","
	switch pv.kind {
	case 's':
		parts = []string{esc(pv.scalar)}
	case 'a':
		for _, it := range pv.items {
			parts = append(parts, esc(it))
		}
		if explode {
			switch style {
			case "label":
				sep = "."
			case "matrix":
				for i := range parts {
					parts[i] = n + "=" + parts[i]
				}
				return prefixJoin(";", parts)
			}
		}
	case 'o':
		for _, p := range pv.pairs {
			if explode {
				parts = append(parts, esc(p.key)+"="+esc(p.text()))
			} else {
				parts = append(parts, esc(p.key), esc(p.text()))
			}
		}
		if explode {
			switch style {
			case "label":
				sep = "."
			case "matrix":
				return prefixJoin(";", parts)
			}
		}
	}
	joined := strings.Join(parts, sep)
	switch style {
	case "label":
		return "." + joined
	case "matrix":
		if joined == "" {
			return ";" + n
		}
		return ";" + n + "=" + joined
	}
	return joined
}

// prefixJoin writes each part after prefix (";a;b").
func prefixJoin(prefix string, parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(prefix)
		b.WriteString(p)
	}
	return b.String()
}

// escapePathValue path-escapes one name or value; strict also escapes the
// sub-delimiters the styles use between values.
func escapePathValue(s string, strict bool) string {
	e := url.PathEscape(s)
	if !strict || !strings.ContainsAny(e, ",;=") {
		return e
	}
	return strings.NewReplacer(",", "%2C", ";", "%3B", "=", "%3D").Replace(e)
}

// expandPath substitutes the path parameters into tmpl. A missing or empty
// path parameter is an error: sending "//" or a literal "{id}" would reach a
// different resource than the caller meant. A segment that the parameters
// turned into dots only ("{a}" with ".", "{a}.{b}" with "" and "", a label
// value's own dot) is sent as %2E's: "." and ".." are dot segments that a
// client, proxy or server would resolve against the rest of the path, and
// "%2E" is not one to RFC 3986 path resolution, to net/url or to net/http.
func (r *request) expandPath(tmpl string) (string, error) {
	var b strings.Builder
	if !strings.HasPrefix(tmpl, "/") {
		b.WriteByte('/')
	}
	for k, seg := range strings.Split(tmpl, "/") {
		if k > 0 {
			b.WriteByte('/')
		}
		out, err := r.expandSegment(tmpl, seg)
		if err != nil {
			return "", err
		}
		if out != seg && out != "" && strings.Trim(out, ".") == "" {
			out = strings.Repeat("%2E", len(out))
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

// expandSegment substitutes the parameters of one segment of tmpl.
func (r *request) expandSegment(tmpl, seg string) (string, error) {
	if !strings.Contains(seg, "{") {
		return seg, nil
	}
	var b strings.Builder
	rest := seg
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("malformed path template %q", tmpl)
		}
		name := rest[i+1 : i+j]
		v, ok := r.pathParams[name]
		if !ok {
			return "", fmt.Errorf("path parameter %q not set", name)
		}
		if v == "" {
			return "", fmt.Errorf("path parameter %q is empty", name)
		}
		b.WriteString(rest[:i])
		b.WriteString(v)
		rest = rest[i+j+1:]
	}
}

// cookieValue returns s unchanged when it is a valid cookie value, and
// query-escaped otherwise. net/http would silently drop the invalid bytes
// (and log about it), changing the value without telling the caller.
func cookieValue(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\' {
			return url.QueryEscape(s)
		}
	}
	return s
}

// setJSON sets a JSON request body. A nil body (or nil pointer) sends no
// body, which is how generated methods express an omitted optional body.
func (r *request) setJSON(body any) { r.setJSONAs(body, "application/json") }

// setJSONAs sets a JSON request body sent as contentType (a JSON variant
// such as application/vnd.api+json).
func (r *request) setJSONAs(body any, contentType string) {
	if isNil(body) {
		return
	}
	if a, ok := body.(jsonAppender); ok {
		// Generated types write themselves: no reflection, and none of
		// the validate-and-compact pass encoding/json makes over a
		// MarshalJSON result.
		r.setJSONFunc(body, contentType, a.appendJSON)
		return
	}
	r.contentType = contentType
	r.secrets = append(r.secrets, bodySecrets(body)...)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// HTML escaping only obscures the body in server logs; JSON does not
	// need it.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		r.fail(fmt.Errorf("encode request body: %w", err))
		return
	}
	r.body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// setJSONFunc sets a JSON request body written by enc, the generated
// encoder of body. Like encoding/json with the client's encoder, it does
// not escape <, > and &, except inside the values whose MarshalJSON used to
// (see jsonwrite.go).
func (r *request) setJSONFunc(body any, contentType string, enc func(*jsonWriter)) {
	if isNil(body) {
		return
	}
	r.contentType = contentType
	r.secrets = append(r.secrets, bodySecrets(body)...)
	b, err := encodeJSON(enc, false)
	if err != nil {
		r.fail(fmt.Errorf("encode request body: %w", err))
		return
	}
	r.body = b
}

// setText sets a text body.
func (r *request) setText(body, contentType string) {
	r.body = []byte(body)
	r.contentType = contentType
}

// setRaw sets a body sent as read from body, streamed. A nil body sends no
// body; a body without a content type is an error, as the server could not
// tell what it is.
func (r *request) setRaw(body io.Reader, contentType string) {
	if isNil(body) {
		return
	}
	if contentType == "" {
		r.fail(errors.New("request body content type is empty"))
		return
	}
	r.bodyReader = body
	r.contentType = contentType
}

// formEncoding is the encoding object of one property of a URL-encoded
// body; properties without one use OpenAPI's default, form exploded.
type formEncoding struct {
	name    string
	style   string // "form", "spaceDelimited", "pipeDelimited" or "deepObject"
	explode bool
}

// setForm sets an application/x-www-form-urlencoded body. body is encoded
// through its JSON form, so JSON tags, omitempty and custom marshalers apply
// exactly as for JSON bodies. A top-level array of scalars is repeated keys
// (form, exploded), comma/space/pipe-joined when its encoding says
// explode=false, and indexed ("a[0]") for deepObject. Nested objects become
// "a[b]" keys and nested arrays "a[b][0]" keys, as deepObject query
// parameters do; nulls are omitted; url.Values.Encode sorts the keys, so the
// body is deterministic.
func (r *request) setForm(body any, encodings ...formEncoding) {
	if isNil(body) {
		return
	}
	data, err := json.Marshal(body)
	if err != nil {
		r.fail(fmt.Errorf("encode request body: %w", err))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep numbers exactly as marshalled (Decimal, int64)
	var tree any
	if err := dec.Decode(&tree); err != nil {
		r.fail(fmt.Errorf("encode request body: %w", err))
		return
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		r.fail(errors.New("encode request body: form body must be an object"))
		return
	}
	vals := make(url.Values)
	for k, v := range obj {
		enc := formEncoding{name: k, style: "form", explode: true}
		for _, e := range encodings {
			if e.name == k {
				enc = e
			}
		}
		items, scalars := v.([]any)
		for _, it := range items {
			switch it.(type) {
			case map[string]any, []any:
				scalars = false
			}
		}
		switch {
		case scalars && enc.style == "deepObject":
			for i, it := range items {
				flattenForm(vals, k+"["+strconv.Itoa(i)+"]", it)
			}
		case scalars && !enc.explode:
			sep := ","
			switch enc.style {
			case "spaceDelimited":
				sep = " "
			case "pipeDelimited":
				sep = "|"
			}
			texts := make([]string, 0, len(items))
			for _, it := range items {
				if it != nil {
					texts = append(texts, fmt.Sprint(it))
				}
			}
			vals.Add(k, strings.Join(texts, sep))
		case scalars:
			for _, it := range items {
				flattenForm(vals, k, it)
			}
		default:
			flattenForm(vals, k, v)
		}
	}
	r.body = []byte(vals.Encode())
	r.contentType = "application/x-www-form-urlencoded"
	r.secrets = append(r.secrets, bodySecrets(body)...)
}

// flattenForm adds v under name; objects and arrays below the top level add
// a bracketed key or index.
func flattenForm(vals url.Values, name string, v any) {
	switch t := v.(type) {
	case nil:
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			flattenForm(vals, name+"["+k+"]", t[k])
		}
	case []any:
		for i, e := range t {
			flattenForm(vals, name+"["+strconv.Itoa(i)+"]", e)
		}
	case string:
		vals.Add(name, t)
	case json.Number:
		vals.Add(name, t.String())
	case bool:
		vals.Add(name, strconv.FormatBool(t))
	}
}
