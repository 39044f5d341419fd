package templates

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// The transport is tested against gorilla/websocket, an independent server
// implementation (a test-only dependency: *_test.go files are never copied
// into generated packages), and against a raw net.Conn server written here
// for the malformed frames and handshakes no well-behaved library sends.

// noLeaks fails the test if goroutines started during it outlive it (after
// the servers registered before it have been shut down: cleanups run last
// registered first, so call noLeaks first).
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			n := runtime.NumGoroutine()
			if n <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("%d goroutines before the test, %d after:\n%s", before, n, buf)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// gorillaServer serves handler as a WebSocket endpoint and returns its ws://
// (or wss://) URL. Handlers are waited for at cleanup.
func gorillaServer(t *testing.T, secure bool, handler func(t *testing.T, ws *websocket.Conn, r *http.Request)) (string, *httptest.Server) {
	t.Helper()
	var wg sync.WaitGroup
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, CheckOrigin: func(*http.Request) bool { return true }}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wg.Add(1)
		defer wg.Done()
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Errorf("server upgrade: %v", err)
			return
		}
		defer ws.Close()
		handler(t, ws, r)
	})
	var srv *httptest.Server
	if secure {
		srv = httptest.NewUnstartedServer(h)
		// The untrusted-certificate case makes the server log a failed
		// handshake; that is expected.
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS()
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(func() {
		srv.Close()
		wg.Wait()
	})
	u := "ws" + strings.TrimPrefix(srv.URL, "http")
	return u, srv
}

// echoHandler echoes every message with its type until the client closes.
func echoHandler(t *testing.T, ws *websocket.Conn, _ *http.Request) {
	for {
		mt, p, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if err := ws.WriteMessage(mt, p); err != nil {
			return
		}
	}
}

func dialT(t *testing.T, u string, o wsDialOptions) *wsConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := dialWebSocket(ctx, u, o)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close(wsCloseNormal, "") })
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestWebSocketEcho(t *testing.T) {
	noLeaks(t)
	u, _ := gorillaServer(t, false, echoHandler)
	c := dialT(t, u, wsDialOptions{})
	ctx := ctxT(t)
	msgs := []struct {
		text bool
		data []byte
	}{
		{true, []byte("hello")},
		{false, []byte{0, 1, 2, 0xff}},
		{true, []byte{}},
		{false, nil},
		{true, []byte("héllo wörld ✓ 😀")},
		{false, bytes.Repeat([]byte{7}, 125)},
		{false, bytes.Repeat([]byte{8}, 126)},      // 16-bit length
		{false, bytes.Repeat([]byte{9}, 0xffff)},   // largest 16-bit length
		{false, bytes.Repeat([]byte{10}, 0x10000)}, // 64-bit length
	}
	for i, m := range msgs {
		if err := c.WriteMessage(ctx, m.text, m.data); err != nil {
			t.Fatalf("%d: write: %v", i, err)
		}
		text, data, err := c.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("%d: read: %v", i, err)
		}
		if text != m.text || !bytes.Equal(data, m.data) || data == nil {
			t.Errorf("%d: got text=%v %d bytes, want text=%v %d bytes", i, text, len(data), m.text, len(m.data))
		}
	}
	if err := c.WriteMessage(ctx, true, []byte{0xff}); err == nil {
		t.Error("writing invalid UTF-8 as text: no error")
	}
	if err := c.Close(wsCloseNormal, "bye"); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := c.WriteMessage(ctx, true, []byte("late")); !errors.Is(err, ErrWebSocketClosed) {
		t.Errorf("write after close: %v, want ErrWebSocketClosed", err)
	}
	if _, _, err := c.ReadMessage(ctx); !errors.Is(err, ErrWebSocketClosed) {
		t.Errorf("read after close: %v, want ErrWebSocketClosed", err)
	}
	if err := c.Close(wsCloseNormal, ""); err != nil {
		t.Errorf("second close: %v", err)
	}
}

// TestWebSocketFragmented sends large messages both ways in many frames:
// gorilla fragments at its 1 KiB write buffer, cutting runes of the text in
// half; the client fragments at 3000 bytes.
func TestWebSocketFragmented(t *testing.T) {
	noLeaks(t)
	u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
		for {
			mt, p, err := ws.ReadMessage()
			if err != nil {
				return
			}
			// Written in 1000-byte pieces, the message leaves gorilla's
			// 1 KiB buffer as one frame per kilobyte or so.
			w, err := ws.NextWriter(mt)
			if err != nil {
				return
			}
			for len(p) > 0 {
				k := min(1000, len(p))
				w.Write(p[:k])
				p = p[k:]
			}
			if w.Close() != nil {
				return
			}
		}
	})
	// Count the client's frames (each is one Write) and keep what the
	// server sent, to count its frames too.
	var clientFrames atomic.Int64
	var fromServer bytes.Buffer
	c := dialT(t, u, wsDialOptions{fragmentSize: 3000, dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &frameCounter{Conn: conn, n: &clientFrames, read: &fromServer}, nil
	}})
	ctx := ctxT(t)
	text := strings.Repeat("héllo wörld ✓ 😀 ", 20000)
	bin := make([]byte, 1<<20)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	if err := c.WriteMessage(ctx, true, []byte(text)); err != nil {
		t.Fatal(err)
	}
	isText, got, err := c.ReadMessage(ctx)
	if err != nil || !isText || string(got) != text {
		t.Fatalf("text echo: text=%v len=%d err=%v", isText, len(got), err)
	}
	before := clientFrames.Load()
	if err := c.WriteMessage(ctx, false, bin); err != nil {
		t.Fatal(err)
	}
	isText, got, err = c.ReadMessage(ctx)
	if err != nil || isText || !bytes.Equal(got, bin) {
		t.Fatalf("binary echo: text=%v len=%d err=%v", isText, len(got), err)
	}
	if n, want := clientFrames.Load()-before, int64((len(bin)+2999)/3000); n != want {
		t.Errorf("client sent the 1 MiB message in %d frames, want %d", n, want)
	}
	_, stream, _ := bytes.Cut(fromServer.Bytes(), []byte("\r\n\r\n"))
	br := bufio.NewReader(bytes.NewReader(stream))
	frames := 0
	for {
		if _, err := readRawFrame(br); err != nil {
			break
		}
		frames++
	}
	if want := (len(text) + len(bin)) / 1024; frames < want {
		t.Errorf("server sent the two messages in %d frames, want at least %d", frames, want)
	}
}

