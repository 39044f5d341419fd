package fake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestMatchSegment(t *testing.T) {
	for _, tc := range []struct {
		tmpl, seg string
		ok        bool
		vars      map[string]string
	}{
		{"{id}", "42", true, map[string]string{"id": "42"}},
		{"{id}", "", false, nil},
		{"pets", "pets", true, map[string]string{}},
		{"pets", "pet", false, nil},
		{"{id}.json", "7.json", true, map[string]string{"id": "7"}},
		{"{id}.json", "7.1.json", true, map[string]string{"id": "7.1"}},
		{"{id}.json", "7.xml", false, nil},
		{"v{major}.{minor}", "v1.2", true, map[string]string{"major": "1", "minor": "2"}},
		{"report-{from}-{to}", "report-a-b", true, map[string]string{"from": "a", "to": "b"}},
	} {
		vars := map[string]string{}
		ok := matchSegment(parseSegment(tc.tmpl), tc.seg, vars)
		if ok != tc.ok || (ok && !reflect.DeepEqual(vars, tc.vars)) {
			t.Errorf("%q against %q: %v %v, want %v %v", tc.tmpl, tc.seg, ok, vars, tc.ok, tc.vars)
		}
	}
}

func TestRouteSpecificity(t *testing.T) {
	ops := []*operation{
		{id: "get", method: "GET", path: "/pets/{id}"},
		{id: "mine", method: "GET", path: "/pets/mine"},
		{id: "del", method: "DELETE", path: "/pets/{id}"},
	}
	s := newServer(ops, nil, nil, nil)
	for _, tc := range []struct {
		method, path, op string
		allowed          []string
	}{
		{"GET", "/pets/mine", "mine", nil},
		{"GET", "/pets/m%69ne", "mine", nil},
		{"GET", "/pets/7", "get", nil},
		{"DELETE", "/pets/mine", "del", nil},
		{"PUT", "/pets/7", "", []string{"DELETE", "GET"}},
		{"GET", "/pets", "", nil},
		{"GET", "/pets/7/x", "", nil},
	} {
		rt, vars, allowed := s.route(tc.method, tc.path)
		got := ""
		if rt != nil {
			got = rt.op.id
		}
		if got != tc.op || !reflect.DeepEqual(allowed, tc.allowed) {
			t.Errorf("%s %s: %q %v, want %q %v", tc.method, tc.path, got, allowed, tc.op, tc.allowed)
		}
		if got == "get" && vars["id"] != "7" {
			t.Errorf("vars = %v", vars)
		}
	}
}

func TestValidate(t *testing.T) {
	s := &Server{schemas: []vobject{
		{name: "A", closed: true, fields: []vfield{
			{name: "n", t: vtype{kind: 'i'}, required: true},
			{name: "d", t: vtype{kind: 'n'}},
			{name: "s", t: vtype{kind: 's', null: true}},
			{name: "b", t: vtype{kind: 'o', obj: 1}},
			{name: "m", t: vtype{kind: 'm', elem: &vtype{kind: 'b'}}},
			{name: "x", t: vtype{kind: 'x'}},
		}},
		{name: "B", extra: &vtype{kind: 'i'}, fields: []vfield{
			{name: "list", t: vtype{kind: 'a', elem: &vtype{kind: 'o', obj: 1, null: true}}},
		}},
	}}
	top := &vtype{kind: 'o', obj: 0}
	for _, tc := range []struct{ body, want string }{
		{`{"n":1}`, ""},
		{`{"n":-0,"d":1e-3,"s":null,"x":[{}],"m":{"a":true},"b":{"k":3,"list":[null,{"list":[]}]}}`, ""},
		{`{}`, "n: required field missing"},
		{`{"n":1.5}`, "n: wrong type: a number, want an integer"},
		{`{"n":1e2}`, "n: wrong type: a number, want an integer"},
		{`{"n":99999999999999999999}`, "n: 99999999999999999999 is out of the range of a 64-bit integer"},
		{`{"n":"1"}`, "n: wrong type: a string, want an integer"},
		{`{"n":null}`, "n: null is not allowed, want an integer"},
		{`{"n":1,"d":"1"}`, "d: wrong type: a string, want a number"},
		{`{"n":1,"N":2}`, `N: unknown field (the spec spells it "n")`},
		{`{"n":1,"zz":2}`, "zz: unknown field"},
		{`{"n":1,"m":{"a":1}}`, "m.a: wrong type: an integer, want a boolean"},
		{`{"n":1,"b":{"k":"3"}}`, "b.k: wrong type: a string, want an integer"},
		{`{"n":1,"b":{"list":[{"list":[1]}]}}`, "b.list[0].list[0]: wrong type: an integer, want an object"},
		{`[]`, "wrong type: an array, want an object"},
		{`{"n":1} {}`, "not valid JSON: data after the value"},
		{`{"n":`, "not valid JSON: unexpected EOF"},
	} {
		err := s.validate([]byte(tc.body), top)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.body, got, tc.want)
		}
	}
}

