package kiiex_test

// The WebSocket session against the generated fake (kiiexfake) over a real
// socket: the fake's gateway at /WSGateway (the URL DialWS derives from the
// server URL), its typed subscribe handlers giving the snapshots, events
// pushed with its Push methods, a server-side disconnect (DisconnectWS),
// and an order sent over the socket answered by the same HandleSendOrder
// that serves HTTP, whose handler pushes the order-state event. It runs
// under -race in CI and fails when a goroutine of the session or the fake
// outlives them.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/kiiexgen/kiiexgen/generated/kiiex"
	"github.com/kiiexgen/kiiexgen/generated/kiiex/kiiexfake"
)

func level1(instrument int64, bid string) *Level1Data {
	return &Level1Data{OMSID: fakeOMSID, InstrumentID: instrument, BestBid: MustDecimal(bid), BestOffer: MustDecimal(fakeBestOffer), LastTradeTime: fakeNow.UnixMilli()}
}

// level2 is one positional Level2 entry: MDUpdateId, Accounts,
// ActionDateTime, ActionType, LastTradePrice, Orders, Price,
// ProductPairCode, Quantity, Side.
func level2(id int64, price, qty string, side int64, instrument int64) Level2Entry {
	d := func(v int64) Decimal { return MustDecimal(strconv.FormatInt(v, 10)) }
	return Level2Entry{d(id), d(1), d(fakeNow.UnixMilli()), d(0), MustDecimal(fakeLastPx), d(1), MustDecimal(price), d(instrument), MustDecimal(qty), d(side)}
}

// callsOf returns the bodies of the calls the fake recorded for op, over
// either transport.
func callsOf(srv *kiiexfake.Server, op string) [][]byte {
	var out [][]byte
	for _, c := range srv.Calls() {
		if c.Operation == op {
			out = append(out, c.Body)
		}
	}
	return out
}