// frameCounter counts the frames written through it (each wsConn frame is
// one Write).
type frameCounter struct {
	net.Conn
	n    *atomic.Int64
	read *bytes.Buffer // read by the client's single reader only
}

func (f *frameCounter) Read(p []byte) (int, error) {
	n, err := f.Conn.Read(p)
	f.read.Write(p[:n])
	return n, err
}

func (f *frameCounter) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, []byte("GET ")) {
		f.n.Add(1)
	}
	return f.Conn.Write(p)
}

// TestWebSocketFragmentedWithControl interleaves pings between the
// fragments of a server message, as RFC 6455 section 5.4 allows.
func TestWebSocketFragmentedWithControl(t *testing.T) {
	noLeaks(t)
	pongs := make(chan string, 4)
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
		if !rawHandshake(t, conn, br, "") {
			return
		}
		var b []byte
		b = append(b, serverFrame(false, wsOpText, []byte("hé"[:2]))...)
		b = append(b, serverFrame(true, wsOpPing, []byte("p1"))...)
		b = append(b, serverFrame(false, wsOpContinuation, []byte("hé"[2:]+" w"))...)
		b = append(b, serverFrame(true, wsOpPong, []byte("unsolicited"))...)
		b = append(b, serverFrame(true, wsOpContinuation, []byte("orld"))...)
		conn.Write(b)
		for {
			f, err := readClientFrame(br)
			if err != nil {
				return
			}
			if f.op == wsOpPong {
				pongs <- string(f.payload)
			}
			if f.op == wsOpClose {
				conn.Write(serverFrame(true, wsOpClose, f.payload))
				return
			}
		}
	})
	var gotPong atomic.Value
	c := dialT(t, u, wsDialOptions{onPong: func(p []byte) { gotPong.Store(string(p)) }})
	text, data, err := c.ReadMessage(ctxT(t))
	if err != nil || !text || string(data) != "hé world" {
		t.Fatalf("got %v %q %v", text, data, err)
	}
	if p := <-pongs; p != "p1" {
		t.Errorf("pong payload %q, want p1", p)
	}
	if p, _ := gotPong.Load().(string); p != "unsolicited" {
		t.Errorf("onPong saw %q", p)
	}
	if c.LastPong().IsZero() {
		t.Error("LastPong not set")
	}
}

func TestWebSocketPingPong(t *testing.T) {
	noLeaks(t)
	serverGotPong := make(chan string, 1)
	u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
		ws.SetPongHandler(func(s string) error {
			serverGotPong <- s
			return nil
		})
		if err := ws.WriteControl(websocket.PingMessage, []byte("from server"), time.Now().Add(time.Second)); err != nil {
			t.Error(err)
		}
		echoHandler(t, ws, nil)
	})
	pong := make(chan string, 1)
	c := dialT(t, u, wsDialOptions{onPong: func(p []byte) { pong <- string(p) }})
	ctx := ctxT(t)
	if err := c.Ping(ctx, []byte("from client")); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx, make([]byte, 126)); err == nil {
		t.Error("126-byte ping: no error")
	}
	// The reader answers the server's ping and sees the pong.
	if err := c.WriteMessage(ctx, true, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadMessage(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-pong:
		if p != "from client" {
			t.Errorf("pong %q", p)
		}
	case <-ctx.Done():
		t.Fatal("no pong")
	}
	select {
	case p := <-serverGotPong:
		if p != "from server" {
			t.Errorf("server got pong %q", p)
		}
	case <-ctx.Done():
		t.Fatal("server got no pong")
	}
	if time.Since(c.LastPong()) > time.Minute {
		t.Errorf("LastPong %v", c.LastPong())
	}
}

func TestWebSocketServerClose(t *testing.T) {
	for _, tc := range []struct {
		code   int
		reason string
		eof    bool
	}{
		{1000, "", true},
		{1001, "going away", false},
		{4001, "bye ✓", false},
		{1005, "", true}, // a close frame without a code
	} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			noLeaks(t)
			echoed := make(chan error, 1)
			u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
				msg := []byte{}
				if tc.code != 1005 {
					msg = websocket.FormatCloseMessage(tc.code, tc.reason)
				}
				if err := ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second)); err != nil {
					t.Error(err)
				}
				ws.SetCloseHandler(func(int, string) error { return nil })
				_, _, err := ws.ReadMessage()
				echoed <- err
			})
			c := dialT(t, u, wsDialOptions{})
			_, _, err := c.ReadMessage(ctxT(t))
			var ce *WebSocketCloseError
			if !errors.As(err, &ce) || ce.Code != tc.code || ce.Reason != tc.reason {
				t.Fatalf("read: %v, want close %d %q", err, tc.code, tc.reason)
			}
			if errors.Is(err, io.EOF) != tc.eof {
				t.Errorf("errors.Is(%v, io.EOF) = %v", err, !tc.eof)
			}
			var sce *websocket.CloseError
			if err := <-echoed; !errors.As(err, &sce) {
				t.Fatalf("server: %v, want the echoed close", err)
			}
			wantCode := tc.code
			if tc.code == 1005 {
				wantCode = websocket.CloseNoStatusReceived
			}
			if sce.Code != wantCode {
				t.Errorf("echoed code %d, want %d", sce.Code, wantCode)
			}
			if _, _, err2 := c.ReadMessage(ctxT(t)); err2 != err {
				t.Errorf("second read: %v, want the same %v", err2, err)
			}
			if err := c.WriteMessage(ctxT(t), true, nil); !errors.Is(err, ErrWebSocketClosed) {
				t.Errorf("write after peer close: %v", err)
			}
			if err := c.Close(wsCloseNormal, ""); err != nil {
				t.Errorf("Close after peer close: %v", err)
			}
		})
	}
}