type textVal struct{ s string }

func (v *textVal) UnmarshalText(b []byte) error {
	if string(b) == "bad" {
		return errors.New("bad text")
	}
	v.s = "<" + string(b) + ">"
	return nil
}

type level int32

func TestSetParam(t *testing.T) {
	type dst struct {
		I   *int64
		L   level
		F   float64
		B   *bool
		S   []string
		N   []int32
		T   textVal
		J   map[string]int
		Any any
	}
	for _, tc := range []struct {
		field  string
		raw    []string
		in     string
		style  string
		explod bool
		want   any
		err    string
	}{
		{"I", []string{"42"}, "query", "form", true, int64(42), ""},
		{"I", []string{"x"}, "query", "form", true, nil, `"x" is not an integer of 64 bits`},
		{"I", []string{"1", "2"}, "query", "form", true, nil, "sent 2 times, want once"},
		{"L", []string{"7"}, "path", "simple", false, level(7), ""},
		{"F", []string{"2.5"}, "header", "simple", false, 2.5, ""},
		{"B", []string{"true"}, "cookie", "form", false, true, ""},
		{"S", []string{"a", "b"}, "query", "form", true, []string{"a", "b"}, ""},
		{"S", []string{"a,b"}, "query", "form", false, []string{"a", "b"}, ""},
		{"S", []string{"a b"}, "query", "spaceDelimited", false, []string{"a", "b"}, ""},
		{"S", []string{"a|b"}, "query", "pipeDelimited", false, []string{"a", "b"}, ""},
		{"S", []string{"a,b"}, "path", "simple", false, []string{"a", "b"}, ""},
		{"S", []string{"a.b"}, "path", "label", true, []string{"a", "b"}, ""},
		{"N", []string{"1,x"}, "query", "form", false, nil, `item 1: "x" is not an integer of 32 bits`},
		{"T", []string{"hi"}, "query", "form", true, textVal{"<hi>"}, ""},
		{"T", []string{"bad"}, "query", "form", true, nil, "bad text"},
		{"J", []string{`{"a":1}`}, "query", "json", false, map[string]int{"a": 1}, ""},
		{"J", []string{"a,1"}, "query", "form", false, nil, "the fake does not read a parameter of type map[string]int in this style (only as JSON content)"},
		{"Any", []string{"v"}, "query", "form", true, "v", ""},
	} {
		var d dst
		f := reflect.ValueOf(&d).Elem().FieldByName(tc.field)
		err := setParam(f, tc.raw, tc.in, tc.style, tc.explod)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s %v: %v, want error %q", tc.field, tc.raw, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %v: %v", tc.field, tc.raw, err)
			continue
		}
		got := f.Interface()
		if f.Kind() == reflect.Pointer {
			got = f.Elem().Interface()
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %v: %#v, want %#v", tc.field, tc.raw, got, tc.want)
		}
	}
}

