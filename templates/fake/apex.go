package fake

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// This file is copied only into fakes of APEX-style specs (KIIEX). It adds
// what every APEX server does before an operation runs: the login calls
// (AuthenticateUser with an API key or a password, Authenticate2FA), the
// session token they issue, the check of that token on every other call
// (as "Authorization: Bearer <token>" or "aptoken: <token>"; both, when
// sent, must agree), LogOut ending the session, and failures reported as
// the APEX envelope {"result": false, "errormsg", "errorcode", "detail"}.
// The login calls are answered here whether or not the spec declares them,
// as the client's LoginWithAPIKey calls them by name.

// Identity is the user a successful login reports (the "user" member of
// the AuthenticateUser response).
type Identity struct {
	// UserID is the user's id ("userId").
	UserID int64
	// UserName is the login name ("userName").
	UserName string
	// Email is the user's address ("email").
	Email string
	// AccountID is the default account ("accountId").
	AccountID int64
	// OMSID is the order management system ("omsId").
	OMSID int64
}

type apexKey struct{ userID, apiKey, secret string }

type apexUser struct{ name, password string }

// apexState is the login configuration and the sessions of one Server.
type apexState struct {
	mu       sync.Mutex
	keys     []apexKey
	users    []apexUser
	twoFA    string
	identity Identity
	tokens   map[string]bool // valid session tokens
	issued   []string        // every token issued, in order
	pending  map[string]bool // twoFAToken of logins waiting for the code
}

// enableAPEX installs the APEX behaviour; the generated configure calls it
// for APEX specs.
func enableAPEX(s *Server) {
	a := &apexState{
		identity: Identity{UserID: 1, UserName: "fake", Email: "fake@example.com", AccountID: 1, OMSID: 1},
		tokens:   map[string]bool{},
		pending:  map[string]bool{},
	}
	s.ext = a
	s.failure = apexFailure
	s.write = apexWrite
	s.intercept = func(w http.ResponseWriter, r *http.Request, rel string, body []byte) bool {
		return a.intercept(s, w, r, rel, body)
	}
	s.authorize = a.authorize
	s.fallback = a.fallback
}

func apexOf(s *Server) *apexState {
	a, ok := s.ext.(*apexState)
	if !ok {
		panic("fake: an APEX option on a server that is not APEX-style")
	}
	return a
}

// WithAPIKey accepts the API-key login (LoginWithAPIKey) of userID with
// apiKey, whose signature must be hex(HMAC-SHA256(secret,
// Nonce+UserId+APIKey)) exactly as the client computes it. Several keys
// may be configured.
func WithAPIKey(userID, apiKey, secret string) Option {
	return func(s *Server) {
		a := apexOf(s)
		a.keys = append(a.keys, apexKey{userID, apiKey, secret})
		if n, err := strconv.ParseInt(userID, 10, 64); err == nil && len(a.keys) == 1 {
			a.identity.UserID = n
		}
	}
}

// WithUser accepts the password login (LoginWithPassword) of name.
func WithUser(name, password string) Option {
	return func(s *Server) {
		a := apexOf(s)
		a.users = append(a.users, apexUser{name, password})
	}
}

// WithTwoFactor makes every login wait for a second factor: the login
// answers requires2FA with a twoFAToken, and Authenticate2FA with that
// token (header Pending2FaToken) and code issues the session.
func WithTwoFactor(code string) Option {
	return func(s *Server) { apexOf(s).twoFA = code }
}

// WithIdentity sets the user a login reports (default: user 1 "fake",
// account 1, OMS 1; the user id of the first WithAPIKey when numeric).
func WithIdentity(id Identity) Option {
	return func(s *Server) { apexOf(s).identity = id }
}

// IssueToken returns a new valid session token, as if another login of
// the same user had obtained it (for tests of WithSessionToken or token
// rotation).
func (s *Server) IssueToken() string {
	a := apexOf(s)
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.mint()
}

// Tokens returns every session token issued so far, in order.
func (s *Server) Tokens() []string {
	a := apexOf(s)
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.issued)
}

// sessionKey is the context key of the session token.
type sessionKey struct{}

// SessionToken returns the session token the request being handled
// carried ("" outside a handler).
func SessionToken(ctx context.Context) string {
	t, _ := ctx.Value(sessionKey{}).(string)
	return t
}

func (a *apexState) mint() string {
	b := make([]byte, 24)
	rand.Read(b)
	t := hex.EncodeToString(b)
	a.tokens[t] = true
	a.issued = append(a.issued, t)
	return t
}

var apexCodeText = map[int]string{
	20:  "Not Authorized",
	100: "Invalid Request",
	101: "Operation Failed",
	102: "Server Error",
	104: "Resource Not Found",
	106: "Operation Not Supported",
}

