package templates

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSchemes covers every scheme kind the runtime supports; the stub table
// (securitySchemes) only has the two KIIEX ones.
var testSchemes = []securityScheme{
	{name: "bearerAuth", typ: "http", scheme: "bearer"},
	{name: "apToken", typ: "apiKey", in: "header", param: "aptoken"},
	{name: "basicAuth", typ: "http", scheme: "basic"},
	{name: "queryKey", typ: "apiKey", in: "query", param: "api_key"},
	{name: "cookieKey", typ: "apiKey", in: "cookie", param: "sid"},
	{name: "oauth", typ: "oauth2"},
	{name: "digest", typ: "http", scheme: "digest"},
}

// withSchemes replaces the scheme table; it must come before WithAuth.
func withSchemes(s []securityScheme) ClientOption {
	return func(c *Client) error { c.schemes = s; return nil }
}

func newTestClient(t *testing.T, server string, opts ...ClientOption) *Client {
	t.Helper()
	c, err := NewClient(server, append([]ClientOption{withSchemes(testSchemes)}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// captured is what a test server saw of one request.
type captured struct {
	Method, Path, RawPath, Query string
	Header                       http.Header
	Cookies                      []*http.Cookie
	Body                         string
}

// recorder is an httptest server that records requests and answers with a
// fixed status and body.
func recorder(t *testing.T, status int, body string) (*httptest.Server, func() captured) {
	t.Helper()
	var mu sync.Mutex
	var last captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		last = captured{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Header.Clone(), r.Cookies(), string(b)}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, func() captured { mu.Lock(); defer mu.Unlock(); return last }
}

func TestNewClientValidation(t *testing.T) {
	for _, tc := range []struct {
		server, want string
	}{
		{"https://apstage.proxy.kiiex.io/ap", "https://apstage.proxy.kiiex.io/ap"},
		{"https://apstage.proxy.kiiex.io/ap/", "https://apstage.proxy.kiiex.io/ap"},
		{"http://localhost:8080", "http://localhost:8080"},
		{"http://localhost:8080/", "http://localhost:8080"},
	} {
		c, err := NewClient(tc.server)
		if err != nil {
			t.Errorf("NewClient(%q): %v", tc.server, err)
			continue
		}
		if c.Server() != tc.want {
			t.Errorf("Server() = %q, want %q", c.Server(), tc.want)
		}
	}
	for _, bad := range []string{"", "apstage.proxy.kiiex.io/ap", "/ap", "ftp://x/", "https://", "https://u:hunter2@x/", "https://x/?a=b", "https://x/#f", "://x"} {
		_, err := NewClient(bad)
		if err == nil {
			t.Errorf("NewClient(%q): no error", bad)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("NewClient error leaks the password: %v", err)
		}
	}
}

func TestOptionsValidation(t *testing.T) {
	for name, opt := range map[string]ClientOption{
		"nil doer":        WithHTTPClient(nil),
		"typed nil doer":  WithHTTPClient((*http.Client)(nil)),
		"nil editor":      WithRequestEditor(nil),
		"empty UA":        WithUserAgent(""),
		"zero limit":      WithMaxResponseBytes(0),
		"unknown scheme":  WithAuth("nope", BearerToken("x")),
		"basic on bearer": WithAuth("bearerAuth", BasicAuth("u", "p")),
		"token on basic":  WithAuth("basicAuth", BearerToken("x")),
		"unsupported":     WithAuth("digest", BearerToken("x")),
	} {
		if _, err := NewClient("https://x", withSchemes(testSchemes), opt); err == nil {
			t.Errorf("%s: NewClient succeeded", name)
		}
	}
	_, err := NewClient("https://x", WithAuth("nope", BearerToken("s3cret")))
	if err == nil || !strings.Contains(err.Error(), "bearerAuth, apToken") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("unknown scheme error = %v; want the known names and no secret", err)
	}
}

type pathReq struct {
	Name  string  `json:"name"`
	Price Decimal `json:"price"`
}

func TestRequestCycle(t *testing.T) {
	srv, last := recorder(t, 200, `{"ok":true,"n":12}`)
	var order []string
	c := newTestClient(t, srv.URL+"/ap/",
		WithUserAgent("test-agent/1"),
		WithRequestEditor(func(ctx context.Context, req *http.Request) error {
			order = append(order, "client1")
			req.Header.Set("X-Edit", "client1")
			return nil
		}),
		WithRequestEditor(func(ctx context.Context, req *http.Request) error {
			order = append(order, "client2")
			req.Header.Set("X-Edit", req.Header.Get("X-Edit")+",client2")
			return nil
		}),
	)
	op := &operation{id: "GetThing", method: "POST", path: "/Accounts/{AccountSid}/Calls.json", accept: "application/json"}
	r := newRequest([]RequestEditorFn{func(ctx context.Context, req *http.Request) error {
		order = append(order, "call")
		req.Header.Set("X-Edit", req.Header.Get("X-Edit")+",call")
		return nil
	}})
	r.setPath("AccountSid", "AC 1/2")
	r.addQuery("ids", []int64{1, 2, 3}, "form", true, false)
	r.addQuery("tags", []string{"a", "b"}, "form", false, false)
	r.addQuery("limit", Ptr(int32(50)), "form", true, false)
	r.addQuery("absent", (*string)(nil), "form", true, false)
	r.setHeader("X-Request-Id", "rid-1")
	r.setHeader("X-Absent", (*int)(nil))
	r.addCookie("pref", "dark mode", false)
	r.setJSON(pathReq{Name: "<Alice & Bob>", Price: MustDecimal("1E+30")})

	var out struct {
		OK bool  `json:"ok"`
		N  int64 `json:"n"`
	}
	if err := c.do(context.Background(), op, r, &out); err != nil {
		t.Fatal(err)
	}
	if !out.OK || out.N != 12 {
		t.Errorf("decoded %+v", out)
	}
	got := last()
	if got.Method != "POST" || got.Path != "/ap/Accounts/AC 1/2/Calls.json" || got.RawPath != "/ap/Accounts/AC%201%2F2/Calls.json" {
		t.Errorf("path = %q raw %q", got.Path, got.RawPath)
	}
	if got.Query != "ids=1&ids=2&ids=3&tags=a,b&limit=50" {
		t.Errorf("query = %q", got.Query)
	}
	if got.Body != `{"name":"<Alice & Bob>","price":1E+30}` {
		t.Errorf("body = %s", got.Body)
	}
	for k, want := range map[string]string{
		"Content-Type": "application/json",
		"Accept":       "application/json",
		"User-Agent":   "test-agent/1",
		"X-Request-Id": "rid-1",
		"X-Edit":       "client1,client2,call",
	} {
		if g := got.Header.Get(k); g != want {
			t.Errorf("header %s = %q, want %q", k, g, want)
		}
	}
	if _, ok := got.Header["X-Absent"]; ok {
		t.Error("nil header parameter was sent")
	}
	if strings.Join(order, ",") != "client1,client2,call" {
		t.Errorf("editor order = %v", order)
	}
	if len(got.Cookies) != 1 || got.Cookies[0].Name != "pref" || got.Cookies[0].Value != "dark+mode" {
		t.Errorf("cookies = %v", got.Cookies)
	}
}

func TestDefaultUserAgentAndNoBody(t *testing.T) {
	srv, last := recorder(t, 200, `{}`)
	c := newTestClient(t, srv.URL)
	if err := c.do(context.Background(), &operation{id: "Ping", method: "get", path: "Ping"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	got := last()
	if got.Method != "GET" {
		t.Errorf("method = %q", got.Method)
	}
	if got.Header.Get("User-Agent") != "kiiexgen-client" {
		t.Errorf("User-Agent = %q", got.Header.Get("User-Agent"))
	}
	if got.Header.Get("Content-Type") != "" || got.Body != "" {
		t.Errorf("unexpected body %q / content type %q", got.Body, got.Header.Get("Content-Type"))
	}
	if got.Path != "/Ping" {
		t.Errorf("path = %q", got.Path)
	}
}

func TestPathParameterErrors(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	op := &operation{id: "GetX", method: "GET", path: "/x/{id}"}
	for name, r := range map[string]*request{
		"missing": newRequest(nil),
		"empty":   func() *request { r := newRequest(nil); r.setPath("id", ""); return r }(),
		"nil":     func() *request { r := newRequest(nil); r.setPath("id", (*int)(nil)); return r }(),
	} {
		err := c.do(context.Background(), op, r, nil)
		if err == nil || !strings.HasPrefix(err.Error(), "GetX: path parameter \"id\"") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestEditorError(t *testing.T) {
	boom := errors.New("boom")
	c := newTestClient(t, "http://127.0.0.1:1", WithRequestEditor(func(context.Context, *http.Request) error { return boom }))
	err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, nil)
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "Op: request editor: boom") {
		t.Errorf("err = %v", err)
	}
}

func TestSecurityApplication(t *testing.T) {
	srv, last := recorder(t, 200, `{}`)
	type want struct{ auth, aptoken, query, cookie string }
	for _, tc := range []struct {
		name     string
		opts     []ClientOption
		security [][]string
		want     want
	}{
		{"bearer", []ClientOption{WithAuth("bearerAuth", BearerToken("tok1"))}, [][]string{{"bearerAuth"}},
			want{auth: "Bearer tok1"}},
		{"oauth2 as bearer", []ClientOption{WithAuth("oauth", BearerToken("tok2"))}, [][]string{{"oauth"}},
			want{auth: "Bearer tok2"}},
		{"basic", []ClientOption{WithAuth("basicAuth", BasicAuth("alice", "pw"))}, [][]string{{"basicAuth"}},
			want{auth: "Basic YWxpY2U6cHc="}},
		{"apikey header", []ClientOption{WithAuth("apToken", APIKey("k1"))}, [][]string{{"apToken"}},
			want{aptoken: "k1"}},
		{"apikey query", []ClientOption{WithAuth("queryKey", APIKey("k2"))}, [][]string{{"queryKey"}},
			want{query: "api_key=k2"}},
		{"apikey cookie", []ClientOption{WithAuth("cookieKey", APIKey("k3"))}, [][]string{{"cookieKey"}},
			want{cookie: "k3"}},
		{"no security declared", []ClientOption{WithAuth("bearerAuth", BearerToken("tok"))}, nil,
			want{}},
		{"no credentials", nil, [][]string{{"bearerAuth"}}, want{}},
		{"first satisfiable alternative", []ClientOption{WithAuth("apToken", APIKey("k4")), WithAuth("queryKey", APIKey("q4"))},
			[][]string{{"bearerAuth"}, {"apToken", "queryKey"}, {"cookieKey"}},
			want{aptoken: "k4", query: "api_key=q4"}},
		{"AND needs all", []ClientOption{WithAuth("apToken", APIKey("k5"))},
			[][]string{{"apToken", "queryKey"}}, want{}},
		{"anonymous alternative loses to a satisfiable one", []ClientOption{WithAuth("bearerAuth", BearerToken("t6"))},
			[][]string{{}, {"bearerAuth"}}, want{auth: "Bearer t6"}},
		{"anonymous alternative alone", nil, [][]string{{}, {"bearerAuth"}}, want{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, srv.URL, tc.opts...)
			op := &operation{id: "Op", method: "POST", path: "/Op", security: tc.security}
			if err := c.do(context.Background(), op, nil, nil); err != nil {
				t.Fatal(err)
			}
			got := last()
			cookie := ""
			for _, ck := range got.Cookies {
				if ck.Name == "sid" {
					cookie = ck.Value
				}
			}
			g := want{got.Header.Get("Authorization"), got.Header.Get("aptoken"), got.Query, cookie}
			if g != tc.want {
				t.Errorf("got %+v, want %+v", g, tc.want)
			}
		})
	}
}

func TestSetAuthRemovesAndRotates(t *testing.T) {
	srv, last := recorder(t, 200, `{}`)
	c := newTestClient(t, srv.URL, WithAuth("bearerAuth", BearerToken("a")))
	op := &operation{id: "Op", method: "GET", path: "/", security: [][]string{{"bearerAuth"}}}
	if err := c.SetAuth("bearerAuth", BearerToken("b")); err != nil {
		t.Fatal(err)
	}
	c.do(context.Background(), op, nil, nil)
	if got := last().Header.Get("Authorization"); got != "Bearer b" {
		t.Errorf("after rotation: %q", got)
	}
	if err := c.SetAuth("bearerAuth", nil); err != nil {
		t.Fatal(err)
	}
	c.do(context.Background(), op, nil, nil)
	if got := last().Header.Get("Authorization"); got != "" {
		t.Errorf("after removal: %q", got)
	}
	if err := c.SetAuth("nope", BearerToken("x")); err == nil {
		t.Error("SetAuth accepted an unknown scheme")
	}
}

func TestConcurrentSetAuth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, WithAuth("bearerAuth", BearerToken("t0")))
	op := &operation{id: "Op", method: "GET", path: "/", security: [][]string{{"bearerAuth"}}}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				if j%5 == 0 {
					c.SetAuth("bearerAuth", BearerToken(fmt.Sprintf("t%d-%d", i, j)))
				}
				if err := c.do(context.Background(), op, nil, nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestAPEXEnvelope(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		apex   bool
		isErr  bool
		code   int
		msg    string
		detail string
		is     error
	}{
		{"not authorized", `{"result":false,"errormsg":"Not Authorized","errorcode":20,"detail":null}`, true, true, 20, "Not Authorized", "", ErrNotAuthorized},
		{"invalid request", `{"result":false,"errormsg":"Invalid Request","errorcode":100,"detail":"OMSId missing"}`, true, true, 100, "Invalid Request", "OMSId missing", ErrInvalidRequest},
		{"operation failed, quoted code", `{"result":false,"errorcode":"101"}`, true, true, 101, "", "", ErrOperationFailed},
		{"server error", `{"result":false,"errormsg":"Server Error","errorcode":102}`, true, true, 102, "Server Error", "", ErrServerError},
		{"not found", `{"Result":false,"ErrorMsg":"Resource Not Found","ErrorCode":104}`, true, true, 104, "Resource Not Found", "", ErrResourceNotFound},
		{"not supported", `{"result":false,"errormsg":"Operation Not Supported","errorcode":106}`, true, true, 106, "Operation Not Supported", "", ErrOperationNotSupported},
		{"result true with message is success", `{"result":true,"errormsg":"odd but documented","errorcode":0}`, true, false, 0, "", "", nil},
		{"result false without message or code", `{"result":false,"value":1}`, true, false, 0, "", "", nil},
		{"result not boolean", `{"result":"false","errormsg":"x"}`, true, false, 0, "", "", nil},
		{"array", `[{"result":false,"errormsg":"x"}]`, true, false, 0, "", "", nil},
		{"non-apex operation", `{"result":false,"errormsg":"Not Authorized","errorcode":20}`, false, false, 0, "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := recorder(t, 200, tc.body)
			c := newTestClient(t, srv.URL)
			var out json.RawMessage
			err := c.do(context.Background(), &operation{id: "CancelOrder", method: "POST", path: "/CancelOrder", apex: tc.apex}, nil, &out)
			if !tc.isErr {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if string(out) != tc.body {
					t.Errorf("out = %s", out)
				}
				return
			}
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if ae.StatusCode != 200 || ae.Code != tc.code || ae.Message != tc.msg || ae.Detail != tc.detail || ae.Operation != "CancelOrder" {
				t.Errorf("APIError = %#v", ae)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
			for _, other := range []error{ErrNotAuthorized, ErrInvalidRequest, ErrOperationFailed, ErrServerError, ErrResourceNotFound, ErrOperationNotSupported} {
				if other != tc.is && errors.Is(err, other) {
					t.Errorf("error also matches %v", other)
				}
			}
		})
	}
}

func TestAPIErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		e    *APIError
		want string
	}{
		{&APIError{StatusCode: 401, Operation: "GetDepositTicket", Code: 20, Message: "Not Authorized"}, "GetDepositTicket: HTTP 401: Not Authorized (code 20)"},
		{&APIError{StatusCode: 200, Operation: "CancelOrder", Code: 104}, "CancelOrder: HTTP 200: Resource Not Found (code 104)"},
		{&APIError{StatusCode: 404, Operation: "X"}, "X: HTTP 404: Not Found"},
		{&APIError{StatusCode: 400, Operation: "X", Message: "bad", Code: 100, Detail: "field Y"}, "X: HTTP 400: bad (code 100): field Y"},
		{&APIError{StatusCode: 599, Operation: "X"}, "X: HTTP 599"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

type declaredError struct {
	Error string `json:"error"`
	Hint  string `json:"hint"`
}

func TestNon2xx(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		is     error
		code   int
		msg    string
		body2  bool
	}{
		{"401 apex body", 401, `{"result":false,"errormsg":"Not Authorized","errorcode":20}`, ErrNotAuthorized, 20, "Not Authorized", false},
		{"403", 403, ``, ErrNotAuthorized, 0, "", false},
		{"404 declared body", 404, `{"error":"no such ticket","hint":"check TicketId"}`, ErrResourceNotFound, 0, "no such ticket", true},
		{"500 text", 500, `internal error`, ErrServerError, 0, "", false},
		{"503 declared but undecodable", 503, `<html>`, ErrServerError, 0, "", false},
		{"400 old login failure", 400, `{"authenticated":false,"locked":false,"errormsg":"Invalid username or password"}`, nil, 0, "Invalid username or password", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := recorder(t, tc.status, tc.body)
			c := newTestClient(t, srv.URL)
			op := &operation{id: "GetTicket", method: "POST", path: "/GetTicket", errorBody: func(status int) any {
				if status == 404 || status == 503 {
					return &declaredError{}
				}
				return nil
			}}
			var out map[string]any
			err := c.do(context.Background(), op, nil, &out)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v", err)
			}
			if ae.StatusCode != tc.status || ae.Code != tc.code || ae.Message != tc.msg || string(ae.Raw) != tc.body {
				t.Errorf("got %#v raw %q", ae, ae.Raw)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v) false", tc.is)
			}
			if tc.body2 {
				de, ok := ae.Body.(*declaredError)
				if !ok || de.Hint != "check TicketId" {
					t.Errorf("Body = %#v", ae.Body)
				}
			} else if ae.Body != nil {
				t.Errorf("Body = %#v, want nil", ae.Body)
			}
			if out != nil {
				t.Errorf("out was written: %v", out)
			}
		})
	}
}

