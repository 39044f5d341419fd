package kiiex

// A fake APEX WebSocket gateway for the session tests, written from the
// AlphaPoint APEX reference (frame {m, i, n, o}, event names and payloads),
// not from the generated code. Ordinary functions are answered by handing
// the payload to the fake HTTP server (fakeserver_test.go) with the
// socket's session token, so both transports share one exchange state; the
// subscription functions and their events are served here. Every client
// frame is checked: request type 0, an even, non-zero, increasing sequence
// number, a JSON-string payload, and a login before anything but Ping.
//
// The gateway speaks through frameConn, so it runs over an in-memory pipe
// and over a real socket alike.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// memConn is one end of an in-memory frame pipe.
type memConn struct {
	in     <-chan []byte
	out    chan<- []byte
	closed chan struct{}
	once   *sync.Once
}

var errMemClosed = errors.New("memconn: closed")

func memPipe() (*memConn, *memConn) {
	a, b := make(chan []byte, 256), make(chan []byte, 256)
	closed := make(chan struct{})
	once := &sync.Once{}
	return &memConn{in: a, out: b, closed: closed, once: once}, &memConn{in: b, out: a, closed: closed, once: once}
}

func (c *memConn) ReadMessage(ctx context.Context) (bool, []byte, error) {
	select {
	case m := <-c.in:
		return true, m, nil
	case <-c.closed:
		return false, nil, errMemClosed
	case <-ctx.Done():
		return false, nil, ctx.Err()
	}
}

func (c *memConn) WriteMessage(ctx context.Context, _ bool, data []byte) error {
	select {
	case <-c.closed:
		return errMemClosed
	default:
	}
	select {
	case c.out <- data:
		return nil
	case <-c.closed:
		return errMemClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *memConn) Close(int, string) error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

// fakeFrame is a frame as the gateway sees it.
type fakeFrame struct {
	M int             `json:"m"`
	I int64           `json:"i"`
	N string          `json:"n"`
	O json.RawMessage `json:"o"`
}

// fakeWS is the gateway.
type fakeWS struct {
	t testing.TB
	f *fakeKIIEX

	mu      sync.Mutex
	conns   map[*fakeWSConn]bool
	dials   int
	logins  int
	calls   []fakeFrame // every client frame, payload unquoted
	refuse  int         // the next n dials fail
	noPong  bool        // Ping goes unanswered
	wg      sync.WaitGroup
	stopped bool
}

type fakeWSConn struct {
	conn       frameConn
	token      string
	pending2FA string
	lastSeq    int64
	writeMu    sync.Mutex
	subs       map[string]json.RawMessage // subscribe function -> request
}

func newFakeWS(t testing.TB, f *fakeKIIEX) *fakeWS {
	w := &fakeWS{t: t, f: f, conns: map[*fakeWSConn]bool{}}
	t.Cleanup(w.stop)
	return w
}

// stop closes every connection and waits for the gateway's goroutines.
func (w *fakeWS) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.kill()
	w.wg.Wait()
}

// dial is the session's transport: an in-memory pipe served by the gateway.
func (w *fakeWS) dial(ctx context.Context, rawURL string, _ http.Header) (frameConn, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.dials++
	if w.stopped {
		return nil, errors.New("fake gateway stopped")
	}
	if w.refuse > 0 {
		w.refuse--
		return nil, errors.New("fake gateway: connection refused")
	}
	client, server := memPipe()
	w.serveLocked(server)
	return client, nil
}

// serveLocked starts serving one server-side connection.
func (w *fakeWS) serveLocked(conn frameConn) {
	c := &fakeWSConn{conn: conn, subs: map[string]json.RawMessage{}}
	w.conns[c] = true
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.serve(c)
	}()
}

// kill drops every connection from the server side.
func (w *fakeWS) kill() {
	w.mu.Lock()
	conns := w.conns
	w.conns = map[*fakeWSConn]bool{}
	w.mu.Unlock()
	for c := range conns {
		c.conn.Close(1001, "going away")
	}
}

