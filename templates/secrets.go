package templates

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// A server may echo what it received (a password in an error message, a
// token in a diagnostic body), and a transport error quotes the request URL.
// The client therefore knows, for each request, the secret values it sent,
// and scrubs them from the error it returns: its text, APIError's Message,
// Detail, Body and Raw. Secrets a WithRequestEditor adds under headers the
// client cannot recognise are not known and not scrubbed.

// secretFielder is implemented by types with secret fields: generated
// models whose schema marks fields as passwords or secrets, and the login
// bodies of apex.go. It names the string fields holding secrets.
type secretFielder interface {
	secretFields() []string
}

// maxSecretWalkDepth bounds how deep a request body is searched for
// secretFielder values; generated bodies nest a union or a pointer or two.
const maxSecretWalkDepth = 8

// secretTypes caches, per type, whether a value of it can contain a
// secretFielder, so that ordinary bodies (a large order list) are not
// walked at all.
var secretTypes sync.Map // reflect.Type -> bool

var secretFielderType = reflect.TypeFor[secretFielder]()

// bodySecrets returns the non-empty values of the secret fields found in v.
func bodySecrets(v any) []string {
	if v == nil {
		return nil
	}
	var out []string
	walkSecrets(reflect.ValueOf(v), 0, &out)
	return out
}

func walkSecrets(v reflect.Value, depth int, out *[]string) {
	if !v.IsValid() || depth > maxSecretWalkDepth {
		return
	}
	if v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		walkSecrets(v.Elem(), depth+1, out)
		return
	}
	if !mayHoldSecrets(v.Type()) {
		return
	}
	if v.CanInterface() {
		if sf, ok := v.Interface().(secretFielder); ok {
			for _, name := range sf.secretFields() {
				if f := v.FieldByName(name); f.IsValid() {
					*out = appendSecretString(*out, f)
				}
			}
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkSecrets(v.Field(i), depth+1, out)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkSecrets(v.Index(i), depth+1, out)
		}
	}
}

