package kiiex

// End-to-end tests of the WebSocket session against the fake APEX gateway
// (fakews_test.go): market-data subscriptions surviving a server-side
// disconnect, an order placed over the socket with its order-state event,
// the Quick Start swap over the socket, the slow-consumer policy, and that
// the session leaves no goroutine behind.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// dialFake opens a session on the fake gateway, logged in with the fake's
// API key, with fast reconnects and heartbeats.
func dialFake(t *testing.T, f *fakeKIIEX, w *fakeWS, opts ...WSOption) *WSSession {
	t.Helper()
	c := f.client(t)
	opts = append([]WSOption{
		WithWSAPIKey(f.login()),
		withWSDialer(w.dial),
		WithWSReconnect(time.Millisecond, 20*time.Millisecond),
		WithWSHeartbeat(20*time.Millisecond, time.Second),
	}, opts...)
	s, err := c.DialWS(t.Context(), opts...)
	if err != nil {
		t.Fatalf("DialWS: %v", err)
	}
	// A test that fails half-way must not leave its session running into
	// the next test's goroutine check.
	t.Cleanup(func() { s.Close() })
	return s
}

// next reads one stream message within a deadline.
func next[E any](t *testing.T, st *WSStream[E]) E {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	e, err := st.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return e
}

// noSessionGoroutines fails when a goroutine of the session (or of the
// fake gateway) outlives it.
func noSessionGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		var left []string
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "(*WSSession)") || strings.Contains(g, "(*fakeWS)") || strings.Contains(g, "newWSStream") {
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

func TestWSMarketDataReconnectAndOrder(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	s := dialFake(t, f, w)
	ctx := t.Context()
	if info := s.Session(); info == nil || !info.Authenticated || info.AccountID != fakeAccountID || info.Token() != "" {
		t.Fatalf("Session() = %+v", info)
	}
	login := w.framesOf("AuthenticateUser")
	if len(login) != 1 {
		t.Fatalf("%d logins", len(login))
	}
	var lb map[string]string
	if err := json.Unmarshal(login[0].O, &lb); err != nil || lb["APIKey"] != fakeAPIKey || lb["UserId"] != fakeUserID ||
		lb["Signature"] != Sign(fakeAPISecret, lb["Nonce"], fakeUserID, fakeAPIKey) {
		t.Fatalf("WS login payload %s (%v)", login[0].O, err)
	}

	l1, err := s.SubscribeLevel1(ctx, &SubscribeLevel1Request{OMSID: fakeOMSID, InstrumentID: Ptr[int64](fakeInstrument)})
	if err != nil {
		t.Fatalf("SubscribeLevel1: %v", err)
	}
	l2ctx, cancelL2 := context.WithCancel(ctx)
	l2, err := s.SubscribeLevel2(l2ctx, &SubscribeLevel2Request{OMSID: fakeOMSID, InstrumentID: Ptr[int64](fakeInstrument), Depth: 10})
	if err != nil {
		t.Fatalf("SubscribeLevel2: %v", err)
	}

	// The snapshots come first.
	e1 := next(t, l1)
	if e1.Snapshot == nil || e1.Gap || e1.Name != "SubscribeLevel1" || e1.Snapshot.InstrumentID != fakeInstrument {
		t.Fatalf("level1 snapshot = %+v", e1)
	}
	wantDec(t, "snapshot BestBid", e1.Snapshot.BestBid, fakeBestBid)
	e2 := next(t, l2)
	if len(e2.Snapshot) != 2 || e2.Gap || len(e2.Snapshot[1]) != 10 {
		t.Fatalf("level2 snapshot = %+v", e2)
	}
	wantDec(t, "level2 ask price", e2.Snapshot[1][6], fakeBestOffer)

	// Updates: an event for another instrument is not routed to this
	// subscription.
	w.push("SubscribeLevel1", "Level1UpdateEvent", fakeLevel1(fakeInstrument+1, "9"))
	w.push("SubscribeLevel1", "Level1UpdateEvent", fakeLevel1(fakeInstrument, "0.000249"))
	u1 := next(t, l1)
	if u1.Level1UpdateEvent == nil || u1.Snapshot != nil || u1.Gap {
		t.Fatalf("level1 update = %+v", u1)
	}
	wantDec(t, "update BestBid", u1.Level1UpdateEvent.BestBid, "0.000249")
	w.push("SubscribeLevel2", "Level2UpdateEvent", [][]any{fakeL2(3, 1, "0.000249", "1500", 0, fakeInstrument)})
	u2 := next(t, l2)
	if len(u2.Level2UpdateEvent) != 1 || u2.Gap {
		t.Fatalf("level2 update = %+v", u2)
	}
	wantDec(t, "level2 update qty", u2.Level2UpdateEvent[0][8], "1500")

	// The server drops the connection: the session reconnects, logs in
	// again, re-subscribes, and each stream reports the gap with a fresh
	// snapshot.
	w.kill()
	g1, g2 := next(t, l1), next(t, l2)
	if !g1.Gap || g1.Snapshot == nil || !g2.Gap || g2.Snapshot == nil {
		t.Fatalf("after reconnect: level1 %+v level2 %+v, want snapshots with Gap", g1, g2)
	}
	if dials, logins := w.count(); dials != 2 || logins != 2 {
		t.Errorf("dials %d logins %d, want 2 and 2", dials, logins)
	}
	if n := len(w.framesOf("SubscribeLevel1")) + len(w.framesOf("SubscribeLevel2")); n != 4 {
		t.Errorf("%d subscribe frames, want 4 (2 + 2 after the reconnect)", n)
	}
	w.push("SubscribeLevel1", "Level1UpdateEvent", fakeLevel1(fakeInstrument, "0.00025"))
	if u := next(t, l1); u.Level1UpdateEvent == nil || u.Gap {
		t.Fatalf("update after reconnect = %+v", u)
	}

	// An order over the socket, and its order-state event.
	acct, err := s.SubscribeAccountEvents(ctx, &SubscribeAccountEventsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	if err != nil {
		t.Fatalf("SubscribeAccountEvents: %v", err)
	}
	if a := next(t, acct); a.Snapshot == nil || a.Snapshot.Subscribe == nil || !*a.Snapshot.Subscribe {
		t.Fatalf("account events reply = %+v", a)
	}
	ord, err := s.SendOrder(ctx, &SendOrderRequest{
		InstrumentID: fakeInstrument, OMSID: fakeOMSID, AccountID: fakeAccountID, TimeInForce: TimeInForceIOC,
		ClientOrderID: Ptr[int64](77), Side: OrderSideBuy, Quantity: MustDecimal("100.5"), OrderType: OrderTypeMarket,
	})
	if err != nil {
		t.Fatalf("SendOrder over WS: %v", err)
	}
	if ord.Status != OrderResultStatusAccepted || ord.OrderID == 0 {
		t.Fatalf("SendOrder = %+v", ord)
	}
	wantMembers(t, "SendOrder", w.framesOf("SendOrder")[0].O, map[string]string{
		"InstrumentId": "12", "OMSId": "1", "AccountId": "185", "TimeInForce": "3", "ClientOrderId": "77",
		"Side": "0", "quantity": "100.5", "OrderType": "1",
	})
	st := next(t, acct)
	if st.OrderStateEvent == nil || st.OrderStateEvent.OrderID == nil || *st.OrderStateEvent.OrderID != ord.OrderID ||
		st.OrderStateEvent.OrderState == nil || *st.OrderStateEvent.OrderState != OrderStateNameFullyExecuted {
		t.Fatalf("order state event = %+v", st)
	}
	wantDec(t, "executed", *st.OrderStateEvent.QuantityExecuted, "100.5")
	if tr := next(t, acct); tr.OrderTradeEvent == nil || tr.OrderTradeEvent.OrderID != ord.OrderID || tr.OrderTradeEvent.TradeTime == nil {
		t.Fatalf("order trade event = %+v", tr)
	}

	// Close sends UnsubscribeLevel1 with the subscription's instrument;
	// cancelling the subscribing context ends the other stream.
	if err := l1.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := l1.Next(ctx); !errors.Is(err, ErrStreamClosed) {
		t.Fatalf("Next after Close: %v", err)
	}
	un := w.framesOf("UnsubscribeLevel1")
	if len(un) != 1 {
		t.Fatalf("%d UnsubscribeLevel1 frames", len(un))
	}
	wantMembers(t, "UnsubscribeLevel1", un[0].O, map[string]string{"OMSId": "1", "InstrumentId": "12"})
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
	deadline := time.Now().Add(5 * time.Second)
	for len(w.framesOf("UnsubscribeLevel2")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no UnsubscribeLevel2 after the context ended")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// Heartbeats run on the connection.
	for len(w.framesOf("Ping")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no Ping frames")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := acct.Next(ctx); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("stream after session Close: %v", err)
	}
	if _, err := s.GetOrderStatus(ctx, &GetOrderStatusRequest{OMSID: 1, AccountID: 1, OrderID: 1}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("call after Close: %v", err)
	}
	w.stop()
	noSessionGoroutines(t)
}

// runSwapWS runs the trading core of the Quick Start swap over the
// WebSocket session, on the operations the hand-written exchange behind
// the gateway serves: login, balances, a market buy, balances again. The
// requests and results are the same typed values as over HTTP, and the
// exchange state is shared with it.
func runSwapWS(t *testing.T, f *fakeKIIEX, w *fakeWS, s *WSSession) {
	ctx := t.Context()
	sess := s.Session()
	if sess == nil || !sess.Authenticated || sess.AccountID != fakeAccountID || sess.OMSID != fakeOMSID || sess.UserName != fakeUserName {
		t.Fatalf("WS login: %+v", sess)
	}
	pos, err := s.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID, IncludePending: Ptr(true)})
	if err != nil {
		t.Fatalf("GetAccountPositions over WS: %v", err)
	}
	wantMembers(t, "GetAccountPositions", w.framesOf("GetAccountPositions")[0].O, map[string]string{"AccountId": "185", "OMSId": "1", "IncludePending": "true"})
	before := positionsBySymbol(t, pos)
	wantDec(t, "USDT before", before["USDT"].Amount, "0.1")
	ord, err := s.SendOrder(ctx, &SendOrderRequest{
		InstrumentID: fakeInstrument, OMSID: sess.OMSID, AccountID: sess.AccountID, TimeInForce: TimeInForceIOC,
		ClientOrderID: Ptr[int64](20250826), Side: OrderSideBuy, Quantity: MustDecimal("100.000000001"), OrderType: OrderTypeMarket,
	})
	if err != nil || ord.Status != OrderResultStatusAccepted {
		t.Fatalf("SendOrder over WS: %+v %v", ord, err)
	}
	wantMembers(t, "SendOrder", w.framesOf("SendOrder")[0].O, map[string]string{
		"InstrumentId": "12", "OMSId": "1", "AccountId": "185", "TimeInForce": "3", "ClientOrderId": "20250826",
		"Side": "0", "quantity": "100.000000001", "OrderType": "1",
	})
	pos, err = s.GetAccountPositions(ctx, &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID})
	if err != nil {
		t.Fatalf("GetAccountPositions over WS: %v", err)
	}
	after := positionsBySymbol(t, pos)
	wantDec(t, "COPM after swap", after["COPM"].Amount, "100.000000001")
	// 0.1 - 100.000000001 * 0.00024875, exact.
	wantDec(t, "USDT after swap", after["USDT"].Amount, "0.07512499999975125")

	// An order the exchange refuses is an *APIError matching ErrRejected,
	// as over HTTP.
	_, err = s.SendOrder(ctx, &SendOrderRequest{InstrumentID: fakeInstrument, OMSID: sess.OMSID, AccountID: sess.AccountID,
		TimeInForce: TimeInForceIOC, Side: OrderSideBuy, Quantity: MustDecimal("1000000"), OrderType: OrderTypeMarket})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("unfunded SendOrder over WS: %v, want ErrRejected", err)
	}
}

