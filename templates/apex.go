package templates

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// This file is copied only into packages generated from APEX-style specs
// (KIIEX). It adds the session login of those exchanges: the API-key or
// password login (AuthenticateUser), the second factor (Authenticate2FA),
// carrying the session token on every later call, and forgetting it when
// the generated LogOut method is called. It plugs into
// client.go only through Client.exts and the requestDecorator interface,
// so the other runtime files never refer to anything declared here.
//
// Where the KIIEX documentation contradicts itself, the client does what
// works with either reading:
//   - the reference puts the API-key login fields in the JSON body, the
//     "Authenticate with API Key" page in request headers: both are sent;
//   - the reference declares "Authorization: Bearer <JWT>", the API-key page
//     an "aptoken" header: both are sent by default (WithTokenPlacement);
//   - the name of the token field in the login response is undocumented:
//     the first non-empty of SessionToken, sessionToken, Token, token and
//     aptoken is used.

// apTokenHeader is the header the KIIEX API-key page names for the session
// token.
const apTokenHeader = "aptoken"

// apexPendingHeader carries the token of a login waiting for its second
// factor (the APEX convention).
const apexPendingHeader = "Pending2FaToken"

// apexTokenFields are the login response members that may hold the session
// token, in order of preference (see the file comment).
var apexTokenFields = []string{"SessionToken", "sessionToken", "Token", "token", "aptoken"}

// The login operations are declared here rather than taken from the
// generated client, so this file compiles without it. security is nil: the
// login must not carry credentials meant for later calls.
var (
	apexOpAuthenticateUser = &operation{id: "AuthenticateUser", method: http.MethodPost, path: "/AuthenticateUser", apex: true, accept: "application/json"}
	apexOpAuthenticate2FA  = &operation{id: "Authenticate2FA", method: http.MethodPost, path: "/Authenticate2FA", apex: true, accept: "application/json"}
	apexOpLogOut           = &operation{id: "LogOut", method: http.MethodPost, path: "/LogOut", apex: true, accept: "application/json"}
)

// ErrTwoFactorRequired matches (errors.Is) the *TwoFactorRequiredError a
// login returns when the account needs a second factor.
var ErrTwoFactorRequired = errors.New("two-factor authentication required")

// ErrNoSessionToken is returned (wrapped) when the server reports a
// successful login but its response carries no session token the client
// recognizes. The returned Session is still filled in; a caller whose
// server keeps the session some other way (e.g. cookies in its
// http.Client's jar) can check for this error and go on.
var ErrNoSessionToken = errors.New("login response carries no session token")

// Sign returns the KIIEX API-key login signature: the lower-case hex
// HMAC-SHA256, keyed with apiSecret, of nonce+userID+apiKey concatenated
// without separators.
func Sign(apiSecret, nonce, userID, apiKey string) string {
	mac := hmac.New(sha256.New, []byte(apiSecret))
	mac.Write([]byte(nonce))
	mac.Write([]byte(userID))
	mac.Write([]byte(apiKey))
	return hex.EncodeToString(mac.Sum(nil))
}

// TokenPlacement selects how the session token travels on each call.
type TokenPlacement int

const (
	// TokenBoth sends "Authorization: Bearer <token>" and "aptoken: <token>"
	// (the default; the documentation names both).
	TokenBoth TokenPlacement = iota
	// TokenBearer sends only "Authorization: Bearer <token>".
	TokenBearer
	// TokenAPToken sends only "aptoken: <token>".
	TokenAPToken
)

// String returns the constant's name.
func (p TokenPlacement) String() string {
	switch p {
	case TokenBoth:
		return "TokenBoth"
	case TokenBearer:
		return "TokenBearer"
	case TokenAPToken:
		return "TokenAPToken"
	}
	return "TokenPlacement(" + strconv.Itoa(int(p)) + ")"
}

// WithTokenPlacement selects how the session token is sent (default
// TokenBoth).
func WithTokenPlacement(p TokenPlacement) ClientOption {
	return func(c *Client) error {
		switch p {
		case TokenBoth, TokenBearer, TokenAPToken:
		default:
			return fmt.Errorf("WithTokenPlacement: invalid placement %d", int(p))
		}
		c.apexSession().update(func(st *apexState) { st.placement = p })
		return nil
	}
}

// WithSessionToken starts the client with a session token obtained
// elsewhere, e.g. by an earlier login of the same process.
func WithSessionToken(token string) ClientOption {
	return func(c *Client) error {
		if token == "" {
			return errors.New("WithSessionToken: empty token")
		}
		c.SetSessionToken(token)
		return nil
	}
}

