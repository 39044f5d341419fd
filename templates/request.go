package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	query       url.Values
	header      http.Header
	cookies     []*http.Cookie
	body        []byte // nil: no body
	contentType string
	editors     []RequestEditorFn // per-call editors, run after the client's
	err         error             // first encoding error
	secrets     []string          // secret values in the body or parameters
	sent        []string          // the secret values on the sent request (set by send)
	sentForms   []string          // sent in all its encodings, computed on first use
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
	if r.sentForms == nil && len(r.sent) > 0 {
		r.sentForms = secretForms(r.sent)
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

// setPath fills "{name}" in the operation's path template. The value is
// path-escaped, so that it cannot change the route: "/", "?", "#" and "%"
// are percent-encoded, and so is every "." of a value made only of dots, so
// that "." or ".." never reaches a client, proxy or server as a dot segment
// that it would resolve against the rest of the path.
func (r *request) setPath(name string, v any) {
	if r.pathParams == nil {
		r.pathParams = make(map[string]string)
	}
	if isNil(v) {
		return // reported as "not set" by expandPath
	}
	r.pathParams[name] = formatParam(v)
}

// expandPath substitutes the path parameters into tmpl. A missing or empty
// path parameter is an error: sending "//" or a literal "{id}" would reach a
// different resource than the caller meant.
func (r *request) expandPath(tmpl string) (string, error) {
	var b strings.Builder
	if !strings.HasPrefix(tmpl, "/") {
		b.WriteByte('/')
	}
	rest := tmpl
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
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
		b.WriteString(escapePathParam(v))
		rest = rest[i+j+1:]
	}
	return b.String(), nil
}

// escapePathParam escapes a path parameter value. A value of dots only is
// sent as %2E's: a dot segment could be formed from it alone or with its
// neighbours ("{a}{b}" with "." and "."), and "%2E" is not a dot segment to
// RFC 3986 path resolution, to net/url or to net/http.
func escapePathParam(v string) string {
	if strings.Trim(v, ".") == "" {
		return strings.Repeat("%2E", len(v))
	}
	return url.PathEscape(v)
}

// addQuery adds a query parameter. Slices and arrays (other than []byte) are
// sent as repeated parameters when explode is set (OpenAPI's default for
// style=form) and comma-joined otherwise. nil values are not sent.
func (r *request) addQuery(name string, v any, explode bool) {
	if isNil(v) {
		return
	}
	if r.query == nil {
		r.query = make(url.Values)
	}
	if items, ok := listItems(v); ok {
		if explode {
			r.query[name] = append(r.query[name], items...)
		} else {
			r.query.Add(name, strings.Join(items, ","))
		}
		return
	}
	r.query.Add(name, formatParam(v))
}

// setHeader sets a header parameter (simple style: lists are comma-joined).
// nil values are not sent.
func (r *request) setHeader(name string, v any) {
	if isNil(v) {
		return
	}
	if r.header == nil {
		r.header = make(http.Header)
	}
	r.header.Set(name, formatParam(v))
}

// addCookie adds a cookie parameter. nil values are not sent.
func (r *request) addCookie(name string, v any) {
	if isNil(v) {
		return
	}
	r.cookies = append(r.cookies, &http.Cookie{Name: name, Value: cookieValue(formatParam(v))})
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
func (r *request) setJSON(body any) {
	if isNil(body) {
		return
	}
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
	r.contentType = "application/json"
	r.secrets = append(r.secrets, bodySecrets(body)...)
}

// setForm sets an application/x-www-form-urlencoded body. body is encoded
// through its JSON form, so JSON tags, omitempty and custom marshalers apply
// exactly as for JSON bodies. Nested objects become "a[b]" keys
// (deepObject-like), arrays of scalars repeated keys and arrays of objects
// or arrays "a[0][b]" keys, nulls are omitted; url.Values.Encode sorts the
// keys, so the body is deterministic.
func (r *request) setForm(body any) {
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
	flattenForm(vals, "", obj)
	r.body = []byte(vals.Encode())
	r.contentType = "application/x-www-form-urlencoded"
	r.secrets = append(r.secrets, bodySecrets(body)...)
}

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
			key := k
			if name != "" {
				key = name + "[" + k + "]"
			}
			flattenForm(vals, key, t[k])
		}
	case []any:
		for i, e := range t {
			switch e.(type) {
			case map[string]any, []any:
				flattenForm(vals, name+"["+strconv.Itoa(i)+"]", e)
			default:
				flattenForm(vals, name, e)
			}
		}
	case string:
		vals.Add(name, t)
	case json.Number:
		vals.Add(name, t.String())
	case bool:
		vals.Add(name, strconv.FormatBool(t))
	}
}