// TestWebSocketClientClose: the close handshake started by Close, with and
// without a concurrent reader.
func TestWebSocketClientClose(t *testing.T) {
	for _, reading := range []bool{false, true} {
		t.Run(map[bool]string{false: "idle", true: "reading"}[reading], func(t *testing.T) {
			noLeaks(t)
			got := make(chan error, 1)
			u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
				ws.WriteMessage(websocket.TextMessage, []byte("unread"))
				_, _, err := ws.ReadMessage() // the default close handler echoes
				got <- err
			})
			c := dialT(t, u, wsDialOptions{closeTimeout: 3 * time.Second})
			readErr := make(chan error, 1)
			if reading {
				go func() {
					for {
						if _, _, err := c.ReadMessage(context.Background()); err != nil {
							readErr <- err
							return
						}
					}
				}()
			}
			start := time.Now()
			if err := c.Close(4000, "done"); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Close took %v: it waited for the timeout instead of the peer's close", d)
			}
			var sce *websocket.CloseError
			if err := <-got; !errors.As(err, &sce) || sce.Code != 4000 || sce.Text != "done" {
				t.Errorf("server saw %v, want close 4000 done", err)
			}
			if reading {
				err := <-readErr
				var ce *WebSocketCloseError
				if !errors.Is(err, ErrWebSocketClosed) || !errors.As(err, &ce) || ce.Code != 4000 {
					t.Errorf("reader: %v, want ErrWebSocketClosed and the peer's 4000", err)
				}
			}
			select {
			case <-c.Done():
			default:
				t.Error("Done not closed after Close")
			}
		})
	}
}

// TestWebSocketCloseTimeout: a peer that never answers the close frame
// costs Close its timeout, not more, and the blocked reader is released.
func TestWebSocketCloseTimeout(t *testing.T) {
	noLeaks(t)
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
		if !rawHandshake(t, conn, br, "") {
			return
		}
		io.Copy(io.Discard, br)
	})
	c := dialT(t, u, wsDialOptions{closeTimeout: 200 * time.Millisecond})
	readErr := make(chan error, 1)
	go func() {
		_, _, err := c.ReadMessage(context.Background())
		readErr <- err
	}()
	start := time.Now()
	if err := c.Close(1000, ""); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
		t.Errorf("Close took %v, want about 200ms", d)
	}
	if err := <-readErr; !errors.Is(err, ErrWebSocketClosed) {
		t.Errorf("reader: %v", err)
	}
}

func TestWebSocketCloseArgs(t *testing.T) {
	noLeaks(t)
	u, _ := gorillaServer(t, false, echoHandler)
	c := dialT(t, u, wsDialOptions{})
	for _, tc := range []struct {
		code   int
		reason string
	}{
		{999, ""}, {1004, ""}, {1005, ""}, {1006, ""}, {1015, ""}, {2999, ""}, {5000, ""},
		{0, "reason without code"}, {1000, strings.Repeat("x", 124)}, {1000, "\xff"},
	} {
		if err := c.Close(tc.code, tc.reason); err == nil {
			t.Errorf("Close(%d, %q): no error", tc.code, tc.reason)
		}
	}
	ctx := ctxT(t)
	if err := c.WriteMessage(ctx, true, []byte("still open")); err != nil {
		t.Fatalf("connection unusable after refused Close: %v", err)
	}
	if _, _, err := c.ReadMessage(ctx); err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{1000, 1003, 1007, 1011, 1014, 3000, 4999} {
		if !wsValidCloseCode(code) {
			t.Errorf("code %d refused", code)
		}
	}
}

func TestWebSocketTLS(t *testing.T) {
	noLeaks(t)
	alpn := make(chan string, 1)
	u, srv := gorillaServer(t, true, func(t *testing.T, ws *websocket.Conn, r *http.Request) {
		alpn <- r.TLS.NegotiatedProtocol
		echoHandler(t, ws, r)
	})
	if !strings.HasPrefix(u, "wss://") {
		t.Fatal(u)
	}
	cfg := srv.Client().Transport.(*http.Transport).TLSClientConfig
	cfg.NextProtos = []string{"h2"} // forced to http/1.1 by the dialer
	c := dialT(t, u, wsDialOptions{tlsConfig: cfg})
	ctx := ctxT(t)
	big := bytes.Repeat([]byte("tls "), 100000)
	if err := c.WriteMessage(ctx, false, big); err != nil {
		t.Fatal(err)
	}
	if _, data, err := c.ReadMessage(ctx); err != nil || !bytes.Equal(data, big) {
		t.Fatalf("echo over TLS: %d bytes, %v", len(data), err)
	}
	if p := <-alpn; p != "http/1.1" && p != "" {
		t.Errorf("ALPN %q", p)
	}
	// Without the test CA the certificate is refused.
	ctx2, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c2, err := dialWebSocket(ctx2, u, wsDialOptions{}); err == nil {
		c2.Close(1000, "")
		t.Error("untrusted certificate accepted")
	}
}

