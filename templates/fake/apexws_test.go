package fake

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rawWS is a hand-written WebSocket client for the gateway tests: it masks
// (or, to test the refusal, does not mask) its frames and reads the
// server's frames as they are.
type rawWS struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

const testKey = "dGhlIHNhbXBsZSBub25jZQ=="

// rawDial performs the opening handshake with extra header lines and
// returns the status line, the response headers and, on 101, the client.
func rawDial(t *testing.T, srv *Server, extra string) (string, http.Header, *rawWS) {
	t.Helper()
	host := strings.TrimPrefix(srv.ts.URL, "http://")
	nc, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(nc, "GET /WSGateway HTTP/1.1\r\nHost: "+host+"\r\n"+extra+"\r\n")
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return resp.Status, resp.Header, nil
	}
	return resp.Status, resp.Header, &rawWS{t: t, nc: nc, br: br}
}

const goodHandshake = "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + testKey + "\r\n"

func (c *rawWS) writeFrame(fin bool, op byte, p []byte, masked bool) {
	c.t.Helper()
	b0 := op
	if fin {
		b0 |= 0x80
	}
	h := []byte{b0, 0}
	switch n := len(p); {
	case n <= 125:
		h[1] = byte(n)
	case n <= 0xffff:
		h[1] = 126
		h = binary.BigEndian.AppendUint16(h, uint16(n))
	default:
		h[1] = 127
		h = binary.BigEndian.AppendUint64(h, uint64(n))
	}
	body := append([]byte(nil), p...)
	if masked {
		h[1] |= 0x80
		mask := []byte{1, 2, 3, 4}
		h = append(h, mask...)
		for i := range body {
			body[i] ^= mask[i%4]
		}
	}
	if _, err := c.nc.Write(append(h, body...)); err != nil {
		c.t.Fatal(err)
	}
}