// members returns a JSON object's members as their JSON text.
func members(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func nextMsg[E any](t *testing.T, st *WSStream[E]) E {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	e, err := st.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return e
}

// noLeftGoroutines fails when a goroutine of the session or of the fake's
// gateway is still running.
func noLeftGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		var left []string
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "(*WSSession)") || strings.Contains(g, "newWSStream") || strings.Contains(g, "kiiexfake.") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left behind:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWSAgainstGeneratedFake(t *testing.T) {
	srv := kiiexfake.NewServer(kiiexfake.WithBasePath("/ap"), kiiexfake.WithAPIKey(fakeUserID, fakeAPIKey, fakeAPISecret),
		kiiexfake.WithIdentity(kiiexfake.Identity{UserID: fakeUserIDNum, UserName: fakeUserName, AccountID: fakeAccountID, OMSID: fakeOMSID}))
	closed := false
	defer func() {
		if !closed {
			srv.Close()
		}
	}()

	var mu sync.Mutex
	subscribes := map[string]int{}
	count := func(op string) int {
		mu.Lock()
		defer mu.Unlock()
		return subscribes[op]
	}
	srv.HandleSubscribeLevel1(func(ctx context.Context, req *SubscribeLevel1Request) (*Level1Data, error) {
		mu.Lock()
		subscribes["SubscribeLevel1"]++
		mu.Unlock()
		if req.InstrumentID == nil {
			return nil, &kiiexfake.Error{Code: 100, Detail: "InstrumentId required"}
		}
		return level1(*req.InstrumentID, fakeBestBid), nil
	})
	srv.HandleSubscribeLevel2(func(ctx context.Context, req *SubscribeLevel2Request) ([]Level2Entry, error) {
		mu.Lock()
		subscribes["SubscribeLevel2"]++
		mu.Unlock()
		return []Level2Entry{level2(1, fakeBestBid, "1000", 0, *req.InstrumentID), level2(2, fakeBestOffer, "2000", 1, *req.InstrumentID)}, nil
	})
	srv.HandleSubscribeAccountEvents(func(ctx context.Context, req *SubscribeAccountEventsRequest) (*SubscribeAccountEventsResponse, error) {
		return &SubscribeAccountEventsResponse{Subscribe: Ptr(true)}, nil
	})
	// One handler serves SendOrder over HTTP and over the socket; it pushes
	// the order's state to the account's subscribed sessions.
	srv.HandleSendOrder(func(ctx context.Context, req *SendOrderRequest) (*OrderResult, error) {
		const id = 4242
		qty := req.Quantity
		state := OrderStateNameFullyExecuted
		if n := srv.PushOrderStateEvent(&OMSOrderData{OrderID: Ptr[int64](id), Account: Ptr(req.AccountID), Instrument: Ptr(req.InstrumentID), OrderState: &state, QuantityExecuted: &qty}); n != 1 {
			t.Errorf("PushOrderStateEvent reached %d connections, want 1", n)
		}
		srv.PushOrderTradeEvent(&OrderTradeEvent{OMSID: fakeOMSID, TradeID: 9001, OrderID: id, AccountID: req.AccountID, InstrumentID: req.InstrumentID, Side: OrderSideNameBuy, Quantity: qty, Price: MustDecimal(fakeBestOffer), TradeTime: Ptr[int64](638918373228930000)})
		return &OrderResult{Status: OrderResultStatusAccepted, OrderID: id}, nil
	})

	c, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	var reconnects sync.WaitGroup
	reconnects.Add(1)
	var once sync.Once
	s, err := c.DialWS(ctx, WithWSAPIKey(swapLogin()), WithWSReconnect(time.Millisecond, 20*time.Millisecond),
		WithWSHeartbeat(20*time.Millisecond, time.Second),
		WithWSReconnectHook(func(int, error) { once.Do(reconnects.Done) }))
	if err != nil {
		t.Fatalf("DialWS: %v", err)
	}
	if info := s.Session(); info == nil || !info.Authenticated || info.AccountID != fakeAccountID || info.Token() != "" {
		t.Fatalf("Session() = %+v", info)
	}
	// The login went over the socket, signed as over HTTP.
	if login := callsOf(srv, "AuthenticateUser"); len(login) != 1 || !reflect.DeepEqual(members(t, login[0]), map[string]string{
		"APIKey": `"` + fakeAPIKey + `"`, "UserId": `"` + fakeUserID + `"`, "Nonce": `"` + fakeNonce + `"`, "Signature": `"` + swapSignature() + `"`,
	}) {
		t.Fatalf("logins over the socket: %q", login)
	}

	l1, err := s.SubscribeLevel1(ctx, &SubscribeLevel1Request{OMSID: fakeOMSID, InstrumentID: Ptr[int64](fakeInstrument)})
	if err != nil {
		t.Fatalf("SubscribeLevel1: %v", err)
	}
	l2ctx, cancelL2 := context.WithCancel(ctx)
	defer cancelL2()
	l2, err := s.SubscribeLevel2(l2ctx, &SubscribeLevel2Request{OMSID: fakeOMSID, InstrumentID: Ptr[int64](fakeInstrument), Depth: 10})
	if err != nil {
		t.Fatalf("SubscribeLevel2: %v", err)
	}
	if e := nextMsg(t, l1); e.Snapshot == nil || e.Gap || e.Snapshot.InstrumentID != fakeInstrument || e.Snapshot.BestBid.String() != fakeBestBid {
		t.Fatalf("level1 snapshot = %+v", e)
	}
	if e := nextMsg(t, l2); len(e.Snapshot) != 2 || e.Gap || e.Snapshot[1][6].String() != fakeBestOffer {
		t.Fatalf("level2 snapshot = %+v", e)
	}

	// Pushed updates; one for another instrument is not routed to the
	// stream.
	if n := srv.PushLevel1UpdateEvent(level1(fakeInstrument+1, "9")); n != 1 {
		t.Fatalf("PushLevel1UpdateEvent reached %d connections", n)
	}
	srv.PushLevel1UpdateEvent(level1(fakeInstrument, "0.000249"))
	if u := nextMsg(t, l1); u.Level1UpdateEvent == nil || u.Gap || u.Level1UpdateEvent.BestBid.String() != "0.000249" {
		t.Fatalf("level1 update = %+v", u)
	}
	srv.PushLevel2UpdateEvent([]Level2Entry{level2(3, "0.000249", "1500", 0, fakeInstrument)})
	if u := nextMsg(t, l2); len(u.Level2UpdateEvent) != 1 || u.Gap || u.Level2UpdateEvent[0][8].String() != "1500" {
		t.Fatalf("level2 update = %+v", u)
	}

	// A server-side disconnect: the session reconnects, logs in again and
	// re-subscribes; each stream reports the gap with a fresh snapshot.
	if n := srv.DisconnectWS(); n != 1 {
		t.Fatalf("DisconnectWS dropped %d connections", n)
	}
	g1, g2 := nextMsg(t, l1), nextMsg(t, l2)
	if !g1.Gap || g1.Snapshot == nil || !g2.Gap || g2.Snapshot == nil {
		t.Fatalf("after reconnect: level1 %+v level2 %+v, want snapshots with Gap", g1, g2)
	}
	reconnects.Wait()
	if a, b := count("SubscribeLevel1"), count("SubscribeLevel2"); a != 2 || b != 2 {
		t.Errorf("subscribe calls %d and %d, want 2 each (again after the reconnect)", a, b)
	}
	if tok := srv.Tokens(); len(tok) != 2 {
		t.Errorf("%d logins, want 2", len(tok))
	}
	srv.PushLevel1UpdateEvent(level1(fakeInstrument, "0.00025"))
	if u := nextMsg(t, l1); u.Level1UpdateEvent == nil || u.Gap {
		t.Fatalf("update after reconnect = %+v", u)
	}

	// An order over the socket and its order-state event.
	acct, err := s.SubscribeAccountEvents(ctx, &SubscribeAccountEventsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	if err != nil {
		t.Fatalf("SubscribeAccountEvents: %v", err)
	}
	if a := nextMsg(t, acct); a.Snapshot == nil || a.Snapshot.Subscribe == nil || !*a.Snapshot.Subscribe {
		t.Fatalf("account events reply = %+v", a)
	}
	ord, err := s.SendOrder(ctx, &SendOrderRequest{
		InstrumentID: fakeInstrument, OMSID: fakeOMSID, AccountID: fakeAccountID, TimeInForce: TimeInForceIOC,
		ClientOrderID: Ptr[int64](77), Side: OrderSideBuy, Quantity: MustDecimal("100.5"), OrderType: OrderTypeMarket,
	})
	if err != nil {
		t.Fatalf("SendOrder over WS: %v", err)
	}
	if ord.Status != OrderResultStatusAccepted || ord.OrderID != 4242 {
		t.Fatalf("SendOrder = %+v", ord)
	}
	st := nextMsg(t, acct)
	if st.OrderStateEvent == nil || st.OrderStateEvent.OrderID == nil || *st.OrderStateEvent.OrderID != ord.OrderID ||
		st.OrderStateEvent.OrderState == nil || *st.OrderStateEvent.OrderState != OrderStateNameFullyExecuted ||
		st.OrderStateEvent.QuantityExecuted == nil || st.OrderStateEvent.QuantityExecuted.String() != "100.5" {
		t.Fatalf("order state event = %+v", st)
	}
	if tr := nextMsg(t, acct); tr.OrderTradeEvent == nil || tr.OrderTradeEvent.OrderID != ord.OrderID || tr.OrderTradeEvent.Quantity.String() != "100.5" {
		t.Fatalf("order trade event = %+v", tr)
	}
	// The fake checked the order against the spec and recorded it.
	if sent := callsOf(srv, "SendOrder"); len(sent) != 1 || !reflect.DeepEqual(members(t, sent[0]), map[string]string{
		"InstrumentId": "12", "OMSId": "1", "AccountId": "185", "TimeInForce": "3", "ClientOrderId": "77",
		"Side": "0", "quantity": "100.5", "OrderType": "1",
	}) {
		t.Errorf("SendOrder bodies %q", sent)
	}

	// Closing a stream sends its unsubscribe call, which the fake answers
	// itself and which ends the connection's subscription.
	if err := l1.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := l1.Next(ctx); !errors.Is(err, ErrStreamClosed) {
		t.Fatalf("Next after Close: %v", err)
	}
	if n := srv.PushLevel1UpdateEvent(level1(fakeInstrument, "1")); n != 0 {
		t.Errorf("PushLevel1UpdateEvent after UnsubscribeLevel1 reached %d connections", n)
	}
	if un := callsOf(srv, "UnsubscribeLevel1"); len(un) != 1 || !reflect.DeepEqual(members(t, un[0]), map[string]string{"OMSId": "1", "InstrumentId": "12"}) {
		t.Errorf("UnsubscribeLevel1 bodies %q", un)
	}
	// Cancelling the subscribing context ends the other stream and sends
	// its unsubscribe call.
	cancelL2()
	for {
		_, err := l2.Next(ctx)
		if errors.Is(err, ErrStreamClosed) {
			break
		}
		if err != nil {
			t.Fatalf("level2 after cancel: %v", err)
		}
	}
	waitFor(t, "UnsubscribeLevel2", func() bool { return len(callsOf(srv, "UnsubscribeLevel2")) == 1 })
	// Heartbeats run on the connection.
	waitFor(t, "a heartbeat Ping", func() bool { return len(callsOf(srv, "Ping")) > 0 })

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := acct.Next(ctx); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("stream after session Close: %v", err)
	}
	if _, err := s.GetOrderStatus(ctx, &GetOrderStatusRequest{OMSID: 1, AccountID: 1, OrderID: 1}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("call after Close: %v", err)
	}
	srv.Close()
	closed = true
	noLeftGoroutines(t)
}

// WebSocket-only calls are not routed over HTTP: the fake answers 404, as
// no HTTP path of the spec is /SubscribeLevel1.
func TestFakeWSOnlyNotOverHTTP(t *testing.T) {
	srv := kiiexfake.NewServer(kiiexfake.WithAPIKey(fakeUserID, fakeAPIKey, fakeAPISecret))
	defer srv.Close()
	srv.HandleSubscribeLevel1(func(context.Context, *SubscribeLevel1Request) (*Level1Data, error) {
		t.Error("SubscribeLevel1 reached over HTTP")
		return nil, nil
	})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/SubscribeLevel1", strings.NewReader(`{"OMSId":1,"InstrumentId":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("aptoken", srv.IssueToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("POST /SubscribeLevel1 over HTTP: %s, want 404", resp.Status)
	}
}
