package kiiex

// End-to-end tests of the generated client against the fake KIIEX server
// (fakeserver_test.go): the Stablecoin FX swap of the Quick Start (fact sheet
// §6), the failure paths, and that no secret is ever printed.

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// wantMembers asserts that a JSON object body has exactly the members of
// want, each byte-exact as sent on the wire.
func wantMembers(t *testing.T, op string, body []byte, want map[string]string) {
	t.Helper()
	var got map[string]json.RawMessage
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%s body: %v: %s", op, err, body)
	}
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("%s body: member %q missing (body %s)", op, k, body)
		case string(g) != w:
			t.Errorf("%s body: %q = %s, want %s", op, k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s body: unexpected member %q = %s", op, k, got[k])
		}
	}
}

func wantDec(t *testing.T, what string, got Decimal, want string) {
	t.Helper()
	if got.String() != want {
		t.Errorf("%s = %s, want exactly %s", what, got, want)
	}
}

func positionsBySymbol(t *testing.T, ps []AccountPosition) map[string]AccountPosition {
	t.Helper()
	m := map[string]AccountPosition{}
	for _, p := range ps {
		if p.AccountID != fakeAccountID || p.OMSID != fakeOMSID {
			t.Errorf("position %s: account %d oms %d", p.ProductSymbol, p.AccountID, p.OMSID)
		}
		m[p.ProductSymbol] = p
	}
	if len(m) != 2 {
		t.Fatalf("positions: got %d products, want USDT and COPM", len(m))
	}
	return m
}

const bankForm = `{"BankName":"Bancolombia","AccountType":"Savings","AccountNumber":"0123456789","FullName":"Ana María Pérez","DocumentId":"1020304050"}`