// readFrame reads one server frame, which must be unmasked.
func (c *rawWS) readFrame() (byte, []byte) {
	c.t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(c.br, h[:]); err != nil {
		c.t.Fatalf("reading a frame: %v", err)
	}
	if h[1]&0x80 != 0 {
		c.t.Fatal("server frame is masked")
	}
	n := int(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(c.br, b[:])
		n = int(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(c.br, b[:])
		n = int(binary.BigEndian.Uint64(b[:]))
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(c.br, p); err != nil {
		c.t.Fatal(err)
	}
	return h[0] & 0x0f, p
}

// call sends an APEX request frame and returns the server's answer frame.
func (c *rawWS) call(i int64, n, payload string) apexFrame {
	c.t.Helper()
	o, _ := json.Marshal(payload)
	data, _ := json.Marshal(apexFrame{M: 0, I: i, N: n, O: o})
	c.writeFrame(true, 0x1, data, true)
	return c.next()
}

func (c *rawWS) next() apexFrame {
	c.t.Helper()
	op, p := c.readFrame()
	if op != 0x1 {
		c.t.Fatalf("opcode %d, want a text frame", op)
	}
	var fr apexFrame
	if err := json.Unmarshal(p, &fr); err != nil {
		c.t.Fatalf("frame %s: %v", p, err)
	}
	var s string
	if err := json.Unmarshal(fr.O, &s); err != nil {
		c.t.Fatalf("o is not a JSON string: %s", p)
	}
	fr.O = json.RawMessage(s)
	return fr
}

func TestWSHandshake(t *testing.T) {
	srv := newServer(operations, schemas, configure, nil).start()
	defer srv.Close()
	for _, tc := range []struct{ name, extra, status string }{
		{"no upgrade", "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + testKey + "\r\n", "400"},
		{"no connection", "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + testKey + "\r\n", "400"},
		{"version 8", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + testKey + "\r\n", "426"},
		{"short key", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n", "400"},
	} {
		status, h, c := rawDial(t, srv, tc.extra)
		if c != nil || !strings.HasPrefix(status, tc.status) {
			t.Errorf("%s: %s, want %s", tc.name, status, tc.status)
		}
		if tc.status == "426" && h.Get("Sec-WebSocket-Version") != "13" {
			t.Errorf("%s: 426 without Sec-WebSocket-Version: 13", tc.name)
		}
	}
	status, h, c := rawDial(t, srv, goodHandshake)
	if c == nil {
		t.Fatalf("handshake: %s", status)
	}
	// RFC 6455 section 1.3's example key and accept value.
	if got := h.Get("Sec-WebSocket-Accept"); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Errorf("Sec-WebSocket-Accept = %q", got)
	}
	sum := sha1.Sum([]byte(testKey + wsGUID))
	if base64.StdEncoding.EncodeToString(sum[:]) != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Error("accept computation disagrees with RFC 6455")
	}
}

func TestWSFrames(t *testing.T) {
	srv := newServer(operations, schemas, configure, nil).start()
	defer srv.Close()
	_, _, c := rawDial(t, srv, goodHandshake)

	// Ping is answered with a pong carrying its payload; Ping the APEX
	// call with PONG.
	c.writeFrame(true, 0x9, []byte("hb"), true)
	if op, p := c.readFrame(); op != 0xA || string(p) != "hb" {
		t.Fatalf("pong: op %d %q", op, p)
	}
	if fr := c.call(2, "Ping", "{}"); fr.M != 1 || fr.I != 2 || string(fr.O) != `{"msg":"PONG"}` {
		t.Fatalf("Ping = %+v", fr)
	}

	// A fragmented message (with a ping between fragments) is one
	// request.
	o, _ := json.Marshal(`{"OMSId":1}`)
	data, _ := json.Marshal(apexFrame{M: 0, I: 4, N: "Ping", O: o})
	c.writeFrame(false, 0x1, data[:5], true)
	c.writeFrame(true, 0x9, nil, true)
	c.writeFrame(false, 0x0, data[5:10], true)
	c.writeFrame(true, 0x0, data[10:], true)
	if op, _ := c.readFrame(); op != 0xA {
		t.Fatalf("pong between fragments: op %d", op)
	}
	if fr := c.next(); fr.M != 1 || fr.I != 4 {
		t.Fatalf("fragmented Ping = %+v", fr)
	}
	// An operation of the spec needs the session.
	if fr := c.call(6, "Ping", `{"OMSId":1}`); fr.M != 1 {
		t.Fatalf("Ping = %+v", fr)
	}
	srv.handle(opPing, func(ctx context.Context, x *exchange) error {
		return x.writeJSON(200, map[string]string{"msg": "mine"})
	})
	if fr := c.call(8, "Ping", `{"OMSId":1}`); fr.M != 5 || !strings.Contains(string(fr.O), `"errorcode":20`) {
		t.Fatalf("Ping with a handler, without a session = %+v", fr)
	}
	// A login over the socket opens the session for the connection.
	a := apexOf(srv)
	a.mu.Lock()
	a.users = append(a.users, apexUser{"u", "p"})
	a.mu.Unlock()
	if fr := c.call(10, "AuthenticateUser", `{"UserName":"u","Password":"p"}`); fr.M != 1 || !strings.Contains(string(fr.O), "SessionToken") {
		t.Fatalf("login = %+v", fr)
	}
	if fr := c.call(12, "Ping", `{"OMSId":1}`); fr.M != 1 || string(fr.O) != `{"msg":"mine"}` {
		t.Fatalf("Ping after login = %+v", fr)
	}
	// An invalid request is answered as over HTTP: APEX's failure
	// envelope inside a reply.
	if fr := c.call(14, "Ping", `{"OMSId":"x"}`); fr.M != 1 || !strings.Contains(string(fr.O), `"errorcode":100`) || !strings.Contains(string(fr.O), "OMSId") {
		t.Fatalf("invalid Ping = %+v", fr)
	}

	// The close handshake is answered.
	c.writeFrame(true, 0x8, []byte{0x03, 0xe8}, true)
	if op, p := c.readFrame(); op != 0x8 || binary.BigEndian.Uint16(p) != 1000 {
		t.Fatalf("close reply: op %d %v", op, p)
	}
}

func TestWSProtocolErrors(t *testing.T) {
	srv := newServer(operations, schemas, configure, nil).start()
	defer srv.Close()
	for _, tc := range []struct {
		name string
		send func(c *rawWS)
		code uint16
	}{
		{"unmasked", func(c *rawWS) { c.writeFrame(true, 0x1, []byte("{}"), false) }, 1002},
		{"continuation first", func(c *rawWS) { c.writeFrame(true, 0x0, []byte("{}"), true) }, 1002},
		{"long ping", func(c *rawWS) { c.writeFrame(true, 0x9, make([]byte, 126), true) }, 1002},
		{"too large", func(c *rawWS) { c.writeFrame(true, 0x1, make([]byte, wsMaxMessage+1), true) }, 1009},
		{"too large joined", func(c *rawWS) {
			c.writeFrame(false, 0x1, make([]byte, wsMaxMessage), true)
			c.writeFrame(true, 0x0, []byte("x"), true)
		}, 1009},
	} {
		_, _, c := rawDial(t, srv, goodHandshake)
		tc.send(c)
		op, p := c.readFrame()
		if op != 0x8 || len(p) < 2 || binary.BigEndian.Uint16(p) != tc.code {
			t.Errorf("%s: op %d %q, want close %d", tc.name, op, p, tc.code)
		}
	}
}

func TestWSSubscribePushDisconnect(t *testing.T) {
	srv := newServer(operations, schemas, configure, []Option{WithUser("u", "p")}).start()
	defer srv.Close()
	_, _, c := rawDial(t, srv, goodHandshake)
	c.call(2, "AuthenticateUser", `{"UserName":"u","Password":"p"}`)
	if n := srv.pushEvent("TickEvent", []string{"SubscribeTicks"}, map[string]int{"Market": 1}); n != 0 {
		t.Fatalf("push before subscribing reached %d", n)
	}
	if fr := c.call(4, "SubscribeTicks", `{"Market":1}`); fr.M != 5 || !strings.Contains(string(fr.O), "HandleSubscribeTicks") {
		t.Fatalf("subscribe without handler = %+v", fr)
	}
	srv.handle(opSubscribeTicks, func(ctx context.Context, x *exchange) error {
		if SessionToken(ctx) == "" {
			t.Error("no session token in the subscribe handler")
		}
		return x.writeJSON(200, map[string]int{"Market": 1, "Price": 5})
	})
	if fr := c.call(6, "SubscribeTicks", `{"Market":1}`); fr.M != 1 || string(fr.O) != `{"Market":1,"Price":5}` {
		t.Fatalf("subscribe = %+v", fr)
	}
	if n := srv.pushEvent("TickEvent", []string{"SubscribeTicks"}, map[string]int{"Market": 1, "Price": 6}); n != 1 {
		t.Fatalf("push reached %d", n)
	}
	if fr := c.next(); fr.M != 3 || fr.I != 0 || fr.N != "TickEvent" || string(fr.O) != `{"Market":1,"Price":6}` {
		t.Fatalf("event = %+v", fr)
	}
	if fr := c.call(8, "UnsubscribeTicks", `{"Market":1}`); fr.M != 1 || !strings.Contains(string(fr.O), `"result":true`) {
		t.Fatalf("unsubscribe = %+v", fr)
	}
	if n := srv.pushEvent("TickEvent", []string{"SubscribeTicks"}, 1); n != 0 {
		t.Fatalf("push after unsubscribing reached %d", n)
	}
	// Over HTTP the WebSocket-only calls do not exist.
	r, _ := http.NewRequest(http.MethodPost, srv.URL+"/SubscribeTicks", strings.NewReader(`{"Market":1}`))
	r.Header.Set("aptoken", srv.IssueToken())
	r.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("SubscribeTicks over HTTP: %s", resp.Status)
	}
	if n := srv.DisconnectWS(); n != 1 {
		t.Fatalf("DisconnectWS = %d", n)
	}
	if _, err := c.br.ReadByte(); err == nil {
		t.Fatal("connection still open after DisconnectWS")
	}
}

func TestWSTwoFactorLogin(t *testing.T) {
	srv := newServer(operations, schemas, configure, []Option{WithUser("u", "p"), WithTwoFactor("123456")}).start()
	defer srv.Close()
	srv.handle(opPing, func(ctx context.Context, x *exchange) error { return x.writeJSON(200, map[string]string{"msg": "ok"}) })
	_, _, c := rawDial(t, srv, goodHandshake)
	if fr := c.call(2, "AuthenticateUser", `{"UserName":"u","Password":"p"}`); fr.M != 1 || !strings.Contains(string(fr.O), `"requires2FA":true`) {
		t.Fatalf("login = %+v", fr)
	}
	// The pending second factor belongs to the connection: a wrong code
	// leaves it unauthenticated, the right one opens the session.
	if fr := c.call(4, "Authenticate2FA", `{"Code":"000000"}`); fr.M != 1 || !strings.Contains(string(fr.O), `"Authenticated":false`) {
		t.Fatalf("wrong code = %+v", fr)
	}
	if fr := c.call(6, "Ping", `{"OMSId":1}`); fr.M != 5 {
		t.Fatalf("Ping before the second factor = %+v", fr)
	}
	if fr := c.call(8, "Authenticate2FA", `{"Code":"123456"}`); fr.M != 1 || !strings.Contains(string(fr.O), `"Authenticated":true`) {
		t.Fatalf("second factor = %+v", fr)
	}
	if fr := c.call(10, "Ping", `{"OMSId":1}`); fr.M != 1 || string(fr.O) != `{"msg":"ok"}` {
		t.Fatalf("Ping after the second factor = %+v", fr)
	}
	// Another connection has no session.
	_, _, c2 := rawDial(t, srv, goodHandshake)
	if fr := c2.call(2, "Ping", `{"OMSId":1}`); fr.M != 5 || !strings.Contains(string(fr.O), `"errorcode":20`) {
		t.Fatalf("Ping on another connection = %+v", fr)
	}
}

// discardConn is a net.Conn whose writes vanish, for the reader fuzz test.
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error)      { return len(p), nil }
func (discardConn) Close() error                     { return nil }
func (discardConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzWSReadMessage feeds arbitrary bytes to the frame reader: it never
// panics, and a message it returns is within the size limit.
func FuzzWSReadMessage(f *testing.F) {
	f.Add([]byte{0x81, 0x82, 1, 2, 3, 4, 'a' ^ 1, 'b' ^ 2})
	f.Add([]byte{0x01, 0x81, 0, 0, 0, 0, 'a', 0x89, 0x80, 0, 0, 0, 0, 0x80, 0x81, 0, 0, 0, 0, 'b'})
	f.Add([]byte{0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8})
	f.Add([]byte{0x81, 0x02, 'h', 'i'})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &wsServerConn{nc: discardConn{}, br: bufio.NewReader(bytes.NewReader(data))}
		for range 8 {
			_, msg, err := c.readMessage()
			if err != nil {
				return
			}
			if len(msg) > wsMaxMessage {
				t.Fatalf("message of %d bytes", len(msg))
			}
		}
	})
}
