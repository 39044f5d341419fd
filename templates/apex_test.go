package templates

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testAPIKey = "0123456789abcdef0123456789abcdef"
	testSecret = "secret-abc"
	testUserID = "96"
	testNonce  = "2247733562"
)

func TestSign(t *testing.T) {
	// Independently computed: HMAC-SHA256(key=secret, msg=nonce+userId+apiKey).
	mac := hmac.New(sha256.New, []byte(testSecret))
	io.WriteString(mac, testNonce+testUserID+testAPIKey)
	want := hex.EncodeToString(mac.Sum(nil))
	if got := Sign(testSecret, testNonce, testUserID, testAPIKey); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	// Fixed vector (computed with Python's hmac module) so that the test
	// does not merely restate the implementation.
	if got := Sign(testSecret, testNonce, testUserID, testAPIKey); got != "56117a6c09b6e93808e501f1c65f4d5deb9afe82b8c380001e17b09055623b86" {
		t.Errorf("Sign = %s", got)
	}
}

// fakeKIIEX is a fake exchange: it verifies API-key logins, issues tokens,
// and checks that later calls carry a valid one.
type fakeKIIEX struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	valid   map[string]bool
	issued  atomic.Int64
	lastHdr http.Header
	// loginResponse, when set, replaces the default successful response.
	loginResponse func(n int64) string
	twoFA         bool
	bad           atomic.Int64 // requests whose token headers disagreed
}

