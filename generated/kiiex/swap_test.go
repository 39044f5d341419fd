package kiiex_test

// The Stablecoin FX swap of the Quick Start (fact sheet §6) end to end: the
// generated client against the generated fake server (package kiiexfake),
// whose typed handlers below keep the exchange's state. The fake checks
// every request against the spec (exact member names, JSON types, required
// members), verifies the API-key signature and requires the session token
// on every call; the test asserts every typed result and, through the
// fake's call record, every request body byte for byte.
//
// Tests that need server behaviour a spec-driven fake cannot express
// (malformed responses, dropped connections, envelopes in odd places) stay
// on the hand-written server in fakeserver_test.go.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/kiiexgen/kiiexgen/generated/kiiex"
	"github.com/kiiexgen/kiiexgen/generated/kiiex/kiiexfake"
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
	fakeEmail     = "swapper@example.com"

	fakeBestBid   = "0.0002485"
	fakeBestOffer = "0.00024875"
	fakeLastPx    = "0.0002486"
)

// fakeNow is the exchange's clock: every timestamp it reports derives from it.
var fakeNow = time.Date(2025, 8, 26, 20, 35, 22, 893_000_000, time.UTC)

func swapLogin() APIKeyLogin {
	return APIKeyLogin{APIKey: fakeAPIKey, APISecret: fakeAPISecret, UserID: fakeUserID, Nonce: fakeNonce}
}

// swapSignature recomputes the API-key signature independently of the
// client: lower-case hex HMAC-SHA256, key = API secret, message =
// Nonce+UserId+APIKey.
func swapSignature() string {
	mac := hmac.New(sha256.New, []byte(fakeAPISecret))
	mac.Write([]byte(fakeNonce + fakeUserID + fakeAPIKey))
	return hex.EncodeToString(mac.Sum(nil))
}

// lastCall returns the last request the fake routed to op.
func lastCall(t *testing.T, srv *kiiexfake.Server, op string) kiiexfake.Call {
	t.Helper()
	calls := srv.Calls()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Operation == op {
			return calls[i]
		}
	}
	t.Fatalf("fake KIIEX: no %s call recorded", op)
	return kiiexfake.Call{}
}

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

// runSwap runs the nine steps of the Quick Start swap (USDT -> COPM, then
// withdraw the COPM to a bank account) and asserts every typed result and
// every request body. It returns the session.

// runSwap runs the nine steps of the Quick Start swap (USDT -> COPM, then
// withdraw the COPM to a bank account) and asserts every typed result and
// every request body. It returns the session.
// swapCalls are the calls of the swap after login. *WSSession has them as
// they are; httpSwap adapts *Client (whose methods also take editors), so
// one workflow runs over either transport.
type swapCalls interface {
	CreateDepositTicket(context.Context, *CreateDepositTicketRequest) (*CreateDepositTicketResponse, error)
	GetAccountPositions(context.Context, *GetAccountPositionsRequest) ([]AccountPosition, error)
	GetLevel1SummaryMin(context.Context, *GetLevel1SummaryMinRequest) ([]Level1Data, error)
	SendOrder(context.Context, *SendOrderRequest) (*OrderResult, error)
	GetOrderStatus(context.Context, *GetOrderStatusRequest) ([]OMSOrderData, error)
	GetTradesHistory(context.Context, *GetTradesHistoryRequest) ([]TradeInfo, error)
	CreateWithdrawTicket(context.Context, *CreateWithdrawTicketRequest) (*GenericResponse, error)
	GetWithdrawTickets(context.Context, *GetWithdrawTicketsRequest) ([]WithdrawTicket, error)
}

type httpSwap struct{ c *Client }

func (h httpSwap) CreateDepositTicket(ctx context.Context, r *CreateDepositTicketRequest) (*CreateDepositTicketResponse, error) {
	return h.c.CreateDepositTicket(ctx, r)
}
func (h httpSwap) GetAccountPositions(ctx context.Context, r *GetAccountPositionsRequest) ([]AccountPosition, error) {
	return h.c.GetAccountPositions(ctx, r)
}
func (h httpSwap) GetLevel1SummaryMin(ctx context.Context, r *GetLevel1SummaryMinRequest) ([]Level1Data, error) {
	return h.c.GetLevel1SummaryMin(ctx, r)
}
func (h httpSwap) SendOrder(ctx context.Context, r *SendOrderRequest) (*OrderResult, error) {
	return h.c.SendOrder(ctx, r)
}
func (h httpSwap) GetOrderStatus(ctx context.Context, r *GetOrderStatusRequest) ([]OMSOrderData, error) {
	return h.c.GetOrderStatus(ctx, r)
}
func (h httpSwap) GetTradesHistory(ctx context.Context, r *GetTradesHistoryRequest) ([]TradeInfo, error) {
	return h.c.GetTradesHistory(ctx, r)
}
func (h httpSwap) CreateWithdrawTicket(ctx context.Context, r *CreateWithdrawTicketRequest) (*GenericResponse, error) {
	return h.c.CreateWithdrawTicket(ctx, r)
}
func (h httpSwap) GetWithdrawTickets(ctx context.Context, r *GetWithdrawTicketsRequest) ([]WithdrawTicket, error) {
	return h.c.GetWithdrawTickets(ctx, r)
}

func runSwap(t *testing.T, f *swapExchange, c *Client) *Session {
	return runSwapOver(t, f, false, func(ctx context.Context) (*Session, swapCalls, error) {
		sess, err := c.LoginWithAPIKey(ctx, swapLogin())
		return sess, httpSwap{c}, err
	})
}

