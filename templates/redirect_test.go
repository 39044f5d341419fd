package templates

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrigin(t *testing.T) {
	same := [][2]string{
		{"https://x.example/a", "https://x.example:443/b?q"},
		{"http://x.example", "http://X.EXAMPLE:80/"},
		{"HTTPS://x.example", "https://x.example"},
		{"http://[::1]:8080/", "http://[::1]:8080/x"},
	}
	diff := [][2]string{
		{"https://x.example", "http://x.example"},       // scheme
		{"https://x.example", "https://x.example:8443"}, // port
		{"http://x.example:80", "http://x.example:8080"},
		{"https://x.example", "https://sub.x.example"}, // net/http would keep Authorization here
		{"https://x.example", "https://x.example.evil"},
		{"http://127.0.0.1:1", "http://localhost:1"},
	}
	for _, p := range same {
		a, b := mustParse(t, p[0]), mustParse(t, p[1])
		if origin(a) != origin(b) {
			t.Errorf("origin(%s) = %s, origin(%s) = %s; want equal", p[0], origin(a), p[1], origin(b))
		}
	}
	for _, p := range diff {
		if origin(mustParse(t, p[0])) == origin(mustParse(t, p[1])) {
			t.Errorf("%s and %s have the same origin", p[0], p[1])
		}
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// redirectTestSchemes adds a spec-declared API-key header to testSchemes.
var redirectTestSchemes = append([]securityScheme{{name: "hdrKey", typ: "apiKey", in: "header", param: "X-Api-Key"}}, testSchemes...)

// allCredentialHeaders are every header the runtime may put a credential in.
var allCredentialHeaders = []string{"Authorization", "Cookie", "aptoken", "X-Api-Key", "APIKey", "Signature", "Nonce", "UserId", "Pending2FaToken"}

func TestCheckRedirectTable(t *testing.T) {
	// No login state: the credential headers are known all the same.
	c := newTestClient(t, "https://api.example", withSchemes(redirectTestSchemes))
	newReq := func(method, u string, body bool) *http.Request {
		var r io.Reader
		if body {
			r = strings.NewReader("{}")
		}
		req, err := http.NewRequest(method, u, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range allCredentialHeaders {
			req.Header.Set(h, "cred-"+h)
		}
		req.Header.Set("X-Trace", "keep")
		return req
	}
	for _, tc := range []struct {
		name     string
		chain    []string // via, then the new request
		body     bool
		stripped bool
		refused  string
	}{
		{name: "same origin", chain: []string{"https://api.example/a", "https://api.example:443/b"}},
		{name: "https to http same host", chain: []string{"https://api.example/a", "http://api.example/b"}, refused: "https to http"},
		{name: "downgrade later in the chain", chain: []string{"https://api.example/a", "https://other.example/", "http://api.example/b"}, refused: "https to http"},
		{name: "other port", chain: []string{"https://api.example/a", "https://api.example:8443/b"}, stripped: true},
		{name: "subdomain", chain: []string{"https://api.example/a", "https://cdn.api.example/b"}, stripped: true},
		{name: "other host", chain: []string{"https://api.example/a", "https://evil.example/b"}, stripped: true},
		{name: "back to origin after leaving", chain: []string{"https://api.example/a", "https://evil.example/b", "https://api.example/c"}, stripped: true},
		{name: "body to other origin", chain: []string{"https://api.example/a", "https://evil.example/b"}, body: true, refused: "request body"},
		{name: "body to same origin", chain: []string{"https://api.example/a", "https://api.example/b"}, body: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var via []*http.Request
			for _, u := range tc.chain[:len(tc.chain)-1] {
				via = append(via, newReq("POST", u, false))
			}
			req := newReq("POST", tc.chain[len(tc.chain)-1], tc.body)
			err := c.checkRedirect(req, via)
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("err = %v, want refusal %q", err, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range allCredentialHeaders {
				if got := req.Header.Get(h) != ""; got == tc.stripped {
					t.Errorf("header %s present=%v, stripped=%v", h, got, tc.stripped)
				}
			}
			if req.Header.Get("X-Trace") != "keep" {
				t.Error("a non-credential header was dropped")
			}
		})
	}
}

// redirectWorld is an origin server that redirects to the same origin, to
// another port (a second server) or to another host name of the same
// machine, and records what each endpoint received.
type redirectWorld struct {
	origin, otherPort *httptest.Server
	mu                sync.Mutex
	got               map[string]captured // by "<server>:<path>"
}

func newRedirectWorld(t *testing.T) *redirectWorld {
	w := &redirectWorld{got: map[string]captured{}}
	record := func(name string) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.mu.Lock()
			w.got[name+":"+r.URL.Path] = captured{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Header.Clone(), r.Cookies(), string(b)}
			w.mu.Unlock()
			if loc := r.URL.Query().Get("to"); loc != "" {
				code := http.StatusTemporaryRedirect
				if r.URL.Query().Get("code") == "303" {
					code = http.StatusSeeOther
				}
				rw.Header().Set("Location", w.resolve(loc, r.URL.RawQuery))
				rw.WriteHeader(code)
				return
			}
			rw.Header().Set("Content-Type", "application/json")
			io.WriteString(rw, `{"authenticated":true,"SessionToken":"new-tok","result":true}`)
		}
	}
	w.origin = httptest.NewServer(record("origin"))
	w.otherPort = httptest.NewServer(record("port"))
	t.Cleanup(w.origin.Close)
	t.Cleanup(w.otherPort.Close)
	return w
}

// resolve maps a target name to a URL; the original query (API key
// included) is copied along, as a careless server might.
func (w *redirectWorld) resolve(target, query string) string {
	q, _ := url.ParseQuery(query)
	q.Del("to")
	q.Del("code")
	var base string
	switch target {
	case "same":
		base = w.origin.URL + "/same"
	case "port":
		base = w.otherPort.URL + "/port"
	case "host":
		base = strings.Replace(w.origin.URL, "127.0.0.1", "localhost", 1) + "/host"
	case "bounce":
		// Leave the origin, then come back to it.
		q.Set("to", "home")
		base = w.otherPort.URL + "/bounce"
	case "home":
		base = w.origin.URL + "/home"
	}
	if len(q) > 0 {
		return base + "?" + q.Encode()
	}
	return base
}

func (w *redirectWorld) seen(key string) (captured, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.got[key]
	return c, ok
}

// userClients are the *http.Client configurations a caller may pass; the
// redirect policy must hold for every one of them.
func userClients(t *testing.T) map[string]func() *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]func() *http.Client{
		"default": func() *http.Client { return nil },
		"timeout": func() *http.Client { return &http.Client{Timeout: 10 * time.Second} },
		"transport": func() *http.Client {
			return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return http.DefaultTransport.RoundTrip(r)
			})}
		},
		"checkRedirect": func() *http.Client {
			return &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error { return nil }}
		},
		"jar":           func() *http.Client { return &http.Client{Jar: jar} },
		"DefaultClient": func() *http.Client { return http.DefaultClient },
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func clientWith(t *testing.T, server string, hc *http.Client, opts ...ClientOption) *Client {
	t.Helper()
	all := []ClientOption{withSchemes(redirectTestSchemes)}
	if hc != nil {
		all = append(all, WithHTTPClient(hc))
	}
	c, err := NewClient(server, append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRedirectsKeepCredentialsOnOrigin(t *testing.T) {
	for name, mk := range userClients(t) {
		t.Run(name, func(t *testing.T) {
			w := newRedirectWorld(t)
			c := clientWith(t, w.origin.URL, mk(),
				WithAuth("hdrKey", APIKey("HDR-SECRET")), WithAuth("queryKey", APIKey("QUERY-SECRET")),
				WithAuth("cookieKey", APIKey("COOKIE-SECRET")), WithAuth("bearerAuth", BearerToken("BEARER-SECRET")),
				WithSessionToken("SESSION-SECRET"))
			op := &operation{id: "Op", method: "GET", path: "/start", security: [][]string{{"hdrKey", "queryKey", "cookieKey"}}}
			for _, to := range []string{"same", "port", "host", "bounce"} {
				r := newRequest(nil)
				r.addQuery("to", to, "form", true, false)
				if err := c.do(context.Background(), op, r, nil); err != nil {
					t.Fatalf("to %s: %v", to, err)
				}
			}
			// Same origin: everything arrives.
			same, ok := w.seen("origin:/same")
			if !ok || same.Header.Get("X-Api-Key") != "HDR-SECRET" || same.Header.Get("aptoken") != "SESSION-SECRET" || !strings.Contains(same.Query, "QUERY-SECRET") {
				t.Errorf("same-origin redirect lost credentials: %+v", same)
			}
			for _, key := range []string{"port:/port", "origin:/host", "port:/bounce", "origin:/home"} {
				got, ok := w.seen(key)
				if !ok {
					t.Errorf("%s: redirect not followed", key)
					continue
				}
				all := got.Query + " " + got.Body
				for k, vs := range got.Header {
					all += " " + k + "=" + strings.Join(vs, ",")
				}
				for _, ck := range got.Cookies {
					all += " " + ck.String()
				}
				if strings.Contains(all, "SECRET") {
					t.Errorf("%s received a credential: %s", key, all)
				}
			}
		})
	}
}

func TestRedirectRefusesBodyAndDowngrade(t *testing.T) {
	for name, mk := range userClients(t) {
		t.Run(name, func(t *testing.T) {
			w := newRedirectWorld(t)
			c := clientWith(t, w.origin.URL, mk())
			// A password login answered with 307 to another origin: the
			// body is not replayed there.
			for _, to := range []string{"port", "host", "bounce"} {
				r := newRequest(nil)
				r.addQuery("to", to, "form", true, false)
				r.setJSON(apexPasswordLoginBody{UserName: "bob", Password: "PW-SECRET"})
				err := c.do(context.Background(), &operation{id: "Login", method: "POST", path: "/login"}, r, nil)
				if err == nil || !strings.Contains(err.Error(), "request body") {
					t.Errorf("to %s: err = %v", to, err)
				}
				if err != nil && strings.Contains(err.Error(), "PW-SECRET") {
					t.Errorf("error leaks the password: %v", err)
				}
			}
			for _, key := range []string{"port:/port", "origin:/host", "port:/bounce", "origin:/home"} {
				if got, ok := w.seen(key); ok && got.Body != "" {
					t.Errorf("%s received the body %q", key, got.Body)
				}
			}
		})
	}

	// https -> http on the same host and port is refused before anything
	// is sent over plain text.
	var plain atomic.Int32
	var tlsURL string
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			plain.Add(1)
			return
		}
		http.Redirect(rw, r, strings.Replace(tlsURL, "https://", "http://", 1)+"/plain", http.StatusFound)
	}))
	defer tlsSrv.Close()
	tlsURL = tlsSrv.URL
	for name, hc := range map[string]*http.Client{
		"test client":      tlsSrv.Client(),
		"with redirect ok": withCheckRedirect(tlsSrv.Client(), func(*http.Request, []*http.Request) error { return nil }),
	} {
		c := clientWith(t, tlsSrv.URL, hc, WithSessionToken("SESSION-SECRET"))
		err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, nil)
		if !errors.Is(err, errInsecureRedirect) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if plain.Load() != 0 {
		t.Errorf("%d requests went over plain http", plain.Load())
	}
}