// The generated AuthenticateUser method (the low-level form of
// LoginWithAPIKey) sends the union variant as is and returns the typed
// result, including the session token field and the nullable errormsg.
func TestAuthenticateUserGenerated(t *testing.T) {
	f := newFakeKIIEX(t)
	c := f.client(t)
	res, err := c.AuthenticateUser(t.Context(), &APIKeyCredentials{
		APIKey: fakeAPIKey, Signature: Sign(fakeAPISecret, fakeNonce, fakeUserID, fakeAPIKey), UserID: fakeUserID, Nonce: fakeNonce,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantMembers(t, "AuthenticateUser", f.last(t, "AuthenticateUser").Body, map[string]string{
		"APIKey": `"` + fakeAPIKey + `"`, "Signature": `"` + expectedSignature() + `"`, "UserId": `"96"`, "Nonce": `"` + fakeNonce + `"`,
	})
	if res.Authenticated == nil || !*res.Authenticated || res.Requires2FA == nil || *res.Requires2FA {
		t.Errorf("flags: %+v", res)
	}
	if res.SessionToken == nil || *res.SessionToken != f.issuedTokens()[0] {
		t.Errorf("SessionToken not decoded")
	}
	if !res.ErrorMsg.IsNull() || res.TwoFAType != nil {
		t.Errorf("errormsg %v twoFAType %v, want null and absent-or-null", res.ErrorMsg, res.TwoFAType)
	}
	if u := res.User; u == nil || u.UserID == nil || *u.UserID != fakeUserIDNum || u.AccountID == nil || *u.AccountID != fakeAccountID ||
		u.EmailVerified == nil || !*u.EmailVerified {
		t.Errorf("user = %+v", res.User)
	}
	// The generated method does not keep the token: that is LoginWithAPIKey's job.
	_, err = c.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	if !errors.Is(err, ErrNotAuthorized) {
		t.Errorf("GetAccountPositions after generated AuthenticateUser: %v, want ErrNotAuthorized", err)
	}

	// Password variant.
	res, err = c.AuthenticateUser(t.Context(), &PasswordCredentials{UserName: fakeUserName, Password: fakePassword})
	if err != nil || res.Authenticated == nil || !*res.Authenticated {
		t.Fatalf("password login: %v %+v", err, res)
	}
	wantMembers(t, "AuthenticateUser", f.last(t, "AuthenticateUser").Body, map[string]string{
		"UserName": `"` + fakeUserName + `"`, "Password": mustJSON(t, fakePassword),
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTokenPlacements(t *testing.T) {
	for _, tc := range []struct {
		p              TokenPlacement
		bearer, apName bool
	}{{TokenBoth, true, true}, {TokenBearer, true, false}, {TokenAPToken, false, true}} {
		t.Run(tc.p.String(), func(t *testing.T) {
			f := newFakeKIIEX(t)
			c := f.client(t, WithTokenPlacement(tc.p))
			sess, err := c.LoginWithAPIKey(t.Context(), f.login())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID}); err != nil {
				t.Fatal(err)
			}
			h := f.last(t, "GetAccountPositions").Header
			if got := h.Get("Authorization") != ""; got != tc.bearer {
				t.Errorf("Authorization sent: %v, want %v", got, tc.bearer)
			}
			if got := h.Get("aptoken") != ""; got != tc.apName {
				t.Errorf("aptoken sent: %v, want %v", got, tc.apName)
			}
		})
	}
	// A token obtained elsewhere, through the spec's security schemes.
	f := newFakeKIIEX(t)
	tok := f.mintToken()
	for _, opt := range []ClientOption{WithAuth(SecurityBearerAuth, BearerToken(tok)), WithAuth(SecurityAPToken, APIKey(tok)), WithSessionToken(tok)} {
		c := f.client(t, opt)
		if _, err := c.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID}); err != nil {
			t.Errorf("with a configured token: %v", err)
		}
	}
}

func TestTwoFactorLogin(t *testing.T) {
	f := newFakeKIIEX(t)
	f.twoFACode = "246810"
	c := f.client(t)
	ctx := t.Context()

	sess, err := c.LoginWithAPIKey(ctx, f.login())
	var tfe *TwoFactorRequiredError
	if !errors.As(err, &tfe) || !errors.Is(err, ErrTwoFactorRequired) || tfe.TwoFAType != "Google" {
		t.Fatalf("LoginWithAPIKey: %v, want *TwoFactorRequiredError (Google)", err)
	}
	if sess == nil || !sess.Requires2FA || sess.Authenticated || sess.Token() != "" || sess.UserID != fakeUserIDNum {
		t.Fatalf("pending session = %+v", sess)
	}
	// Not usable yet.
	_, err = c.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	if !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("before Complete2FA: %v, want ErrNotAuthorized", err)
	}

	// A wrong code is rejected and the login stays pending.
	_, err = c.Complete2FA(ctx, "000000")
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrNotAuthorized) || ae.Operation != "Authenticate2FA" {
		t.Fatalf("wrong code: %v, want *APIError ErrNotAuthorized from Authenticate2FA", err)
	}
	sess, err = c.Complete2FA(ctx, f.twoFACode)
	if err != nil {
		t.Fatalf("Complete2FA: %v", err)
	}
	if !sess.Authenticated || sess.Requires2FA || sess.AccountID != fakeAccountID || sess.Token() == "" {
		t.Errorf("completed session = %+v", sess)
	}
	call := f.last(t, "Authenticate2FA")
	wantMembers(t, "Authenticate2FA", call.Body, map[string]string{"Code": `"246810"`})
	if call.Header.Get("Pending2FaToken") == "" {
		t.Errorf("Authenticate2FA without the pending twoFAToken")
	}
	if _, err := c.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID}); err != nil {
		t.Fatalf("after Complete2FA: %v", err)
	}
}