// runSwapOver runs the Quick Start swap; logIn authenticates with the API
// key and returns the session and the transport's calls.
func runSwapOver(t *testing.T, f *swapExchange, overWS bool, logIn func(context.Context) (*Session, swapCalls, error)) *Session {
	ctx := t.Context()

	// 1. Authenticate with the API key.
	sess, c, err := logIn(ctx)
	if err != nil {
		t.Fatalf("LoginWithAPIKey: %v", err)
	}
	if !sess.Authenticated || sess.Requires2FA || sess.Locked {
		t.Errorf("session flags: %+v", sess)
	}
	if sess.UserID != fakeUserIDNum || sess.AccountID != fakeAccountID || sess.OMSID != fakeOMSID ||
		sess.UserName != fakeUserName || sess.Email != fakeEmail {
		t.Errorf("session identity: %+v", sess)
	}
	// Over HTTP the client holds the issued token; a WebSocket session is
	// authenticated by its connection, and the gateway stamps the token the
	// socket's login was issued on every call it routes.
	token := sess.Token()
	if overWS {
		token = ""
		if toks := f.srv.Tokens(); len(toks) > 0 {
			token = toks[len(toks)-1]
		}
		if sess.Token() != "" {
			t.Errorf("a WebSocket session handed out its token")
		}
	}
	if toks := f.srv.Tokens(); len(toks) == 0 || token != toks[len(toks)-1] {
		t.Errorf("session token is not the one the server issued")
	}
	login := lastCall(t, f.srv, "AuthenticateUser")
	wantMembers(t, "AuthenticateUser", login.Body, map[string]string{
		"APIKey": `"` + fakeAPIKey + `"`, "Signature": `"` + swapSignature() + `"`,
		"UserId": `"96"`, "Nonce": `"` + fakeNonce + `"`,
	})

	// 2. Deposit USDT, then read the balances.
	created := NewDateTime(fakeNow)
	dep, err := c.CreateDepositTicket(ctx, &CreateDepositTicketRequest{
		AssetManagerID:   1,
		AccountID:        sess.AccountID,
		AssetID:          fakeUSDT,
		AssetName:        Ptr("USDT"),
		Amount:           MustDecimal("35000.25"),
		OMSID:            sess.OMSID,
		RequestUser:      Ptr[int64](fakeUserIDNum),
		Status:           Ptr(DepositTicketStatusNew),
		DepositInfo:      Null[string](),
		Comments:         NewNullable("funding the COPM swap"),
		CreatedTimestamp: &created,
	})
	if err != nil {
		t.Fatalf("CreateDepositTicket: %v", err)
	}
	if !dep.Success || dep.RequestCode != "866f2b2e-4c1d-4e43-9a5b-3f0c6d7e8a91" {
		t.Errorf("CreateDepositTicket = %+v", dep)
	}
	wantMembers(t, "CreateDepositTicket", lastCall(t, f.srv, "CreateDepositTicket").Body, map[string]string{
		"assetManagerId": "1", "accountId": "185", "assetId": "1", "assetName": `"USDT"`, "amount": "35000.25",
		"omsId": "1", "requestUser": "96", "Status": "0", "depositInfo": "null",
		"comments": `"funding the COPM swap"`, "createdTimestamp": `"2025-08-26T20:35:22.893Z"`,
	})

	pos, err := c.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID, IncludePending: Ptr(true)})
	if err != nil {
		t.Fatalf("GetAccountPositions: %v", err)
	}
	wantMembers(t, "GetAccountPositions", lastCall(t, f.srv, "GetAccountPositions").Body, map[string]string{
		"AccountId": "185", "OMSId": "1", "IncludePending": "true",
	})
	before := positionsBySymbol(t, pos)
	wantDec(t, "USDT amount after deposit", before["USDT"].Amount, "35000.35")
	wantDec(t, "USDT day deposits", before["USDT"].TotalDayDeposits, "35000.25")
	wantDec(t, "COPM amount before swap", before["COPM"].Amount, "0")
	if before["USDT"].ProductID != fakeUSDT || before["COPM"].ProductID != fakeCOPM {
		t.Errorf("product ids: %d %d", before["USDT"].ProductID, before["COPM"].ProductID)
	}

	// 3. The current COPM/USDT rate.
	l1, err := c.GetLevel1SummaryMin(ctx, &GetLevel1SummaryMinRequest{OMSID: sess.OMSID, InstrumentIds: []int64{fakeInstrument}})
	if err != nil {
		t.Fatalf("GetLevel1SummaryMin: %v", err)
	}
	wantMembers(t, "GetLevel1SummaryMin", lastCall(t, f.srv, "GetLevel1SummaryMin").Body, map[string]string{"OMSId": "1", "InstrumentIds": "[12]"})
	if len(l1) != 1 || l1[0].InstrumentID != fakeInstrument {
		t.Fatalf("GetLevel1SummaryMin = %+v", l1)
	}
	wantDec(t, "BestOffer", l1[0].BestOffer, fakeBestOffer)
	wantDec(t, "BestBid", l1[0].BestBid, fakeBestBid)
	wantDec(t, "CurrentDayPxChange (as sent)", l1[0].CurrentDayPxChange, "-2.5E-7")
	if l1[0].CurrentDayPxChange.Cmp(MustDecimal("-0.00000025")) != 0 {
		t.Errorf("CurrentDayPxChange %s != -0.00000025", l1[0].CurrentDayPxChange)
	}
	if l1[0].TimeStamp != fakeNow.UnixMilli() || l1[0].CurrentDayNumTrades != 42 {
		t.Errorf("level1 ints: %d %d", l1[0].TimeStamp, l1[0].CurrentDayNumTrades)
	}

	// 4. Market order buying COPM. The quantity has more digits than a
	// float64 holds: it must reach the server byte for byte.
	qty := MustDecimal("123456789.123456789")
	ord, err := c.SendOrder(ctx, &SendOrderRequest{
		InstrumentID:  fakeInstrument,
		OMSID:         sess.OMSID,
		AccountID:     sess.AccountID,
		TimeInForce:   TimeInForceIOC,
		ClientOrderID: Ptr[int64](20250826),
		Side:          OrderSideBuy,
		Quantity:      qty,
		OrderType:     OrderTypeMarket,
	})
	if err != nil {
		t.Fatalf("SendOrder: %v", err)
	}
	wantMembers(t, "SendOrder", lastCall(t, f.srv, "SendOrder").Body, map[string]string{
		"InstrumentId": "12", "OMSId": "1", "AccountId": "185", "TimeInForce": "3", "ClientOrderId": "20250826",
		"Side": "0", "quantity": "123456789.123456789", "OrderType": "1",
	})
	if ord.Status != OrderResultStatusAccepted || !ord.Status.Valid() || ord.ErrorMsg != "" || ord.OrderID != 6544 {
		t.Fatalf("SendOrder = %+v", ord)
	}

	// 5. The order filled.
	st, err := c.GetOrderStatus(ctx, &GetOrderStatusRequest{OMSID: sess.OMSID, AccountID: sess.AccountID, OrderID: ord.OrderID})
	if err != nil {
		t.Fatalf("GetOrderStatus: %v", err)
	}
	wantMembers(t, "GetOrderStatus", lastCall(t, f.srv, "GetOrderStatus").Body, map[string]string{"omsId": "1", "accountId": "185", "orderId": "6544"})
	if len(st) != 1 {
		t.Fatalf("GetOrderStatus: %d records", len(st))
	}
	o := st[0]
	if o.OrderState == nil || *o.OrderState != OrderStateNameFullyExecuted || !o.OrderState.Valid() {
		t.Errorf("OrderState = %v", o.OrderState)
	}
	if o.Side == nil || *o.Side != OrderSideNameBuy || o.OrderType == nil || *o.OrderType != OrderTypeNameMarket {
		t.Errorf("Side/OrderType = %v/%v", o.Side, o.OrderType)
	}
	if o.ChangeReason == nil || *o.ChangeReason != ChangeReasonTrade {
		t.Errorf("ChangeReason = %v", o.ChangeReason)
	}
	if o.OrderID == nil || *o.OrderID != ord.OrderID || o.ClientOrderID == nil || *o.ClientOrderID != 20250826 {
		t.Errorf("ids = %v %v", o.OrderID, o.ClientOrderID)
	}
	if o.QuantityExecuted == nil || o.OrigQuantity == nil || o.AvgPrice == nil {
		t.Fatalf("order decimals missing: %+v", o)
	}
	wantDec(t, "QuantityExecuted", *o.QuantityExecuted, "123456789.123456789")
	wantDec(t, "OrigQuantity", *o.OrigQuantity, qty.String())
	wantDec(t, "AvgPrice", *o.AvgPrice, fakeBestOffer)
	if o.ReceiveTime == nil || time.UnixMilli(*o.ReceiveTime).UTC() != fakeNow {
		t.Errorf("ReceiveTime = %v", o.ReceiveTime)
	}
	if o.RejectReason == nil || *o.RejectReason != "" || o.IsQuote == nil || *o.IsQuote {
		t.Errorf("RejectReason/IsQuote = %v/%v", o.RejectReason, o.IsQuote)
	}

	// 6. The trade (swap) details.
	trades, err := c.GetTradesHistory(ctx, &GetTradesHistoryRequest{OMSID: sess.OMSID, AccountID: Ptr(sess.AccountID), OrderID: Ptr(ord.OrderID), Depth: Ptr[int64](10)})
	if err != nil {
		t.Fatalf("GetTradesHistory: %v", err)
	}
	wantMembers(t, "GetTradesHistory", lastCall(t, f.srv, "GetTradesHistory").Body, map[string]string{"omsId": "1", "accountId": "185", "orderId": "6544", "depth": "10"})
	if len(trades) != 1 {
		t.Fatalf("GetTradesHistory: %d trades", len(trades))
	}
	tr := trades[0]
	wantDec(t, "trade Quantity", tr.Quantity, "123456789.123456789")
	wantDec(t, "trade Price", tr.Price, fakeBestOffer)
	wantDec(t, "trade Value", tr.Value, "30709.87629445987626375")
	wantDec(t, "trade RemainingQuantity", tr.RemainingQuantity, "0")
	if tr.Side != OrderSideNameBuy || tr.OrderType != OrderTypeNameMarket || tr.MakerTaker != MakerTakerNameTaker ||
		tr.Direction != TradeDirectionUpTick || !tr.Direction.Valid() {
		t.Errorf("trade enums: %v %v %v %v", tr.Side, tr.OrderType, tr.MakerTaker, tr.Direction)
	}
	if tr.OrderID != ord.OrderID || tr.TradeID != 9001 || tr.ExecutionID != 9002 || tr.FeeProductID != fakeCOPM {
		t.Errorf("trade ids: %+v", tr)
	}
	if time.UnixMilli(tr.TradeTimeMS).UTC() != fakeNow || tr.TradeTime != 638918373228930000 {
		t.Errorf("trade times: %d %d", tr.TradeTimeMS, tr.TradeTime)
	}

	// 7. The new balances: exact to the last digit.
	pos, err = c.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID})
	if err != nil {
		t.Fatalf("GetAccountPositions: %v", err)
	}
	wantMembers(t, "GetAccountPositions", lastCall(t, f.srv, "GetAccountPositions").Body, map[string]string{"AccountId": "185", "OMSId": "1"})
	after := positionsBySymbol(t, pos)
	wantDec(t, "USDT after swap", after["USDT"].Amount, "4290.47370554012373625")
	wantDec(t, "COPM after swap", after["COPM"].Amount, "123456789.123456789")
	wantDec(t, "COPM notionalRate", after["COPM"].NotionalRate, fakeBestBid)
	rat := func(d Decimal) *big.Rat {
		t.Helper()
		r, err := d.Rat()
		if err != nil {
			t.Fatalf("Rat(%s): %v", d, err)
		}
		return r
	}
	spent := new(big.Rat).Sub(rat(before["USDT"].Amount), rat(after["USDT"].Amount))
	if spent.Cmp(rat(tr.Value)) != 0 {
		t.Errorf("USDT spent %s != trade value %s", spent.FloatString(20), tr.Value)
	}

	// 8. Withdraw the COPM to a bank account.
	wr, err := c.CreateWithdrawTicket(ctx, &CreateWithdrawTicketRequest{
		OMSID:        sess.OMSID,
		AccountID:    sess.AccountID,
		ProductID:    fakeCOPM,
		Amount:       after["COPM"].Amount,
		TemplateForm: json.RawMessage(bankForm),
		TemplateType: "ToBankAccount",
	})
	if err != nil {
		t.Fatalf("CreateWithdrawTicket: %v", err)
	}
	wantMembers(t, "CreateWithdrawTicket", lastCall(t, f.srv, "CreateWithdrawTicket").Body, map[string]string{
		"OMSId": "1", "AccountId": "185", "ProductId": "7", "Amount": "123456789.123456789",
		"TemplateForm": bankForm, "TemplateType": `"ToBankAccount"`,
	})
	if wr.Result == nil || !*wr.Result || wr.ErrorCode == nil || *wr.ErrorCode != 0 {
		t.Errorf("CreateWithdrawTicket = %+v", wr)
	}
	if !wr.ErrorMsg.IsNull() || wr.ErrorMsg.IsSet() || !wr.Detail.IsNull() {
		t.Errorf("CreateWithdrawTicket nullables: errormsg %v detail %v, want null and null", wr.ErrorMsg, wr.Detail)
	}

	// 9. The withdrawal's status.
	tickets, err := c.GetWithdrawTickets(ctx, &GetWithdrawTicketsRequest{OMSID: sess.OMSID, AccountID: sess.AccountID, StartIndex: Ptr[int64](0), Limit: Ptr[int64](50)})
	if err != nil {
		t.Fatalf("GetWithdrawTickets: %v", err)
	}
	wantMembers(t, "GetWithdrawTickets", lastCall(t, f.srv, "GetWithdrawTickets").Body, map[string]string{"OMSId": "1", "AccountId": "185", "StartIndex": "0", "Limit": "50"})
	if len(tickets) != 1 {
		t.Fatalf("GetWithdrawTickets: %d tickets", len(tickets))
	}
	wt := tickets[0]
	wantDec(t, "ticket amount", wt.Amount, "123456789.123456789")
	wantDec(t, "ticket feeAmt (trailing zeros kept)", wt.FeeAmt, "1500.00")
	if wt.FeeAmt.Cmp(MustDecimal("1500")) != 0 {
		t.Errorf("feeAmt %s != 1500", wt.FeeAmt)
	}
	if wt.Status != WithdrawTicketStatusAdminProcessing || !wt.Status.Valid() {
		t.Errorf("ticket Status = %v", wt.Status)
	}
	if wt.AssetName != "COPM" || wt.TemplateFormType != "ToBankAccount" || wt.TicketNumber != 4711 || wt.RequestUserID != fakeUserIDNum {
		t.Errorf("ticket = %+v", wt)
	}
	if !bytes.Equal(wt.TemplateForm, []byte(bankForm)) {
		t.Errorf("templateForm = %s", wt.TemplateForm)
	}
	if !wt.CreatedTimestamp.Equal(fakeNow) {
		t.Errorf("createdTimestamp = %v, want %v", wt.CreatedTimestamp.Time, fakeNow)
	}
	// The zone-less form of the older samples is read as UTC.
	if want := time.Date(2025, 8, 26, 20, 36, 5, 0, time.UTC); !wt.LastUpdateTimestamp.Equal(want) || wt.LastUpdateTimestamp.Location() != time.UTC {
		t.Errorf("lastUpdateTimestamp = %v, want %v", wt.LastUpdateTimestamp.Time, want)
	}
	for dt, want := range map[*DateTime]string{
		&wt.CreatedTimestamp:    `"2025-08-26T20:35:22.893Z"`,
		&wt.LastUpdateTimestamp: `"2025-08-26T20:36:05"`,
	} {
		if b, err := json.Marshal(dt); err != nil || string(b) != want {
			t.Errorf("DateTime re-encodes as %s (%v), want %s", b, err, want)
		}
	}
	if len(wt.Comments) != 1 || wt.Comments[0].Comment != "Payout to Bancolombia" || wt.Comments[0].CommentID == nil ||
		*wt.Comments[0].CommentID != 1 || !wt.Comments[0].EnteredDateTime.Equal(time.Date(2025, 8, 26, 20, 35, 23, 5e8, time.UTC)) {
		t.Errorf("ticket comments = %+v", wt.Comments)
	}
	if wt.Attachments == nil || len(wt.Attachments) != 0 || len(wt.AuditLog) != 1 {
		t.Errorf("attachments %v audit %v", wt.Attachments, wt.AuditLog)
	}

	// Every call after the login carried the session token, in both of the
	// documented places, and the login calls carried none.
	for _, call := range f.srv.Calls() {
		bearer, ap := call.Header.Get("Authorization"), call.Header.Get("aptoken")
		if call.Operation == "AuthenticateUser" {
			if bearer != "" || ap != "" {
				t.Errorf("%s carried a token", call.Operation)
			}
			continue
		}
		if overWS {
			if ap != token || bearer != "" {
				t.Errorf("%s over the socket: Authorization %q aptoken %q", call.Operation, bearer, ap)
			}
			continue
		}
		if bearer != "Bearer "+token || ap != token {
			t.Errorf("%s: Authorization %q aptoken %q", call.Operation, bearer, ap)
		}
	}
	return sess
}