// The swap over a real socket (RFC 6455 client against a gorilla/websocket
// server), on the gateway URL DialWS derives from the server URL.
func TestWSSwapWorkflowRealSocket(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	c, err := NewClient(w.listen())
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.DialWS(t.Context(), WithWSAPIKey(f.login()), WithWSReconnect(time.Millisecond, 20*time.Millisecond))
	if err != nil {
		t.Fatalf("DialWS: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	runSwapWS(t, f, w, s)
	if n := f.hitCount(""); n != 5 {
		t.Errorf("exchange saw %d calls, want 5", n)
	}

	// A server-side disconnect on the real socket: a call in flight fails
	// with ErrConnectionLost (never resent), the session comes back.
	l1, err := s.SubscribeLevel1(t.Context(), &SubscribeLevel1Request{OMSID: fakeOMSID, InstrumentID: Ptr[int64](fakeInstrument)})
	if err != nil {
		t.Fatal(err)
	}
	next(t, l1)
	w.kill()
	if e := next(t, l1); !e.Gap || e.Snapshot == nil {
		t.Fatalf("after disconnect: %+v", e)
	}
	if _, err := s.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID}); err != nil {
		t.Fatalf("call after reconnect: %v", err)
	}
	if dials, logins := w.count(); dials != 2 || logins != 2 {
		t.Errorf("dials %d logins %d", dials, logins)
	}
	s.Close()
	w.stop()
	noSessionGoroutines(t)
}