// apexFailure answers the server's own failures as APEX does: invalid
// requests and failed operations inside HTTP 200, a missing session as
// 401.
func apexFailure(kind failKind, op, msg string) *Error {
	detail := strings.TrimPrefix(msg, op+": ")
	switch kind {
	case failInvalid, failMediaType:
		return &Error{Status: http.StatusOK, Code: 100, Message: apexCodeText[100], Detail: detail}
	case failUnauthorized:
		return &Error{Status: http.StatusUnauthorized, Code: 20, Message: apexCodeText[20], Detail: detail}
	case failNotImplemented:
		return &Error{Status: http.StatusNotImplemented, Code: 106, Message: detail}
	case failNotFound:
		return &Error{Status: http.StatusNotFound, Code: 104, Message: apexCodeText[104], Detail: detail}
	case failMethod:
		return &Error{Status: http.StatusMethodNotAllowed, Code: 106, Message: apexCodeText[106], Detail: detail}
	}
	return &Error{Status: http.StatusOK, Code: 101, Message: apexCodeText[101], Detail: detail}
}

// apexWrite writes e as the APEX envelope.
func apexWrite(w http.ResponseWriter, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusOK
	}
	env := struct {
		Result    bool    `json:"result"`
		ErrorMsg  string  `json:"errormsg"`
		ErrorCode int     `json:"errorcode"`
		Detail    *string `json:"detail"`
	}{ErrorMsg: e.Message, ErrorCode: e.Code}
	if env.ErrorMsg == "" {
		env.ErrorMsg = apexCodeText[e.Code]
	}
	if e.Detail != "" {
		env.Detail = &e.Detail
	}
	data, _ := json.Marshal(env)
	writeBody(w, status, "application/json", data)
}

func writeJSONValue(w http.ResponseWriter, v any) {
	data, _ := json.Marshal(v)
	writeBody(w, http.StatusOK, "application/json", data)
}

// intercept answers the login calls.
func (a *apexState) intercept(s *Server, w http.ResponseWriter, r *http.Request, rel string, body []byte) bool {
	var op string
	switch {
	case strings.EqualFold(rel, "/AuthenticateUser"):
		op = "AuthenticateUser"
	case strings.EqualFold(rel, "/Authenticate2FA"):
		op = "Authenticate2FA"
	default:
		return false
	}
	s.record(r, op, rel, body)
	if r.Method != http.MethodPost {
		s.fail(w, failMethod, op, fmt.Sprintf("%s: method %s, want POST", op, r.Method))
		return true
	}
	if r.Header.Get("Authorization") != "" || r.Header.Get("aptoken") != "" {
		s.fail(w, failInvalid, op, op+": a login call must not carry a session token")
		return true
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		s.fail(w, failInvalid, op, op+": request body: not a JSON object")
		return true
	}
	if op == "Authenticate2FA" {
		a.secondFactor(s, w, r, obj)
		return true
	}
	a.login(s, w, r, obj)
	return true
}

// strings reads the named string members of a login body; every member
// must be one of names, and the required ones present.
func loginFields(obj map[string]json.RawMessage, required, optional []string) (map[string]string, error) {
	out := map[string]string{}
	for _, k := range sortedRawKeys(obj) {
		if !slices.Contains(required, k) && !slices.Contains(optional, k) {
			return nil, &invalidError{path: k, msg: "unknown field"}
		}
		var v string
		if err := json.Unmarshal(obj[k], &v); err != nil {
			return nil, &invalidError{path: k, msg: "wrong type: want a string"}
		}
		out[k] = v
	}
	for _, k := range required {
		if _, ok := out[k]; !ok {
			return nil, &invalidError{path: k, msg: "required field missing"}
		}
	}
	return out, nil
}

func sortedRawKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (a *apexState) login(s *Server, w http.ResponseWriter, r *http.Request, obj map[string]json.RawMessage) {
	const op = "AuthenticateUser"
	ok := false
	if _, pw := obj["Password"]; pw {
		f, err := loginFields(obj, []string{"UserName", "Password"}, nil)
		if err != nil {
			s.fail(w, failInvalid, op, op+": request body: "+err.Error())
			return
		}
		for _, u := range a.users {
			ok = ok || (hmac.Equal([]byte(u.name), []byte(f["UserName"])) && hmac.Equal([]byte(u.password), []byte(f["Password"])))
		}
	} else {
		f, err := loginFields(obj, []string{"APIKey", "Signature", "UserId", "Nonce"}, []string{"UserName"})
		if err != nil {
			s.fail(w, failInvalid, op, op+": request body: "+err.Error())
			return
		}
		// The API-key page sends the fields as headers, the reference in
		// the body: a header that is sent must agree with the body.
		for _, h := range []string{"APIKey", "Signature", "UserId", "Nonce"} {
			if v := r.Header.Get(h); v != "" && v != f[h] {
				s.fail(w, failInvalid, op, fmt.Sprintf("%s: header %s disagrees with the body", op, h))
				return
			}
		}
		for _, k := range a.keys {
			if k.userID != f["UserId"] || k.apiKey != f["APIKey"] {
				continue
			}
			mac := hmac.New(sha256.New, []byte(k.secret))
			mac.Write([]byte(f["Nonce"] + f["UserId"] + f["APIKey"]))
			want := hex.EncodeToString(mac.Sum(nil))
			ok = ok || hmac.Equal([]byte(want), []byte(f["Signature"]))
		}
	}
	if !ok {
		writeJSONValue(w, map[string]any{
			"authenticated": false, "locked": false, "requires2FA": false, "twoFAType": nil, "twoFAToken": nil,
			"errormsg": "Invalid credentials",
		})
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	id := a.identity
	user := map[string]any{
		"userId": id.UserID, "userName": id.UserName, "email": id.Email, "emailVerified": true,
		"accountId": id.AccountID, "omsId": id.OMSID, "use2FA": a.twoFA != "",
	}
	if a.twoFA != "" {
		b := make([]byte, 16)
		rand.Read(b)
		pt := hex.EncodeToString(b)
		a.pending[pt] = true
		writeJSONValue(w, map[string]any{
			"authenticated": true, "locked": false, "requires2FA": true, "twoFAType": "Google",
			"twoFAToken": pt, "user": user, "errormsg": nil,
		})
		return
	}
	writeJSONValue(w, map[string]any{
		"authenticated": true, "locked": false, "requires2FA": false, "twoFAType": nil, "twoFAToken": nil,
		"SessionToken": a.mint(), "user": user, "errormsg": nil,
	})
}

func (a *apexState) secondFactor(s *Server, w http.ResponseWriter, r *http.Request, obj map[string]json.RawMessage) {
	const op = "Authenticate2FA"
	f, err := loginFields(obj, []string{"Code"}, nil)
	if err != nil {
		s.fail(w, failInvalid, op, op+": request body: "+err.Error())
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	pt := r.Header.Get("Pending2FaToken")
	if !a.pending[pt] {
		s.fail(w, failUnauthorized, op, op+": no login waits for a second factor with this Pending2FaToken")
		return
	}
	if a.twoFA == "" || !hmac.Equal([]byte(f["Code"]), []byte(a.twoFA)) {
		writeJSONValue(w, map[string]any{"Authenticated": false, "SessionToken": nil})
		return
	}
	delete(a.pending, pt)
	writeJSONValue(w, map[string]any{"Authenticated": true, "SessionToken": a.mint()})
}

// authorize requires a valid session token on every operation but those
// the spec declares public (a token they carry must still be valid);
// LogOut ends the session it carries.
func (a *apexState) authorize(ctx context.Context, x *exchange) (context.Context, bool) {
	op := x.op.id
	bearer, ap := x.r.Header.Get("Authorization"), x.r.Header.Get("aptoken")
	tok := ap
	if bearer != "" {
		t, ok := strings.CutPrefix(bearer, "Bearer ")
		if !ok {
			x.s.fail(x.w, failUnauthorized, op, op+": Authorization is not a bearer token")
			return ctx, true
		}
		if ap != "" && ap != t {
			x.s.fail(x.w, failInvalid, op, op+": Authorization and aptoken carry different session tokens")
			return ctx, true
		}
		tok = t
	}
	a.mu.Lock()
	valid := tok != "" && a.tokens[tok]
	if valid && strings.EqualFold(op, "LogOut") {
		delete(a.tokens, tok)
	}
	a.mu.Unlock()
	if !valid && x.op.public && tok == "" {
		return ctx, false
	}
	if !valid {
		msg := op + ": no session token (log in first)"
		if tok != "" {
			msg = op + ": the session token is not valid"
		}
		x.s.fail(x.w, failUnauthorized, op, msg)
		return ctx, true
	}
	return context.WithValue(ctx, sessionKey{}, tok), false
}

// fallback answers LogOut when the test registered no handler for it.
func (a *apexState) fallback(ctx context.Context, x *exchange) bool {
	if !strings.EqualFold(x.op.id, "LogOut") {
		return false
	}
	writeBody(x.w, http.StatusOK, "application/json", []byte(`{"result":true,"errormsg":null,"errorcode":0,"detail":null}`))
	return true
}