func newFakeKIIEX(t *testing.T) *fakeKIIEX {
	f := &fakeKIIEX{t: t, valid: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeKIIEX) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.lastHdr = r.Header.Clone()
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/ap/AuthenticateUser":
		if r.Header.Get("Authorization") != "" || r.Header.Get("aptoken") != "" {
			http.Error(w, `{"errormsg":"token sent to login"}`, http.StatusBadRequest)
			return
		}
		var req map[string]string
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		if req["UserName"] != "" {
			if req["Password"] != "pw-SECRET" {
				io.WriteString(w, `{"authenticated":false,"locked":false,"errormsg":"Invalid username or password"}`)
				return
			}
			if f.twoFA {
				io.WriteString(w, `{"authenticated":true,"requires2FA":true,"twoFAType":"Google","twoFAToken":"pending-SECRET","user":{"userId":5,"userName":"bob","accountId":9,"omsId":1}}`)
				return
			}
		} else {
			// API-key login: body and headers must agree and the
			// signature must verify.
			for _, k := range []string{"APIKey", "Signature", "UserId", "Nonce"} {
				if r.Header.Get(k) != req[k] || req[k] == "" {
					http.Error(w, "header/body mismatch for "+k, http.StatusBadRequest)
					return
				}
			}
			mac := hmac.New(sha256.New, []byte(testSecret))
			io.WriteString(mac, req["Nonce"]+req["UserId"]+req["APIKey"])
			if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(req["Signature"])) {
				io.WriteString(w, `{"authenticated":false,"locked":false,"requires2FA":false,"errormsg":"Invalid signature"}`)
				return
			}
		}
		n := f.issued.Add(1)
		tok := fmt.Sprintf("tok-%d", n)
		f.mu.Lock()
		f.valid[tok] = true
		f.mu.Unlock()
		if f.loginResponse != nil {
			io.WriteString(w, f.loginResponse(n))
			return
		}
		fmt.Fprintf(w, `{"authenticated":true,"locked":false,"requires2FA":false,"twoFAType":null,"twoFAToken":null,`+
			`"user":{"userId":96,"userName":"alice","email":"a@example.com","emailVerified":true,"accountId":7,"omsId":1,"use2FA":false},"SessionToken":%q}`, tok)
	case "/ap/Authenticate2FA":
		var req map[string]string
		json.Unmarshal(body, &req)
		if r.Header.Get("Pending2FaToken") != "pending-SECRET" || r.Header.Get("aptoken") != "" {
			http.Error(w, "missing pending token", http.StatusBadRequest)
			return
		}
		if req["Code"] != "123456" {
			io.WriteString(w, `{"Authenticated":false}`)
			return
		}
		f.mu.Lock()
		f.valid["tok-2fa"] = true
		f.mu.Unlock()
		io.WriteString(w, `{"Authenticated":true,"SessionToken":"tok-2fa"}`)
	default:
		auth, ap := r.Header.Get("Authorization"), r.Header.Get("aptoken")
		if auth != "" && ap != "" && auth != "Bearer "+ap {
			f.bad.Add(1)
		}
		tok := strings.TrimPrefix(auth, "Bearer ")
		if tok == "" {
			tok = ap
		}
		f.mu.Lock()
		ok := f.valid[tok]
		f.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"result":false,"errormsg":"Not Authorized","errorcode":20,"detail":null}`)
			return
		}
		if r.URL.Path == "/ap/LogOut" {
			f.mu.Lock()
			delete(f.valid, tok)
			f.mu.Unlock()
			io.WriteString(w, `{"result":true,"errormsg":null,"errorcode":0,"detail":null}`)
			return
		}
		io.WriteString(w, `[{"ProductSymbol":"USDT","Amount":100.5}]`)
	}
}

func (f *fakeKIIEX) header() http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastHdr
}

var opPositions = &operation{id: "GetAccountPositions", method: "POST", path: "/GetAccountPositions", security: [][]string{{"bearerAuth"}}, apex: true}

func login() APIKeyLogin {
	return APIKeyLogin{APIKey: testAPIKey, APISecret: testSecret, UserID: testUserID, Nonce: testNonce}
}

func TestLoginWithAPIKey(t *testing.T) {
	f := newFakeKIIEX(t)
	c, err := NewClient(f.srv.URL + "/ap")
	if err != nil {
		t.Fatal(err)
	}
	// Before login: rejected.
	if err := c.do(context.Background(), opPositions, nil, nil); !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("before login: %v", err)
	}
	sess, err := c.LoginWithAPIKey(context.Background(), login())
	if err != nil {
		t.Fatal(err)
	}
	want := Session{Authenticated: true, UserID: 96, UserName: "alice", Email: "a@example.com", AccountID: 7, OMSID: 1, token: "tok-1"}
	if *sess != want || sess.Token() != "tok-1" {
		t.Errorf("session = %+v", *sess)
	}
	var out []struct {
		ProductSymbol string
		Amount        Decimal
	}
	if err := c.do(context.Background(), opPositions, nil, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Amount.String() != "100.5" {
		t.Errorf("out = %v", out)
	}
	h := f.header()
	if h.Get("Authorization") != "Bearer tok-1" || h.Get("aptoken") != "tok-1" {
		t.Errorf("later call headers: %v", h)
	}
	// A generated AuthenticateUser method (same operationId) does not carry
	// the token either.
	genLogin := &operation{id: "AuthenticateUser", method: "POST", path: "/AuthenticateUser", security: [][]string{{"bearerAuth"}}}
	r := newRequest(nil)
	r.setJSON(map[string]string{"UserName": "x", "Password": "y"})
	c.do(context.Background(), genLogin, r, nil)
	if h := f.header(); h.Get("Authorization") != "" || h.Get("aptoken") != "" {
		t.Errorf("token sent to AuthenticateUser: %v", h)
	}

	// The generated LogOut method (an APEX operation with that id) sends
	// the token once more and then forgets it.
	genLogOut := &operation{id: "LogOut", method: "POST", path: "/LogOut", security: [][]string{{"bearerAuth"}}, apex: true}
	r = newRequest(nil)
	r.setJSON(struct{}{})
	if err := c.do(context.Background(), genLogOut, r, nil); err != nil {
		t.Fatal(err)
	}
	if h := f.header(); h.Get("aptoken") != "tok-1" {
		t.Errorf("LogOut sent no token: %v", h)
	}
	if err := c.do(context.Background(), opPositions, nil, nil); !errors.Is(err, ErrNotAuthorized) {
		t.Errorf("after logout: %v", err)
	}
	if h := f.header(); h.Get("Authorization") != "" || h.Get("aptoken") != "" {
		t.Errorf("token sent after logout: %v", h)
	}
}

func TestLoginRejected(t *testing.T) {
	f := newFakeKIIEX(t)
	c, _ := NewClient(f.srv.URL + "/ap")
	bad := login()
	bad.APISecret = "wrong-SECRET"
	sess, err := c.LoginWithAPIKey(context.Background(), bad)
	var ae *APIError
	if sess != nil || !errors.As(err, &ae) || !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("sess %v err %v", sess, err)
	}
	if ae.Message != "Invalid signature" || ae.Operation != "AuthenticateUser" || ae.StatusCode != 200 {
		t.Errorf("APIError = %#v", ae)
	}
	assertNoSecret(t, "login error", err, "wrong-SECRET", Sign("wrong-SECRET", testNonce, testUserID, testAPIKey))

	_, err = c.LoginWithPassword(context.Background(), "bob", "nope-SECRET")
	if !errors.Is(err, ErrNotAuthorized) || !strings.Contains(err.Error(), "Invalid username or password") {
		t.Errorf("password: %v", err)
	}
	assertNoSecret(t, "password error", err, "nope-SECRET")

	_, err = c.LoginWithAPIKey(context.Background(), APIKeyLogin{APIKey: "k"})
	if err == nil || err.Error() != "LoginWithAPIKey: missing APISecret, UserID" {
		t.Errorf("missing fields: %v", err)
	}
	if _, err := c.LoginWithPassword(context.Background(), "", ""); err == nil {
		t.Error("empty password login accepted")
	}
}

func TestLoginTransportOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		check  func(t *testing.T, s *Session, err error)
	}{
		{"401", 401, ``, func(t *testing.T, s *Session, err error) {
			if s != nil || !errors.Is(err, ErrNotAuthorized) {
				t.Errorf("%v %v", s, err)
			}
		}},
		{"apex envelope", 200, `{"result":false,"errormsg":"Not Authorized","errorcode":20}`, func(t *testing.T, s *Session, err error) {
			if s != nil || !errors.Is(err, ErrNotAuthorized) {
				t.Errorf("%v %v", s, err)
			}
		}},
		{"locked", 200, `{"authenticated":false,"locked":true}`, func(t *testing.T, s *Session, err error) {
			if !errors.Is(err, ErrNotAuthorized) || !strings.Contains(err.Error(), "account locked") {
				t.Errorf("%v", err)
			}
		}},
		{"no token", 200, `{"authenticated":true,"user":{"userId":"96"}}`, func(t *testing.T, s *Session, err error) {
			if !errors.Is(err, ErrNoSessionToken) || s == nil || !s.Authenticated || s.UserID != 96 {
				t.Errorf("%v %v", s, err)
			}
		}},
		{"older APEX spelling", 200, `{"Authenticated":true,"User":{"UserId":3,"UserName":"u","AccountId":4,"OMSId":5},"SessionToken":"t"}`, func(t *testing.T, s *Session, err error) {
			if err != nil || s.UserID != 3 || s.AccountID != 4 || s.OMSID != 5 || s.UserName != "u" || s.Token() != "t" {
				t.Errorf("%+v %v", s, err)
			}
		}},
		{"odd member types ignored", 200, `{"authenticated":true,"locked":"no","token":"t"}`, func(t *testing.T, s *Session, err error) {
			if err != nil || s.Token() != "t" {
				t.Errorf("%+v %v", s, err)
			}
		}},
		{"not an object", 200, `[]`, func(t *testing.T, s *Session, err error) {
			if err == nil || !strings.HasPrefix(err.Error(), "AuthenticateUser: decode response: ") {
				t.Errorf("%v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := recorder(t, tc.status, tc.body)
			c, _ := NewClient(srv.URL)
			s, err := c.LoginWithPassword(context.Background(), "u", "p")
			tc.check(t, s, err)
		})
	}
}

func TestLoginTokenFieldNames(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"authenticated":true,"SessionToken":"a","token":"b"}`, "a"},
		{`{"authenticated":true,"sessionToken":"a"}`, "a"},
		{`{"authenticated":true,"Token":"a"}`, "a"},
		{`{"authenticated":true,"token":"a"}`, "a"},
		{`{"authenticated":true,"aptoken":"a"}`, "a"},
		{`{"authenticated":true,"SessionToken":"","token":"b"}`, "b"},
		{`{"authenticated":true,"SessionToken":null,"aptoken":"c"}`, "c"},
	} {
		srv, last := recorder(t, 200, tc.body)
		c, _ := NewClient(srv.URL)
		s, err := c.LoginWithAPIKey(context.Background(), login())
		if err != nil || s.Token() != tc.want {
			t.Errorf("%s: token %q err %v", tc.body, s.Token(), err)
			continue
		}
		c.do(context.Background(), opPositions, nil, nil)
		if got := last().Header.Get("aptoken"); got != tc.want {
			t.Errorf("%s: later aptoken %q", tc.body, got)
		}
	}
}

