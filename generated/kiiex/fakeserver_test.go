package kiiex

// A strict in-memory KIIEX (AlphaPoint APEX) server for the end-to-end tests
// that need server behaviour the generated fake (kiiexfake, which the swap
// workflow in swap_test.go runs against) cannot express: responses
// overridden byte for byte (malformed JSON, envelopes in odd places, huge
// bodies), dropped connections, slow answers, the 401 without a body.
//
// It is written from the fact sheet and the spec, not from the generated
// code: request bodies are checked against hand-written field tables (exact
// JSON names, JSON kinds, required members, no unknown members), the API-key
// signature is recomputed with crypto/hmac, and every call except the login
// calls must carry a session token the server issued. A request that breaks
// the protocol fails the test (t.Errorf) and is answered 400 with the APEX
// envelope, code 100. Balances and orders are kept with math/big.

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities and market data of the fake exchange.
const (
	fakeOMSID      = 1
	fakeAccountID  = 185
	fakeUserIDNum  = 96
	fakeUSDT       = 1  // product id
	fakeCOPM       = 7  // product id
	fakeInstrument = 12 // COPMUSDT: base COPM, quote USDT

	fakeAPIKey    = "8d4f0c2b6a1e9f3d5c7b0a2e4f6d8c1b"
	fakeAPISecret = "sk-live-7Q2vX9mZ4tR8wK1pL6nB3cH5"
	fakeUserID    = "96"
	fakeNonce     = "2247733562"
	fakeUserName  = "swapper"
	fakePassword  = "correct horse battery staple 42!"
	fakeEmail     = "swapper@example.com"

	fakeBestBid   = "0.0002485"
	fakeBestOffer = "0.00024875"
	fakeLastPx    = "0.0002486"
)

// fakeNow is the server's clock: every timestamp it reports derives from it.
var fakeNow = time.Date(2025, 8, 26, 20, 35, 22, 893_000_000, time.UTC)

// fakeCall is one request as the server received it.
type fakeCall struct {
	Op     string
	Header http.Header
	Body   []byte
}

type fakeOrder struct {
	id, clientOrderID int64
	qty, price        *big.Rat
	qtyText           string // as the client sent it
}

type fakeKIIEX struct {
	t   testing.TB
	srv *httptest.Server

	twoFACode string // non-empty: logins need this second factor

	mu          sync.Mutex
	tokens      map[string]bool   // session tokens currently valid
	issued      []string          // every session token ever issued
	seenTokens  map[string]bool   // tokens presented on authorized calls
	pending2FA  map[string]string // twoFAToken -> (unused) login kind
	hits        map[string]int
	calls       []fakeCall
	override    map[string]http.HandlerFunc
	balances    map[int64]*big.Rat
	holds       map[int64]*big.Rat
	dayDeposits map[int64]*big.Rat
	orders      []fakeOrder
	nextID      int64
}