func (w *fakeWS) count() (dials, logins int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dials, w.logins
}

// framesOf returns the client frames naming function n.
func (w *fakeWS) framesOf(n string) []fakeFrame {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []fakeFrame
	for _, f := range w.calls {
		if f.N == n {
			out = append(out, f)
		}
	}
	return out
}

func (w *fakeWS) send(c *fakeWSConn, m int, seq int64, n string, payload []byte) {
	o, _ := json.Marshal(string(payload))
	data, _ := json.Marshal(fakeFrame{M: m, I: seq, N: n, O: o})
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.conn.WriteMessage(context.Background(), true, data)
}

// push sends an event to every connection subscribed with function sub.
func (w *fakeWS) push(sub, event string, payload any) int {
	data, err := json.Marshal(payload)
	if err != nil {
		w.t.Fatal(err)
	}
	w.mu.Lock()
	var targets []*fakeWSConn
	for c := range w.conns {
		if _, ok := c.subs[sub]; ok {
			targets = append(targets, c)
		}
	}
	w.mu.Unlock()
	for _, c := range targets {
		w.send(c, 3, 0, event, data)
	}
	return len(targets)
}

func (w *fakeWS) serve(c *fakeWSConn) {
	defer c.conn.Close(1000, "")
	for {
		_, data, err := c.conn.ReadMessage(context.Background())
		if err != nil {
			return
		}
		var fr fakeFrame
		if err := json.Unmarshal(data, &fr); err != nil {
			w.t.Errorf("fake WS: frame is not JSON: %s", data)
			return
		}
		var payload string
		if err := json.Unmarshal(fr.O, &payload); err != nil {
			w.t.Errorf("fake WS: %s: o is not a JSON string: %s", fr.N, fr.O)
			return
		}
		if fr.M != 0 || fr.I <= 0 || fr.I%2 != 0 || fr.I <= c.lastSeq {
			w.t.Errorf("fake WS: %s: frame m=%d i=%d after i=%d; want m 0 and an even, increasing, non-zero i", fr.N, fr.M, fr.I, c.lastSeq)
		}
		c.lastSeq = fr.I
		fr.O = json.RawMessage(payload)
		w.mu.Lock()
		w.calls = append(w.calls, fr)
		noPong := w.noPong
		w.mu.Unlock()
		w.handle(c, fr, noPong)
	}
}