func TestTwoFactorLogin(t *testing.T) {
	f := newFakeKIIEX(t)
	f.twoFA = true
	c, _ := NewClient(f.srv.URL + "/ap")
	sess, err := c.LoginWithPassword(context.Background(), "bob", "pw-SECRET")
	var tfe *TwoFactorRequiredError
	if !errors.As(err, &tfe) || !errors.Is(err, ErrTwoFactorRequired) || tfe.TwoFAType != "Google" {
		t.Fatalf("err = %v", err)
	}
	if sess == nil || !sess.Requires2FA || sess.Authenticated || sess.TwoFAType != "Google" || sess.UserName != "bob" || sess.Token() != "" {
		t.Fatalf("session = %+v", sess)
	}
	assertNoSecret(t, "2FA error", err, "pending-SECRET", "pw-SECRET")
	// Not usable yet.
	if err := c.do(context.Background(), opPositions, nil, nil); !errors.Is(err, ErrNotAuthorized) {
		t.Errorf("before 2FA: %v", err)
	}
	if _, err := c.Complete2FA(context.Background(), "000000"); !errors.Is(err, ErrNotAuthorized) {
		t.Errorf("wrong code: %v", err)
	}
	sess, err = c.Complete2FA(context.Background(), "123456")
	if err != nil {
		t.Fatal(err)
	}
	if !sess.Authenticated || sess.Requires2FA || sess.UserName != "bob" || sess.AccountID != 9 || sess.Token() != "tok-2fa" {
		t.Errorf("session = %+v", sess)
	}
	if err := c.do(context.Background(), opPositions, nil, nil); err != nil {
		t.Errorf("after 2FA: %v", err)
	}
	if h := f.header(); h.Get("aptoken") != "tok-2fa" {
		t.Errorf("headers %v", h)
	}
	if _, err := c.Complete2FA(context.Background(), ""); err == nil {
		t.Error("empty code accepted")
	}
}