func TestRawCapped(t *testing.T) {
	big := strings.Repeat("x", 10000)
	srv, _ := recorder(t, 500, big)
	c := newTestClient(t, srv.URL)
	err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || len(ae.Raw) != 4096 {
		t.Fatalf("err %v raw len %d", err, len(ae.Raw))
	}
	if strings.Contains(ae.Error(), "xxxx") || strings.Contains(fmt.Sprintf("%v %+v %#v %s", err, err, err, err), "xxxx") {
		t.Error("Raw printed")
	}
}

// countingBody counts how much of it was read.
type countingBody struct {
	remaining, read int64
	closed          bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.remaining == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), b.remaining)
	for i := range p[:n] {
		p[i] = 'a'
	}
	b.remaining -= n
	b.read += n
	return int(n), nil
}

func (b *countingBody) Close() error { b.closed = true; return nil }

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestResponseTooLarge(t *testing.T) {
	const limit = 1000
	body := &countingBody{remaining: 1 << 30}
	c := newTestClient(t, "https://example.invalid", WithMaxResponseBytes(limit), WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: body, Header: http.Header{}}, nil
	})))
	var out []byte
	err := c.do(context.Background(), &operation{id: "Big", method: "GET", path: "/"}, nil, &out)
	if !errors.Is(err, ErrResponseTooLarge) || !strings.HasPrefix(err.Error(), "Big: ") {
		t.Fatalf("err = %v", err)
	}
	if body.read > limit+1 {
		t.Errorf("read %d bytes, limit %d", body.read, limit)
	}
	if !body.closed {
		t.Error("body not closed")
	}

	// Exactly at the limit is fine.
	body = &countingBody{remaining: limit}
	if err := c.do(context.Background(), &operation{id: "Big", method: "GET", path: "/"}, nil, &out); err != nil || len(out) != limit {
		t.Errorf("at limit: err %v len %d", err, len(out))
	}

	// Through a real server too.
	srv, _ := recorder(t, 200, strings.Repeat("z", 5000))
	c2 := newTestClient(t, srv.URL, WithMaxResponseBytes(100))
	if err := c2.do(context.Background(), &operation{id: "Big", method: "GET", path: "/"}, nil, nil); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("real server: %v", err)
	}
}

func TestContextCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL)
	op := &operation{id: "Slow", method: "GET", path: "/"}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.do(ctx, op, nil, nil); !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "Slow: ") {
		t.Errorf("pre-cancelled: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := c.do(ctx, op, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled in flight: %v", err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.do(ctx, op, nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
}

func TestServerClosesConnection(t *testing.T) {
	hijack := func(fn func(conn net.Conn, buf *bufio.ReadWriter)) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			fn(conn, buf)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	op := &operation{id: "Drop", method: "GET", path: "/"}

	// Closed before any response.
	srv := hijack(func(net.Conn, *bufio.ReadWriter) {})
	err := newTestClient(t, srv.URL).do(context.Background(), op, nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "Drop: ") {
		t.Errorf("closed before response: %v", err)
	}

	// Closed in the middle of the body.
	srv = hijack(func(conn net.Conn, buf *bufio.ReadWriter) {
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
		buf.Flush()
	})
	var out map[string]any
	err = newTestClient(t, srv.URL).do(context.Background(), op, nil, &out)
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(err.Error(), "Drop: read response: ") {
		t.Errorf("closed mid-body: %v", err)
	}
}

func TestDecodeResponse(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		out        func() any
		check      func(t *testing.T, out any, err error)
	}{
		{"malformed JSON", `{"a":`, func() any { return &map[string]any{} }, func(t *testing.T, _ any, err error) {
			var se *json.SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(fmt.Sprint(err), "Op: decode response: ") {
				t.Errorf("err = %v", err)
			}
		}},
		{"type mismatch", `{"n":"x"}`, func() any { return &struct{ N int }{} }, func(t *testing.T, _ any, err error) {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), "Op: decode response: ") {
				t.Errorf("err = %v", err)
			}
		}},
		{"empty body", ``, func() any { return &map[string]any{} }, func(t *testing.T, _ any, err error) {
			if err == nil || err.Error() != "Op: decode response: empty body" {
				t.Errorf("err = %v", err)
			}
		}},
		{"raw bytes", `not json`, func() any { return new([]byte) }, func(t *testing.T, out any, err error) {
			if err != nil || string(*out.(*[]byte)) != "not json" {
				t.Errorf("out %q err %v", *out.(*[]byte), err)
			}
		}},
		{"text", `plain text`, func() any { return new(string) }, func(t *testing.T, out any, err error) {
			if err != nil || *out.(*string) != "plain text" {
				t.Errorf("out %q err %v", *out.(*string), err)
			}
		}},
		{"nil out discards", `garbage`, func() any { return nil }, func(t *testing.T, _ any, err error) {
			if err != nil {
				t.Errorf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := recorder(t, 200, tc.body)
			out := tc.out()
			err := newTestClient(t, srv.URL).do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, out)
			tc.check(t, out, err)
		})
	}
}