func newFakeKIIEX(t testing.TB) *fakeKIIEX {
	f := &fakeKIIEX{
		t:           t,
		tokens:      map[string]bool{},
		seenTokens:  map[string]bool{},
		pending2FA:  map[string]string{},
		hits:        map[string]int{},
		override:    map[string]http.HandlerFunc{},
		balances:    map[int64]*big.Rat{fakeUSDT: rat("0.1"), fakeCOPM: rat("0")},
		holds:       map[int64]*big.Rat{fakeUSDT: rat("0"), fakeCOPM: rat("0")},
		dayDeposits: map[int64]*big.Rat{fakeUSDT: rat("0"), fakeCOPM: rat("0")},
		nextID:      6543,
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the server URL to give NewClient; like the real servers it has a
// base path (/ap).
func (f *fakeKIIEX) URL() string { return f.srv.URL + "/ap" }

// client returns a client for the fake with extra options.
func (f *fakeKIIEX) client(t testing.TB, opts ...ClientOption) *Client {
	t.Helper()
	c, err := NewClient(f.URL(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// login is the API key the fake accepts.
func (f *fakeKIIEX) login() APIKeyLogin {
	return APIKeyLogin{APIKey: fakeAPIKey, APISecret: fakeAPISecret, UserID: fakeUserID, Nonce: fakeNonce}
}

// setOverride answers op with h instead of the fake's own handler (after
// the hit is counted and the call recorded).
func (f *fakeKIIEX) setOverride(op string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override[op] = h
}

func (f *fakeKIIEX) hitCount(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if op == "" {
		n := 0
		for _, v := range f.hits {
			n += v
		}
		return n
	}
	return f.hits[op]
}

func (f *fakeKIIEX) recorded(op string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if op == "" || c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// last returns the last recorded call of op.
func (f *fakeKIIEX) last(t testing.TB, op string) fakeCall {
	t.Helper()
	calls := f.recorded(op)
	if len(calls) == 0 {
		t.Fatalf("fake KIIEX: no %s call recorded", op)
	}
	return calls[len(calls)-1]
}

// issuedTokens returns every session token the fake has handed out.
func (f *fakeKIIEX) issuedTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.issued)
}

// mintToken issues a new valid session token, as if obtained by another
// login of the same user (for SetSessionToken rotation).
func (f *fakeKIIEX) mintToken() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mintLocked()
}

func (f *fakeKIIEX) mintLocked() string {
	tok := randHex(24)
	f.tokens[tok] = true
	f.issued = append(f.issued, tok)
	return tok
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// expectedSignature recomputes the API-key signature independently of the
// client: lower-case hex HMAC-SHA256, key = API secret, message =
// Nonce+UserId+APIKey.
func expectedSignature() string {
	mac := hmac.New(sha256.New, []byte(fakeAPISecret))
	mac.Write([]byte(fakeNonce + fakeUserID + fakeAPIKey))
	return hex.EncodeToString(mac.Sum(nil))
}

// --- request body schemas --------------------------------------------------

// fieldSpec describes one member of a request body: JSON kind
// ('i' integer, 'n' number, 's' string, 'b' bool, 'o' object, 'a' array),
// whether it is required, and whether null is allowed.
type fieldSpec struct {
	kind     byte
	required bool
	nullable bool
}

func req(k byte) fieldSpec                               { return fieldSpec{kind: k, required: true} }
func opt(k byte) fieldSpec                               { return fieldSpec{kind: k} }
func reqNull(k byte) fieldSpec                           { return fieldSpec{kind: k, required: true, nullable: true} }
func optNull(k byte) fieldSpec                           { return fieldSpec{kind: k, nullable: true} }
func schema(m map[string]fieldSpec) map[string]fieldSpec { return m }

// fakeSchemas are the request bodies of the operations the fake serves,
// transcribed from spec/kiiex.yaml (and the fact sheet §3.4).
var fakeSchemas = map[string]map[string]fieldSpec{
	"AuthenticateUser/APIKey": schema(map[string]fieldSpec{
		"APIKey": req('s'), "Signature": req('s'), "UserId": req('s'), "UserName": opt('s'), "Nonce": req('s'),
	}),
	"AuthenticateUser/Password": schema(map[string]fieldSpec{"UserName": req('s'), "Password": req('s')}),
	"Authenticate2FA":           schema(map[string]fieldSpec{"Code": req('s')}),
	"LogOut":                    schema(map[string]fieldSpec{}),
	"GetAccountPositions":       schema(map[string]fieldSpec{"AccountId": req('i'), "OMSId": req('i'), "IncludePending": opt('b')}),
	"SendOrder": schema(map[string]fieldSpec{
		"InstrumentId": req('i'), "OMSId": req('i'), "AccountId": req('i'), "TimeInForce": req('i'),
		"ClientOrderId": opt('i'), "OrderIdOCO": opt('i'), "UseDisplayQuantity": opt('b'), "Side": req('i'),
		"quantity": req('n'), "OrderType": req('i'), "PegPriceType": opt('i'), "LimitPrice": opt('n'), "PostOnly": opt('b'),
	}),
	"GetDepositTicket": schema(map[string]fieldSpec{"OMSId": req('i'), "AccountId": req('i'), "RequestCode": req('s'), "TicketId": req('i')}),
}

var jsonInteger = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

func rawKind(raw json.RawMessage) byte {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return 0
	}
	switch s[0] {
	case '{':
		return 'o'
	case '[':
		return 'a'
	case '"':
		return 's'
	case 't', 'f':
		return 'b'
	case 'n':
		return 'z'
	}
	if jsonInteger.Match(s) {
		return 'i'
	}
	return 'n'
}

// checkBody validates body against the schema of op and returns its
// members, or a description of the first violation.
func checkBody(op string, body []byte) (map[string]json.RawMessage, string) {
	sc, ok := fakeSchemas[op]
	if !ok {
		return nil, "no schema for " + op
	}
	var obj map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, "empty body (the request body is required)"
	}
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, fmt.Sprintf("body is not a JSON object: %s", body)
	}
	for k, raw := range obj {
		fs, ok := sc[k]
		if !ok {
			hint := ""
			for name := range sc {
				if strings.EqualFold(name, k) {
					hint = fmt.Sprintf(" (the spec spells it %q)", name)
				}
			}
			return nil, fmt.Sprintf("unknown member %q%s", k, hint)
		}
		kind := rawKind(raw)
		switch {
		case kind == 'z' && fs.nullable:
		case kind == 'z':
			return nil, fmt.Sprintf("member %q is null but not nullable", k)
		case fs.kind == 'n' && (kind == 'i' || kind == 'n'):
		case kind != fs.kind:
			return nil, fmt.Sprintf("member %q has JSON kind %c, want %c: %s", k, kind, fs.kind, raw)
		}
	}
	for name, fs := range sc {
		if _, ok := obj[name]; fs.required && !ok {
			return nil, fmt.Sprintf("required member %q missing", name)
		}
	}
	return obj, ""
}

func intMember(obj map[string]json.RawMessage, k string) int64 {
	var n int64
	_ = json.Unmarshal(obj[k], &n)
	return n
}

func strMember(obj map[string]json.RawMessage, k string) string {
	var s string
	_ = json.Unmarshal(obj[k], &s)
	return s
}

func ratMember(obj map[string]json.RawMessage, k string) *big.Rat {
	r, ok := new(big.Rat).SetString(string(bytes.TrimSpace(obj[k])))
	if !ok {
		return nil
	}
	return r
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad rat " + s)
	}
	return r
}

