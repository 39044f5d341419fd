package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func (x userLogin) secretFields() []string { return []string{"Password"} }
func (x userLogin) LogValue() slog.Value   { return logValueRedacted(x, "Password") }

// assertNotLogged logs v through slog's JSON and text handlers and fails if
// a secret shows up.
func assertNotLogged(t *testing.T, name string, v any, secrets ...string) {
	t.Helper()
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("msg", "v", v, slog.Group("g", "nested", v))
	}
	for _, s := range secrets {
		if strings.Contains(buf.String(), s) {
			t.Errorf("%s: slog output leaks %q: %s", name, s, buf.String())
		}
	}
	if !strings.Contains(buf.String(), redactedText) {
		t.Errorf("%s: slog output shows no redaction: %s", name, buf.String())
	}
}

func TestAPIKeyLoginJSONAndSlog(t *testing.T) {
	l := login()
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), testSecret) || !strings.Contains(string(b), `"APISecret":"[REDACTED]"`) || !strings.Contains(string(b), testAPIKey) {
		t.Errorf("json.Marshal(APIKeyLogin) = %s", b)
	}
	if b, _ := json.Marshal(&struct{ L *APIKeyLogin }{&l}); strings.Contains(string(b), testSecret) {
		t.Errorf("nested pointer: %s", b)
	}
	if b, _ := json.Marshal(APIKeyLogin{APIKey: "k"}); !strings.Contains(string(b), `"APISecret":""`) {
		t.Errorf("empty secret shown as %s", b)
	}
	// Decoding a configuration file still reads the secret.
	var back APIKeyLogin
	if err := json.Unmarshal([]byte(`{"APIKey":"k","APISecret":"s","UserID":"1","Nonce":"2"}`), &back); err != nil || back.APISecret != "s" {
		t.Errorf("Unmarshal = %+v, %v", back, err)
	}
	assertNotLogged(t, "APIKeyLogin", l, testSecret)
	assertNotLogged(t, "*APIKeyLogin", &l, testSecret)
	for name, c := range map[string]Credential{
		"bearer": BearerToken("tok-SECRET"), "apikey": APIKey("key-SECRET"), "basic": BasicAuth("u", "pw-SECRET"),
	} {
		assertNotLogged(t, name, c, "SECRET")
	}
	assertNotLogged(t, "generated-style model", userLogin{UserName: "a", Password: "hunter2"}, "hunter2")
	// The group keeps the other fields, by Go name.
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "l", userLogin{UserName: "alice", Password: "hunter2", Code: 7})
	if !strings.Contains(buf.String(), `"l":{"UserName":"alice","Password":"[REDACTED]","Code":7}`) {
		t.Errorf("slog JSON = %s", buf.String())
	}
	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "l", userLogin{UserName: "alice"})
	if !strings.Contains(buf.String(), `"Password":""`) {
		t.Errorf("empty secret logged as %s", buf.String())
	}
}

func TestBodySecrets(t *testing.T) {
	l := userLogin{UserName: "u", Password: "pw1"}
	type wrapper struct {
		Creds  any
		List   []*userLogin
		Plain  string
		hidden userLogin
	}
	got := bodySecrets(&wrapper{Creds: &l, List: []*userLogin{{Password: "pw2"}, nil, {}}, Plain: "x", hidden: userLogin{Password: "pw3"}})
	if strings.Join(got, ",") != "pw1,pw2" {
		t.Errorf("bodySecrets = %q", got)
	}
	if got := bodySecrets(map[string]any{"a": l}); got != nil {
		t.Errorf("maps are not walked, got %q", got) // request bodies are structs
	}
	if got := bodySecrets([]int{1, 2}); got != nil || mayHoldSecrets(reflectTypeOf([]int{})) {
		t.Errorf("int slice: %q", got)
	}
	if got := bodySecrets(apexKeyLoginBody{APIKey: "k", Signature: "sig"}); strings.Join(got, ",") != "sig,k" {
		t.Errorf("login body secrets = %q", got)
	}
}