// A call whose connection breaks before the reply fails with
// ErrConnectionLost and is not sent again on the new connection (SendOrder:
// the order may have been taken in); a read the spec marks idempotent is
// sent once more and succeeds.
func TestWSInFlightCallLost(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	release := make(chan struct{})
	entered := make(chan string, 4)
	hold := func(rw http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		<-release
		writeRaw(rw, http.StatusOK, `{"status":"Accepted","errormsg":"","OrderId":1}`)
	}
	f.setOverride("SendOrder", hold)
	s := dialFake(t, f, w, WithWSHeartbeat(0, 0))
	defer s.Close()
	errc := make(chan error, 1)
	go func() {
		_, err := s.SendOrder(t.Context(), &SendOrderRequest{InstrumentID: fakeInstrument, OMSID: fakeOMSID, AccountID: fakeAccountID,
			TimeInForce: TimeInForceGTC, Side: OrderSideBuy, Quantity: MustDecimal("1"), OrderType: OrderTypeMarket})
		errc <- err
	}()
	<-entered
	w.kill()
	if err := <-errc; !errors.Is(err, ErrConnectionLost) {
		t.Fatalf("in-flight SendOrder: %v, want ErrConnectionLost", err)
	}
	close(release)
	if _, err := s.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID}); err != nil {
		t.Fatalf("after reconnect: %v", err)
	}
	if n := len(w.framesOf("SendOrder")); n != 1 {
		t.Errorf("SendOrder sent %d times, want once", n)
	}

	// An idempotent read caught by the break is sent again.
	var once sync.Once
	f.setOverride("GetOrderStatus", func(rw http.ResponseWriter, r *http.Request) {
		first := false
		once.Do(func() { first = true })
		if first {
			w.kill() // the reply below goes nowhere
		}
		writeRaw(rw, http.StatusOK, "[]")
	})
	st, err := s.GetOrderStatus(t.Context(), &GetOrderStatusRequest{OMSID: fakeOMSID, AccountID: fakeAccountID, OrderID: 1})
	if err != nil || st == nil {
		t.Fatalf("idempotent read across a break: %v", err)
	}
	if n := len(w.framesOf("GetOrderStatus")); n != 2 {
		t.Errorf("GetOrderStatus sent %d times, want twice", n)
	}
	s.Close()
	w.stop()
	noSessionGoroutines(t)
}