// pingServer is the stub APEX API with a Ping handler.
func pingServer(t *testing.T, opts ...Option) (*Server, *int) {
	t.Helper()
	s := NewServer(append([]Option{WithAPIKey("96", "key", "secret"), WithUser("ana", "pw")}, opts...)...)
	t.Cleanup(s.Close)
	calls := new(int)
	s.handle(opPing, func(ctx context.Context, x *exchange) error {
		*calls++
		var req struct{ OMSId int64 }
		if err := x.decodeBody(&req); err != nil {
			return err
		}
		if req.OMSId == 2 {
			return &Error{Code: 104, Message: "Resource Not Found", Detail: "no OMS 2"}
		}
		if req.OMSId == 3 {
			return errors.New("boom")
		}
		return x.writeJSON(200, map[string]any{"pong": SessionToken(ctx) != "", "hasRequest": RequestFrom(ctx) != nil})
	})
	return s, calls
}

func do(t *testing.T, s *Server, path string, header map[string]string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

func sign(secret, nonce, user, key string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(nonce + user + key))
	return hex.EncodeToString(mac.Sum(nil))
}

func login(t *testing.T, s *Server, body string, header map[string]string) (int, map[string]any) {
	t.Helper()
	status, data := do(t, s, "/AuthenticateUser", header, body)
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("login response %q: %v", data, err)
	}
	return status, m
}

func TestAPEXLoginAndSession(t *testing.T) {
	s, calls := pingServer(t, WithIdentity(Identity{UserID: 96, UserName: "ana", AccountID: 185, OMSID: 1}))
	keyBody := func(sig string) string {
		return `{"APIKey":"key","Signature":"` + sig + `","UserId":"96","Nonce":"5"}`
	}
	good := sign("secret", "5", "96", "key")

	_, m := login(t, s, keyBody(good), nil)
	tok, _ := m["SessionToken"].(string)
	if m["authenticated"] != true || tok == "" || m["user"].(map[string]any)["accountId"] != 185.0 {
		t.Fatalf("API-key login: %v", m)
	}
	for _, tc := range []struct {
		name, body string
		header     map[string]string
		status     int
		want       string
	}{
		{"wrong signature", keyBody(sign("other", "5", "96", "key")), nil, 200, `"authenticated":false`},
		{"upper-case signature", keyBody(strings.ToUpper(good)), nil, 200, `"authenticated":false`},
		{"header disagrees", keyBody(good), map[string]string{"Nonce": "6"}, 200, `"errorcode":100,"detail":"header Nonce disagrees with the body"`},
		{"missing member", `{"APIKey":"key","UserId":"96","Nonce":"5"}`, nil, 200, `"detail":"request body: Signature: required field missing"`},
		{"unknown member", `{"APIKey":"key","Signature":"x","UserId":"96","Nonce":"5","Secret":"s"}`, nil, 200, `"detail":"request body: Secret: unknown field"`},
		{"number user id", `{"APIKey":"key","Signature":"x","UserId":96,"Nonce":"5"}`, nil, 200, `"detail":"request body: UserId: wrong type: want a string"`},
		{"token on login", keyBody(good), map[string]string{"aptoken": tok}, 200, `"detail":"a login call must not carry a session token"`},
		{"password", `{"UserName":"ana","Password":"pw"}`, nil, 200, `"authenticated":true`},
		{"wrong password", `{"UserName":"ana","Password":"pw2"}`, nil, 200, `"authenticated":false`},
	} {
		status, data := do(t, s, "/AuthenticateUser", tc.header, tc.body)
		if status != tc.status || !strings.Contains(data, tc.want) {
			t.Errorf("%s: %d %s, want %d with %s", tc.name, status, data, tc.status, tc.want)
		}
	}

	ping := `{"OMSId":1}`
	for _, tc := range []struct {
		name   string
		header map[string]string
		body   string
		status int
		want   string
	}{
		{"no token", nil, ping, 401, `{"result":false,"errormsg":"Not Authorized","errorcode":20,"detail":"no session token (log in first)"}`},
		{"unknown token", map[string]string{"aptoken": "nope"}, ping, 401, `"detail":"the session token is not valid"`},
		{"bearer", map[string]string{"Authorization": "Bearer " + tok}, ping, 200, `{"hasRequest":true,"pong":true}`},
		{"both agree", map[string]string{"Authorization": "Bearer " + tok, "aptoken": tok}, ping, 200, `"pong":true`},
		{"both disagree", map[string]string{"Authorization": "Bearer " + tok, "aptoken": "x"}, ping, 200, `"detail":"Authorization and aptoken carry different session tokens"`},
		{"basic auth", map[string]string{"Authorization": "Basic eDp5"}, ping, 401, `"errorcode":20`},
		{"invalid body", map[string]string{"aptoken": tok}, `{"OMSId":"1"}`, 200, `{"result":false,"errormsg":"Invalid Request","errorcode":100,"detail":"request body: OMSId: wrong type: a string, want an integer"}`},
		{"empty body", map[string]string{"aptoken": tok}, ``, 200, `"detail":"the request body is required"`},
		{"handler *Error", map[string]string{"aptoken": tok}, `{"OMSId":2}`, 200, `{"result":false,"errormsg":"Resource Not Found","errorcode":104,"detail":"no OMS 2"}`},
		{"handler error", map[string]string{"aptoken": tok}, `{"OMSId":3}`, 200, `{"result":false,"errormsg":"Operation Failed","errorcode":101,"detail":"handler failed: boom"}`},
	} {
		status, data := do(t, s, "/Ping", tc.header, tc.body)
		if status != tc.status || !strings.Contains(data, tc.want) {
			t.Errorf("%s: %d %s, want %d with %s", tc.name, status, data, tc.status, tc.want)
		}
	}
	if *calls != 4 {
		t.Errorf("handler ran %d times, want 4 (the checks stop the others)", *calls)
	}

	// IssueToken mints a usable token; Tokens lists them all.
	extra := s.IssueToken()
	if status, _ := do(t, s, "/Ping", map[string]string{"aptoken": extra}, ping); status != 200 {
		t.Errorf("issued token refused: %d", status)
	}
	if toks := s.Tokens(); len(toks) != 3 || toks[0] != tok || toks[2] != extra {
		t.Errorf("Tokens = %v", toks)
	}
	// Unregistered: 501 naming the operation and the method to call.
	s.handle(opPing, nil)
	if status, data := do(t, s, "/Ping", map[string]string{"aptoken": tok}, ping); status != 501 || !strings.Contains(data, `"errormsg":"not implemented: Ping (the test registered no handler; call HandlePing)","errorcode":106`) {
		t.Errorf("unregistered: %d %s", status, data)
	}
	if status, data := do(t, s, "/Nope", map[string]string{"aptoken": tok}, ping); status != 404 || !strings.Contains(data, `"errorcode":104`) {
		t.Errorf("unknown path: %d %s", status, data)
	}
	calls2 := s.Calls()
	if len(calls2) == 0 || calls2[0].Operation != "AuthenticateUser" || calls2[len(calls2)-1].Operation != "" || calls2[len(calls2)-1].Path != "/Nope" {
		t.Errorf("call record: first %+v last %+v", calls2[0], calls2[len(calls2)-1])
	}
}