func TestSecretFormsAndScrub(t *testing.T) {
	forms := secretForms([]string{"a&b<c> d/é", "", "a&b<c> d/é"})
	for _, want := range []string{"a&b<c> d/é", "a%26b%3Cc%3E+d%2F%C3%A9", "a&b%3Cc%3E%20d%2F%C3%A9", `a\u0026b\u003cc\u003e d/é`} {
		found := false
		for _, f := range forms {
			found = found || f == want
		}
		if !found {
			t.Errorf("forms %q lack %q", forms, want)
		}
	}
	for i := 1; i < len(forms); i++ {
		if len(forms[i]) > len(forms[i-1]) {
			t.Errorf("forms not longest first: %q", forms)
		}
	}
	if got := scrubString("x=tok-long y=tok", secretForms([]string{"tok", "tok-long"})); got != "x=[REDACTED] y=[REDACTED]" {
		t.Errorf("scrub = %q", got)
	}
}

// echoServer answers every request with status and a body that quotes the
// request back: headers, query and body, in JSON and plain text.
func echoServer(t *testing.T, status int, apex bool) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		echo := fmt.Sprintf("got %v %s %s", r.Header, r.URL.RawQuery, b)
		resp := map[string]any{"errormsg": echo, "detail": string(b), "errorcode": 100, "echo": r.Header, "error": echo}
		if apex {
			resp["result"] = false
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAPIErrorScrubsEchoedSecrets(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		apex   bool
	}{{"HTTP 400", 400, false}, {"HTTP 500", 500, true}, {"APEX envelope in 200", 200, true}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := echoServer(t, tc.status, tc.apex)
			c := newTestClient(t, srv.URL, WithAuth("bearerAuth", BearerToken("BEARER-SECRET")),
				WithAuth("queryKey", APIKey("QUERY/SECRET&x")), WithAuth("cookieKey", APIKey("COOKIE-SECRET")),
				WithAuth("apToken", APIKey("APTOKEN-SECRET")), WithSessionToken("SESSION-SECRET"))
			var body any
			op := &operation{id: "Op", method: "POST", path: "/", apex: tc.apex,
				security:  [][]string{{"bearerAuth", "queryKey", "cookieKey", "apToken"}},
				errorBody: func(int) any { body = new(map[string]any); return body }}
			r := newRequest(nil)
			r.setJSON(struct{ Login userLogin }{userLogin{UserName: "alice", Password: `PW"<&>SECRET`}})
			err := c.do(context.Background(), op, r, nil)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v", err)
			}
			all := err.Error() + ae.Message + ae.Detail + string(ae.Raw) + fmt.Sprint(ae.Body)
			for _, s := range []string{"SECRET", "QUERY%2FSECRET"} {
				if strings.Contains(all, s) {
					t.Errorf("APIError leaks %q: %s", s, all)
				}
			}
			if !strings.Contains(string(ae.Raw), redactedText) || !strings.Contains(ae.Message, "alice") || ae.Code != 100 {
				t.Errorf("APIError lost its content: %+v", ae)
			}
			if ae.Body != nil {
				if m := *ae.Body.(*map[string]any); m["detail"] == nil {
					t.Errorf("Body = %v", m)
				}
			}
		})
	}
}

