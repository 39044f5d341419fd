package templates

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// redactedText replaces every secret in printed output.
const redactedText = "[REDACTED]"

// Credential is a secret for one security scheme, configured with WithAuth
// or Client.SetAuth. It is sealed: use BearerToken, BasicAuth or APIKey.
// Credentials never print their secret, whatever the fmt verb.
type Credential interface {
	// fits reports whether the credential can be used with the scheme.
	fits(s securityScheme) error
	// apply adds the credential to the request as the scheme prescribes.
	apply(req *http.Request, s securityScheme)
	String() string
}

// schemeKind classifies a security scheme as "bearer", "basic", "apiKey" or
// "" (unsupported). oauth2 and openIdConnect end in a bearer access token,
// which is all a client holding a token needs to send.
func (s securityScheme) kind() string {
	// EqualFold rather than ToLower: this runs on every call, and
	// lower-casing "apiKey" allocates.
	is := strings.EqualFold
	switch {
	case is(s.typ, "http"):
		switch {
		case is(s.scheme, "bearer"):
			return "bearer"
		case is(s.scheme, "basic"):
			return "basic"
		}
	case is(s.typ, "oauth2"), is(s.typ, "openIdConnect"):
		return "bearer"
	case is(s.typ, "apiKey"):
		if (is(s.in, "header") || is(s.in, "query") || is(s.in, "cookie")) && s.param != "" {
			return "apiKey"
		}
	}
	return ""
}

func (s securityScheme) describe() string {
	switch {
	case strings.EqualFold(s.typ, "http"):
		return "http " + s.scheme
	case strings.EqualFold(s.typ, "apiKey"):
		return "apiKey in " + s.in
	}
	return s.typ
}

// BearerToken is a token sent as "Authorization: Bearer <token>" for http
// bearer, oauth2 and openIdConnect schemes, and as the key for apiKey
// schemes (session tokens are often declared either way).
func BearerToken(token string) Credential { return bearerToken{token: token} }

// APIKey is a key for apiKey schemes (header, query or cookie). It is also
// accepted by bearer schemes, sent as "Authorization: Bearer <key>".
func APIKey(key string) Credential { return apiKeyCred{key: key} }

// BasicAuth is a user name and password for http basic schemes.
func BasicAuth(user, pass string) Credential { return basicAuth{user: user, pass: pass} }

type bearerToken struct{ token string }

type apiKeyCred struct{ key string }

type basicAuth struct{ user, pass string }

func fitsToken(s securityScheme) error {
	switch s.kind() {
	case "bearer", "apiKey":
		return nil
	case "basic":
		return errors.New("http basic scheme needs BasicAuth")
	}
	return fmt.Errorf("unsupported scheme type (%s)", s.describe())
}

// applyToken sends a token-like secret the way scheme s prescribes.
func applyToken(req *http.Request, s securityScheme, tok string) {
	switch s.kind() {
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+tok)
	case "apiKey":
		switch strings.ToLower(s.in) {
		case "header":
			req.Header.Set(s.param, tok)
		case "query":
			req.URL.RawQuery = setQueryParam(req.URL.RawQuery, s.param, tok)
		case "cookie":
			req.AddCookie(&http.Cookie{Name: s.param, Value: cookieValue(tok)})
		}
	}
}

func (c bearerToken) fits(s securityScheme) error               { return fitsToken(s) }
func (c bearerToken) apply(req *http.Request, s securityScheme) { applyToken(req, s, c.token) }

// String prints the credential kind, never the token.
func (c bearerToken) String() string { return "BearerToken(" + redactedText + ")" }

// GoString prints the credential kind, never the token.
func (c bearerToken) GoString() string {
	return runtimePackageName() + `.BearerToken("` + redactedText + `")`
}

// Format prints the redacted form for every verb.
func (c bearerToken) Format(f fmt.State, verb rune) { formatCredential(f, verb, c) }

// LogValue logs the redacted form, never the token.
func (c bearerToken) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c apiKeyCred) fits(s securityScheme) error               { return fitsToken(s) }
func (c apiKeyCred) apply(req *http.Request, s securityScheme) { applyToken(req, s, c.key) }

// String prints the credential kind, never the key.
func (c apiKeyCred) String() string { return "APIKey(" + redactedText + ")" }

// GoString prints the credential kind, never the key.
func (c apiKeyCred) GoString() string {
	return runtimePackageName() + `.APIKey("` + redactedText + `")`
}

// Format prints the redacted form for every verb.
func (c apiKeyCred) Format(f fmt.State, verb rune) { formatCredential(f, verb, c) }

// LogValue logs the redacted form, never the key.
func (c apiKeyCred) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c basicAuth) fits(s securityScheme) error {
	if s.kind() == "basic" {
		return nil
	}
	return fmt.Errorf("BasicAuth only fits http basic schemes, not %s", s.describe())
}

func (c basicAuth) apply(req *http.Request, _ securityScheme) { req.SetBasicAuth(c.user, c.pass) }

// String prints the user name, never the password.
func (c basicAuth) String() string { return fmt.Sprintf("BasicAuth(%q, %s)", c.user, redactedText) }

// GoString prints the user name, never the password.
func (c basicAuth) GoString() string {
	return fmt.Sprintf("%s.BasicAuth(%q, %q)", runtimePackageName(), c.user, redactedText)
}

// Format prints the redacted form for every verb.
func (c basicAuth) Format(f fmt.State, verb rune) { formatCredential(f, verb, c) }

// LogValue logs the redacted form, never the password.
func (c basicAuth) LogValue() slog.Value { return slog.StringValue(c.String()) }

// formatCredential writes the GoString for %#v and the String otherwise;
// other verbs are applied to that redacted text, so %x or %q cannot reveal
// anything either.
func formatCredential(f fmt.State, verb rune, c interface {
	String() string
	GoString() string
}) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, c.GoString())
	case verb == 'v' || verb == 's':
		io.WriteString(f, c.String())
	default:
		fmt.Fprintf(f, fmt.FormatString(f, verb), c.String())
	}
}

// setQueryParam replaces the name parameter of a raw query with one value,
// leaving every other pair byte for byte as the parameter styles wrote it
// (url.Values.Encode would re-sort and re-escape them).
func setQueryParam(raw, name, value string) string {
	var keep []string
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, _, _ := strings.Cut(pair, "=")
		if uk, err := url.QueryUnescape(k); err == nil && uk == name {
			continue
		}
		keep = append(keep, pair)
	}
	return strings.Join(append(keep, queryEscape(name, false)+"="+queryEscape(value, false)), "&")
}