func TestEncodeErrorReported(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	r := newRequest(nil)
	r.setJSON(map[string]any{"f": func() {}})
	err := c.do(context.Background(), &operation{id: "Op", method: "POST", path: "/"}, r, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "Op: encode request body: ") {
		t.Errorf("err = %v", err)
	}
}

func TestQueryAPIKeyRedactedFromTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // connection refused from now on
	c := newTestClient(t, url, WithAuth("queryKey", APIKey("SECRET-QUERY-KEY")))
	err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/x", security: [][]string{{"queryKey"}}}, nil, nil)
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "SECRET-QUERY-KEY") {
		t.Errorf("error leaks the key: %v", err)
	}
	if !strings.Contains(err.Error(), "api_key=%5BREDACTED%5D") {
		t.Errorf("error = %v", err)
	}
}

func TestWrappedURLErrorRedacted(t *testing.T) {
	c := newTestClient(t, "https://x", WithAuth("queryKey", APIKey("SECRET-KEY")), WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("retry gave up: %w", &url.Error{Op: "Get", URL: r.URL.String(), Err: context.DeadlineExceeded})
	})))
	err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/", security: [][]string{{"queryKey"}}}, nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "SECRET-KEY") {
		t.Errorf("err = %v", err)
	}
}

func TestRedirectDropsAPIKeyHeaders(t *testing.T) {
	var got http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		io.WriteString(w, `{}`)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A different host name for the same machine makes it cross-host.
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/there", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, WithAuth("apToken", APIKey("k")), WithSessionToken("sess"))
	if err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/", security: [][]string{{"apToken"}}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("redirect not followed")
	}
	if got.Get("aptoken") != "" || got.Get("Authorization") != "" {
		t.Errorf("secret headers followed a cross-host redirect: %v", got)
	}
}

