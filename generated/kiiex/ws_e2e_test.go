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
	"runtime"
	"strings"
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
