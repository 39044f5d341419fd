package templates

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The redirect policy keeps credentials on the origin they were configured
// for. net/http alone is not enough: it drops Authorization and Cookie only
// when the host name changes (not on https->http or a port change, and not
// for a subdomain), and it keeps every other header, such as API keys and
// the KIIEX login headers, and replays a 307/308 body anywhere.
//
// The policy is installed on the *http.Client the Client sends through,
// whether the default one or a copy of the caller's (WithHTTPClient), so
// that setting a timeout or a cookie jar never turns it off.

// Headers that carry credentials whatever the spec declares. Besides
// Authorization and cookies, they are the KIIEX/APEX session token, pending
// second-factor token and API-key login headers: listed for every API
// rather than only where apex.go is copied, so that they are known before
// any login state exists. For other APIs listing them costs nothing: they
// are only dropped when a redirect leaves the origin.
var (
	// credentialHeaders are dropped on a cross-origin hop; their values
	// (Authorization's separately, see requestSecrets) are scrubbed from
	// errors.
	credentialHeaders = []string{"aptoken", "Pending2FaToken", "APIKey", "Signature"}
	// strippedHeaders are dropped on a cross-origin hop too, but their
	// values are not scrubbed as a whole: requestSecrets takes the
	// credential out of Authorization and the spec's apiKey cookies out of
	// Cookie, and a user id or a nonce is no secret (scrubbing short numbers
	// would mangle error messages).
	strippedHeaders = []string{"Authorization", "Cookie", "Cookie2", "UserId", "Nonce"}
)

// origin is RFC 6454's (scheme, host, port) triple of u, with the default
// port made explicit so that "https://x" and "https://x:443" agree.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// installRedirectPolicy returns the client requests go through: for an
// *http.Client, a shallow copy whose CheckRedirect runs the caller's own
// policy (or net/http's default limit) and then checkRedirect, so the
// caller's client is never modified and keeps its Transport, Jar and
// Timeout. Other HTTPDoers own their redirects and are returned unchanged.
func (c *Client) installRedirectPolicy(doer HTTPDoer) HTTPDoer {
	hc, ok := doer.(*http.Client)
	if !ok {
		return doer
	}
	cp := *hc
	user := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if user != nil {
			// The caller's policy replaces net/http's default limit, as it
			// would without us, and may stop early (ErrUseLastResponse).
			if err := user(req, via); err != nil {
				return err
			}
		} else if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		// Last, so that a header the caller's policy added is still
		// subject to ours.
		return c.checkRedirect(req, via)
	}
	return &cp
}

// errInsecureRedirect is returned (wrapped in *url.Error by net/http) when
// a redirect would downgrade https to http.
var errInsecureRedirect = errors.New("refusing redirect from https to http")

// checkRedirect refuses a downgrade from https to http and, once a redirect
// chain has left the origin of the first request, removes every credential
// from each further request and refuses to resend a body.
//
// net/http copies the first request's headers onto every hop before calling
// CheckRedirect, so the check compares with via[0] and, once any hop was
// cross-origin, keeps stripping even if the chain comes back: the way back
// was chosen by a host that should not steer credentialed requests.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	if strings.EqualFold(req.URL.Scheme, "http") {
		for _, v := range via {
			if strings.EqualFold(v.URL.Scheme, "https") {
				return errInsecureRedirect
			}
		}
	}
	first := origin(via[0].URL)
	crossed := origin(req.URL) != first
	for _, v := range via[1:] {
		if crossed {
			break
		}
		crossed = origin(v.URL) != first
	}
	if !crossed {
		return nil
	}
	// A 307/308 replays the body; it may hold credentials (the login
	// signature, a password), so it never leaves the origin.
	if req.Body != nil && req.Body != http.NoBody {
		return fmt.Errorf("refusing to resend the request body to another origin (%s)", origin(req.URL))
	}
	req.GetBody = nil
	// net/http sets Referer to the previous URL, query (and API key) included.
	req.Header.Del("Referer")
	for _, list := range [][]string{strippedHeaders, c.secretHeaderNames()} {
		for _, n := range list {
			for k := range req.Header {
				if strings.EqualFold(k, n) {
					delete(req.Header, k)
				}
			}
		}
	}
	// A server may copy the query, API key included, into Location, under
	// the key's own name or another one (a "next" URL, a changed case), or
	// into the path: every parameter carrying a key the first request sent
	// is dropped, and a path carrying one is refused.
	keys := c.queryKeyValues(via[0].URL)
	if len(keys) > 0 {
		for _, k := range keys {
			if strings.Contains(req.URL.Path, k) || strings.Contains(req.URL.RawPath, k) {
				return fmt.Errorf("refusing a redirect that carries the API key to another origin (%s)", origin(req.URL))
			}
		}
	}
	if req.URL.RawQuery != "" {
		q := req.URL.Query()
		changed := false
		for name, vs := range q {
			drop := false
			for _, s := range c.schemes {
				if s.kind() == "apiKey" && strings.EqualFold(s.in, "query") && strings.EqualFold(name, s.param) {
					drop = true
				}
			}
			for _, v := range vs {
				for _, k := range keys {
					drop = drop || strings.Contains(v, k) || strings.Contains(name, k)
				}
			}
			if drop {
				q.Del(name)
				changed = true
			}
		}
		if changed {
			req.URL.RawQuery = q.Encode()
		}
	}
	return nil
}

// queryKeyValues returns the non-empty values of the spec's apiKey query
// parameters in u.
func (c *Client) queryKeyValues(u *url.URL) []string {
	var out []string
	if u.RawQuery == "" {
		return nil
	}
	q := u.Query()
	for _, s := range c.schemes {
		if s.kind() == "apiKey" && strings.EqualFold(s.in, "query") {
			for _, v := range q[s.param] {
				if v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// secretHeaderNames lists the headers whose values are secrets: the fixed
// credentialHeaders and the spec's apiKey header parameters.
func (c *Client) secretHeaderNames() []string {
	names := append([]string(nil), credentialHeaders...)
	for _, s := range c.schemes {
		if s.kind() == "apiKey" && strings.EqualFold(s.in, "header") {
			names = append(names, s.param)
		}
	}
	return names
}