func TestCustomDoerNilBody(t *testing.T) {
	c := newTestClient(t, "https://x", WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204}, nil
	})))
	if err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, nil); err != nil {
		t.Errorf("err = %v", err)
	}
}

// TestRejectedOrder: a 200 {"status":"Rejected"} answer of an operation
// marked rejectable is an *APIError matching ErrRejected; every other body
// (accepted orders, other operations, other shapes) is left alone.
func TestRejectedOrder(t *testing.T) {
	order := &operation{id: "SendOrder", method: "POST", path: "/SendOrder", apex: true, rejectable: true}
	query := &operation{id: "GetOrderStatus", method: "POST", path: "/GetOrderStatus", apex: true}
	for _, c := range []struct {
		op   *operation
		body string
		msg  string // "" = success
	}{
		{order, `{"status":"Rejected","errormsg":"Not enough funds","OrderId":0}`, "Not enough funds"},
		{order, `{"Status":"REJECTED","ErrorMsg":"","OrderId":0}`, "order rejected"},
		{order, `{"status":"Accepted","errormsg":"","OrderId":6713}`, ""},
		{order, `{"status":"Accepted","errormsg":"Rejected earlier","OrderId":1}`, ""},
		{order, `["Rejected"]`, ""},
		{order, `{"status":{"x":"Rejected"}}`, ""},
		{query, `{"status":"Rejected","errormsg":"Not enough funds","OrderId":5}`, ""},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, c.body) }))
		cl, _ := NewClient(srv.URL)
		var out json.RawMessage
		err := cl.do(context.Background(), c.op, nil, &out)
		srv.Close()
		var ae *APIError
		switch {
		case c.msg == "" && err != nil:
			t.Errorf("%s %s: %v", c.op.id, c.body, err)
		case c.msg != "" && (!errors.Is(err, ErrRejected) || !errors.As(err, &ae) || ae.Message != c.msg || ae.StatusCode != 200 || string(ae.Raw) != c.body):
			t.Errorf("%s %s: %v, want ErrRejected with message %q", c.op.id, c.body, err, c.msg)
		}
	}
}