// SetSessionToken replaces the session token sent on every call (token
// rotation); an empty token stops sending one. Requests already being built
// use either the old or the new token, never a mix.
func (c *Client) SetSessionToken(token string) {
	c.apexSession().update(func(st *apexState) { st.token = token })
}

// APIKeyLogin holds the credentials of a KIIEX API key, as exported by the
// exchange's web UI together with the user's id. Printing, logging (slog)
// or JSON-encoding it never shows APISecret; JSON decoding reads it, so a
// login can be loaded from a configuration file.
type APIKeyLogin struct {
	// APIKey is the public key identifier, sent with the login.
	APIKey string
	// APISecret signs the login; it never leaves the process.
	APISecret string
	// UserID is the exchange user id, as a decimal string ("96").
	UserID string
	// Nonce is the nonce issued together with the key. Left empty, each
	// login uses a fresh one (see NextNonce).
	Nonce string
}

// String prints the login with APISecret redacted.
func (l APIKeyLogin) String() string { return fmt.Sprint(l) }

// GoString prints the login with APISecret redacted.
func (l APIKeyLogin) GoString() string { return fmt.Sprintf("%#v", l) }

// Format prints the login with APISecret redacted, for every verb.
func (l APIKeyLogin) Format(f fmt.State, verb rune) { formatRedacted(f, verb, l, "APISecret") }

// LogValue logs the login with APISecret redacted, for every slog handler
// (the JSON handler would otherwise encode it with encoding/json).
func (l APIKeyLogin) LogValue() slog.Value { return logValueRedacted(l, "APISecret") }

// MarshalJSON encodes the login with APISecret redacted: a login written to
// a log or a debug dump must not carry the secret that signs it.
func (l APIKeyLogin) MarshalJSON() ([]byte, error) {
	type plain APIKeyLogin
	if l.APISecret != "" {
		l.APISecret = redactedText
	}
	return json.Marshal(plain(l))
}

func (l APIKeyLogin) secretFields() []string { return []string{"APISecret"} }

// lastNonce is the most recent nonce NextNonce returned.
var lastNonce atomic.Int64

// NextNonce returns a login nonce that no earlier call in this process
// returned and that is greater than all of them: the current Unix time in
// microseconds, or one more than the previous nonce when the clock has not
// moved on (or went back). Servers that refuse a replayed or decreasing
// nonce accept every login, however many run at once.
func NextNonce() string {
	for {
		prev := lastNonce.Load()
		next := time.Now().UnixMicro()
		if next <= prev {
			next = prev + 1
		}
		if lastNonce.CompareAndSwap(prev, next) {
			return strconv.FormatInt(next, 10)
		}
	}
}

// Session describes the logged-in user. Its token is not exported and never
// printed; the client keeps a copy and sends it on later calls.
type Session struct {
	// Authenticated is set once the session token is usable.
	Authenticated bool
	// Requires2FA is set when the login waits for Complete2FA.
	Requires2FA bool
	// TwoFAType names the second factor (e.g. "Google"), when required.
	TwoFAType string
	// UserID identifies the user.
	UserID int64
	// UserName is the user's login name.
	UserName string
	// Email is the user's e-mail address.
	Email string
	// AccountID is the user's default account, needed by most trading calls.
	AccountID int64
	// OMSID is the user's order management system, needed by most calls.
	OMSID int64
	// Locked reports a locked account.
	Locked bool

	token string
}

// Token returns the session token ("" until the login is complete).
func (s Session) Token() string { return s.token }

// String prints the session with the token redacted.
func (s Session) String() string { return fmt.Sprint(s) }

// GoString prints the session with the token redacted.
func (s Session) GoString() string { return fmt.Sprintf("%#v", s) }

// Format prints the session with the token redacted, for every verb.
func (s Session) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s, "token") }

// TwoFactorRequiredError is returned, together with a Session whose
// Requires2FA is set, by a login that needs a second factor: finish it with
// Complete2FA. It matches ErrTwoFactorRequired.
type TwoFactorRequiredError struct {
	// TwoFAType names the second factor (e.g. "Google"); may be empty.
	TwoFAType string
}

// Error explains what to do next.
func (e *TwoFactorRequiredError) Error() string {
	kind := ""
	if e.TwoFAType != "" {
		kind = " (" + e.TwoFAType + ")"
	}
	return "AuthenticateUser: two-factor authentication required" + kind + "; call Complete2FA with the code"
}