func TestTokenPlacement(t *testing.T) {
	for _, tc := range []struct {
		p          TokenPlacement
		auth, apTk string
	}{
		{TokenBoth, "Bearer pre", "pre"},
		{TokenBearer, "Bearer pre", ""},
		{TokenAPToken, "", "pre"},
	} {
		srv, last := recorder(t, 200, `{}`)
		c, err := NewClient(srv.URL, WithSessionToken("pre"), WithTokenPlacement(tc.p))
		if err != nil {
			t.Fatal(err)
		}
		c.do(context.Background(), &operation{id: "Any", method: "POST", path: "/Any"}, nil, nil)
		h := last().Header
		if h.Get("Authorization") != tc.auth || h.Get("aptoken") != tc.apTk {
			t.Errorf("%v: headers %v", tc.p, h)
		}
	}
	if _, err := NewClient("https://x", WithTokenPlacement(TokenPlacement(9))); err == nil {
		t.Error("invalid placement accepted")
	}
	if _, err := NewClient("https://x", WithSessionToken("")); err == nil {
		t.Error("empty session token accepted")
	}
	if TokenAPToken.String() != "TokenAPToken" || TokenPlacement(9).String() != "TokenPlacement(9)" {
		t.Error("TokenPlacement.String")
	}
	// The session token wins over a configured bearer credential.
	srv, last := recorder(t, 200, `{}`)
	c, _ := NewClient(srv.URL, WithAuth("bearerAuth", BearerToken("static")), WithSessionToken("sess"))
	c.do(context.Background(), opPositions, nil, nil)
	if got := last().Header.Get("Authorization"); got != "Bearer sess" {
		t.Errorf("Authorization = %q", got)
	}
	c.SetSessionToken("")
	c.do(context.Background(), opPositions, nil, nil)
	if got := last().Header.Get("Authorization"); got != "Bearer static" {
		t.Errorf("after clearing the session: %q", got)
	}
}