// rawNum is a JSON number written exactly as given.
type rawNum string

func (n rawNum) MarshalJSON() ([]byte, error) { return []byte(n), nil }

// dec renders r as a plain decimal without trailing zeros.
func dec(r *big.Rat) rawNum {
	if r.IsInt() {
		return rawNum(r.RatString())
	}
	s := strings.TrimRight(r.FloatString(30), "0")
	return rawNum(strings.TrimSuffix(s, "."))
}

// --- HTTP ------------------------------------------------------------------

const (
	envNotAuthorized  = `{"result":false,"errormsg":"Not Authorized","errorcode":20,"detail":null}`
	envInvalidRequest = `{"result":false,"errormsg":"Invalid Request","errorcode":100,"detail":%q}`
	envNotFound       = `{"result":false,"errormsg":"Resource Not Found","errorcode":104,"detail":%q}`
)

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	writeRaw(w, http.StatusOK, string(b))
}

// violation reports a protocol error by the client: it fails the test and
// answers like APEX does to an invalid request.
func (f *fakeKIIEX) violation(w http.ResponseWriter, op, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.t.Errorf("fake KIIEX: %s: %s", op, msg)
	writeRaw(w, http.StatusBadRequest, fmt.Sprintf(envInvalidRequest, msg))
}

func (f *fakeKIIEX) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, _ := strings.CutPrefix(r.URL.Path, "/ap/")
	body, _ := io.ReadAll(r.Body)

	f.mu.Lock()
	f.hits[op]++
	f.calls = append(f.calls, fakeCall{Op: op, Header: r.Header.Clone(), Body: body})
	h := f.override[op]
	f.mu.Unlock()
	if h != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r)
		return
	}

	switch {
	case !strings.HasPrefix(r.URL.Path, "/ap/"):
		f.violation(w, op, "path %q is not below the server's base path /ap", r.URL.Path)
		return
	case r.Method != http.MethodPost:
		f.violation(w, op, "method %s, want POST", r.Method)
		return
	case r.URL.RawQuery != "":
		f.violation(w, op, "unexpected query %q", r.URL.RawQuery)
		return
	case r.Header.Get("Content-Type") != "application/json":
		f.violation(w, op, "Content-Type %q, want application/json", r.Header.Get("Content-Type"))
		return
	case r.Header.Get("Accept") != "application/json":
		f.violation(w, op, "Accept %q, want application/json", r.Header.Get("Accept"))
		return
	}

	switch op {
	case "AuthenticateUser":
		f.authenticateUser(w, r, body)
		return
	case "Authenticate2FA":
		f.authenticate2FA(w, r, body)
		return
	}

	tok, present := f.sessionToken(w, r, op)
	f.mu.Lock()
	valid := tok != "" && f.tokens[tok]
	if valid {
		f.seenTokens[tok] = true
	}
	f.mu.Unlock()
	if !valid {
		if present {
			writeRaw(w, http.StatusUnauthorized, envNotAuthorized)
		} else {
			w.WriteHeader(http.StatusUnauthorized) // no body, as the docs show
		}
		return
	}

	obj, problem := checkBody(op, body)
	if problem != "" {
		f.violation(w, op, "%s", problem)
		return
	}
	if op != "LogOut" {
		if oms := intMember(obj, pick(obj, "OMSId", "omsId")); oms != fakeOMSID {
			writeRaw(w, http.StatusOK, fmt.Sprintf(envInvalidRequest, "unknown OMS"))
			return
		}
		if k := pick(obj, "AccountId", "accountId"); k != "" && intMember(obj, k) != fakeAccountID {
			writeRaw(w, http.StatusOK, envNotAuthorized) // not the caller's account
			return
		}
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	switch op {
	case "LogOut":
		delete(f.tokens, tok)
		writeRaw(w, http.StatusOK, `{"result":true,"errormsg":null,"errorcode":0,"detail":null}`)
	case "GetAccountPositions":
		writeJSON(w, []any{f.position(fakeUSDT), f.position(fakeCOPM)})
	case "SendOrder":
		f.sendOrder(w, obj)
	default:
		writeRaw(w, http.StatusNotFound, fmt.Sprintf(envNotFound, "no such function "+op))
	}
}