// A consumer that does not keep up loses the oldest messages, never blocks
// the reader, and is told so by Gap and Dropped.
func TestWSSlowConsumer(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	s := dialFake(t, f, w, WithWSBufferSize(2))
	defer s.Close()
	l1, err := s.SubscribeLevel1(t.Context(), &SubscribeLevel1Request{OMSID: fakeOMSID, InstrumentID: Ptr[int64](fakeInstrument)})
	if err != nil {
		t.Fatal(err)
	}
	bids := []string{"0.1", "0.2", "0.3", "0.4", "0.5"}
	for _, b := range bids {
		w.push("SubscribeLevel1", "Level1UpdateEvent", fakeLevel1(fakeInstrument, b))
	}
	// Another call round-trips after the pushes, so every event has been
	// read off the socket by now.
	if _, err := s.Call(t.Context(), "Ping", nil); err != nil {
		t.Fatal(err)
	}
	a, b := next(t, l1), next(t, l1)
	if !a.Gap || b.Gap || a.Level1UpdateEvent == nil || b.Level1UpdateEvent == nil {
		t.Fatalf("after overflow: %+v / %+v, want the last two events, the first with Gap", a, b)
	}
	wantDec(t, "first kept", a.Level1UpdateEvent.BestBid, "0.4")
	wantDec(t, "second kept", b.Level1UpdateEvent.BestBid, "0.5")
	if d := l1.Dropped(); d != 4 {
		t.Errorf("Dropped = %d, want 4 (the snapshot and three events)", d)
	}
}

