package kiiex_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kiiexgen/kiiexgen/generated/kiiex"
	"github.com/kiiexgen/kiiexgen/generated/kiiex/kiiexfake"
)

// A market-data and trading program run against the generated fake: it
// subscribes to Level1 for an instrument, survives a server-side
// disconnect (the stream reports the gap with a fresh snapshot), and
// places an order over the socket, whose order-state event the fake's
// SendOrder handler pushes.
func ExampleWSSession_SubscribeLevel1() {
	srv := kiiexfake.NewServer(kiiexfake.WithBasePath("/ap"), kiiexfake.WithAPIKey("96", "key", "secret"))
	defer srv.Close()
	srv.HandleSubscribeLevel1(func(ctx context.Context, req *kiiex.SubscribeLevel1Request) (*kiiex.Level1Data, error) {
		return &kiiex.Level1Data{OMSID: req.OMSID, InstrumentID: *req.InstrumentID, BestBid: kiiex.MustDecimal("0.0002485")}, nil
	})
	srv.HandleSubscribeAccountEvents(func(ctx context.Context, req *kiiex.SubscribeAccountEventsRequest) (*kiiex.SubscribeAccountEventsResponse, error) {
		return &kiiex.SubscribeAccountEventsResponse{Subscribe: kiiex.Ptr(true)}, nil
	})
	srv.HandleSendOrder(func(ctx context.Context, req *kiiex.SendOrderRequest) (*kiiex.OrderResult, error) {
		state := kiiex.OrderStateNameWorking
		srv.PushOrderStateEvent(&kiiex.OMSOrderData{OrderID: kiiex.Ptr[int64](1001), Account: kiiex.Ptr(req.AccountID), OrderState: &state})
		return &kiiex.OrderResult{Status: kiiex.OrderResultStatusAccepted, OrderID: 1001}, nil
	})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := kiiex.NewClient(srv.URL)
	if err != nil {
		panic(err)
	}
	s, err := c.DialWS(ctx, kiiex.WithWSAPIKey(kiiex.APIKeyLogin{APIKey: "key", APISecret: "secret", UserID: "96"}),
		kiiex.WithWSReconnect(time.Millisecond, 50*time.Millisecond))
	if err != nil {
		panic(err)
	}
	defer s.Close()

	l1, err := s.SubscribeLevel1(ctx, &kiiex.SubscribeLevel1Request{OMSID: 1, InstrumentID: kiiex.Ptr[int64](12)})
	if err != nil {
		panic(err)
	}
	e, _ := l1.Next(ctx)
	fmt.Println("snapshot:", e.Snapshot.BestBid, "gap:", e.Gap)
	srv.PushLevel1UpdateEvent(&kiiex.Level1Data{OMSID: 1, InstrumentID: 12, BestBid: kiiex.MustDecimal("0.000249")})
	e, _ = l1.Next(ctx)
	fmt.Println("update:", e.Level1UpdateEvent.BestBid)

	srv.DisconnectWS()
	e, _ = l1.Next(ctx)
	fmt.Println("after the disconnect:", e.Snapshot.BestBid, "gap:", e.Gap)

	acct, err := s.SubscribeAccountEvents(ctx, &kiiex.SubscribeAccountEventsRequest{OMSID: 1, AccountID: 185})
	if err != nil {
		panic(err)
	}
	acct.Next(ctx) // the subscribe reply
	ord, err := s.SendOrder(ctx, &kiiex.SendOrderRequest{OMSID: 1, AccountID: 185, InstrumentID: 12, Side: kiiex.OrderSideBuy,
		Quantity: kiiex.MustDecimal("100"), OrderType: kiiex.OrderTypeMarket, TimeInForce: kiiex.TimeInForceIOC})
	if err != nil {
		panic(err)
	}
	fmt.Println("order:", ord.OrderID, ord.Status)
	ev, _ := acct.Next(ctx)
	fmt.Println("event:", ev.Name, *ev.OrderStateEvent.OrderID, *ev.OrderStateEvent.OrderState)
	// Output:
	// snapshot: 0.0002485 gap: false
	// update: 0.000249
	// after the disconnect: 0.0002485 gap: true
	// order: 1001 Accepted
	// event: OrderStateEvent 1001 Working
}
