package templates

import (
	"encoding/json"
	"testing"
	"time"
)

func TestWSURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://apstage.proxy.kiiex.io/ap", "wss://apstage.proxy.kiiex.io/WSGateway"},
		{"https://alphaprod.proxy.kiiex.io/ap/", "wss://alphaprod.proxy.kiiex.io/WSGateway"},
		{"http://127.0.0.1:8080/ap", "ws://127.0.0.1:8080/WSGateway"},
		{"https://user:pw@host.example/x?q=1#f", "wss://host.example/WSGateway"},
		{"wss://h/already", "wss://h/WSGateway"},
	} {
		got, err := WSURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("WSURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"ftp://h/x", "::", "/relative"} {
		if got, err := WSURL(bad); err == nil {
			t.Errorf("WSURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestWSBackoff(t *testing.T) {
	s := &WSSession{cfg: wsConfig{minBackoff: 100 * time.Millisecond, maxBackoff: time.Second, jitter: func(n int64) int64 { return n - 1 }}}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := s.backoff(i + 1); got != w*time.Millisecond {
			t.Errorf("backoff(%d) = %v, want %v (the cap)", i+1, got, w*time.Millisecond)
		}
	}
	s.cfg.jitter = func(int64) int64 { return 0 }
	if got := s.backoff(3); got <= 0 || got > time.Millisecond {
		t.Errorf("backoff with zero jitter = %v, want a tiny positive wait", got)
	}
}

func TestWSFramePayload(t *testing.T) {
	for _, c := range []struct{ o, want string }{
		{`"{\"a\":1}"`, `{"a":1}`}, // the documented form: a JSON string
		{`{"a":1}`, `{"a":1}`},     // some gateways send the object itself
		{`"[]"`, `[]`},
	} {
		f := wsFrame{O: json.RawMessage(c.o)}
		got, err := f.payload()
		if err != nil || string(got) != c.want {
			t.Errorf("payload(%s) = %s, %v; want %s", c.o, got, err, c.want)
		}
	}
}

func TestWSRouting(t *testing.T) {
	sub := &wsSub{spec: &wsSubscription{events: []wsRoute{
		{name: "L1", match: []wsMatch{{event: "InstrumentId", index: -1, request: "InstrumentId"}}},
		{name: "L2", match: []wsMatch{{index: 7, request: "InstrumentId"}}},
		{name: "Any"},
	}}, req: map[string]json.RawMessage{"InstrumentId": json.RawMessage("12")}}
	for _, c := range []struct {
		name, payload string
		want          bool
	}{
		{"L1", `{"InstrumentId":12}`, true},
		{"L1", `{"InstrumentId":12.0}`, true},
		{"L1", `{"instrumentid":"12"}`, true},
		{"L1", `{"InstrumentId":13}`, false},
		{"L1", `{}`, false},
		{"L2", `[[1,1,0,0,1,1,2,12,3,0]]`, true},
		{"L2", `[[1,1,0,0,1,1,2,13,3,0]]`, false},
		{"L2", `[[1,2]]`, false},
		{"L2", `[]`, true},
		{"Any", `{"x":1}`, true},
		{"Other", `{"InstrumentId":12}`, false},
	} {
		if got := sub.wants(c.name, json.RawMessage(c.payload)); got != c.want {
			t.Errorf("wants(%s, %s) = %v, want %v", c.name, c.payload, got, c.want)
		}
	}
	// A request without the member matches every value (a subscription by
	// Symbol).
	sub.req = map[string]json.RawMessage{"Symbol": json.RawMessage(`"BTCUSD"`)}
	if !sub.wants("L1", json.RawMessage(`{"InstrumentId":99}`)) {
		t.Error("a request without InstrumentId should match every instrument")
	}
}

func TestWSDropOldest(t *testing.T) {
	s := &WSSession{cfg: wsConfig{buffer: 3}}
	sub := &wsSub{s: s, notify: make(chan struct{}, 1)}
	for i := range 7 {
		sub.push(WSMessage{Name: string(rune('a' + i))})
	}
	if sub.dropped != 4 || len(sub.buf) != 3 {
		t.Fatalf("dropped %d kept %d, want 4 and 3", sub.dropped, len(sub.buf))
	}
	var names string
	for i, m := range sub.buf {
		names += m.Name
		if m.Gap != (i == 0) {
			t.Errorf("message %d Gap = %v", i, m.Gap)
		}
	}
	if names != "efg" {
		t.Errorf("kept %q, want the newest three", names)
	}
	// With room for one message, the new one carries the gap itself.
	s.cfg.buffer = 1
	sub = &wsSub{s: s, notify: make(chan struct{}, 1)}
	sub.push(WSMessage{Name: "a"})
	sub.push(WSMessage{Name: "b"})
	if len(sub.buf) != 1 || sub.buf[0].Name != "b" || !sub.buf[0].Gap {
		t.Errorf("buffer of one: %+v", sub.buf)
	}
	sub.end(ErrStreamClosed)
	sub.push(WSMessage{Name: "c"})
	if len(sub.buf) != 1 {
		t.Error("push after end buffered a message")
	}
}

func TestWSResult(t *testing.T) {
	op := &operation{id: "SendOrder", path: "/SendOrder", apex: true, rejectable: true}
	str := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	if _, err := wsResult(op, wsFrame{M: wsError, O: str(`{"result":false,"errormsg":"Not Authorized","errorcode":20}`)}, nil); err == nil || err.Error() != "SendOrder: WebSocket: Not Authorized (code 20)" {
		t.Errorf("error frame: %v", err)
	}
	if _, err := wsResult(op, wsFrame{M: wsReply, O: str(`{"status":"Rejected","errormsg":"Not enough funds"}`)}, nil); err == nil || !isRejected(err) {
		t.Errorf("rejected order: %v", err)
	}
	if _, err := wsResult(op, wsFrame{M: wsError, O: str(`{"errormsg":"bad key sk-123"}`)}, []string{"sk-123"}); err == nil || err.Error() != "SendOrder: WebSocket: bad key [REDACTED]" {
		t.Errorf("secret in error frame: %v", err)
	}
	if data, err := wsResult(op, wsFrame{M: wsReply, O: str(`{"status":"Accepted","OrderId":5}`)}, nil); err != nil || string(data) != `{"status":"Accepted","OrderId":5}` {
		t.Errorf("accepted: %s %v", data, err)
	}
}

func isRejected(err error) bool {
	ae, ok := err.(*APIError)
	return ok && ae.Is(ErrRejected)
}