// A connection whose Ping goes unanswered is declared dead and replaced.
func TestWSHeartbeatDetectsDeadConnection(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	s := dialFake(t, f, w, WithWSHeartbeat(10*time.Millisecond, 30*time.Millisecond))
	w.mu.Lock()
	w.noPong = true
	w.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if dials, _ := w.count(); dials >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no reconnect after unanswered pings")
		}
		time.Sleep(5 * time.Millisecond)
	}
	w.mu.Lock()
	w.noPong = false
	w.mu.Unlock()
	if _, err := s.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID}); err != nil {
		t.Fatalf("after heartbeat reconnect: %v", err)
	}
	s.Close()
	w.stop()
	noSessionGoroutines(t)
}

// Failures come back as *APIError, as over HTTP: an error frame (m 5) and
// an APEX failure envelope in a reply.
func TestWSErrors(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	s := dialFake(t, f, w)
	defer s.Close()
	f.setOverride("GetOrderStatus", func(rw http.ResponseWriter, r *http.Request) {
		writeRaw(rw, http.StatusUnauthorized, envNotAuthorized)
	})
	_, err := s.GetOrderStatus(t.Context(), &GetOrderStatusRequest{OMSID: fakeOMSID, AccountID: fakeAccountID, OrderID: 1})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 20 || !errors.Is(err, ErrNotAuthorized) || ae.Operation != "GetOrderStatus" {
		t.Fatalf("error frame: %#v", err)
	}
	f.setOverride("GetAccountPositions", func(rw http.ResponseWriter, r *http.Request) {
		writeRaw(rw, http.StatusOK, `{"result":false,"errormsg":"Operation Failed","errorcode":101,"detail":"later"}`)
	})
	_, err = s.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
	if !errors.Is(err, ErrOperationFailed) || !strings.Contains(err.Error(), "GetAccountPositions: WebSocket: Operation Failed (code 101): later") {
		t.Fatalf("envelope: %v", err)
	}

	// A rejected login.
	c := f.client(t)
	bad := f.login()
	bad.APISecret = "wrong"
	if _, err := c.DialWS(t.Context(), WithWSAPIKey(bad), withWSDialer(w.dial)); !errors.Is(err, ErrNotAuthorized) || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("bad login: %v", err)
	}
}

// A login that needs a second factor gets it from WithWSTwoFactor, on the
// same connection.
func TestWSTwoFactor(t *testing.T) {
	f := newFakeKIIEX(t)
	f.twoFACode = "424242"
	w := newFakeWS(t, f)
	c := f.client(t)
	if _, err := c.DialWS(t.Context(), WithWSAPIKey(f.login()), withWSDialer(w.dial)); !errors.Is(err, ErrTwoFactorRequired) {
		t.Fatalf("without a code source: %v", err)
	}
	var kinds []string
	s, err := c.DialWS(t.Context(), WithWSAPIKey(f.login()), withWSDialer(w.dial), WithWSTwoFactor(func(ctx context.Context, kind string) (string, error) {
		kinds = append(kinds, kind)
		return "424242", nil
	}))
	if err != nil {
		t.Fatalf("DialWS with 2FA: %v", err)
	}
	defer s.Close()
	if len(kinds) != 1 || kinds[0] != "Google" || !s.Session().Authenticated {
		t.Fatalf("2FA kinds %v session %+v", kinds, s.Session())
	}
	if _, err := s.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID}); err != nil {
		t.Fatal(err)
	}
}

// Concurrent calls share the socket; each gets its own reply, matched by
// sequence number, whatever order the replies come in.
func TestWSConcurrentCalls(t *testing.T) {
	f := newFakeKIIEX(t)
	w := newFakeWS(t, f)
	s := dialFake(t, f, w)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			if i%2 == 0 {
				pos, err := s.GetAccountPositions(t.Context(), &GetAccountPositionsRequest{AccountID: fakeAccountID, OMSID: fakeOMSID})
				if err == nil && len(pos) != 2 {
					err = errors.New("positions: wrong reply")
				}
				errs <- err
				return
			}
			pong, err := s.Call(t.Context(), "Ping", nil)
			if err == nil && string(pong) != `{"msg":"PONG"}` {
				err = errors.New("Ping: wrong reply " + string(pong))
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	seen := map[int64]bool{}
	for _, fr := range append(w.framesOf("GetAccountPositions"), w.framesOf("Ping")...) {
		if seen[fr.I] {
			t.Errorf("sequence %d used twice", fr.I)
		}
		seen[fr.I] = true
	}
	s.Close()
	w.stop()
	noSessionGoroutines(t)
}