// swapExchange is the fake exchange's state behind the typed handlers.
type swapExchange struct {
	srv *kiiexfake.Server

	mu          sync.Mutex
	balances    map[int64]*big.Rat
	holds       map[int64]*big.Rat
	dayDeposits map[int64]*big.Rat
	orders      []swapOrder
	withdraws   []swapWithdraw
	nextID      int64
}

type swapOrder struct {
	id, clientOrderID int64
	qty, price        *big.Rat
	qtyText           Decimal // as the client sent it
}

type swapWithdraw struct {
	productID int64
	amount    *big.Rat
	form      json.RawMessage
	formType  string
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad rat " + s)
	}
	return r
}

// decOf renders r as a Decimal without trailing zeros.
func decOf(r *big.Rat) Decimal {
	if r.IsInt() {
		return MustDecimal(r.RatString())
	}
	s := strings.TrimRight(r.FloatString(30), "0")
	return MustDecimal(strings.TrimSuffix(s, "."))
}

func ratOf(d Decimal) *big.Rat {
	r, err := d.Rat()
	if err != nil {
		panic(err)
	}
	return r
}

// fromJSON builds a typed response from a JSON fixture: the way to send
// what only the wire form can say (a zone-less timestamp, "1500.00").
func fromJSON[T any](js string) T {
	var v T
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		panic(err)
	}
	return v
}