// Is makes errors.Is(err, ErrTwoFactorRequired) true.
func (e *TwoFactorRequiredError) Is(target error) bool { return target == ErrTwoFactorRequired }

// LoginWithAPIKey logs in with an API key (AuthenticateUser) and, on
// success, stores the session token for every later call. The fields and
// signature go both in the JSON body (as the API reference documents) and
// in the APIKey, Signature, UserId and Nonce request headers (as the
// API-key page documents), because the two pages disagree and a server
// reading either place must accept the login.
//
// An empty login.Nonce is replaced by NextNonce(), so that concurrent and
// repeated logins never reuse one.
//
// If the account needs a second factor, the returned Session has
// Requires2FA set and the error is a *TwoFactorRequiredError; call
// Complete2FA. A rejected login returns an *APIError matching
// ErrNotAuthorized.
func (c *Client) LoginWithAPIKey(ctx context.Context, login APIKeyLogin) (*Session, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"APIKey", login.APIKey}, {"APISecret", login.APISecret}, {"UserID", login.UserID},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("LoginWithAPIKey: missing %s", strings.Join(missing, ", "))
	}
	// Built once the login lock is held, so that the client's logins reach
	// the server in the order of their generated nonces.
	return c.apexLogin(ctx, func() *request {
		if login.Nonce == "" {
			login.Nonce = NextNonce()
		}
		body := apexKeyLoginBody{
			APIKey:    login.APIKey,
			Signature: Sign(login.APISecret, login.Nonce, login.UserID, login.APIKey),
			UserID:    login.UserID,
			Nonce:     login.Nonce,
		}
		r := newRequest(nil)
		r.setJSON(body)
		r.setHeader("APIKey", body.APIKey)
		r.setHeader("Signature", body.Signature)
		r.setHeader("UserId", body.UserID)
		r.setHeader("Nonce", body.Nonce)
		return r
	})
}

// LoginWithPassword logs in with a user name and password
// (AuthenticateUser); outcomes as for LoginWithAPIKey.
func (c *Client) LoginWithPassword(ctx context.Context, user, pass string) (*Session, error) {
	if user == "" || pass == "" {
		return nil, errors.New("LoginWithPassword: user name and password are required")
	}
	return c.apexLogin(ctx, func() *request {
		r := newRequest(nil)
		r.setJSON(apexPasswordLoginBody{UserName: user, Password: pass})
		return r
	})
}

// Complete2FA finishes a login that returned *TwoFactorRequiredError by
// sending the code (Authenticate2FA); on success the session token is
// stored and the Session of the pending login is returned, now
// authenticated. The twoFAToken of the pending login, if the server sent
// one, goes in the Pending2FaToken header (the APEX convention; the current
// KIIEX docs do not describe this call).
func (c *Client) Complete2FA(ctx context.Context, code string) (*Session, error) {
	if code == "" {
		return nil, errors.New("Complete2FA: empty code")
	}
	s := c.apexSession()
	if err := s.lock(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", apexOpAuthenticate2FA.id, err)
	}
	defer s.unlock()

	r := newRequest(nil)
	r.setJSON(apex2FABody{Code: code})
	sess := &Session{}
	if p := s.pending; p != nil {
		*sess = p.session
		if p.twoFAToken != "" {
			r.setHeader(apexPendingHeader, p.twoFAToken)
		}
	}
	status, data, err := c.send(ctx, apexOpAuthenticate2FA, r)
	if err != nil {
		return nil, err
	}
	res, token, err := parseApexLogin(apexOpAuthenticate2FA, data)
	if err != nil {
		return nil, err
	}
	if !res.Authenticated {
		return nil, apexLoginRejected(apexOpAuthenticate2FA, status, res, "two-factor code rejected", r.secretForms())
	}
	sess.Authenticated, sess.Requires2FA, sess.TwoFAType = true, false, ""
	s.pending = nil
	if token == "" {
		return sess, fmt.Errorf("%s: %w (looked for %s)", apexOpAuthenticate2FA.id, ErrNoSessionToken, strings.Join(apexTokenFields, ", "))
	}
	sess.token = token
	s.update(func(st *apexState) { st.token = token })
	return sess, nil
}

// operationDone forgets the session token once LogOut (generated method,
// matched by operationId) has been sent, even if the call failed: the
// caller asked to end the session, and silently going on with it would be
// worse than a 401 later. There is no separate logout helper, so that
// ending a session has one obvious spelling: c.LogOut(ctx, nil).
func (s *apexSession) operationDone(op *operation) {
	if op.apex && strings.EqualFold(op.id, apexOpLogOut.id) {
		s.update(func(st *apexState) { st.token = "" })
	}
}