// appendSecretString appends the text of a secret field: a string, a
// pointer to one, or a Nullable string.
func appendSecretString(out []string, f reflect.Value) []string {
	for f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface {
		if f.IsNil() {
			return out
		}
		f = f.Elem()
	}
	if f.Kind() == reflect.String {
		if s := f.String(); s != "" {
			out = append(out, s)
		}
		return out
	}
	if f.CanInterface() {
		if n, ok := f.Interface().(interface{ Get() (string, bool) }); ok {
			if s, ok := n.Get(); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// mayHoldSecrets reports whether a value of type t can contain a
// secretFielder (through exported fields, elements, pointers or interfaces;
// an interface may hold anything).
func mayHoldSecrets(t reflect.Type) bool {
	if v, ok := secretTypes.Load(t); ok {
		return v.(bool)
	}
	r := typeMayHoldSecrets(t, map[reflect.Type]bool{})
	secretTypes.Store(t, r)
	return r
}

func typeMayHoldSecrets(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false // a cycle adds nothing the first visit does not find
	}
	seen[t] = true
	if t.Implements(secretFielderType) || reflect.PointerTo(t).Implements(secretFielderType) {
		return true
	}
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return typeMayHoldSecrets(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && typeMayHoldSecrets(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// requestSecrets lists the secret values on req: the credentials in
// Authorization and the other secret headers, the values of the spec's
// apiKey query parameters and cookies, and those the request builder
// recorded from the body (r.secrets).
func (c *Client) requestSecrets(req *http.Request, r *request) []string {
	out := make([]string, 0, len(r.secrets)+8)
	out = append(out, r.secrets...)
	for _, v := range req.Header.Values("Authorization") {
		out = append(out, v)
		if _, cred, ok := strings.Cut(v, " "); ok {
			out = append(out, strings.TrimSpace(cred))
		}
	}
	if user, pass, ok := req.BasicAuth(); ok {
		out = append(out, user+":"+pass, pass)
	}
	// secretHeaderNames, without building the list on every call.
	for _, n := range canonicalCredentialHeaders {
		out = append(out, req.Header[n]...)
	}
	for _, s := range c.schemes {
		if s.kind() == "apiKey" && strings.EqualFold(s.in, "header") {
			out = append(out, req.Header.Values(s.param)...)
		}
	}
	var q url.Values
	for _, s := range c.schemes {
		if s.kind() != "apiKey" {
			continue
		}
		switch strings.ToLower(s.in) {
		case "query":
			if q == nil {
				q = req.URL.Query()
			}
			out = append(out, q[s.param]...)
		case "cookie":
			for _, ck := range req.Cookies() {
				if ck.Name == s.param {
					out = append(out, ck.Value)
					if u, err := url.QueryUnescape(ck.Value); err == nil {
						out = append(out, u)
					}
				}
			}
		}
	}
	return out // secretForms drops empty values and duplicates
}

// canonicalCredentialHeaders are credentialHeaders in canonical form, so
// that looking them up does not canonicalise (and allocate) on every call.
var canonicalCredentialHeaders = func() []string {
	out := make([]string, len(credentialHeaders))
	for i, n := range credentialHeaders {
		out[i] = http.CanonicalHeaderKey(n)
	}
	return out
}()

// secretForms returns each non-empty secret together with the encodings it
// can appear in (query and path escaping, JSON string escaping, base64),
// longest first so that a secret containing another is replaced whole.
func secretForms(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		add(base64.StdEncoding.EncodeToString([]byte(s)))
		// JSON string escaping, once (the body sent) and twice (that body
		// quoted inside a JSON error message), with and without
		// encoding/json's HTML escaping.
		for _, once := range jsonEscapes(s) {
			add(once)
			for _, twice := range jsonEscapes(once) {
				add(twice)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// jsonEscapes returns s as the inside of a JSON string, as json.Marshal
// writes it and without HTML escaping.
func jsonEscapes(s string) []string {
	var out []string
	if b, err := json.Marshal(s); err == nil {
		out = append(out, string(b[1:len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		b := bytes.TrimSpace(buf.Bytes())
		out = append(out, string(b[1:len(b)-1]))
	}
	return out
}

// scrubString replaces every secret in s with [REDACTED].
func scrubString(s string, secrets []string) string {
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redactedText)
		}
	}
	return s
}

// scrubBytes replaces every secret in b with [REDACTED]; b is returned
// unchanged (not copied) when it holds none.
func scrubBytes(b []byte, secrets []string) []byte {
	for _, sec := range secrets {
		if bytes.Contains(b, []byte(sec)) {
			b = bytes.ReplaceAll(b, []byte(sec), []byte(redactedText))
		}
	}
	return b
}

// scrubError returns err unchanged when its text holds none of the secrets,
// and otherwise an error with the secrets replaced. A top-level *url.Error
// (what http.Client returns) keeps its type, with the spec's query API keys
// replaced in its URL; any other error becomes a *redactedError whose cause
// is the first error in its chain that prints no secret, so errors.Is with
// context.Canceled or a net.Error still works.
func (c *Client) scrubError(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	// The URL of a redirect hop is the server's Location, whose escaping
	// may differ from any form secretForms knows ("%2f" for "%2F"), so it
	// is scrubbed decoded, even when the text shows no known form.
	if ue, ok := err.(*url.Error); ok {
		red := &url.Error{Op: ue.Op, URL: c.scrubURL(ue.URL, secrets), Err: c.scrubError(ue.Err, secrets)}
		if red.URL == ue.URL && red.Err == ue.Err && scrubString(ue.Error(), secrets) == ue.Error() {
			return err
		}
		if scrubString(red.Error(), secrets) == red.Error() {
			return red
		}
	}
	if scrubString(err.Error(), secrets) == err.Error() {
		return err
	}
	cause := errors.Unwrap(err)
	for cause != nil && scrubString(cause.Error(), secrets) != cause.Error() {
		cause = errors.Unwrap(cause)
	}
	return &redactedError{msg: scrubString(err.Error(), secrets), err: cause}
}

// scrubURL returns rawURL with the spec's query API keys redacted and the
// secrets taken out of its decoded path and query values.
func (c *Client) scrubURL(rawURL string, secrets []string) string {
	rawURL = c.redactQueryKeys(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil {
		return scrubString(rawURL, secrets)
	}
	changed := false
	if u.RawQuery != "" {
		q, _ := url.ParseQuery(u.RawQuery)
		for _, vs := range q {
			for i, v := range vs {
				if s := scrubString(v, secrets); s != v {
					vs[i], changed = s, true
				}
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	if p := scrubString(u.Path, secrets); p != u.Path {
		u.Path, u.RawPath, changed = p, "", true
	}
	if !changed {
		return scrubString(rawURL, secrets)
	}
	return scrubString(u.String(), secrets)
}

// redactQueryKeys replaces the values of the spec's apiKey query parameters
// in rawURL, keeping it a well-formed URL.
func (c *Client) redactQueryKeys(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.RawQuery == "" {
		return rawURL
	}
	q := u.Query()
	changed := false
	for _, s := range c.schemes {
		if s.kind() == "apiKey" && strings.EqualFold(s.in, "query") && q.Has(s.param) {
			q.Set(s.param, redactedText)
			changed = true
		}
	}
	if !changed {
		return rawURL
	}
	u.RawQuery = q.Encode()
	return u.String()
}