func withCheckRedirect(hc *http.Client, f func(*http.Request, []*http.Request) error) *http.Client {
	hc.CheckRedirect = f
	return hc
}

func TestLoginRedirectsKeepLoginSecrets(t *testing.T) {
	// The login helpers' own calls, redirected with 303 (no body replay)
	// to another origin: none of the login headers follow.
	var mu sync.Mutex
	var leaked []string
	var hits int
	other := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		for _, h := range allCredentialHeaders {
			if v := r.Header.Get(h); v != "" {
				leaked = append(leaked, h+"="+v)
			}
		}
		mu.Unlock()
		io.WriteString(rw, `{"authenticated":false,"errormsg":"nope"}`)
	}))
	defer other.Close()
	var pending atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/AuthenticateUser" && !pending.Load() {
			pending.Store(true)
			io.WriteString(rw, `{"authenticated":true,"requires2FA":true,"twoFAToken":"PENDING-SECRET"}`)
			return
		}
		http.Redirect(rw, r, other.URL+"/elsewhere", http.StatusSeeOther)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LoginWithPassword(context.Background(), "bob", "PW-SECRET"); !errors.Is(err, ErrTwoFactorRequired) {
		t.Fatalf("first login: %v", err)
	}
	if _, err := c.Complete2FA(context.Background(), "123456"); err == nil {
		t.Error("Complete2FA succeeded")
	}
	k := login()
	if _, err := c.LoginWithAPIKey(context.Background(), k); err == nil {
		t.Error("redirected login succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 2 {
		t.Errorf("the other origin was reached %d times, want 2 (Complete2FA, LoginWithAPIKey)", hits)
	}
	if len(leaked) > 0 {
		t.Errorf("login credentials followed a cross-origin redirect: %v", leaked)
	}
}