// apexLogin runs AuthenticateUser with the request build returns, called
// with the login lock held, and interprets its outcome.
func (c *Client) apexLogin(ctx context.Context, build func() *request) (*Session, error) {
	op := apexOpAuthenticateUser
	s := c.apexSession()
	if err := s.lock(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", op.id, err)
	}
	defer s.unlock()
	r := build()

	status, data, err := c.send(ctx, op, r)
	if err != nil {
		return nil, err
	}
	res, token, err := parseApexLogin(op, data)
	if err != nil {
		return nil, err
	}
	sess := res.session()
	switch {
	case res.Requires2FA:
		sess.Requires2FA = true
		// Authenticated may be true at this stage on APEX servers; the
		// session is not usable until the second factor is in.
		sess.Authenticated = false
		s.pending = &apexPendingLogin{session: *sess, twoFAToken: res.twoFAToken()}
		return sess, &TwoFactorRequiredError{TwoFAType: sess.TwoFAType}
	case !res.Authenticated:
		msg := "authentication failed"
		if res.Locked {
			msg = "account locked"
		}
		return nil, apexLoginRejected(op, status, res, msg, r.secretForms())
	}
	s.pending = nil
	if token == "" {
		return sess, fmt.Errorf("%s: %w (looked for %s)", op.id, ErrNoSessionToken, strings.Join(apexTokenFields, ", "))
	}
	sess.token = token
	s.update(func(st *apexState) { st.token = token })
	return sess, nil
}

// apexLoginRejected is the error for a login answered with authenticated:
// false. Raw is left empty: login responses are the one place a token could
// be echoed; the message is scrubbed of the secrets the login sent.
func apexLoginRejected(op *operation, status int, res *apexLoginResult, fallback string, secrets []string) *APIError {
	msg := scrubString(res.ErrorMsg, secrets)
	if msg == "" {
		msg = fallback
	}
	return &APIError{StatusCode: status, Operation: op.id, Message: msg, kind: ErrNotAuthorized}
}

// apexKeyLoginBody is the API-key AuthenticateUser body. The signature is
// as good as the secret for replaying this login, so it is redacted.
type apexKeyLoginBody struct {
	APIKey    string `json:"APIKey"`
	Signature string `json:"Signature"`
	UserID    string `json:"UserId"`
	Nonce     string `json:"Nonce"`
}

// Format redacts Signature.
func (b apexKeyLoginBody) Format(f fmt.State, verb rune) { formatRedacted(f, verb, b, "Signature") }

// secretFields: the signature replays the login, and the key is half of it.
func (b apexKeyLoginBody) secretFields() []string { return []string{"Signature", "APIKey"} }

// apexPasswordLoginBody is the password AuthenticateUser body.
type apexPasswordLoginBody struct {
	UserName string `json:"UserName"`
	Password string `json:"Password"`
}

// Format redacts Password.
func (b apexPasswordLoginBody) Format(f fmt.State, verb rune) { formatRedacted(f, verb, b, "Password") }

func (b apexPasswordLoginBody) secretFields() []string { return []string{"Password"} }

// apex2FABody is the Authenticate2FA body.
type apex2FABody struct {
	Code string `json:"Code"`
}

// Format redacts the one-time code.
func (b apex2FABody) Format(f fmt.State, verb rune) { formatRedacted(f, verb, b, "Code") }

func (b apex2FABody) secretFields() []string { return []string{"Code"} }

// apexLoginResult is AuthenticationResult as documented, plus the spellings
// of older APEX servers. encoding/json matches names case-insensitively,
// which covers "Authenticated" vs "authenticated" and "OMSId" vs "omsId".
type apexLoginResult struct {
	Authenticated   bool          `json:"authenticated"`
	Locked          bool          `json:"locked"`
	Requires2FA     bool          `json:"requires2FA"`
	TwoFAType       string        `json:"twoFAType"`
	AuthType        string        `json:"AuthType"` // older APEX name of twoFAType
	TwoFAToken      string        `json:"twoFAToken"`
	Pending2FaToken string        `json:"Pending2FaToken"` // older APEX name of twoFAToken
	ErrorMsg        string        `json:"errormsg"`
	User            apexLoginUser `json:"user"`
	// Some servers put the user fields at the top level.
	UserID    apexInt `json:"userId"`
	AccountID apexInt `json:"accountId"`
	OMSID     apexInt `json:"omsId"`
}