// handle answers one request frame.
func (w *fakeWS) handle(c *fakeWSConn, fr fakeFrame, noPong bool) {
	reply := func(v any) {
		data, err := json.Marshal(v)
		if err != nil {
			w.t.Fatal(err)
		}
		w.send(c, 1, fr.I, fr.N, data)
	}
	switch fr.N {
	case "Ping":
		if !noPong {
			reply(map[string]string{"msg": "PONG"})
		}
		return
	case "AuthenticateUser", "Authenticate2FA":
		// A pending second factor belongs to the connection, as the
		// session does on APEX.
		status, body := w.http(fr.N, fr.O, "", "Pending2FaToken", c.pending2FA)
		if status/100 != 2 {
			w.send(c, 5, fr.I, fr.N, body)
			return
		}
		var res struct {
			Authenticated bool
			SessionToken  string
			TwoFAToken    string
		}
		_ = json.Unmarshal(body, &res)
		if res.TwoFAToken != "" {
			c.pending2FA = res.TwoFAToken
		}
		if res.Authenticated && res.SessionToken != "" {
			c.token = res.SessionToken
			w.mu.Lock()
			w.logins++
			w.mu.Unlock()
		}
		w.send(c, 1, fr.I, fr.N, body)
		return
	}
	if c.token == "" {
		w.t.Errorf("fake WS: %s before login", fr.N)
		w.send(c, 5, fr.I, fr.N, []byte(envNotAuthorized))
		return
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(fr.O, &req); err != nil {
		w.t.Errorf("fake WS: %s: payload is not an object: %s", fr.N, fr.O)
	}
	instrument := intMember(req, "InstrumentId")
	switch fr.N {
	case "SubscribeLevel1":
		if intMember(req, "OMSId") != fakeOMSID {
			w.t.Errorf("fake WS: %s: OMSId = %s", fr.N, req["OMSId"])
		}
		w.subscribe(c, fr)
		reply(fakeLevel1(instrument, fakeBestBid))
	case "SubscribeLevel2":
		if intMember(req, "Depth") <= 0 {
			w.t.Errorf("fake WS: %s: Depth = %s", fr.N, req["Depth"])
		}
		w.subscribe(c, fr)
		reply([][]any{
			fakeL2(1, 0, fakeBestBid, "1000", 0, instrument),
			fakeL2(2, 0, fakeBestOffer, "2000", 1, instrument),
		})
	case "SubscribeAccountEvents":
		if intMember(req, "AccountId") != fakeAccountID {
			w.t.Errorf("fake WS: %s: AccountId = %s", fr.N, req["AccountId"])
		}
		w.subscribe(c, fr)
		reply(map[string]bool{"Subscribe": true})
	case "UnsubscribeLevel1", "UnsubscribeLevel2":
		sub := "S" + strings.TrimPrefix(fr.N, "Uns")
		w.mu.Lock()
		had := c.subs[sub] != nil
		delete(c.subs, sub)
		w.mu.Unlock()
		if !had {
			w.t.Errorf("fake WS: %s without %s", fr.N, sub)
		}
		reply(map[string]any{"result": true, "errormsg": nil, "errorcode": 0, "detail": nil})
	default:
		status, body := w.http(fr.N, fr.O, c.token)
		if status/100 != 2 {
			w.send(c, 5, fr.I, fr.N, body)
			return
		}
		w.send(c, 1, fr.I, fr.N, body)
		if fr.N == "SendOrder" {
			w.orderEvents(c, req, body)
		}
	}
}

func (w *fakeWS) subscribe(c *fakeWSConn, fr fakeFrame) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c.subs[fr.N] = fr.O
}

// orderEvents pushes the account events of an accepted order to a
// connection subscribed to them: the order state, then its trade.
func (w *fakeWS) orderEvents(c *fakeWSConn, req map[string]json.RawMessage, reply []byte) {
	w.mu.Lock()
	_, subscribed := c.subs["SubscribeAccountEvents"]
	w.mu.Unlock()
	if !subscribed {
		return
	}
	var res struct{ OrderId int64 }
	_ = json.Unmarshal(reply, &res)
	qty := req["quantity"]
	state, _ := json.Marshal(map[string]any{
		"Side": "Buy", "OrderId": res.OrderId, "Price": json.RawMessage(fakeBestOffer), "Quantity": json.RawMessage("0"),
		"Instrument": intMember(req, "InstrumentId"), "Account": intMember(req, "AccountId"), "OrderType": "Market",
		"ClientOrderId": intMember(req, "ClientOrderId"), "OrderState": "FullyExecuted", "ReceiveTime": fakeNow.UnixMilli(),
		"OrigQuantity": qty, "QuantityExecuted": qty, "AvgPrice": json.RawMessage(fakeBestOffer),
		"ChangeReason": "Trade", "OMSId": fakeOMSID,
	})
	w.send(c, 3, 0, "OrderStateEvent", state)
	trade, _ := json.Marshal(map[string]any{
		"OMSId": fakeOMSID, "TradeId": 9001, "OrderId": res.OrderId, "AccountId": intMember(req, "AccountId"),
		"ClientOrderId": intMember(req, "ClientOrderId"), "InstrumentId": intMember(req, "InstrumentId"), "Side": "Buy",
		"Quantity": qty, "Price": json.RawMessage(fakeBestOffer), "Value": json.RawMessage("30709.87629445987626375"),
		"TradeTime": 638918373228930000, "ContraAcctId": 3, "OrderTradeRevision": 1, "Direction": "UpTick",
	})
	w.send(c, 3, 0, "OrderTradeEvent", trade)
}