func TestConcurrentTokenRotation(t *testing.T) {
	f := newFakeKIIEX(t)
	c, _ := NewClient(f.srv.URL+"/ap", WithAuth("bearerAuth", BearerToken("static")))
	if _, err := c.LoginWithAPIKey(context.Background(), login()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 30 {
				if err := c.do(ctx, opPositions, nil, nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := c.LoginWithAPIKey(ctx, login()); err != nil {
					t.Error(err)
					return
				}
				c.SetAuth("bearerAuth", BearerToken("static2"))
				_ = fmt.Sprintf("%+v %#v", c, c) // printing races with rotation too
			}
		}()
	}
	wg.Wait()
	if n := f.bad.Load(); n != 0 {
		t.Errorf("%d requests carried mismatched Authorization and aptoken", n)
	}
	if f.issued.Load() != 16 {
		t.Errorf("issued %d tokens", f.issued.Load())
	}
}

func TestLoginHonoursContextWhileWaiting(t *testing.T) {
	c, _ := NewClient("https://x")
	s := c.apexSession()
	s.lock(context.Background()) // another login in progress
	defer s.unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.LoginWithAPIKey(ctx, login()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestApexTypesRedacted(t *testing.T) {
	l := login()
	assertNoSecret(t, "APIKeyLogin", l, testSecret)
	if got := fmt.Sprintf("%+v", l); got != "{APIKey:"+testAPIKey+" APISecret:[REDACTED] UserID:96 Nonce:"+testNonce+"}" {
		t.Errorf("APIKeyLogin = %s", got)
	}
	s := &Session{Authenticated: true, UserName: "alice", token: "tok-SECRET"}
	assertNoSecret(t, "Session", s, "tok-SECRET")
	assertNoSecret(t, "Session value", *s, "tok-SECRET")
	if !strings.Contains(fmt.Sprintf("%+v", s), "token:[REDACTED]") {
		t.Errorf("Session = %+v", s)
	}
	sig := Sign(testSecret, testNonce, testUserID, testAPIKey)
	assertNoSecret(t, "key login body", apexKeyLoginBody{APIKey: "k", Signature: sig, UserID: "1", Nonce: "2"}, sig)
	assertNoSecret(t, "password body", apexPasswordLoginBody{UserName: "u", Password: "pw-SECRET"}, "pw-SECRET")
	assertNoSecret(t, "2FA body", apex2FABody{Code: "987654"}, "987654")
	assertNoSecret(t, "TwoFactorRequiredError", &TwoFactorRequiredError{TwoFAType: "Google"}, "pending")
	c, _ := NewClient("https://x", WithSessionToken("sess-SECRET"))
	c.apexSession().pending = &apexPendingLogin{twoFAToken: "pend-SECRET", session: Session{token: "x-SECRET"}}
	assertNoSecret(t, "client with session", c, "SECRET")
}

// TestLogOutForgetsTokenOnFailure: a failed LogOut still ends the client's
// use of the session.
func TestLogOutForgetsTokenOnFailure(t *testing.T) {
	f := newFakeKIIEX(t)
	c, _ := NewClient(f.srv.URL + "/ap")
	if _, err := c.LoginWithAPIKey(context.Background(), login()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	genLogOut := &operation{id: "LogOut", method: "POST", path: "/LogOut", apex: true}
	if err := c.do(ctx, genLogOut, nil, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("LogOut with a cancelled context: %v", err)
	}
	c.do(context.Background(), opPositions, nil, nil)
	if h := f.header(); h.Get("Authorization") != "" || h.Get("aptoken") != "" {
		t.Errorf("token sent after a failed LogOut: %v", h)
	}
	// Another API's operation called LogOut (not APEX) leaves it alone.
	c2, _ := NewClient(f.srv.URL + "/ap")
	c2.SetSessionToken("tok-x")
	c2.do(context.Background(), &operation{id: "LogOut", method: "POST", path: "/LogOut"}, nil, nil)
	if st := c2.apexSession().state.Load(); st.token != "tok-x" {
		t.Errorf("non-APEX LogOut cleared the token")
	}
}

func TestNextNonceStrictlyIncreasing(t *testing.T) {
	var prev int64
	for range 1000 {
		n, err := strconv.ParseInt(NextNonce(), 10, 64)
		if err != nil || n <= prev {
			t.Fatalf("nonce %d after %d (%v)", n, prev, err)
		}
		prev = n
	}
	// Close to the current Unix time in microseconds (a server may check
	// freshness), never behind the clock.
	if now := time.Now().UnixMicro(); prev > now+1000 || prev < now-int64(time.Minute/time.Microsecond) {
		t.Errorf("nonce %d far from now %d", prev, now)
	}
}

func TestConcurrentLoginsUseDistinctNonces(t *testing.T) {
	// 20 logins at once with Nonce left empty: each must be signed with its
	// own nonce, and the server (which rejects a reused one, as an exchange
	// would) must accept all of them.
	var mu sync.Mutex
	seen := map[string]bool{}
	var order []int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req map[string]string
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad json", 400)
			return
		}
		n := req["Nonce"]
		if r.Header.Get("Nonce") != n || req["Signature"] != Sign(testSecret, n, req["UserId"], req["APIKey"]) {
			io.WriteString(w, `{"authenticated":false,"errormsg":"bad signature"}`)
			return
		}
		mu.Lock()
		reused := seen[n]
		seen[n] = true
		v, _ := strconv.ParseInt(n, 10, 64)
		order = append(order, v)
		mu.Unlock()
		if reused || n == "" {
			io.WriteString(w, `{"authenticated":false,"errormsg":"nonce reused"}`)
			return
		}
		fmt.Fprintf(w, `{"authenticated":true,"SessionToken":"tok-%s"}`, n)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	l := login()
	l.Nonce = ""
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.LoginWithAPIKey(context.Background(), l); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(seen) != 20 {
		t.Errorf("%d distinct nonces for 20 logins", len(seen))
	}
	// A client's logins are serialized and draw their nonce once their
	// turn has come, so the server sees them increase.
	for i := 1; i < len(order); i++ {
		if order[i] <= order[i-1] {
			t.Errorf("nonces arrived out of order: %v", order)
			break
		}
	}
	// An explicit nonce is sent as given.
	l.Nonce = "777"
	c.LoginWithAPIKey(context.Background(), l)
	if !seen["777"] {
		t.Error("explicit nonce not used")
	}
}