type apexLoginUser struct {
	UserID    apexInt `json:"userId"`
	UserName  string  `json:"userName"`
	Email     string  `json:"email"`
	AccountID apexInt `json:"accountId"`
	OMSID     apexInt `json:"omsId"`
}

func (r *apexLoginResult) twoFAToken() string {
	if r.TwoFAToken != "" {
		return r.TwoFAToken
	}
	return r.Pending2FaToken
}

func (r *apexLoginResult) session() *Session {
	first := func(a, b apexInt) int64 {
		if a != 0 {
			return int64(a)
		}
		return int64(b)
	}
	t := r.TwoFAType
	if t == "" {
		t = r.AuthType
	}
	return &Session{
		Authenticated: r.Authenticated,
		TwoFAType:     t,
		UserID:        first(r.User.UserID, r.UserID),
		UserName:      r.User.UserName,
		Email:         r.User.Email,
		AccountID:     first(r.User.AccountID, r.AccountID),
		OMSID:         first(r.User.OMSID, r.OMSID),
		Locked:        r.Locked,
	}
}

// parseApexLogin decodes a login response and finds its token. Members of an
// unexpected type are ignored rather than failing the login: only
// "authenticated" and the token decide the outcome.
func parseApexLogin(op *operation, data []byte) (*apexLoginResult, string, error) {
	obj, err := jsonObjectKeys(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: decode response: %w", op.id, err)
	}
	var res apexLoginResult
	if err := json.Unmarshal(data, &res); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, "", fmt.Errorf("%s: decode response: %w", op.id, err)
		}
	}
	for _, name := range apexTokenFields {
		raw, ok := obj[name]
		if !ok || jsonKind(raw) != 's' {
			continue
		}
		var tok string
		if json.Unmarshal(raw, &tok) == nil && tok != "" {
			return &res, tok, nil
		}
	}
	return &res, "", nil
}

// apexInt decodes an integer sent as a number or a quoted number; null and
// other values leave 0.
type apexInt int64

// UnmarshalJSON never fails: see apexInt.
func (n *apexInt) UnmarshalJSON(b []byte) error {
	*n = apexInt(lenientInt(b))
	return nil
}

// apexState is the immutable snapshot a request reads; it is replaced as a
// whole so that the Authorization and aptoken headers always agree.
type apexState struct {
	token     string
	placement TokenPlacement
}

// apexPendingLogin is a login waiting for its second factor.
type apexPendingLogin struct {
	session    Session
	twoFAToken string
}

// apexSession is the per-client session state, stored in Client.exts.
type apexSession struct {
	state atomic.Pointer[apexState] // read by every request, never nil
	mu    sync.Mutex                // serializes writers of state
	// sem serializes logins and logouts, so that their outcomes (and the
	// pending 2FA login) are applied in order; a channel rather than a
	// mutex so that waiting honours the caller's context.
	sem     chan struct{}
	pending *apexPendingLogin // guarded by sem
}

// apexSessionKey is the Client.exts key of the apexSession.
type apexSessionKey struct{}

// apexSession returns the client's session state, creating it on first use.
func (c *Client) apexSession() *apexSession {
	if v, ok := c.exts.Load(apexSessionKey{}); ok {
		return v.(*apexSession)
	}
	s := &apexSession{sem: make(chan struct{}, 1)}
	s.state.Store(&apexState{placement: TokenBoth})
	v, _ := c.exts.LoadOrStore(apexSessionKey{}, s)
	return v.(*apexSession)
}

func (s *apexSession) lock(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *apexSession) unlock() { <-s.sem }

// update replaces the state with a modified copy.
func (s *apexSession) update(fn func(*apexState)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := *s.state.Load()
	fn(&next)
	s.state.Store(&next)
}

// decorateRequest adds the session token to every call except the login
// calls themselves (matched by operationId, so generated AuthenticateUser
// and Authenticate2FA methods are covered too). It runs after the spec's
// security, so the session token wins over a configured bearer credential.
func (s *apexSession) decorateRequest(req *http.Request, op *operation) {
	st := s.state.Load()
	if st.token == "" || strings.EqualFold(op.id, apexOpAuthenticateUser.id) || strings.EqualFold(op.id, apexOpAuthenticate2FA.id) {
		return
	}
	if st.placement != TokenAPToken {
		req.Header.Set("Authorization", "Bearer "+st.token)
	}
	if st.placement != TokenBearer {
		req.Header.Set(apTokenHeader, st.token)
	}
}
