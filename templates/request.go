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