func TestLoginRejected(t *testing.T) {
	f := newFakeKIIEX(t)
	c := f.client(t)
	bad := f.login()
	bad.APISecret = "not-the-secret"
	sess, err := c.LoginWithAPIKey(t.Context(), bad)
	var ae *APIError
	if sess != nil || !errors.As(err, &ae) || !errors.Is(err, ErrNotAuthorized) || ae.Operation != "AuthenticateUser" || ae.Message != "Invalid credentials" {
		t.Fatalf("bad signature: %v %v, want *APIError ErrNotAuthorized", sess, err)
	}
	_, err = c.LoginWithPassword(t.Context(), fakeUserName, "wrong password")
	if !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("bad password: %v", err)
	}
	if _, err := c.LoginWithPassword(t.Context(), fakeUserName, fakePassword); err != nil {
		t.Fatalf("password login: %v", err)
	}
	// Missing fields fail before anything is sent.
	n := f.hitCount("")
	if _, err := c.LoginWithAPIKey(t.Context(), APIKeyLogin{APIKey: fakeAPIKey}); err == nil || !strings.Contains(err.Error(), "APISecret") {
		t.Errorf("incomplete APIKeyLogin: %v", err)
	}
	if f.hitCount("") != n {
		t.Errorf("incomplete login reached the server")
	}
}

// loggedIn returns a fake and a client with a session.
func loggedIn(t *testing.T, opts ...ClientOption) (*fakeKIIEX, *Client) {
	t.Helper()
	f := newFakeKIIEX(t)
	c := f.client(t, opts...)
	if _, err := c.LoginWithAPIKey(t.Context(), f.login()); err != nil {
		t.Fatal(err)
	}
	return f, c
}

var positionsReq = &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID}

func TestHTTP401(t *testing.T) {
	f := newFakeKIIEX(t)
	c := f.client(t)
	// No token at all: 401 without a body.
	_, err := c.GetAccountPositions(t.Context(), positionsReq)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("no token: %v, want *APIError ErrNotAuthorized", err)
	}
	if ae.StatusCode != 401 || ae.Operation != "GetAccountPositions" || ae.Body != nil || ae.Code != 0 {
		t.Errorf("no token: %#v", ae)
	}
	if got, want := err.Error(), "GetAccountPositions: HTTP 401: Unauthorized"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// An unknown token: 401 with the declared GenericResponse body.
	c.SetSessionToken("expired-token")
	_, err = c.GetAccountPositions(t.Context(), positionsReq)
	if !errors.As(err, &ae) || !errors.Is(err, ErrNotAuthorized) || ae.StatusCode != 401 || ae.Code != 20 {
		t.Fatalf("bad token: %v", err)
	}
	gr, ok := ae.Body.(*GenericResponse)
	if !ok || gr.ErrorCode == nil || *gr.ErrorCode != 20 || gr.Result == nil || *gr.Result || !gr.Detail.IsNull() {
		t.Errorf("Body = %#v, want *GenericResponse with errorcode 20", ae.Body)
	}
	if msg, ok := gr.ErrorMsg.Get(); !ok || msg != "Not Authorized" {
		t.Errorf("Body.ErrorMsg = %v", gr.ErrorMsg)
	}
	if errors.Is(err, ErrResourceNotFound) || errors.Is(err, ErrServerError) {
		t.Errorf("401 matches unrelated sentinels")
	}
}