func TestWebSocketMaxMessage(t *testing.T) {
	for _, fragmented := range []bool{false, true} {
		t.Run(map[bool]string{false: "one frame", true: "fragments"}[fragmented], func(t *testing.T) {
			noLeaks(t)
			got := make(chan error, 1)
			u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
				w, _ := ws.NextWriter(websocket.BinaryMessage)
				if fragmented {
					for i := 0; i < 10; i++ {
						w.Write(make([]byte, 500)) // flushed as 1 KiB frames
					}
				} else {
					w.Write(make([]byte, 5000))
				}
				w.Close()
				_, _, err := ws.ReadMessage()
				got <- err
			})
			c := dialT(t, u, wsDialOptions{maxMessage: 4096})
			_, _, err := c.ReadMessage(ctxT(t))
			if !errors.Is(err, ErrWebSocketMessageTooBig) {
				t.Fatalf("read: %v, want ErrWebSocketMessageTooBig", err)
			}
			var sce *websocket.CloseError
			if err := <-got; !errors.As(err, &sce) || sce.Code != websocket.CloseMessageTooBig {
				t.Errorf("server saw %v, want close 1009", err)
			}
		})
	}
}

// TestWebSocketConcurrentWriters: fragmented messages from many goroutines
// arrive whole (the frames of one message are never interleaved with
// another's), while pings go out between them.
func TestWebSocketConcurrentWriters(t *testing.T) {
	noLeaks(t)
	const writers, each = 8, 25
	received := make(chan string, writers*each)
	u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
		for {
			_, p, err := ws.ReadMessage()
			if err != nil {
				close(received)
				return
			}
			received <- string(p)
		}
	})
	c := dialT(t, u, wsDialOptions{fragmentSize: 7})
	ctx := ctxT(t)
	go func() {
		for {
			if _, _, err := c.ReadMessage(ctx); err != nil {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				msg := strings.Repeat(string(rune('a'+w)), 10+i)
				if err := c.WriteMessage(ctx, true, []byte(msg)); err != nil {
					t.Error(err)
					return
				}
				if i%5 == 0 {
					if err := c.Ping(ctx, []byte{byte(w)}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := c.Close(1000, ""); err != nil {
		t.Fatal(err)
	}
	n := 0
	for m := range received {
		if strings.Trim(m, m[:1]) != "" {
			t.Errorf("interleaved message %q", m)
		}
		n++
	}
	if n != writers*each {
		t.Errorf("server got %d messages, want %d", n, writers*each)
	}
}

func TestWebSocketReadCancel(t *testing.T) {
	noLeaks(t)
	send := make(chan string)
	u, _ := gorillaServer(t, false, func(t *testing.T, ws *websocket.Conn, _ *http.Request) {
		go func() {
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					return
				}
			}
		}()
		for s := range send {
			ws.WriteMessage(websocket.TextMessage, []byte(s))
		}
	})
	defer close(send)
	c := dialT(t, u, wsDialOptions{})

	// Cancel while waiting: the call returns ctx's error promptly and the
	// connection stays usable.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	if _, _, err := c.ReadMessage(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("read: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %v", d)
	}
	// A deadline likewise.
	dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer dcancel()
	if _, _, err := c.ReadMessage(dctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read: %v, want context.DeadlineExceeded", err)
	}
	send <- "after cancel"
	if _, data, err := c.ReadMessage(ctxT(t)); err != nil || string(data) != "after cancel" {
		t.Fatalf("read after cancel: %q %v", data, err)
	}
	// An already cancelled context writes nothing and breaks nothing.
	if err := c.WriteMessage(ctx, true, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("write with cancelled ctx: %v", err)
	}
	if err := c.WriteMessage(ctxT(t), true, []byte("x")); err != nil {
		t.Errorf("write after cancelled write: %v", err)
	}
}

// TestWebSocketReadCancelMidFrame: a cancel inside a frame drops the
// connection (the stream position is lost); a cancel between the fragments
// of a message keeps it, and the message completes on the next read.
func TestWebSocketReadCancelMidFrame(t *testing.T) {
	noLeaks(t)
	step := make(chan []byte)
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
		if !rawHandshake(t, conn, br, "") {
			return
		}
		for b := range step {
			conn.Write(b)
		}
		io.Copy(io.Discard, br)
	})
	c := dialT(t, u, wsDialOptions{})
	short := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}
	step <- serverFrame(false, wsOpText, []byte("first "))
	if _, _, err := c.ReadMessage(short()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read between fragments: %v", err)
	}
	step <- serverFrame(true, wsOpContinuation, []byte("half"))
	if _, data, err := c.ReadMessage(ctxT(t)); err != nil || string(data) != "first half" {
		t.Fatalf("resumed message: %q %v", data, err)
	}
	f := serverFrame(true, wsOpBinary, []byte("0123456789"))
	step <- f[:5]
	_, _, err := c.ReadMessage(short())
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "inside a frame") {
		t.Fatalf("read inside a frame: %v", err)
	}
	close(step)
	if _, _, err2 := c.ReadMessage(ctxT(t)); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("read after drop: %v", err2)
	}
	select {
	case <-c.Done():
	default:
		t.Error("connection not closed")
	}
}

func TestWebSocketAbnormalClose(t *testing.T) {
	noLeaks(t)
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
		if rawHandshake(t, conn, br, "") {
			conn.Write(serverFrame(true, wsOpText, []byte("last")))
		}
	})
	c := dialT(t, u, wsDialOptions{})
	ctx := ctxT(t)
	if _, data, err := c.ReadMessage(ctx); err != nil || string(data) != "last" {
		t.Fatalf("%q %v", data, err)
	}
	_, _, err := c.ReadMessage(ctx)
	var ce *WebSocketCloseError
	if !errors.As(err, &ce) || ce.Code != 1006 || !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		t.Fatalf("read: %v, want 1006 wrapping io.ErrUnexpectedEOF and not io.EOF", err)
	}
}