func TestLoginErrorsScrubEchoedSecrets(t *testing.T) {
	// A login rejected with the password, signature or code echoed back.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		msg := fmt.Sprintf("bad login %s %v", b, r.Header)
		if strings.Contains(r.URL.Path, "2FA") {
			json.NewEncoder(w).Encode(map[string]any{"Authenticated": false, "errormsg": msg})
			return
		}
		if strings.Contains(string(b), "2fa") {
			io.WriteString(w, `{"authenticated":true,"requires2FA":true,"twoFAToken":"PENDING-SECRET"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"authenticated": false, "errormsg": msg})
	}))
	defer srv.Close()
	c, _ := NewClient(srv.URL)
	_, err := c.LoginWithPassword(context.Background(), "bob", "PW-SECRET")
	if !errors.Is(err, ErrNotAuthorized) || !strings.Contains(err.Error(), "bad login") {
		t.Fatalf("err = %v", err)
	}
	assertNoSecret(t, "password login error", err, "PW-SECRET")
	_, err = c.LoginWithAPIKey(context.Background(), login())
	assertNoSecret(t, "API-key login error", err, testSecret, Sign(testSecret, testNonce, testUserID, testAPIKey), testAPIKey)
	if _, err := c.LoginWithPassword(context.Background(), "2fa", "PW2-SECRET"); !errors.Is(err, ErrTwoFactorRequired) {
		t.Fatal(err)
	}
	_, err = c.Complete2FA(context.Background(), "C0DE-SECRET")
	if !errors.Is(err, ErrNotAuthorized) {
		t.Fatal(err)
	}
	assertNoSecret(t, "2FA error", err, "C0DE-SECRET", "PENDING-SECRET")
}

func TestTransportErrorsScrubSecrets(t *testing.T) {
	// Custom doers whose errors quote the request in every way they might.
	for name, quote := range map[string]func(r *http.Request, body string) error{
		"headers": func(r *http.Request, _ string) error { return fmt.Errorf("sending %v: %w", r.Header, net.ErrClosed) },
		"url.Error wrapped": func(r *http.Request, _ string) error {
			return fmt.Errorf("retry: %w", &url.Error{Op: "Post", URL: r.URL.String(), Err: context.DeadlineExceeded})
		},
		"url.Error": func(r *http.Request, _ string) error {
			return &url.Error{Op: "Post", URL: r.URL.String(), Err: fmt.Errorf("bad %s: %w", r.Header.Get("Authorization"), context.Canceled)}
		},
		"body": func(_ *http.Request, body string) error { return fmt.Errorf("cannot send %q: %w", body, net.ErrClosed) },
	} {
		t.Run(name, func(t *testing.T) {
			doer := doerFunc(func(r *http.Request) (*http.Response, error) {
				var b []byte
				if r.Body != nil {
					b, _ = io.ReadAll(r.Body)
				}
				return nil, quote(r, string(b))
			})
			c := newTestClient(t, "https://x", WithHTTPClient(doer), WithAuth("bearerAuth", BearerToken("BEARER-SECRET")),
				WithAuth("queryKey", APIKey("QUERY-SECRET")), WithAuth("cookieKey", APIKey("COOKIE SECRET")),
				WithAuth("apToken", APIKey("APTOKEN-SECRET")), WithSessionToken("SESSION-SECRET"))
			op := &operation{id: "Op", method: "POST", path: "/", security: [][]string{{"bearerAuth", "queryKey", "cookieKey", "apToken"}}}
			r := newRequest(nil)
			r.setJSON(userLogin{UserName: "u", Password: "PW-SECRET"})
			err := c.do(context.Background(), op, r, nil)
			if err == nil {
				t.Fatal("no error")
			}
			assertNoSecret(t, "transport error", err, "SECRET")
			if !strings.Contains(err.Error(), redactedText) || !strings.HasPrefix(err.Error(), "Op: ") {
				t.Errorf("err = %v", err)
			}
			if !errors.Is(err, net.ErrClosed) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				t.Errorf("cause lost: %v", err)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), "SECRET") {
					t.Errorf("a wrapped error still leaks: %v", e)
				}
			}
			var ue *url.Error
			if errors.As(err, &ue) && strings.Contains(ue.URL, "SECRET") {
				t.Errorf("url.Error URL leaks: %s", ue.URL)
			}
		})
	}
	// The login helpers: password and signature never in the error.
	c, _ := NewClient("https://x", WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		return nil, fmt.Errorf("failed %s %v", b, r.Header)
	})))
	_, err := c.LoginWithPassword(context.Background(), "bob", "PW-SECRET")
	assertNoSecret(t, "password login transport error", err, "PW-SECRET")
	_, err = c.LoginWithAPIKey(context.Background(), login())
	assertNoSecret(t, "API-key login transport error", err, testSecret, Sign(testSecret, testNonce, testUserID, testAPIKey))
}

func TestRealTransportErrorScrubbed(t *testing.T) {
	// net/http's own *url.Error for a refused connection, query key in it.
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	c := newTestClient(t, u, WithAuth("queryKey", APIKey("QUERY-SECRET")))
	err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/", security: [][]string{{"queryKey"}}}, nil, nil)
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(err.Error(), "QUERY-SECRET") || !strings.Contains(ue.URL, "api_key=%5BREDACTED%5D") {
		t.Errorf("err = %v", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) {
		t.Errorf("net.Error lost: %v", err)
	}
}

func reflectTypeOf(v any) reflect.Type { return reflect.TypeOf(v) }