func TestAPEXEnvelopeIn200(t *testing.T) {
	all := []error{ErrNotAuthorized, ErrInvalidRequest, ErrOperationFailed, ErrServerError, ErrResourceNotFound, ErrOperationNotSupported}
	for _, tc := range []struct {
		code int
		msg  string
		want error
	}{
		{20, "Not Authorized", ErrNotAuthorized},
		{100, "Invalid Request", ErrInvalidRequest},
		{101, "Operation Failed", ErrOperationFailed},
		{102, "Server Error", ErrServerError},
		{104, "Resource Not Found", ErrResourceNotFound},
		{106, "Operation Not Supported", ErrOperationNotSupported},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			f, c := loggedIn(t)
			body := fmt.Sprintf(`{"result":false,"errormsg":%q,"errorcode":%d,"detail":null}`, tc.msg, tc.code)
			f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 200, body) })
			ps, err := c.GetAccountPositions(t.Context(), positionsReq)
			var ae *APIError
			if ps != nil || !errors.As(err, &ae) {
				t.Fatalf("got %v, %v; want *APIError", ps, err)
			}
			if ae.StatusCode != 200 || ae.Code != tc.code || ae.Message != tc.msg || ae.Detail != "" || ae.Operation != "GetAccountPositions" {
				t.Errorf("APIError = %#v", ae)
			}
			if !bytes.Equal(ae.Raw, []byte(body)) {
				t.Errorf("Raw = %s", ae.Raw)
			}
			if want := fmt.Sprintf("GetAccountPositions: HTTP 200: %s (code %d)", tc.msg, tc.code); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err, want)
			}
			for _, s := range all {
				if got := errors.Is(err, s); got != (s == tc.want) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
		})
	}

	// The detail text is kept, and a code without text still reads well.
	f, c := loggedIn(t)
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, 200, `{"result":false,"errormsg":null,"errorcode":101,"detail":"Insufficient balance"}`)
	})
	_, err := c.GetAccountPositions(t.Context(), positionsReq)
	if err == nil || err.Error() != "GetAccountPositions: HTTP 200: Operation Failed (code 101): Insufficient balance" {
		t.Errorf("Error() = %v", err)
	}

	// result true with a message (seen in the old docs) is a success.
	f.setOverride("CreateWithdrawTicket", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, 200, `{"result":true,"errormsg":"Withdraw ticket queued","errorcode":0,"detail":"5f0e9a7c"}`)
	})
	gr, err := c.CreateWithdrawTicket(t.Context(), &CreateWithdrawTicketRequest{OMSID: 1, AccountID: fakeAccountID, ProductID: fakeCOPM, Amount: MustDecimal("1"), TemplateType: "ToWallet"})
	if err != nil {
		t.Fatalf("result:true with a message: %v", err)
	}
	if m, ok := gr.ErrorMsg.Get(); !ok || m != "Withdraw ticket queued" {
		t.Errorf("ErrorMsg = %v", gr.ErrorMsg)
	}
	if d, ok := gr.Detail.Get(); !ok || d != "5f0e9a7c" {
		t.Errorf("Detail = %v", gr.Detail)
	}

	// A rejected order ({"status":"Rejected","errormsg":...} with HTTP 200
	// and no "result" member) is an error matching ErrRejected: the OMS did
	// not take the order in, and a caller must not mistake it for a
	// placed order.
	f2, c2 := loggedIn(t)
	ord, err := c2.SendOrder(t.Context(), &SendOrderRequest{InstrumentID: fakeInstrument, OMSID: 1, AccountID: fakeAccountID,
		TimeInForce: TimeInForceIOC, Side: OrderSideBuy, Quantity: MustDecimal("1e12"), OrderType: OrderTypeMarket})
	var rej *APIError
	if ord != nil || !errors.Is(err, ErrRejected) || !errors.As(err, &rej) || rej.Message != "Not enough funds" || rej.StatusCode != 200 || rej.Operation != "SendOrder" {
		t.Errorf("rejected order: %+v, %v", ord, err)
	}
	if errors.Is(err, ErrOperationFailed) || err.Error() != "SendOrder: HTTP 200: Not enough funds" {
		t.Errorf("rejected order error: %q", err)
	}
	wantMembers(t, "SendOrder", f2.last(t, "SendOrder").Body, map[string]string{
		"InstrumentId": "12", "OMSId": "1", "AccountId": "185", "TimeInForce": "3", "Side": "0", "quantity": "1e12", "OrderType": "1",
	})
}