// TestWebSocketMalformed feeds frames that break RFC 6455 and checks the
// close code the client answers with.
func TestWebSocketMalformed(t *testing.T) {
	big := func(n uint64) []byte { // binary frame header with a 64-bit length
		b := []byte{0x82, 127}
		return binary.BigEndian.AppendUint64(b, n)
	}
	for _, tc := range []struct {
		name   string
		frames []byte
		code   int
		is     error
	}{
		{"masked frame", []byte{0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2}, 1002, ErrWebSocketProtocol},
		{"reserved bit 1", []byte{0x81 | 0x40, 2, 'h', 'i'}, 1002, ErrWebSocketProtocol},
		{"reserved bit 3", []byte{0x81 | 0x10, 2, 'h', 'i'}, 1002, ErrWebSocketProtocol},
		{"reserved opcode", []byte{0x83, 0}, 1002, ErrWebSocketProtocol},
		{"reserved control opcode", []byte{0x8b, 0}, 1002, ErrWebSocketProtocol},
		{"oversized ping", append([]byte{0x89, 126, 0, 126}, make([]byte, 126)...), 1002, ErrWebSocketProtocol},
		{"fragmented ping", []byte{0x09, 1, 'x'}, 1002, ErrWebSocketProtocol},
		{"continuation first", []byte{0x80, 1, 'x'}, 1002, ErrWebSocketProtocol},
		{"new message inside a fragmented one", append(serverFrame(false, wsOpText, []byte("a")), serverFrame(true, wsOpText, []byte("b"))...), 1002, ErrWebSocketProtocol},
		{"bad UTF-8", serverFrame(true, wsOpText, []byte("ok\xffno")), 1007, ErrWebSocketProtocol},
		{"surrogate UTF-8", serverFrame(true, wsOpText, []byte("\xed\xa0\x80")), 1007, ErrWebSocketProtocol},
		{"bad UTF-8 in a first fragment", serverFrame(false, wsOpText, []byte("\xc0\xaf")), 1007, ErrWebSocketProtocol},
		{"truncated rune at the end", append(serverFrame(false, wsOpText, []byte("\xe2\x9c")), serverFrame(true, wsOpContinuation, nil)...), 1007, ErrWebSocketProtocol},
		{"close with one byte", []byte{0x88, 1, 3}, 1002, ErrWebSocketProtocol},
		{"close code 1005", []byte{0x88, 2, 0x03, 0xed}, 1002, ErrWebSocketProtocol},
		{"close code 999", []byte{0x88, 2, 0x03, 0xe7}, 1002, ErrWebSocketProtocol},
		{"close reason bad UTF-8", []byte{0x88, 3, 0x03, 0xe8, 0xff}, 1007, ErrWebSocketProtocol},
		{"16-bit length not minimal", []byte{0x82, 126, 0, 5, 1, 2, 3, 4, 5}, 1002, ErrWebSocketProtocol},
		{"64-bit length not minimal", append(big(5), 1, 2, 3, 4, 5), 1002, ErrWebSocketProtocol},
		{"64-bit length top bit", big(1 << 63), 1002, ErrWebSocketProtocol},
		{"frame over the limit", big(1 << 40), 1009, ErrWebSocketMessageTooBig},
		{"fragments over the limit", append(serverFrame(false, wsOpBinary, make([]byte, 3000)), serverFrame(true, wsOpContinuation, make([]byte, 2000))...), 1009, ErrWebSocketMessageTooBig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			closeCode := make(chan int, 1)
			u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
				if !rawHandshake(t, conn, br, "") {
					return
				}
				conn.Write(tc.frames)
				for {
					f, err := readClientFrame(br)
					if err != nil {
						closeCode <- -1
						return
					}
					if f.op == wsOpClose {
						code := 1005
						if len(f.payload) >= 2 {
							code = int(binary.BigEndian.Uint16(f.payload))
						}
						closeCode <- code
						return
					}
				}
			})
			c := dialT(t, u, wsDialOptions{maxMessage: 4096})
			_, _, err := c.ReadMessage(ctxT(t))
			if !errors.Is(err, tc.is) {
				t.Fatalf("read: %v, want %v", err, tc.is)
			}
			if code := <-closeCode; code != tc.code {
				t.Errorf("client closed with %d, want %d", code, tc.code)
			}
			select {
			case <-c.Done():
			default:
				t.Error("connection still open")
			}
		})
	}
}

// otherFirst changes the first character of an accept value (a random key
// makes any fixed replacement equal to it one time in 64).
func otherFirst(a string) string {
	if a[0] == 'x' {
		return "y" + a[1:]
	}
	return "x" + a[1:]
}