func TestPathParameterDotSegments(t *testing.T) {
	srv, last := recorder(t, 200, `{}`)
	c := newTestClient(t, srv.URL+"/api")
	for _, tc := range []struct {
		tmpl    string
		params  map[string]string
		rawPath string // what the server must receive, byte for byte
	}{
		{"/P99/{a}/{b}/1", map[string]string{"a": "..", "b": ".."}, "/api/P99/%2E%2E/%2E%2E/1"},
		{"/x/{a}", map[string]string{"a": "."}, "/api/x/%2E"},
		{"/x/{a}{b}", map[string]string{"a": ".", "b": "."}, "/api/x/%2E%2E"},
		{"/x/{a}", map[string]string{"a": "..."}, "/api/x/%2E%2E%2E"},
		{"/x/{a}", map[string]string{"a": "../../admin"}, "/api/x/..%2F..%2Fadmin"},
		{"/x/{a}", map[string]string{"a": "a?b#c%d"}, "/api/x/a%3Fb%23c%25d"},
		{"/x/{a}", map[string]string{"a": "%2E%2E"}, "/api/x/%252E%252E"},
		{"/x/{a}.json", map[string]string{"a": "v1.2"}, "/api/x/v1.2.json"}, // ordinary dots stay
	} {
		op := &operation{id: "Op", method: "GET", path: tc.tmpl}
		r := newRequest(nil)
		for k, v := range tc.params {
			r.setPath(k, v)
		}
		if err := c.do(context.Background(), op, r, nil); err != nil {
			t.Fatalf("%s %v: %v", tc.tmpl, tc.params, err)
		}
		got := last()
		// What was on the wire: net/url leaves RawPath empty when the
		// default escaping of Path reproduces it.
		raw := (&url.URL{Path: got.Path, RawPath: got.RawPath}).EscapedPath()
		if raw != tc.rawPath {
			t.Errorf("%s %v: server got %q, want %q", tc.tmpl, tc.params, raw, tc.rawPath)
		}
		if !strings.HasPrefix(got.Path, "/api/") {
			t.Errorf("%s %v: left the base path: %q", tc.tmpl, tc.params, got.Path)
		}
	}
}