func TestHTTPErrorBodies(t *testing.T) {
	f, c := loggedIn(t)
	// 404 is declared with a GenericResponse body for GetDepositTicket.
	const body404 = `{"result":false,"errormsg":"Resource Not Found","errorcode":104,"detail":"ticket 99 not found"}`
	f.setOverride("GetDepositTicket", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 404, body404) })
	_, err := c.GetDepositTicket(t.Context(), &GetDepositTicketRequest{OMSID: 1, AccountID: fakeAccountID, RequestCode: "nope", TicketID: 99})
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("404: %v", err)
	}
	gr, ok := ae.Body.(*GenericResponse)
	if !ok {
		t.Fatalf("404 Body = %#v, want *GenericResponse", ae.Body)
	}
	if gr.ErrorCode == nil || *gr.ErrorCode != 104 || gr.Result == nil || *gr.Result {
		t.Errorf("404 body = %+v", gr)
	}
	if d, ok := gr.Detail.Get(); !ok || d != "ticket 99 not found" {
		t.Errorf("404 detail = %v", gr.Detail)
	}
	if ae.StatusCode != 404 || ae.Code != 104 || err.Error() != "GetDepositTicket: HTTP 404: Resource Not Found (code 104): ticket 99 not found" {
		t.Errorf("404 error = %q %#v", err, ae)
	}
	wantMembers(t, "GetDepositTicket", f.last(t, "GetDepositTicket").Body, map[string]string{
		"OMSId": "1", "AccountId": "185", "RequestCode": `"nope"`, "TicketId": "99",
	})

	// 404 is not declared for GetAccountPositions: no Body, Raw kept.
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		io.WriteString(w, "<html>not here</html>")
	})
	_, err = c.GetAccountPositions(t.Context(), positionsReq)
	if !errors.As(err, &ae) || ae.Body != nil || string(ae.Raw) != "<html>not here</html>" || !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("undeclared 404: %#v", err)
	}
	if err.Error() != "GetAccountPositions: HTTP 404: Not Found" {
		t.Errorf("undeclared 404 Error() = %q", err)
	}

	// 5xx.
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 503, "") })
	_, err = c.GetAccountPositions(t.Context(), positionsReq)
	if !errors.As(err, &ae) || ae.StatusCode != 503 || !errors.Is(err, ErrServerError) || errors.Is(err, ErrNotAuthorized) {
		t.Errorf("503: %v", err)
	}
}

func TestMalformedResponses(t *testing.T) {
	f, c := loggedIn(t)
	for _, tc := range []struct {
		name, body string
		check      func(error) bool
	}{
		{"truncated", `[{"OMSId":1,"InstrumentId":12,"BestBid":0.00`, func(err error) bool { var se *json.SyntaxError; return errors.As(err, &se) }},
		{"garbage", `<html>502 Bad Gateway</html>`, func(err error) bool { var se *json.SyntaxError; return errors.As(err, &se) }},
		{"object for array", `{"OMSId":1}`, func(err error) bool { var te *json.UnmarshalTypeError; return errors.As(err, &te) }},
		{"string for decimal", `[{"OMSId":1,"BestBid":"cheap"}]`, func(err error) bool { return err != nil }},
		{"empty", ``, func(err error) bool { return err != nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.setOverride("GetLevel1SummaryMin", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 200, tc.body) })
			l1, err := c.GetLevel1SummaryMin(t.Context(), &GetLevel1SummaryMinRequest{OMSID: 1})
			if err == nil || l1 != nil {
				t.Fatalf("got %v, %v; want an error", l1, err)
			}
			if !strings.HasPrefix(err.Error(), "GetLevel1SummaryMin: decode response: ") {
				t.Errorf("error does not name the operation: %q", err)
			}
			if !tc.check(err) {
				t.Errorf("error chain: %#v", err)
			}
			var ae *APIError
			if errors.As(err, &ae) {
				t.Errorf("a decode failure is not an *APIError: %v", err)
			}
		})
	}
}

func TestResponseTooLarge(t *testing.T) {
	const limit = 512
	f, c := loggedIn(t, WithMaxResponseBytes(limit))
	exact := "[" + strings.Repeat(" ", limit-2) + "]"
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 200, exact) })
	if ps, err := c.GetAccountPositions(t.Context(), positionsReq); err != nil || len(ps) != 0 {
		t.Fatalf("body of exactly the limit: %v %v", ps, err)
	}
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, 200, "["+strings.Repeat(`{"omsId":1},`, 1000)+`{"omsId":1}]`)
	})
	_, err := c.GetAccountPositions(t.Context(), positionsReq)
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("oversized: %v, want ErrResponseTooLarge", err)
	}
	if want := "GetAccountPositions: HTTP 200: response body too large (limit 512 bytes)"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	// The limit applies to error bodies too.
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 500, strings.Repeat("x", 4*limit)) })
	if _, err := c.GetAccountPositions(t.Context(), positionsReq); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("oversized 500: %v", err)
	}
}