// TestWebSocketHandshake checks the request the client sends and its
// verdict on the server's answer.
func TestWebSocketHandshake(t *testing.T) {
	for _, tc := range []struct {
		name    string
		resp    func(accept string) string // the whole response head
		opts    wsDialOptions
		wantErr string // "" = success
		is      error
	}{
		{name: "plain", resp: func(a string) string { return ok101(a, "") }},
		{name: "case-insensitive headers", resp: func(a string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: keep-alive, UPGRADE\r\nsec-websocket-accept: " + a + "\r\n\r\n"
		}},
		{name: "subprotocol chosen", opts: wsDialOptions{subprotocols: []string{"v1", "v2"}}, resp: func(a string) string { return ok101(a, "Sec-WebSocket-Protocol: v2\r\n") }},
		{name: "subprotocol not offered", resp: func(a string) string { return ok101(a, "Sec-WebSocket-Protocol: v2\r\n") }, wantErr: "did not offer", is: ErrWebSocketProtocol},
		{name: "subprotocol other", opts: wsDialOptions{subprotocols: []string{"v1"}}, resp: func(a string) string { return ok101(a, "Sec-WebSocket-Protocol: v2\r\n") }, wantErr: "did not offer", is: ErrWebSocketProtocol},
		{name: "extension", resp: func(a string) string { return ok101(a, "Sec-WebSocket-Extensions: permessage-deflate\r\n") }, wantErr: "extension", is: ErrWebSocketProtocol},
		{name: "wrong accept", resp: func(a string) string { return ok101(otherFirst(a), "") }, wantErr: "Accept", is: ErrWebSocketProtocol},
		{name: "no upgrade", resp: func(a string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + a + "\r\n\r\n"
		}, wantErr: "Upgrade", is: ErrWebSocketProtocol},
		{name: "no connection", resp: func(a string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + a + "\r\n\r\n"
		}, wantErr: "Connection", is: ErrWebSocketProtocol},
		{name: "status 200", resp: func(string) string { return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" }, wantErr: "HTTP 200"},
		{name: "status 429", resp: func(string) string {
			return "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"
		}, wantErr: "HTTP 429"},
		{name: "huge head", resp: func(a string) string {
			return ok101(a, strings.Repeat("X-Pad: "+strings.Repeat("p", 1000)+"\r\n", 100))
		}, wantErr: "64 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			reqs := make(chan *http.Request, 1)
			u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
				req, err := http.ReadRequest(br)
				if err != nil {
					t.Error(err)
					return
				}
				reqs <- req
				conn.Write([]byte(tc.resp(wsAccept(req.Header.Get("Sec-WebSocket-Key")))))
				// A successful handshake is followed by an early frame
				// in the same segment's wake.
				conn.Write(serverFrame(true, wsOpText, []byte("early")))
				echoClose(br, conn)
			})
			opts := tc.opts
			opts.header = http.Header{"Origin": {"https://example.test"}, "X-Custom": {"a", "b"}}
			ctx := ctxT(t)
			c, err := dialWebSocket(ctx, u+"/path/x?q=1&k=v", opts)
			req := <-reqs
			if tc.wantErr != "" {
				if err == nil {
					c.Close(1000, "")
					t.Fatal("no error")
				}
				if !strings.Contains(err.Error(), tc.wantErr) || (tc.is != nil && !errors.Is(err, tc.is)) {
					t.Fatalf("error %q, want %q (%v)", err, tc.wantErr, tc.is)
				}
				var he *WebSocketHandshakeError
				if tc.name == "status 429" && (!errors.As(err, &he) || he.StatusCode != 429 || he.Header.Get("Retry-After") != "7") {
					t.Errorf("want a WebSocketHandshakeError carrying Retry-After, got %#v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(1000, "")
			if req.Method != "GET" || req.RequestURI != "/path/x?q=1&k=v" || req.Proto != "HTTP/1.1" {
				t.Errorf("request line %s %s %s", req.Method, req.RequestURI, req.Proto)
			}
			key, err := base64.StdEncoding.DecodeString(req.Header.Get("Sec-WebSocket-Key"))
			if err != nil || len(key) != 16 {
				t.Errorf("key %q", req.Header.Get("Sec-WebSocket-Key"))
			}
			for name, want := range map[string]string{"Upgrade": "websocket", "Connection": "Upgrade", "Sec-Websocket-Version": "13", "Origin": "https://example.test", "Sec-Websocket-Extensions": ""} {
				if got := req.Header.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if got := req.Header.Values("X-Custom"); len(got) != 2 {
				t.Errorf("X-Custom %q", got)
			}
			if req.Host != strings.TrimPrefix(u, "ws://") {
				t.Errorf("Host %q", req.Host)
			}
			if len(opts.subprotocols) > 0 {
				if got := req.Header.Get("Sec-WebSocket-Protocol"); got != "v1, v2" {
					t.Errorf("Sec-WebSocket-Protocol %q", got)
				}
				if c.Subprotocol() != "v2" {
					t.Errorf("Subprotocol %q", c.Subprotocol())
				}
			}
			if _, data, err := c.ReadMessage(ctx); err != nil || string(data) != "early" {
				t.Errorf("early frame: %q %v", data, err)
			}
		})
	}
}

// echoClose reads client frames until a close frame, and answers it.
func echoClose(br *bufio.Reader, conn net.Conn) {
	for {
		f, err := readClientFrame(br)
		if err != nil {
			return
		}
		if f.op == wsOpClose {
			conn.Write(serverFrame(true, wsOpClose, f.payload))
			return
		}
	}
}

func ok101(accept, extra string) string {
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n" + extra + "\r\n"
}

func TestWebSocketDialErrors(t *testing.T) {
	noLeaks(t)
	ctx := ctxT(t)
	for _, tc := range []struct {
		url  string
		opts wsDialOptions
		want string
	}{
		{"http://example.test/", wsDialOptions{}, "scheme"},
		{"ws://user:secretpw@example.test/", wsDialOptions{}, "user information"},
		{"ws://example.test/#frag", wsDialOptions{}, "fragment"},
		{"ws:///nohost", wsDialOptions{}, "no host"},
		{"ws://example.test/a?b c", wsDialOptions{}, "space"},
		{"ws://example.test/", wsDialOptions{header: http.Header{"X-Evil": {"a\r\nInjected: 1"}}}, "line break"},
		{"ws://example.test/", wsDialOptions{header: http.Header{"Bad Name": {"x"}}}, "token"},
		{"ws://example.test/", wsDialOptions{header: http.Header{"Sec-WebSocket-Extensions": {"permessage-deflate"}}}, "set by the handshake"},
		{"ws://example.test/", wsDialOptions{header: http.Header{"upgrade": {"h2c"}}}, "set by the handshake"},
		{"ws://example.test/", wsDialOptions{subprotocols: []string{"a b"}}, "token"},
	} {
		tc.opts.dialer = func(context.Context, string, string) (net.Conn, error) {
			t.Errorf("%s: dialed", tc.url)
			return nil, errors.New("no dialing in this test")
		}
		_, err := dialWebSocket(ctx, tc.url, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.url, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secretpw") {
			t.Errorf("error leaks the URL's password: %v", err)
		}
	}
	// A dial cancelled while the server never answers the handshake.
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) { io.Copy(io.Discard, br) })
	cctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := dialWebSocket(cctx, u, wsDialOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled dial: %v", err)
	}
	if _, err := dialWebSocket(ctx, u, wsDialOptions{handshakeTimeout: 50 * time.Millisecond}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("handshake timeout: %v", err)
	}
}

// TestWebSocketClientFrames checks what the client puts on the wire: every
// frame masked, with a fresh key, and fragments as configured.
func TestWebSocketClientFrames(t *testing.T) {
	noLeaks(t)
	frames := make(chan rawFrame, 64)
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
		if !rawHandshake(t, conn, br, "") {
			return
		}
		defer close(frames)
		for {
			f, err := readClientFrame(br)
			if err != nil {
				return
			}
			frames <- f
			if f.op == wsOpClose {
				conn.Write(serverFrame(true, wsOpClose, f.payload))
				return
			}
		}
	})
	c := dialT(t, u, wsDialOptions{fragmentSize: 4})
	ctx := ctxT(t)
	c.WriteMessage(ctx, true, []byte("0123456789"))
	c.WriteMessage(ctx, false, nil)
	c.Ping(ctx, []byte("pp"))
	c.Close(3001, "why")
	var got []rawFrame
	for f := range frames {
		got = append(got, f)
	}
	want := []struct {
		op      byte
		fin     bool
		payload string
	}{
		{wsOpText, false, "0123"}, {wsOpContinuation, false, "4567"}, {wsOpContinuation, true, "89"},
		{wsOpBinary, true, ""}, {wsOpPing, true, "pp"}, {wsOpClose, true, "\x0b\xb9why"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d frames, want %d", len(got), len(want))
	}
	keys := map[[4]byte]bool{}
	for i, w := range want {
		f := got[i]
		if f.op != w.op || f.fin != w.fin || string(f.payload) != w.payload || !f.masked {
			t.Errorf("frame %d: %+v, want %+v masked", i, f, w)
		}
		keys[f.key] = true
	}
	if len(keys) < len(want)-1 {
		t.Errorf("%d distinct masking keys over %d frames", len(keys), len(want))
	}
}