func TestAPEXTwoFactorAndLogOut(t *testing.T) {
	ops := []*operation{opPing, {id: "LogOut", method: "POST", path: "/LogOut", handler: "HandleLogOut"}}
	s := newServer(ops, schemas, configure, []Option{WithAPIKey("96", "key", "secret"), WithTwoFactor("2468"), WithBasePath("/ap/")}).start()
	t.Cleanup(s.Close)
	if !strings.HasSuffix(s.URL, "/ap") {
		t.Fatalf("URL %q lacks the base path", s.URL)
	}
	_, m := login(t, s, `{"APIKey":"key","Signature":"`+sign("secret", "1", "96", "key")+`","UserId":"96","Nonce":"1"}`, nil)
	pt, _ := m["twoFAToken"].(string)
	if m["requires2FA"] != true || pt == "" || m["SessionToken"] != nil {
		t.Fatalf("login with 2FA: %v", m)
	}
	if status, data := do(t, s, "/Authenticate2FA", map[string]string{"Pending2FaToken": "x"}, `{"Code":"2468"}`); status != 401 || !strings.Contains(data, `"errorcode":20`) {
		t.Errorf("2FA without the pending token: %d %s", status, data)
	}
	if _, data := do(t, s, "/Authenticate2FA", map[string]string{"Pending2FaToken": pt}, `{"Code":"1111"}`); !strings.Contains(data, `"Authenticated":false`) {
		t.Errorf("wrong code: %s", data)
	}
	_, data := do(t, s, "/Authenticate2FA", map[string]string{"Pending2FaToken": pt}, `{"Code":"2468"}`)
	var res struct {
		Authenticated bool
		SessionToken  string
	}
	if json.Unmarshal([]byte(data), &res) != nil || !res.Authenticated || res.SessionToken == "" {
		t.Fatalf("2FA: %s", data)
	}
	if status, _ := do(t, s, "/Authenticate2FA", map[string]string{"Pending2FaToken": pt}, `{"Code":"2468"}`); status != 401 {
		t.Errorf("the pending token was reused")
	}
	// LogOut without a handler answers success and ends the session.
	h := map[string]string{"aptoken": res.SessionToken}
	if status, data := do(t, s, "/LogOut", h, `{}`); status != 200 || data != `{"result":true,"errormsg":null,"errorcode":0,"detail":null}` {
		t.Errorf("LogOut: %d %s", status, data)
	}
	if status, _ := do(t, s, "/LogOut", h, `{}`); status != 401 {
		t.Errorf("the token outlived LogOut: %d", status)
	}
	// Outside the base path nothing is served.
	req, _ := http.NewRequest("POST", strings.TrimSuffix(s.URL, "/ap")+"/Ping", strings.NewReader("{}"))
	res2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != 404 {
		t.Errorf("outside the base path: %d", res2.StatusCode)
	}
}