// pick returns the first of names present in obj, or "".
func pick(obj map[string]json.RawMessage, names ...string) string {
	for _, n := range names {
		if _, ok := obj[n]; ok {
			return n
		}
	}
	return ""
}

// sessionToken extracts the token from "Authorization: Bearer" and/or
// "aptoken"; when both are sent they must agree (a request must never mix
// an old and a new token).
func (f *fakeKIIEX) sessionToken(w http.ResponseWriter, r *http.Request, op string) (tok string, present bool) {
	bearer, ap := r.Header.Get("Authorization"), r.Header.Get("aptoken")
	if bearer != "" {
		t, ok := strings.CutPrefix(bearer, "Bearer ")
		if !ok {
			f.t.Errorf("fake KIIEX: %s: Authorization %q is not a bearer token", op, bearer)
		}
		tok = t
	}
	if ap != "" {
		if tok != "" && ap != tok {
			f.t.Errorf("fake KIIEX: %s: Authorization and aptoken carry different tokens", op)
			return "", true
		}
		tok = ap
	}
	return tok, bearer != "" || ap != ""
}

func (f *fakeKIIEX) authenticateUser(w http.ResponseWriter, r *http.Request, body []byte) {
	const op = "AuthenticateUser"
	if r.Header.Get("Authorization") != "" || r.Header.Get("aptoken") != "" {
		f.t.Errorf("fake KIIEX: %s: the login carries a session token", op)
	}
	kind := "AuthenticateUser/APIKey"
	if bytes.Contains(body, []byte(`"Password"`)) {
		kind = "AuthenticateUser/Password"
	}
	obj, problem := checkBody(kind, body)
	if problem != "" {
		f.violation(w, op, "%s", problem)
		return
	}
	ok := false
	if kind == "AuthenticateUser/Password" {
		ok = strMember(obj, "UserName") == fakeUserName && strMember(obj, "Password") == fakePassword
	} else {
		// The API-key page sends the fields as headers, the reference in the
		// body; when a header is present it must agree with the body.
		for _, h := range []string{"APIKey", "Signature", "UserId", "Nonce"} {
			if v := r.Header.Get(h); v != "" && v != strMember(obj, h) {
				f.t.Errorf("fake KIIEX: %s: header %s = %q disagrees with the body", op, h, v)
			}
		}
		sig := strMember(obj, "Signature")
		if sig != strings.ToLower(sig) {
			f.t.Errorf("fake KIIEX: %s: signature is not lower-case hex", op)
		}
		ok = strMember(obj, "APIKey") == fakeAPIKey && strMember(obj, "UserId") == fakeUserID &&
			strMember(obj, "Nonce") == fakeNonce && hmac.Equal([]byte(sig), []byte(expectedSignature()))
	}
	if !ok {
		writeRaw(w, http.StatusOK, `{"authenticated":false,"locked":false,"requires2FA":false,"twoFAType":null,"twoFAToken":null,"errormsg":"Invalid credentials"}`)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	user := map[string]any{
		"userId": fakeUserIDNum, "userName": fakeUserName, "email": fakeEmail, "emailVerified": true,
		"accountId": fakeAccountID, "omsId": fakeOMSID, "use2FA": f.twoFACode != "",
	}
	if f.twoFACode != "" {
		pt := randHex(16)
		f.pending2FA[pt] = kind
		writeJSON(w, map[string]any{
			"authenticated": true, "locked": false, "requires2FA": true, "twoFAType": "Google",
			"twoFAToken": pt, "user": user, "errormsg": nil,
		})
		return
	}
	writeJSON(w, map[string]any{
		"authenticated": true, "locked": false, "requires2FA": false, "twoFAType": nil, "twoFAToken": nil,
		"SessionToken": f.mintLocked(), "user": user, "errormsg": nil,
	})
}

func (f *fakeKIIEX) authenticate2FA(w http.ResponseWriter, r *http.Request, body []byte) {
	const op = "Authenticate2FA"
	if r.Header.Get("Authorization") != "" || r.Header.Get("aptoken") != "" {
		f.t.Errorf("fake KIIEX: %s: the second factor carries a session token", op)
	}
	obj, problem := checkBody(op, body)
	if problem != "" {
		f.violation(w, op, "%s", problem)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	pt := r.Header.Get("Pending2FaToken")
	if _, ok := f.pending2FA[pt]; !ok {
		writeRaw(w, http.StatusUnauthorized, envNotAuthorized)
		return
	}
	if strMember(obj, "Code") != f.twoFACode {
		writeRaw(w, http.StatusOK, `{"Authenticated":false,"SessionToken":null}`)
		return
	}
	delete(f.pending2FA, pt)
	writeJSON(w, map[string]any{"Authenticated": true, "SessionToken": f.mintLocked()})
}

func notionalRate(pid int64) *big.Rat {
	if pid == fakeCOPM {
		return rat(fakeBestBid)
	}
	return rat("1")
}

func (f *fakeKIIEX) position(pid int64) map[string]any {
	sym := map[int64]string{fakeUSDT: "USDT", fakeCOPM: "COPM"}[pid]
	rate := notionalRate(pid)
	mul := func(a *big.Rat) rawNum { return dec(new(big.Rat).Mul(a, rate)) }
	day := f.dayDeposits[pid]
	return map[string]any{
		"omsId": fakeOMSID, "accountId": fakeAccountID, "productSymbol": sym, "productId": pid,
		"amount": dec(f.balances[pid]), "hold": dec(f.holds[pid]),
		"pendingDeposits": rawNum("0"), "pendingWithdraws": dec(f.holds[pid]),
		"totalDayDeposits": dec(day), "totalMonthDeposits": dec(day), "totalYearDeposits": dec(day),
		"totalYearDepositNotional": mul(day), "totalDayDepositNotional": mul(day), "totalMonthDepositNotional": mul(day),
		"totalDayWithdraws": rawNum("0"), "totalMonthWithdraws": rawNum("0"), "totalYearWithdraws": rawNum("0"),
		"totalYearWithdrawNotional": rawNum("0"), "totalDayWithdrawNotional": rawNum("0"), "totalMonthWithdrawNotional": rawNum("0"),
		"notionalHoldAmount": mul(f.holds[pid]), "notionalRate": dec(rate),
	}
}

func (f *fakeKIIEX) sendOrder(w http.ResponseWriter, obj map[string]json.RawMessage) {
	reject := func(msg string) {
		writeJSON(w, map[string]any{"status": "Rejected", "errormsg": msg, "OrderId": 0})
	}
	switch {
	case intMember(obj, "InstrumentId") != fakeInstrument:
		reject("Instrument not found")
		return
	case intMember(obj, "Side") != 0:
		reject("The fake only buys")
		return
	case intMember(obj, "OrderType") != 1:
		reject("The fake only fills market orders")
		return
	}
	qty := ratMember(obj, "quantity")
	if qty == nil || qty.Sign() <= 0 {
		reject("Invalid quantity")
		return
	}
	price := rat(fakeBestOffer)
	cost := new(big.Rat).Mul(qty, price)
	if cost.Cmp(f.balances[fakeUSDT]) > 0 {
		reject("Not enough funds")
		return
	}
	f.balances[fakeUSDT].Sub(f.balances[fakeUSDT], cost)
	f.balances[fakeCOPM].Add(f.balances[fakeCOPM], qty)
	f.nextID++
	o := fakeOrder{id: f.nextID, clientOrderID: intMember(obj, "ClientOrderId"), qty: qty, price: price, qtyText: string(obj["quantity"])}
	f.orders = append(f.orders, o)
	writeJSON(w, map[string]any{"status": "Accepted", "errormsg": "", "OrderId": o.id})
}