// rawServer runs handle for each connection to a loopback listener and
// returns its ws:// URL. Connections and handlers end at cleanup.
func rawServer(t *testing.T, handle func(t *testing.T, conn net.Conn, br *bufio.Reader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				handle(t, conn, bufio.NewReader(conn))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "ws://" + ln.Addr().String()
}

// rawHandshake answers a client's opening handshake with 101.
func rawHandshake(t *testing.T, conn net.Conn, br *bufio.Reader, extra string) bool {
	req, err := http.ReadRequest(br)
	if err != nil {
		t.Errorf("raw server: %v", err)
		return false
	}
	_, err = conn.Write([]byte(ok101(wsAccept(req.Header.Get("Sec-WebSocket-Key")), extra)))
	return err == nil
}

// serverFrame is an unmasked frame as a server sends it.
func serverFrame(fin bool, op byte, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	n := len(payload)
	var b []byte
	switch {
	case n < 126:
		b = []byte{b0, byte(n)}
	case n <= 0xffff:
		b = []byte{b0, 126, byte(n >> 8), byte(n)}
	default:
		b = binary.BigEndian.AppendUint64([]byte{b0, 127}, uint64(n))
	}
	return append(b, payload...)
}

type rawFrame struct {
	op      byte
	fin     bool
	masked  bool
	key     [4]byte
	payload []byte
}

// readClientFrame reads and unmasks one client frame.
func readClientFrame(br *bufio.Reader) (rawFrame, error) { return readRawFrame(br) }

// readRawFrame reads one frame, unmasking it if it is masked.
func readRawFrame(br *bufio.Reader) (rawFrame, error) {
	var f rawFrame
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return f, err
	}
	f.fin, f.op, f.masked = h[0]&0x80 != 0, h[0]&0x0f, h[1]&0x80 != 0
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var e [2]byte
		if _, err := io.ReadFull(br, e[:]); err != nil {
			return f, err
		}
		n = uint64(binary.BigEndian.Uint16(e[:]))
	case 127:
		var e [8]byte
		if _, err := io.ReadFull(br, e[:]); err != nil {
			return f, err
		}
		n = binary.BigEndian.Uint64(e[:])
	}
	if f.masked {
		if _, err := io.ReadFull(br, f.key[:]); err != nil {
			return f, err
		}
	}
	if n > 1<<24 {
		return f, errors.New("client frame too large for the test server")
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(br, f.payload); err != nil {
		return f, err
	}
	wsMask(f.key, f.payload)
	return f, nil
}

func TestWebSocketCheckUTF8(t *testing.T) {
	s := []byte("aé✓😀")
	for cut := 0; cut <= len(s); cut++ {
		n, ok := wsCheckUTF8(s[:cut], false)
		if !ok || !utf8.Valid(s[:n]) || cut-n > 3 {
			t.Errorf("prefix %q: n=%d ok=%v", s[:cut], n, ok)
		}
		if _, ok := wsCheckUTF8(s[:cut], true); ok != utf8.Valid(s[:cut]) {
			t.Errorf("final %q: ok=%v", s[:cut], ok)
		}
	}
	for _, bad := range []string{"\xff", "\xc0\xaf", "\xed\xa0", "\xf4\x90", "a\x80"} {
		if _, ok := wsCheckUTF8([]byte(bad), false); ok {
			t.Errorf("%q accepted as a prefix", bad)
		}
	}
}

// pipeConn is a net.Conn that reads a fixed server stream and discards
// writes: the fuzz target's transport.
type pipeConn struct {
	r io.Reader
}