func TestWithHTTPClientNotModified(t *testing.T) {
	jar, _ := cookiejar.New(nil)
	var calls atomic.Int32
	user := func(req *http.Request, via []*http.Request) error { calls.Add(1); return nil }
	tr := &http.Transport{}
	hc := &http.Client{Timeout: 7 * time.Second, Transport: tr, Jar: jar, CheckRedirect: user}
	before := *hc
	c := clientWith(t, "https://x", hc)
	if hc.Timeout != before.Timeout || hc.Transport != before.Transport || hc.Jar != before.Jar ||
		reflect.ValueOf(hc.CheckRedirect).Pointer() != reflect.ValueOf(before.CheckRedirect).Pointer() {
		t.Errorf("caller's client modified: %+v", hc)
	}
	used, ok := c.httpClient.(*http.Client)
	if !ok || used == hc {
		t.Fatalf("client not copied: %T", c.httpClient)
	}
	if used.Timeout != hc.Timeout || used.Transport != hc.Transport || used.Jar != hc.Jar {
		t.Errorf("copy lost settings: %+v", used)
	}
	// The caller's policy still runs, before ours.
	via := []*http.Request{httptest.NewRequest("GET", "https://x/a", nil)}
	if err := used.CheckRedirect(httptest.NewRequest("GET", "https://x/b", nil), via); err != nil || calls.Load() != 1 {
		t.Errorf("user CheckRedirect: err %v, calls %d", err, calls.Load())
	}
	// Ours runs last: a header the caller's policy adds on a cross-origin
	// hop is dropped all the same.
	adder := clientWith(t, "https://x", &http.Client{CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		req.Header.Set("Authorization", "Bearer ADDED")
		return nil
	}})
	hop := httptest.NewRequest("GET", "https://y/b", nil)
	if err := adder.httpClient.(*http.Client).CheckRedirect(hop, via); err != nil || hop.Header.Get("Authorization") != "" {
		t.Errorf("caller-added Authorization kept cross-origin: %v %v", err, hop.Header)
	}
	// A caller's ErrUseLastResponse wins.
	stop := clientWith(t, "https://x", &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
	if err := stop.httpClient.(*http.Client).CheckRedirect(httptest.NewRequest("GET", "https://y/b", nil), via); err != http.ErrUseLastResponse {
		t.Errorf("ErrUseLastResponse lost: %v", err)
	}
	// Without a caller policy, net/http's limit of 10 still holds.
	loop := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "/again", http.StatusFound)
	}))
	defer loop.Close()
	lc := clientWith(t, loop.URL, &http.Client{Timeout: 5 * time.Second})
	if err := lc.do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, nil); err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("redirect loop: %v", err)
	}
}