// http answers a function through the fake HTTP server, as a POST to
// /ap/<function> with the socket's session token.
func (w *fakeWS) http(function string, payload []byte, token string, header ...string) (int, []byte) {
	r := httptest.NewRequest(http.MethodPost, "/ap/"+function, strings.NewReader(string(payload)))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	if token != "" {
		r.Header.Set("aptoken", token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			r.Header.Set(header[i], header[i+1])
		}
	}
	rec := httptest.NewRecorder()
	w.f.ServeHTTP(rec, r)
	return rec.Code, rec.Body.Bytes()
}

// fakeLevel1 is a Level1UpdateEvent / SubscribeLevel1 payload.
func fakeLevel1(instrument int64, bid string) map[string]any {
	n := func(s string) json.RawMessage { return json.RawMessage(s) }
	return map[string]any{
		"OMSId": fakeOMSID, "InstrumentId": instrument, "BestBid": n(bid), "BestOffer": n(fakeBestOffer),
		"LastTradedPx": n(fakeLastPx), "LastTradedQty": n("5000"), "LastTradeTime": fakeNow.UnixMilli(),
		"SessionOpen": n(fakeLastPx), "SessionHigh": n(fakeBestOffer), "SessionLow": n(fakeBestBid), "SessionClose": n(fakeLastPx),
		"Volume": n("5000"), "CurrentDayVolume": n("125000"), "CurrentDayNumTrades": 42, "CurrentDayPxChange": n("-2.5E-7"),
		"CurrentNotional": n("31.07"), "Rolling24HrNotional": n("31.07"), "Rolling24HrVolume": n("125000"),
		"Rolling24HrNumTrades": 42, "Rolling24HrPxChange": n("-0.1"), "TimeStamp": fakeNow.UnixMilli(),
	}
}

// fakeL2 is one positional Level2 entry: MDUpdateId, Accounts,
// ActionDateTime, ActionType, LastTradePrice, Orders, Price,
// ProductPairCode, Quantity, Side.
func fakeL2(id int64, action int, price, qty string, side int, instrument int64) []any {
	return []any{id, 1, fakeNow.UnixMilli(), action, json.RawMessage(fakeLastPx), 1, json.RawMessage(price), instrument, json.RawMessage(qty), side}
}

// listen serves the gateway over real sockets at /WSGateway on a server
// that answers every other path with the fake HTTP server, as an APEX host
// does; it returns the server URL to give NewClient (with the /ap base
// path), from which DialWS derives ws://<host>/WSGateway.
func (w *fakeWS) listen() string {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/WSGateway" {
			w.f.ServeHTTP(rw, r)
			return
		}
		w.mu.Lock()
		w.dials++
		refuse := w.refuse > 0 || w.stopped
		if w.refuse > 0 {
			w.refuse--
		}
		w.mu.Unlock()
		if refuse {
			http.Error(rw, "unavailable", http.StatusServiceUnavailable)
			return
		}
		conn, err := up.Upgrade(rw, r, nil)
		if err != nil {
			return
		}
		w.mu.Lock()
		w.serveLocked(&gorillaConn{c: conn})
		w.mu.Unlock()
	}))
	w.t.Cleanup(srv.Close)
	return srv.URL + "/ap"
}

// gorillaConn is the server end of a real socket as a frameConn. Close
// drops the TCP connection without a close handshake: an abrupt
// server-side disconnect.
type gorillaConn struct {
	c   *websocket.Conn
	wmu sync.Mutex
}

func (g *gorillaConn) ReadMessage(context.Context) (bool, []byte, error) {
	mt, data, err := g.c.ReadMessage()
	return mt == websocket.TextMessage, data, err
}

func (g *gorillaConn) WriteMessage(_ context.Context, _ bool, data []byte) error {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	return g.c.WriteMessage(websocket.TextMessage, data)
}

func (g *gorillaConn) Close(int, string) error { return g.c.Close() }