func TestTimeouts(t *testing.T) {
	c := newTestClient(t, "https://x")
	if c.timeout != DefaultTimeout || DefaultTimeout != 60*time.Second {
		t.Errorf("default client timeout = %v", c.timeout)
	}
	if c := newTestClient(t, "https://x", WithHTTPClient(&http.Client{Timeout: time.Second})); c.timeout != 0 || c.httpClient.(*http.Client).Timeout != time.Second {
		t.Errorf("a caller's client keeps its own timeout, got %v", c.timeout)
	}
	if c := newTestClient(t, "https://x", WithTimeout(0)); c.timeout != 0 {
		t.Errorf("WithTimeout(0) = %v", c.timeout)
	}
	if _, err := NewClient("https://x", WithTimeout(-time.Second)); err == nil {
		t.Error("negative timeout accepted")
	}
	// A stalled server: WithTimeout bounds the call whatever the doer, and
	// in either option order.
	stall := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(stall)
	for name, opts := range map[string][]ClientOption{
		"default client":     {WithTimeout(50 * time.Millisecond)},
		"caller client":      {WithHTTPClient(&http.Client{}), WithTimeout(50 * time.Millisecond)},
		"caller client, 2nd": {WithTimeout(50 * time.Millisecond), WithHTTPClient(&http.Client{})},
		"custom doer": {WithTimeout(50 * time.Millisecond), WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		}))},
	} {
		c := newTestClient(t, srv.URL, opts...)
		err := c.do(context.Background(), &operation{id: "Op", method: "GET", path: "/"}, nil, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// FuzzPathParam checks that no value can change the route: the expanded
// path is left alone by RFC 3986 dot-segment removal (net/url's
// ResolveReference), has the template's segment count, and the parameter's
// segment decodes back to the value.
func FuzzPathParam(f *testing.F) {
	for _, s := range []string{".", "..", "...", "a/../b", "../..", "%2e%2E", "?#%", "a b", ".%2E", "é/.", "./", "/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			return // refused by expandPath
		}
		r := newRequest(nil)
		r.setPath("id", v)
		p, err := r.expandPath("/base/{id}/tail")
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse("https://x" + p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		if got := u.ResolveReference(&url.URL{}).EscapedPath(); got != u.EscapedPath() {
			t.Fatalf("value %q: path %q normalises to %q", v, u.EscapedPath(), got)
		}
		segs := strings.Split(u.EscapedPath(), "/")
		if len(segs) != 4 || segs[1] != "base" || segs[3] != "tail" {
			t.Fatalf("value %q changed the route: %q", v, u.EscapedPath())
		}
		if back, err := url.PathUnescape(segs[2]); err != nil || back != v {
			t.Fatalf("value %q came back as %q (%v)", v, back, err)
		}
		// The other styles, alone, in arrays and beside a literal dot, may
		// not change the route either.
		for _, style := range []string{"simple", "label", "matrix"} {
			for _, val := range []any{v, []string{v, v}, map[string]string{v: v}} {
				for _, explode := range []bool{false, true} {
					r := newRequest(nil)
					r.setPathStyle("id", val, style, explode)
					r.setPath("x", v)
					p, err := r.expandPath("/base/{id}/{x}.{id}/tail")
					if err != nil {
						continue // an empty rendering is refused
					}
					u, err := url.Parse("https://x" + p)
					if err != nil {
						t.Fatalf("%s %v %q: %v", style, explode, p, err)
					}
					if got := u.ResolveReference(&url.URL{}).EscapedPath(); got != u.EscapedPath() {
						t.Fatalf("%s %v value %q: path %q normalises to %q", style, explode, v, u.EscapedPath(), got)
					}
					if segs := strings.Split(u.EscapedPath(), "/"); len(segs) != 5 || segs[1] != "base" || segs[4] != "tail" {
						t.Fatalf("%s %v value %q changed the route: %q", style, explode, v, u.EscapedPath())
					}
				}
			}
		}
	})
}