// TestCrossOriginRedirectDropsEchoedKey: a server may copy the query API
// key into Location under another name or case, or into the path; none of
// those forms leaves the origin.
func TestCrossOriginRedirectDropsEchoedKey(t *testing.T) {
	c := newTestClient(t, "https://api.example", withSchemes(redirectTestSchemes))
	for _, tc := range []struct {
		to, wantQuery, refused string
	}{
		{to: "https://evil.example/b?api_key=QKEY&x=1", wantQuery: "x=1"},
		{to: "https://evil.example/b?API_KEY=QKEY&x=1", wantQuery: "x=1"},
		{to: "https://evil.example/b?next=%2Fcb%3Fapi_key%3DQKEY&x=1", wantQuery: "x=1"},
		{to: "https://evil.example/b?QKEY=1&x=1", wantQuery: "x=1"},
		{to: "https://evil.example/k/QKEY/b", refused: "API key"},
		{to: "https://evil.example/k/Q%4BEY/b", refused: "API key"},
		{to: "https://api.example/b?next=QKEY", wantQuery: "next=QKEY"}, // same origin keeps it
	} {
		t.Run(tc.to, func(t *testing.T) {
			first, err := http.NewRequest("GET", "https://api.example/a?api_key=QKEY", nil)
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest("GET", tc.to, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = c.checkRedirect(req, []*http.Request{first})
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("err = %v, want refusal %q", err, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.URL.RawQuery != tc.wantQuery {
				t.Errorf("query = %q, want %q", req.URL.RawQuery, tc.wantQuery)
			}
		})
	}
}