// accountError is the APEX answer to a request for another OMS or account.
func accountError(oms, account int64) error {
	if oms != fakeOMSID {
		return &kiiexfake.Error{Code: 100, Message: "Invalid Request", Detail: "unknown OMS"}
	}
	if account != fakeAccountID {
		return &kiiexfake.Error{Code: 20, Message: "Not Authorized"}
	}
	return nil
}

func newSwapExchange(t *testing.T) *swapExchange {
	f := &swapExchange{
		balances:    map[int64]*big.Rat{fakeUSDT: rat("0.1"), fakeCOPM: rat("0")},
		holds:       map[int64]*big.Rat{fakeUSDT: rat("0"), fakeCOPM: rat("0")},
		dayDeposits: map[int64]*big.Rat{fakeUSDT: rat("0"), fakeCOPM: rat("0")},
		nextID:      6543,
	}
	// Like the real servers, the fake has a base path (/ap).
	f.srv = kiiexfake.NewServer(
		kiiexfake.WithBasePath("/ap"),
		kiiexfake.WithAPIKey(fakeUserID, fakeAPIKey, fakeAPISecret),
		kiiexfake.WithIdentity(kiiexfake.Identity{UserID: fakeUserIDNum, UserName: fakeUserName, Email: fakeEmail, AccountID: fakeAccountID, OMSID: fakeOMSID}),
	)
	t.Cleanup(f.srv.Close)
	s := f.srv

	s.HandleCreateDepositTicket(func(_ context.Context, req *CreateDepositTicketRequest) (*CreateDepositTicketResponse, error) {
		if err := accountError(req.OMSID, req.AccountID); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		amt := ratOf(req.Amount)
		if _, ok := f.balances[req.AssetID]; !ok || amt.Sign() <= 0 {
			return nil, &kiiexfake.Error{Code: 100, Message: "Invalid Request", Detail: "bad asset or amount"}
		}
		// The fake confirms deposits at once.
		f.balances[req.AssetID].Add(f.balances[req.AssetID], amt)
		f.dayDeposits[req.AssetID].Add(f.dayDeposits[req.AssetID], amt)
		return &CreateDepositTicketResponse{Success: true, RequestCode: "866f2b2e-4c1d-4e43-9a5b-3f0c6d7e8a91"}, nil
	})

	s.HandleGetAccountPositions(func(_ context.Context, req *GetAccountPositionsRequest) ([]AccountPosition, error) {
		if err := accountError(req.OMSID, req.AccountID); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		return []AccountPosition{f.position(fakeUSDT, "USDT"), f.position(fakeCOPM, "COPM")}, nil
	})

	s.HandleGetLevel1SummaryMin(func(_ context.Context, req *GetLevel1SummaryMinRequest) ([]Level1Data, error) {
		if err := accountError(req.OMSID, fakeAccountID); err != nil {
			return nil, err
		}
		out := []Level1Data{}
		if req.InstrumentIds == nil || slices.Contains(req.InstrumentIds, fakeInstrument) {
			ms := fakeNow.UnixMilli()
			out = append(out, Level1Data{
				OMSID: fakeOMSID, InstrumentID: fakeInstrument,
				BestBid: MustDecimal(fakeBestBid), BestOffer: MustDecimal(fakeBestOffer),
				LastTradedPx: MustDecimal(fakeLastPx), LastTradedQty: MustDecimal("4000000"), LastTradeTime: ms - 1500,
				SessionOpen: MustDecimal("0.000249"), SessionHigh: MustDecimal("0.0002495"), SessionLow: MustDecimal("0.0002481"),
				SessionClose: MustDecimal("0.00024885"), Volume: MustDecimal("4000000"), CurrentDayVolume: MustDecimal("912345678.5"),
				CurrentDayNumTrades: 42, CurrentDayPxChange: MustDecimal("-2.5E-7"), CurrentNotional: MustDecimal("226813.2"),
				Rolling24HrNotional: MustDecimal("301122.75"), Rolling24HrVolume: MustDecimal("1211000000"),
				Rolling24HrNumTrades: 57, Rolling24HrPxChange: MustDecimal("-0.1004"), TimeStamp: ms,
			})
		}
		return out, nil
	})

	s.HandleSendOrder(func(_ context.Context, req *SendOrderRequest) (*OrderResult, error) {
		if err := accountError(req.OMSID, req.AccountID); err != nil {
			return nil, err
		}
		reject := func(msg string) (*OrderResult, error) {
			return &OrderResult{Status: OrderResultStatusRejected, ErrorMsg: msg}, nil
		}
		switch {
		case req.InstrumentID != fakeInstrument:
			return reject("Instrument not found")
		case req.Side != OrderSideBuy:
			return reject("The fake only buys")
		case req.OrderType != OrderTypeMarket:
			return reject("The fake only fills market orders")
		}
		qty := ratOf(req.Quantity)
		if qty.Sign() <= 0 {
			return reject("Invalid quantity")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		price := rat(fakeBestOffer)
		cost := new(big.Rat).Mul(qty, price)
		if cost.Cmp(f.balances[fakeUSDT]) > 0 {
			return reject("Not enough funds")
		}
		f.balances[fakeUSDT].Sub(f.balances[fakeUSDT], cost)
		f.balances[fakeCOPM].Add(f.balances[fakeCOPM], qty)
		f.nextID++
		o := swapOrder{id: f.nextID, qty: qty, price: price, qtyText: req.Quantity}
		if req.ClientOrderID != nil {
			o.clientOrderID = *req.ClientOrderID
		}
		f.orders = append(f.orders, o)
		return &OrderResult{Status: OrderResultStatusAccepted, OrderID: o.id}, nil
	})

	s.HandleGetOrderStatus(func(_ context.Context, req *GetOrderStatusRequest) ([]OMSOrderData, error) {
		if err := accountError(req.OMSID, req.AccountID); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		o, ok := f.order(req.OrderID)
		if !ok {
			return nil, &kiiexfake.Error{Code: 104, Message: "Resource Not Found", Detail: "order not found"}
		}
		zero := MustDecimal("0")
		return []OMSOrderData{{
			Side: Ptr(OrderSideNameBuy), OrderID: Ptr(o.id), Price: &zero, Quantity: &zero, DisplayQuantity: &zero,
			Instrument: Ptr[int64](fakeInstrument), Account: Ptr[int64](fakeAccountID), OrderType: Ptr(OrderTypeNameMarket),
			ClientOrderID: Ptr(o.clientOrderID), OrderState: Ptr(OrderStateNameFullyExecuted),
			ReceiveTime: Ptr(fakeNow.UnixMilli()), ReceiveTimeTicks: Ptr(netTicks(fakeNow)),
			OrigQuantity: Ptr(o.qtyText), QuantityExecuted: Ptr(decOf(o.qty)), AvgPrice: Ptr(decOf(o.price)),
			CounterPartyID: Ptr[int64](0), ChangeReason: Ptr(ChangeReasonTrade), OrigOrderID: Ptr(o.id), OrigClOrdID: Ptr(o.clientOrderID),
			EnteredBy: Ptr[int64](fakeUserIDNum), IsQuote: Ptr(false), InsideAsk: Ptr(MustDecimal(fakeBestOffer)), InsideAskSize: Ptr(MustDecimal("500000000")),
			InsideBid: Ptr(MustDecimal(fakeBestBid)), InsideBidSize: Ptr(MustDecimal("250000000")), LastTradePrice: Ptr(MustDecimal(fakeBestOffer)),
			RejectReason: Ptr(""), IsLockedIn: Ptr(false), CancelReason: Ptr(""), OMSID: Ptr[int64](fakeOMSID),
		}}, nil
	})

	s.HandleGetTradesHistory(func(_ context.Context, req *GetTradesHistoryRequest) ([]TradeInfo, error) {
		account := int64(fakeAccountID)
		if req.AccountID != nil {
			account = *req.AccountID
		}
		if err := accountError(req.OMSID, account); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		out := []TradeInfo{}
		for i, o := range f.orders {
			if req.OrderID != nil && *req.OrderID != o.id {
				continue
			}
			out = append(out, TradeInfo{
				OMSID: fakeOMSID, ExecutionID: int64(9002 + 2*i), TradeID: int64(9001 + 2*i), OrderID: o.id,
				AccountID: fakeAccountID, AccountName: fakeEmail, ClientOrderID: o.clientOrderID,
				InstrumentID: fakeInstrument, Side: OrderSideNameBuy, OrderType: OrderTypeNameMarket,
				Quantity: decOf(o.qty), RemainingQuantity: MustDecimal("0"), Price: decOf(o.price),
				Value: decOf(new(big.Rat).Mul(o.qty, o.price)), CounterParty: "17", OrderTradeRevision: 1,
				Direction: TradeDirectionUpTick, Fee: MustDecimal("0"), FeeProductID: fakeCOPM,
				OrderOriginator: fakeUserIDNum, UserName: fakeUserName, TradeTimeMS: fakeNow.UnixMilli(),
				MakerTaker: MakerTakerNameTaker, InsideBid: MustDecimal(fakeBestBid), InsideBidSize: MustDecimal("250000000"),
				InsideAsk: MustDecimal(fakeBestOffer), InsideAskSize: MustDecimal("500000000"), TradeTime: netTicks(fakeNow),
			})
		}
		return out, nil
	})

	s.HandleCreateWithdrawTicket(func(_ context.Context, req *CreateWithdrawTicketRequest) (*GenericResponse, error) {
		if err := accountError(req.OMSID, req.AccountID); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		amt := ratOf(req.Amount)
		avail := new(big.Rat)
		if b, ok := f.balances[req.ProductID]; ok {
			avail.Sub(b, f.holds[req.ProductID])
		}
		if amt.Sign() <= 0 || amt.Cmp(avail) > 0 {
			return nil, &kiiexfake.Error{Code: 101, Message: "Operation Failed", Detail: "Insufficient balance"}
		}
		f.holds[req.ProductID].Add(f.holds[req.ProductID], amt)
		f.withdraws = append(f.withdraws, swapWithdraw{productID: req.ProductID, amount: amt, form: req.TemplateForm, formType: req.TemplateType})
		return &GenericResponse{Result: Ptr(true), ErrorMsg: Null[string](), ErrorCode: Ptr[int64](0), Detail: Null[string]()}, nil
	})

	s.HandleGetWithdrawTickets(func(_ context.Context, req *GetWithdrawTicketsRequest) ([]WithdrawTicket, error) {
		if err := accountError(req.OMSID, req.AccountID); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		out := []WithdrawTicket{}
		for _, w := range f.withdraws {
			// The timestamps come from a JSON fixture: the zone-less form of
			// the older samples can only be said on the wire.
			t := fromJSON[WithdrawTicket](`{"createdTimestamp":"2025-08-26T20:35:22.893Z","lastUpdateTimestamp":"2025-08-26T20:36:05",` +
				`"feeAmt":1500.00,"Comments":[{"commentId":1,"enteredBy":96,"enteredDateTime":"2025-08-26T20:35:23.5+00:00",` +
				`"comment":"Payout to Bancolombia","operatorId":1,"omsId":1,"ticketCode":"5f0e9a7c-1b2d-4c3e-8f9a-0b1c2d3e4f5a","ticketId":4711}],` +
				`"Attachments":[],"AuditLog":[{"Action":"Created","By":96}]}`)
			t.AssetManagerID, t.AccountID, t.AssetID, t.AssetName = 1, fakeAccountID, w.productID, "COPM"
			t.Amount, t.TemplateForm, t.TemplateFormType, t.OMSID = decOf(w.amount), w.form, w.formType, fakeOMSID
			t.RequestCode, t.RequestIP, t.RequestUserID, t.RequestUserName = "5f0e9a7c-1b2d-4c3e-8f9a-0b1c2d3e4f5a", "203.0.113.7", fakeUserIDNum, fakeUserName
			t.OperatorID, t.Status, t.UpdatedByUser, t.UpdatedByUserName, t.TicketNumber = 1, WithdrawTicketStatusAdminProcessing, fakeUserIDNum, fakeUserName, 4711
			out = append(out, t)
		}
		return out, nil
	})
	return f
}

func (f *swapExchange) position(pid int64, sym string) AccountPosition {
	rate := rat("1")
	if pid == fakeCOPM {
		rate = rat(fakeBestBid)
	}
	mul := func(a *big.Rat) Decimal { return decOf(new(big.Rat).Mul(a, rate)) }
	day := f.dayDeposits[pid]
	zero := MustDecimal("0")
	return AccountPosition{
		OMSID: fakeOMSID, AccountID: fakeAccountID, ProductSymbol: sym, ProductID: pid,
		Amount: decOf(f.balances[pid]), Hold: decOf(f.holds[pid]),
		PendingDeposits: zero, PendingWithdraws: decOf(f.holds[pid]),
		TotalDayDeposits: decOf(day), TotalMonthDeposits: decOf(day), TotalYearDeposits: decOf(day),
		TotalYearDepositNotional: mul(day), TotalDayDepositNotional: mul(day), TotalMonthDepositNotional: mul(day),
		TotalDayWithdraws: zero, TotalMonthWithdraws: zero, TotalYearWithdraws: zero,
		TotalYearWithdrawNotional: zero, TotalDayWithdrawNotional: zero, TotalMonthWithdrawNotional: zero,
		NotionalHoldAmount: mul(f.holds[pid]), NotionalRate: decOf(rate),
	}
}

func (f *swapExchange) order(id int64) (swapOrder, bool) {
	for _, o := range f.orders {
		if o.id == id {
			return o, true
		}
	}
	return swapOrder{}, false
}

// netTicks converts a time to .NET ticks (100 ns since 0001-01-01).
func netTicks(t time.Time) int64 {
	return (t.Unix()+62135596800)*10_000_000 + int64(t.Nanosecond()/100)
}

func TestSwapWorkflow(t *testing.T) {
	f := newSwapExchange(t)
	c, err := NewClient(f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	runSwap(t, f, c)
	if n := len(f.srv.Calls()); n != 10 {
		t.Errorf("server saw %d requests, want 10 (one per call, no retries)", n)
	}

	// LogOut ends the session: the client stops sending the token and the
	// server no longer accepts it.
	ctx := t.Context()
	tok := f.srv.Tokens()[0]
	if _, err := c.LogOut(ctx, nil); err != nil {
		t.Fatalf("LogOut: %v", err)
	}
	if lo := lastCall(t, f.srv, "LogOut"); lo.Header.Get("aptoken") != tok || string(lo.Body) != "{}" {
		t.Errorf("LogOut sent aptoken %q body %s", lo.Header.Get("aptoken"), lo.Body)
	}
	_, err = c.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	if !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("after LogOut: %v, want ErrNotAuthorized", err)
	}
	if h := lastCall(t, f.srv, "GetAccountPositions").Header; h.Get("Authorization") != "" || h.Get("aptoken") != "" {
		t.Errorf("token still sent after LogOut")
	}
	c.SetSessionToken(tok)
	_, err = c.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Code != 20 {
		t.Fatalf("logged-out token: %v, want 401 with APEX code 20", err)
	}
}

// TestSwapFakeRefusesBadRequests: what the fake's spec checks answer, as
// the client sees it. The client's own types cannot send most of these,
// so they go out as raw JSON through the plain HTTP client.
func TestSwapFakeRefusesBadRequests(t *testing.T) {
	f := newSwapExchange(t)
	c, err := NewClient(f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.LoginWithAPIKey(ctx, swapLogin()); err != nil {
		t.Fatal(err)
	}
	// rawBody replaces the request body the client built.
	rawBody := func(body string) RequestEditorFn {
		return func(_ context.Context, r *http.Request) error {
			r.Body, r.ContentLength, r.GetBody = io.NopCloser(strings.NewReader(body)), int64(len(body)), nil
			return nil
		}
	}
	post := func(op, body string) *APIError {
		t.Helper()
		_, err := c.SendOrder(ctx, &SendOrderRequest{}, rawBody(body))
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%s %s: %v, want an *APIError", op, body, err)
		}
		return ae
	}
	for _, tc := range []struct{ body, detail string }{
		{`{"InstrumentId":12,"OMSId":1,"AccountId":185,"TimeInForce":3,"Side":0,"OrderType":1}`, "request body: quantity: required field missing"},
		{`{"InstrumentId":12,"OMSId":1,"AccountId":185,"TimeInForce":3,"Side":0,"OrderType":1,"quantity":"5"}`, "request body: quantity: wrong type: a string, want a number"},
		{`{"InstrumentId":12.5,"OMSId":1,"AccountId":185,"TimeInForce":3,"Side":0,"OrderType":1,"quantity":5}`, "request body: InstrumentId: wrong type: a number, want an integer"},
		{`{"InstrumentId":12,"OmsId":1,"OMSId":1,"AccountId":185,"TimeInForce":3,"Side":0,"OrderType":1,"quantity":5}`, `request body: OmsId: unknown field (the spec spells it "OMSId")`},
		{`{"InstrumentId":12,"OMSId":null,"AccountId":185,"TimeInForce":3,"Side":0,"OrderType":1,"quantity":5}`, "request body: OMSId: null is not allowed, want an integer"},
		{`[1]`, "request body: wrong type: an array, want an object"},
	} {
		ae := post("SendOrder", tc.body)
		if ae.StatusCode != 200 || ae.Code != 100 || !errors.Is(ae, ErrInvalidRequest) || ae.Detail != tc.detail {
			t.Errorf("%s: %v (detail %q), want HTTP 200 code 100 with detail %q", tc.body, ae, ae.Detail, tc.detail)
		}
	}

	// An operation the test registered no handler for.
	_, err = c.GetDepositTicket(ctx, &GetDepositTicketRequest{OMSID: 1, AccountID: 185, RequestCode: "x", TicketID: 1})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 501 || ae.Code != 106 || !strings.Contains(ae.Message, "not implemented: GetDepositTicket") || !strings.Contains(ae.Message, "HandleGetDepositTicket") {
		t.Errorf("unregistered operation: %v", err)
	}
	// A login with a wrong secret fails; the fake checks the signature.
	bad := swapLogin()
	bad.APISecret += "x"
	if _, err := c.LoginWithAPIKey(ctx, bad); !errors.Is(err, ErrNotAuthorized) {
		t.Errorf("wrong secret: %v, want ErrNotAuthorized", err)
	}
	// Every request of this test was recorded, the failed ones too.
	if n := len(f.srv.Calls()); n != 9 {
		t.Errorf("recorded %d calls, want 9", n)
	}
	if !bytes.Contains(lastCall(t, f.srv, "AuthenticateUser").Body, []byte(`"Signature"`)) {
		t.Errorf("login body not recorded")
	}
}

// TestSwapWorkflowOverWebSocket runs the same Quick Start swap, with the
// same checks of every request and answer, over one WebSocket session with
// the generated fake's gateway: the API-key login on the socket, then each
// call as an APEX frame answered by the handlers the HTTP run uses.
func TestSwapWorkflowOverWebSocket(t *testing.T) {
	f := newSwapExchange(t)
	c, err := NewClient(f.srv.URL + "/ap")
	if err != nil {
		t.Fatal(err)
	}
	var ws *WSSession
	runSwapOver(t, f, true, func(ctx context.Context) (*Session, swapCalls, error) {
		s, err := c.DialWS(ctx, WithWSAPIKey(swapLogin()))
		if err != nil {
			return nil, nil, err
		}
		ws = s
		return s.Session(), s, nil
	})
	if ws == nil {
		return
	}
	if err := ws.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	f.srv.Close()
	noLeftGoroutines(t)
}