func TestDefaultErrors(t *testing.T) {
	s := newServer([]*operation{{id: "op", method: "GET", path: "/x", handler: "HandleOp", media: []string{"application/json", "image/*"}}}, nil, nil, []Option{WithMaxBodyBytes(4)})
	s.handle(s.routes[0].op, func(ctx context.Context, x *exchange) error {
		return &Error{Status: 409, Body: map[string]int{"code": 9}}
	})
	for _, tc := range []struct {
		method, body, ct string
		status           int
		want             string
	}{
		{"GET", "", "", 409, `{"code":9}`},
		{"GET", "{}", "Application/JSON; charset=utf-8", 409, `{"code":9}`},
		{"GET", "x", "image/png", 409, `{"code":9}`},
		{"GET", "x", "text/plain", 415, `{"error":"op: Content-Type \"text/plain\" is not a declared request media type (application/json, image/*)","operation":"op"}`},
		{"GET", "12345", "", 400, `{"error":"op: request body larger than 4 bytes","operation":"op"}`},
		{"POST", "", "", 405, `{"error":"method POST is not allowed on /x (allowed: GET)"}`},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tc.method, "/x", strings.NewReader(tc.body))
		if tc.ct != "" {
			req.Header.Set("Content-Type", tc.ct)
		}
		s.ServeHTTP(rec, req)
		if rec.Code != tc.status || rec.Body.String() != tc.want {
			t.Errorf("%s %q: %d %s, want %d %s", tc.method, tc.body, rec.Code, rec.Body.String(), tc.status, tc.want)
		}
	}
}

// TestAPEXPublicOperation: an operation the spec declares without security
// runs without a session, but a token it carries must be valid.
func TestAPEXPublicOperation(t *testing.T) {
	pub := &operation{id: "Pub", method: "POST", path: "/Pub", handler: "HandlePub", public: true}
	s := newServer([]*operation{pub}, nil, configure, nil).start()
	t.Cleanup(s.Close)
	s.handle(pub, func(ctx context.Context, x *exchange) error { return x.writeEmpty(204) })
	if status, _ := do(t, s, "/Pub", nil, `{}`); status != 204 {
		t.Errorf("public operation without a token: %d", status)
	}
	if status, _ := do(t, s, "/Pub", map[string]string{"aptoken": "stale"}, `{}`); status != 401 {
		t.Errorf("public operation with an invalid token: %d", status)
	}
	tok := s.IssueToken()
	if status, _ := do(t, s, "/Pub", map[string]string{"aptoken": tok}, `{}`); status != 204 {
		t.Errorf("public operation with a valid token: %d", status)
	}
}