func (p *pipeConn) Read(b []byte) (int, error)       { return p.r.Read(b) }
func (p *pipeConn) Write(b []byte) (int, error)      { return len(b), nil }
func (p *pipeConn) Close() error                     { return nil }
func (p *pipeConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (p *pipeConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (p *pipeConn) SetDeadline(time.Time) error      { return nil }
func (p *pipeConn) SetReadDeadline(time.Time) error  { return nil }
func (p *pipeConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzWebSocketRead feeds arbitrary bytes to the frame reader as the
// server's stream: no panic, no message over the limit, text always valid
// UTF-8, and the reader always ends.
func FuzzWebSocketRead(f *testing.F) {
	f.Add(serverFrame(true, wsOpText, []byte("hi")))
	f.Add(append(serverFrame(false, wsOpText, []byte("h\xc3")), serverFrame(true, wsOpContinuation, []byte("\xa9"))...))
	f.Add(append(serverFrame(true, wsOpPing, []byte("p")), serverFrame(true, wsOpClose, []byte{3, 232, 'x'})...))
	f.Add([]byte{0x82, 126, 1, 0})
	f.Add([]byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0})
	f.Add([]byte{0x81, 0x82, 1, 2, 3, 4, 5, 6})
	f.Fuzz(func(t *testing.T, stream []byte) {
		const limit = 1 << 12
		c := &wsConn{
			conn:         &pipeConn{r: bytes.NewReader(stream)},
			maxMessage:   limit,
			closeTimeout: time.Second,
			readLock:     make(chan struct{}, 1),
			msgLock:      make(chan struct{}, 1),
			frameLock:    make(chan struct{}, 1),
			closeRecv:    make(chan struct{}),
			done:         make(chan struct{}),
		}
		c.br = bufio.NewReader(c.conn)
		ctx := context.Background()
		for i := 0; ; i++ {
			if i > len(stream) {
				t.Fatal("reader did not end")
			}
			text, data, err := c.ReadMessage(ctx)
			if err != nil {
				return
			}
			if len(data) > limit {
				t.Fatalf("message of %d bytes over the %d limit", len(data), limit)
			}
			if text && !utf8.Valid(data) {
				t.Fatalf("invalid UTF-8 text %q", data)
			}
		}
	})
}

// TestWebSocketWriteDeadline: a write to a peer that does not read ends at
// the context's deadline, and drops the connection (the frame is cut).
func TestWebSocketWriteDeadline(t *testing.T) {
	noLeaks(t)
	release := make(chan struct{})
	u := rawServer(t, func(t *testing.T, conn net.Conn, br *bufio.Reader) {
		if !rawHandshake(t, conn, br, "") {
			return
		}
		<-release
	})
	defer close(release)
	c := dialT(t, u, wsDialOptions{closeTimeout: 100 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := c.WriteMessage(ctx, false, make([]byte, 32<<20))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("write: %v, want context.DeadlineExceeded", err)
	}
	// Hang guards, generous for loaded CI machines: the deadline is 200ms.
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("write returned after %v", d)
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Error("connection not dropped after a cut frame")
	}
	if err := c.WriteMessage(ctxT(t), true, []byte("x")); !errors.Is(err, ErrWebSocketClosed) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("later write: %v, want ErrWebSocketClosed wrapping the cause", err)
	}
}

// TestWebSocketCloseDuringWrites: Close while writers, pings and a reader
// are busy ends every one of them with ErrWebSocketClosed (or success),
// without deadlock or race.
func TestWebSocketCloseDuringWrites(t *testing.T) {
	noLeaks(t)
	u, _ := gorillaServer(t, false, echoHandler)
	c := dialT(t, u, wsDialOptions{fragmentSize: 100})
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if _, _, err := c.ReadMessage(ctx); err != nil {
				errs <- err
				return
			}
		}
	}()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := bytes.Repeat([]byte{byte(w)}, 1000)
			for {
				err := c.WriteMessage(ctx, false, msg)
				if err == nil && w == 0 {
					err = c.Ping(ctx, nil)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(1000, ""); err != nil {
		t.Errorf("close: %v", err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrWebSocketClosed) {
			t.Errorf("after Close: %v, want ErrWebSocketClosed", err)
		}
	}
}

// TestWebSocketFrameEncoding: every length encoding boundary round-trips
// through the client's frame writer and an independent parser, masked.
func TestWebSocketFrameEncoding(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 0xffff, 0x10000, 70000} {
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte(i*31 + 7)
		}
		frame, err := wsAppendFrame([]byte("prefix"), wsOpBinary, n%2 == 0, payload)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(frame, []byte("prefix")) {
			t.Fatal("dst not appended to")
		}
		hdr := 2 + 4
		switch {
		case n >= 0x10000:
			hdr += 8
		case n >= 126:
			hdr += 2
		}
		if len(frame)-6 != hdr+n {
			t.Errorf("%d bytes: frame of %d, want header %d", n, len(frame)-6, hdr)
		}
		f, err := readRawFrame(bufio.NewReader(bytes.NewReader(frame[6:])))
		if err != nil || !f.masked || f.op != wsOpBinary || f.fin != (n%2 == 0) || !bytes.Equal(f.payload, payload) {
			t.Errorf("%d bytes: %v masked=%v op=%d fin=%v equal=%v", n, err, f.masked, f.op, f.fin, bytes.Equal(f.payload, payload))
		}
		if n >= 16 && bytes.Equal(frame[len(frame)-n:], payload) {
			t.Errorf("%d bytes: payload sent unmasked", n)
		}
	}
}

// FuzzWebSocketHandshake feeds arbitrary bytes as the server's answer to
// the opening handshake: no panic, and no connection without the
// Sec-WebSocket-Accept the random key calls for.
func FuzzWebSocketHandshake(f *testing.F) {
	f.Add([]byte(ok101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "")))
	f.Add([]byte("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: a, b\r\n\r\n\x81\x00"))
	f.Add([]byte("HTTP/1.1 101\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
	f.Fuzz(func(t *testing.T, resp []byte) {
		dial := func(context.Context, string, string) (net.Conn, error) {
			return &pipeConn{r: bytes.NewReader(resp)}, nil
		}
		c, err := dialWebSocket(context.Background(), "ws://127.0.0.1:1/x", wsDialOptions{dialer: dial, subprotocols: []string{"a"}})
		if err == nil {
			c.Close(1000, "")
			t.Fatalf("handshake accepted %q", resp)
		}
	})
}