func TestContextCancelled(t *testing.T) {
	f, c := loggedIn(t)
	arrived := make(chan struct{}, 1)
	f.setOverride("GetOrderStatus", func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	req := &GetOrderStatusRequest{OMSID: 1, AccountID: fakeAccountID, OrderID: 1}

	// Cancelled while the server works on it.
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	start := time.Now()
	_, err := c.GetOrderStatus(ctx, req)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "GetOrderStatus: ") {
		t.Fatalf("in flight: %v, want context.Canceled naming the operation", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancellation took %v", d)
	}

	// Already cancelled.
	if _, err := c.GetOrderStatus(ctx, req); !errors.Is(err, context.Canceled) {
		t.Errorf("pre-cancelled: %v", err)
	}

	// Deadline.
	dctx, dcancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer dcancel()
	go func() { <-arrived }()
	if _, err := c.GetOrderStatus(dctx, req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}

	// A login waiting for another login honours its context too.
	cctx, ccancel := context.WithCancel(t.Context())
	ccancel()
	if _, err := c.LoginWithAPIKey(cctx, f.login()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled login: %v", err)
	}
}

func TestServerClosesConnection(t *testing.T) {
	f, c := loggedIn(t)
	f.setOverride("SendOrder", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	})
	ord, err := c.SendOrder(t.Context(), &SendOrderRequest{InstrumentID: fakeInstrument, OMSID: 1, AccountID: fakeAccountID,
		TimeInForce: TimeInForceIOC, Side: OrderSideBuy, Quantity: MustDecimal("0.1"), OrderType: OrderTypeMarket})
	if err == nil || ord != nil {
		t.Fatalf("got %v, %v; want an error", ord, err)
	}
	if !strings.HasPrefix(err.Error(), "SendOrder: ") {
		t.Errorf("error does not name the operation: %q", err)
	}
	var ae *APIError
	if errors.As(err, &ae) {
		t.Errorf("a transport failure is not an *APIError: %v", err)
	}
	// An order must never be sent twice behind the caller's back.
	if n := f.hitCount("SendOrder"); n != 1 {
		t.Errorf("SendOrder reached the server %d times, want 1", n)
	}
	wantMembers(t, "SendOrder", f.last(t, "SendOrder").Body, map[string]string{
		"InstrumentId": "12", "OMSId": "1", "AccountId": "185", "TimeInForce": "3", "Side": "0", "quantity": "0.1", "OrderType": "1",
	})

	// The connection dies in the middle of the body.
	f.setOverride("GetTradesHistory", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(200)
		io.WriteString(w, `[{"OMSId":1,`)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
	_, err = c.GetTradesHistory(t.Context(), &GetTradesHistoryRequest{OMSID: 1})
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(err.Error(), "GetTradesHistory: read response: ") {
		t.Errorf("truncated body: %v", err)
	}
}

func TestNilRequests(t *testing.T) {
	f, c := loggedIn(t)
	before := f.hitCount("")
	if _, err := c.AuthenticateUser(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "AuthenticateUser") {
		t.Errorf("AuthenticateUser(nil): %v", err)
	}
	if _, err := c.SendOrder(t.Context(), nil); err == nil || !strings.HasPrefix(err.Error(), "SendOrder: ") {
		t.Errorf("SendOrder(nil): %v", err)
	}
	if _, err := c.GetAccountPositions(t.Context(), nil); err == nil {
		t.Errorf("GetAccountPositions(nil): no error")
	}
	if n := f.hitCount("") - before; n != 0 {
		t.Errorf("%d nil requests reached the server", n)
	}
}

func TestTypedNilUnionRequest(t *testing.T) {
	f := newFakeKIIEX(t)
	c := f.client(t)
	var cred *APIKeyCredentials
	if _, err := c.AuthenticateUser(t.Context(), cred); err == nil {
		t.Errorf("typed nil variant: no error")
	}
	if n := f.hitCount(""); n != 0 {
		t.Errorf("typed nil variant reached the server %d times", n)
	}
}

// The generated LogOut method takes the free-form body the spec declares
// ({}); the server ends the session and the client forgets its token.
func TestLogOutGenerated(t *testing.T) {
	f, c := loggedIn(t)
	res, err := c.LogOut(t.Context(), json.RawMessage(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Result == nil || !*res.Result || res.ErrorCode == nil || *res.ErrorCode != 0 || !res.ErrorMsg.IsNull() || !res.Detail.IsNull() {
		t.Errorf("LogOut = %+v", res)
	}
	if lo := f.last(t, "LogOut"); string(lo.Body) != "{}" || lo.Header.Get("aptoken") == "" {
		t.Errorf("LogOut sent %s", lo.Body)
	}
	_, err = c.GetAccountPositions(t.Context(), positionsReq)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 {
		t.Errorf("after LogOut: %v, want 401", err)
	}
	if h := f.last(t, "GetAccountPositions").Header; h.Get("Authorization") != "" || h.Get("aptoken") != "" {
		t.Errorf("token still sent after LogOut")
	}
}

func TestLogOutNilBody(t *testing.T) {
	f, c := loggedIn(t)
	before := f.hitCount("")
	_, err := c.LogOut(t.Context(), nil)
	sent := f.hitCount("") - before
	switch {
	case err == nil && sent == 1 && string(f.last(t, "LogOut").Body) == "{}":
	case err != nil && sent == 0:
	default:
		t.Errorf("LogOut(nil): err %v, %d requests; want {} sent or an error before sending", err, sent)
	}
}

func TestLoginRedirectKeepsSignature(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, fmt.Sprint(r.Header), string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer foreign.Close()
	// Another host name for the same listener, so that the redirect leaves
	// the original host.
	target := strings.Replace(foreign.URL, "127.0.0.1", "localhost", 1)
	f := newFakeKIIEX(t)
	f.setOverride("AuthenticateUser", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c := f.client(t)
	if _, err := c.LoginWithAPIKey(t.Context(), f.login()); err == nil {
		t.Errorf("login redirected to another host succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		if strings.Contains(s, expectedSignature()) {
			t.Errorf("the foreign host received the signature: %s", s)
		}
	}
}

// Many goroutines call while the token is rotated (SetSessionToken) and the
// user logs in again. Every call must succeed with a token the server
// issued, and no request may carry two different tokens (checked by the
// fake). Run with -race.
func TestTokenRotationConcurrent(t *testing.T) {
	f, c := loggedIn(t)
	ctx := t.Context()
	const callers, calls, rotations = 12, 25, 30

	var wg sync.WaitGroup
	rotErr := make(chan error, rotations)
	wg.Go(func() {
		for i := range rotations {
			if i%3 == 2 {
				_, err := c.LoginWithAPIKey(ctx, f.login())
				rotErr <- err
			} else {
				c.SetSessionToken(f.mintToken())
			}
			time.Sleep(time.Millisecond)
		}
	})
	for range callers {
		wg.Go(func() {
			for range calls {
				if _, err := c.GetAccountPositions(ctx, positionsReq); err != nil {
					t.Errorf("call during rotation: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(rotErr)
	for err := range rotErr {
		if err != nil {
			t.Errorf("login during rotation: %v", err)
		}
	}
	f.mu.Lock()
	seen := len(f.seenTokens)
	f.mu.Unlock()
	if seen < 2 {
		t.Errorf("calls used %d distinct tokens; the rotation did not interleave", seen)
	}
	if n := f.hitCount("GetAccountPositions"); n != callers*calls {
		t.Errorf("%d calls reached the server, want %d", n, callers*calls)
	}
}

// No secret may appear in errors or in the printed form of our types.
func TestSecretsNeverPrinted(t *testing.T) {
	f := newFakeKIIEX(t)
	var logMu sync.Mutex
	var reqLog bytes.Buffer
	logHook := WithRequestEditor(func(_ context.Context, r *http.Request) error {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(&reqLog, "%v\n", r)
		return nil
	})
	c := f.client(t, logHook)
	ctx := t.Context()
	sess, err := c.LoginWithAPIKey(ctx, f.login())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccountPositions(ctx, positionsReq); err != nil {
		t.Fatal(err)
	}

	// Collect errors from every failure path that involves the credentials.
	var errs []error
	collect := func(_ any, err error) {
		if err == nil {
			t.Errorf("expected an error")
			return
		}
		errs = append(errs, err)
	}
	bad := f.login()
	bad.APISecret = fakeAPISecret + "x"
	collect(c.LoginWithAPIKey(ctx, bad))
	collect(c.LoginWithPassword(ctx, fakeUserName, fakePassword+"x"))
	collect(c.LoginWithAPIKey(ctx, APIKeyLogin{APISecret: fakeAPISecret}))
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 200, envNotAuthorized) })
	collect(c.GetAccountPositions(ctx, positionsReq))
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, 401, envNotAuthorized) })
	collect(c.GetAccountPositions(ctx, positionsReq))
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	collect(c.GetAccountPositions(ctx, positionsReq))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	collect(c.GetAccountPositions(cctx, positionsReq))
	f.twoFACode = "135790"
	collect(c.LoginWithAPIKey(ctx, f.login()))
	collect(c.Complete2FA(ctx, "000000"))

	sig := expectedSignature()
	secrets := map[string]string{"API secret": fakeAPISecret, "signature": sig, "password": fakePassword, "2FA code": "135790"}
	for i, tok := range f.issuedTokens() {
		secrets[fmt.Sprintf("session token #%d", i)] = tok
	}
	leaks := func(where, text string) {
		t.Helper()
		for name, s := range secrets {
			if strings.Contains(text, s) || strings.Contains(text, hex.EncodeToString([]byte(s))) {
				t.Errorf("%s leaks the %s: %s", where, name, text)
			}
		}
	}
	for _, err := range errs {
		leaks("err.Error()", err.Error())
		var ae *APIError
		if errors.As(err, &ae) {
			leaks("APIError %#v", fmt.Sprintf("%#v", ae))
		}
	}

	login := f.login()
	keyCreds := APIKeyCredentials{APIKey: fakeAPIKey, Signature: sig, UserID: fakeUserID, Nonce: fakeNonce}
	pwCreds := PasswordCredentials{UserName: fakeUserName, Password: fakePassword}
	values := map[string]any{
		"*Client": c, "*Session": sess, "Session": *sess,
		"APIKeyLogin": login, "*APIKeyLogin": &login,
		"APIKeyCredentials": keyCreds, "*APIKeyCredentials": &keyCreds,
		"PasswordCredentials": pwCreds, "*PasswordCredentials": &pwCreds,
		"[]AuthenticateUserRequest":             []AuthenticateUserRequest{&keyCreds, &pwCreds},
		"struct{Creds AuthenticateUserRequest}": struct{ Creds AuthenticateUserRequest }{&keyCreds},
		"BearerToken":                           BearerToken(sess.Token()), "APIKey credential": APIKey(sess.Token()),
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			leaks(name+" printed with "+verb, fmt.Sprintf(verb, v))
		}
	}
	// Redaction must not hide the non-secret fields.
	if s := fmt.Sprintf("%+v", keyCreds); !strings.Contains(s, fakeAPIKey) || !strings.Contains(s, "[REDACTED]") {
		t.Errorf("APIKeyCredentials %%+v = %s", s)
	}
	if s := fmt.Sprintf("%+v", *sess); !strings.Contains(s, "AccountID:185") {
		t.Errorf("Session %%+v = %s", s)
	}

	// A logging hook that prints the whole *http.Request shows its header
	// map, and so the Authorization/aptoken token and the Signature header
	// of the login: that is net/http's formatting, not ours. Recorded here
	// rather than asserted.
	logMu.Lock()
	logged := reqLog.String()
	logMu.Unlock()
	var leaked []string
	for name, s := range secrets {
		if strings.Contains(logged, s) {
			leaked = append(leaked, name)
		}
	}
	slices.Sort(leaked)
	t.Logf("NOTE: %%v of *http.Request in a WithRequestEditor hook shows: %s", strings.Join(leaked, ", "))
	if strings.Contains(logged, fakeAPISecret) {
		t.Errorf("the API secret itself went over the wire")
	}
}
