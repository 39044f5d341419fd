package templates

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// This file is the WebSocket client transport (RFC 6455) the APEX session
// runs on. It is copied only where the APEX runtime is (see the package doc).
//
// Choices a reader may look for:
//   - No extensions are offered (no permessage-deflate) and a server that
//     answers with one fails the handshake; frames with reserved bits set
//     are therefore protocol errors.
//   - No proxy support: HTTP_PROXY and friends are not consulted; a caller
//     that needs a proxy passes a dialer that tunnels (CONNECT) itself.
//   - wss offers ALPN "http/1.1" only: the upgrade is an HTTP/1.1 exchange.
//   - The library starts no goroutine of its own: context cancellation is
//     wired to connection deadlines with context.AfterFunc, whose callback
//     is unregistered before each call returns.
//   - A read interrupted by its context at a frame boundary leaves the
//     connection usable (a partly received fragmented message is kept and
//     continued by the next ReadMessage); interrupted inside a frame, the
//     connection is dropped, because the stream position is lost. Any write
//     error drops the connection (a TLS connection is unusable after one).

// Opcodes (RFC 6455 section 5.2).
const (
	wsOpContinuation = 0x0
	wsOpText         = 0x1
	wsOpBinary       = 0x2
	wsOpClose        = 0x8
	wsOpPing         = 0x9
	wsOpPong         = 0xA
)

// Close codes this client sends itself (RFC 6455 section 7.4.1).
const (
	wsCloseNormal        = 1000
	wsCloseProtocol      = 1002
	wsCloseNoStatus      = 1005
	wsCloseAbnormal      = 1006
	wsCloseInvalidData   = 1007
	wsCloseMessageTooBig = 1009
)

const (
	wsDefaultMaxMessage       = 16 << 20
	wsDefaultHandshakeTimeout = 30 * time.Second
	wsDefaultCloseTimeout     = 5 * time.Second
	// wsMaxHandshakeBytes bounds the server's 101 response (status line and
	// headers), so that a hostile server cannot make the client buffer
	// without end before a single frame is read.
	wsMaxHandshakeBytes = 64 << 10
	// wsAcceptGUID is the fixed GUID of RFC 6455 section 1.3.
	wsAcceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
)

// ErrWebSocketClosed is returned (possibly wrapped) by every operation on a
// WebSocket connection after this side closed it, and by ReadMessage when
// the close handshake that Close started completes.
var ErrWebSocketClosed = errors.New("websocket: connection closed")

// ErrWebSocketProtocol matches (errors.Is) failures caused by a peer that
// broke RFC 6455: a bad handshake, a malformed or masked frame, invalid
// UTF-8 in a text message. The client closes such a connection with code
// 1002 or 1007.
var ErrWebSocketProtocol = errors.New("websocket: protocol error")

// ErrWebSocketMessageTooBig matches (errors.Is) the error returned when the
// peer sends a message larger than the configured limit; the client closes
// the connection with code 1009.
var ErrWebSocketMessageTooBig = errors.New("websocket: message too big")

// WebSocketCloseError reports that the peer ended a WebSocket connection.
//
// Code is the status code of the peer's close frame, 1005 when that frame
// carried none, or 1006 when the connection ended without any close frame
// (then Err holds the transport error). Reason is the peer's text, which
// callers should quote before printing it. errors.Is(err, io.EOF) holds for
// a clean close: codes 1000 (normal closure) and 1005.
type WebSocketCloseError struct {
	// Code is the peer's status code, 1005 (none given) or 1006 (no close
	// frame at all).
	Code int
	// Reason is the peer's UTF-8 text, possibly empty.
	Reason string
	// Err is the transport error behind a 1006, nil otherwise.
	Err error
}

// Error describes the close, quoting the peer's reason.
func (e *WebSocketCloseError) Error() string {
	if e.Code == wsCloseAbnormal {
		s := "websocket: connection lost without a close frame (1006)"
		if e.Err != nil {
			s += ": " + e.Err.Error()
		}
		return s
	}
	s := "websocket: closed by peer with code " + strconv.Itoa(e.Code)
	if e.Reason != "" {
		s += " " + strconv.Quote(e.Reason)
	}
	return s
}

// Unwrap returns the transport error of an abnormal close.
func (e *WebSocketCloseError) Unwrap() error { return e.Err }

// Is reports a clean close as io.EOF.
func (e *WebSocketCloseError) Is(target error) bool {
	return target == io.EOF && (e.Code == wsCloseNormal || e.Code == wsCloseNoStatus)
}

// WebSocketHandshakeError reports a server that did not upgrade the
// connection: it answered the opening handshake with StatusCode instead of
// 101 Switching Protocols. Header holds the response headers (Retry-After,
// WWW-Authenticate, ...); the body is not read.
type WebSocketHandshakeError struct {
	// StatusCode is the HTTP status of the server's answer.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
}

// Error names the status code.
func (e *WebSocketHandshakeError) Error() string {
	s := "websocket: handshake: server answered HTTP " + strconv.Itoa(e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		s += " " + t
	}
	return s + " instead of 101 Switching Protocols"
}

// wsFailError is a protocol failure detected by this side; code is the close
// code sent to the peer.
type wsFailError struct {
	code int
	msg  string
}

// Error names the failure and the close code sent.
func (e *wsFailError) Error() string {
	return "websocket: " + e.msg + " (closed with " + strconv.Itoa(e.code) + ")"
}

// Is matches ErrWebSocketMessageTooBig for 1009, ErrWebSocketProtocol
// otherwise.
func (e *wsFailError) Is(target error) bool {
	if e.code == wsCloseMessageTooBig {
		return target == ErrWebSocketMessageTooBig
	}
	return target == ErrWebSocketProtocol
}

// wsDialOptions configures dialWebSocket. The zero value is usable.
type wsDialOptions struct {
	// header holds extra handshake request headers (Origin, Authorization,
	// a User-Agent). The headers the handshake itself sets are refused.
	header http.Header
	// subprotocols are offered in Sec-WebSocket-Protocol; the server's
	// choice is reported by wsConn.Subprotocol.
	subprotocols []string
	// tlsConfig is used for wss (cloned; nil: defaults). Its ServerName
	// defaults to the URL host; NextProtos is forced to http/1.1.
	tlsConfig *tls.Config
	// dialer opens the TCP connection (nil: a net.Dialer).
	dialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// maxMessage bounds a reassembled incoming message, and so any single
	// frame (default 16 MiB). A larger one closes the connection with 1009.
	maxMessage int64
	// handshakeTimeout bounds dialing, TLS and the upgrade together
	// (default 30s), on top of the context's own deadline.
	handshakeTimeout time.Duration
	// closeTimeout bounds the close handshake of Close, and the close frame
	// sent when failing a connection (default 5s).
	closeTimeout time.Duration
	// fragmentSize, when positive, splits outgoing data messages into frames
	// of at most that many payload bytes.
	fragmentSize int
	// onPong, when set, is called by the reading goroutine (inside
	// ReadMessage) with the payload of every pong received.
	onPong func(payload []byte)
}

// wsConn is one client WebSocket connection. One goroutine may read
// (ReadMessage) while any number write (WriteMessage, Ping, Close); a pong
// answering the peer's ping is written from inside ReadMessage, so a
// connection that is not read from does not answer pings.
type wsConn struct {
	conn         net.Conn
	br           *bufio.Reader
	maxMessage   int64
	fragmentSize int
	closeTimeout time.Duration
	onPong       func([]byte)
	subprotocol  string

	// readLock admits one reader; Close takes it to read the peer's close
	// frame itself when nobody else is reading.
	readLock chan struct{}
	// msgLock keeps the frames of one outgoing message together; frameLock
	// keeps the bytes of one frame together (control frames interleave
	// between the fragments of a data message).
	msgLock   chan struct{}
	frameLock chan struct{}

	// The message being reassembled, guarded by readLock: its opcode (0
	// when none), its bytes so far and how many of them are checked UTF-8.
	msgOp    byte
	msg      []byte
	msgUTF8  int
	ctlBuf   [125]byte
	lastPong atomic.Int64

	mu         sync.Mutex
	closeSent  bool  // a close frame was written (or is being written)
	localClose bool  // Close was called
	readErr    error // sticky: returned by every later ReadMessage
	cause      error // why the TCP connection was closed

	closeRecvOnce sync.Once
	closeRecv     chan struct{} // closed when the peer's close frame is read
	closeOnce     sync.Once
	done          chan struct{} // closed with the TCP connection
}

// dialWebSocket opens a WebSocket connection to a ws:// or wss:// URL. The
// URL must not carry user information or a fragment. Errors never include
// the URL, whose query may carry credentials.
func dialWebSocket(ctx context.Context, rawURL string, o wsDialOptions) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, errors.New("websocket: invalid URL: " + err.Error())
	}
	var secure bool
	switch u.Scheme {
	case "ws":
	case "wss":
		secure = true
	default:
		return nil, errors.New("websocket: URL scheme must be ws or wss, not " + strconv.Quote(u.Scheme))
	}
	if u.User != nil {
		return nil, errors.New("websocket: URL must not carry user information; send credentials in a header")
	}
	if u.Fragment != "" || strings.Contains(rawURL, "#") {
		return nil, errors.New("websocket: URL must not have a fragment")
	}
	host := u.Hostname()
	if host == "" || u.Opaque != "" {
		return nil, errors.New("websocket: URL has no host")
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if secure {
			port = "443"
		}
	}
	target := u.RequestURI()
	for i := 0; i < len(target); i++ {
		if target[i] <= ' ' || target[i] == 0x7f {
			return nil, errors.New("websocket: URL path or query holds a space or control character")
		}
	}
	key, err := wsNewKey()
	if err != nil {
		return nil, err
	}
	req, err := wsHandshakeRequest(target, u.Host, key, o)
	if err != nil {
		return nil, err
	}

	timeout := o.handshakeTimeout
	if timeout <= 0 {
		timeout = wsDefaultHandshakeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	dial := o.dialer
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	conn, err := dial(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, wsCtxErr(ctx, "websocket: dial: ", err)
	}
	ok := false
	defer func() {
		if !ok {
			conn.Close()
		}
	}()
	if secure {
		cfg := &tls.Config{}
		if o.tlsConfig != nil {
			cfg = o.tlsConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		cfg.NextProtos = []string{"http/1.1"}
		tc := tls.Client(conn, cfg)
		conn = tc
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, wsCtxErr(ctx, "websocket: TLS handshake: ", err)
		}
		if p := tc.ConnectionState().NegotiatedProtocol; p != "" && p != "http/1.1" {
			return nil, errors.New("websocket: TLS: server chose protocol " + strconv.Quote(p) + ", not http/1.1")
		}
	}

	stop := wsInterrupt(ctx, conn.SetDeadline)
	lim := &wsLimitReader{r: conn, n: wsMaxHandshakeBytes}
	br := bufio.NewReaderSize(lim, 4096)
	resp, err := wsExchange(conn, br, req)
	stop()
	if err != nil {
		return nil, wsCtxErr(ctx, "websocket: handshake: ", err)
	}
	sub, err := wsCheckResponse(resp, key, o.subprotocols)
	if err != nil {
		return nil, err
	}
	lim.n = -1

	c := &wsConn{
		conn:         conn,
		br:           br,
		maxMessage:   o.maxMessage,
		fragmentSize: o.fragmentSize,
		closeTimeout: o.closeTimeout,
		onPong:       o.onPong,
		subprotocol:  sub,
		readLock:     make(chan struct{}, 1),
		msgLock:      make(chan struct{}, 1),
		frameLock:    make(chan struct{}, 1),
		closeRecv:    make(chan struct{}),
		done:         make(chan struct{}),
	}
	if c.maxMessage <= 0 {
		c.maxMessage = wsDefaultMaxMessage
	}
	if c.closeTimeout <= 0 {
		c.closeTimeout = wsDefaultCloseTimeout
	}
	ok = true
	return c, nil
}

// wsNewKey returns a fresh Sec-WebSocket-Key: 16 random bytes, base64.
func wsNewKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errors.New("websocket: no randomness for the handshake key: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(b[:]), nil
}

// wsAccept is the Sec-WebSocket-Accept a server must answer key with.
func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + wsAcceptGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// wsReservedHeaders are the handshake headers the transport sets itself.
var wsReservedHeaders = []string{"Connection", "Host", "Sec-Websocket-Extensions", "Sec-Websocket-Key", "Sec-Websocket-Protocol", "Sec-Websocket-Version", "Upgrade"}

// wsHandshakeRequest renders the opening handshake (RFC 6455 section 4.1).
// Caller headers are written in sorted order; names must be tokens and
// values must not hold line breaks, so no header can be smuggled in.
func wsHandshakeRequest(target, host, key string, o wsDialOptions) ([]byte, error) {
	var b strings.Builder
	b.WriteString("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n")
	if len(o.subprotocols) > 0 {
		for _, p := range o.subprotocols {
			if !wsIsToken(p) {
				return nil, errors.New("websocket: subprotocol " + strconv.Quote(p) + " is not an HTTP token")
			}
		}
		b.WriteString("Sec-WebSocket-Protocol: " + strings.Join(o.subprotocols, ", ") + "\r\n")
	}
	names := make([]string, 0, len(o.header))
	for name := range o.header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !wsIsToken(name) {
			return nil, errors.New("websocket: header name " + strconv.Quote(name) + " is not an HTTP token")
		}
		canon := http.CanonicalHeaderKey(name)
		for _, r := range wsReservedHeaders {
			if canon == r {
				return nil, errors.New("websocket: header " + canon + " is set by the handshake itself")
			}
		}
		for _, v := range o.header[name] {
			if strings.ContainsAny(v, "\r\n\x00") {
				return nil, errors.New("websocket: value of header " + canon + " holds a line break or NUL")
			}
			b.WriteString(canon + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String()), nil
}

// wsExchange writes the handshake and reads the server's response head.
func wsExchange(conn net.Conn, br *bufio.Reader, req []byte) (*http.Response, error) {
	if _, err := conn.Write(req); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodGet})
	if err != nil {
		if errors.Is(err, errWSHandshakeTooLarge) {
			return nil, errWSHandshakeTooLarge
		}
		return nil, err
	}
	return resp, nil
}

// wsCheckResponse validates the server's handshake (RFC 6455 section 4.1,
// the client's checks 1 to 6) and returns the chosen subprotocol.
func wsCheckResponse(resp *http.Response, key string, offered []string) (string, error) {
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return "", &WebSocketHandshakeError{StatusCode: resp.StatusCode, Header: resp.Header}
	}
	fail := func(msg string) (string, error) {
		return "", &wsHandshakeFail{msg: msg}
	}
	if !wsHeaderHasToken(resp.Header, "Upgrade", "websocket") {
		return fail("response lacks Upgrade: websocket")
	}
	if !wsHeaderHasToken(resp.Header, "Connection", "upgrade") {
		return fail("response lacks Connection: Upgrade")
	}
	if acc := resp.Header.Values("Sec-Websocket-Accept"); len(acc) != 1 || strings.TrimSpace(acc[0]) != wsAccept(key) {
		return fail("Sec-WebSocket-Accept does not match the key sent")
	}
	if len(resp.Header.Values("Sec-Websocket-Extensions")) > 0 {
		return fail("server enabled an extension the client did not offer")
	}
	protos := resp.Header.Values("Sec-Websocket-Protocol")
	if len(protos) == 0 {
		return "", nil
	}
	if len(protos) > 1 {
		return fail("server chose more than one subprotocol")
	}
	p := strings.TrimSpace(protos[0])
	for _, o := range offered {
		if p == o {
			return p, nil
		}
	}
	return fail("server chose subprotocol " + strconv.Quote(p) + ", which the client did not offer")
}

// wsHandshakeFail is a 101 response that breaks the handshake rules.
type wsHandshakeFail struct{ msg string }

// Error names the broken rule.
func (e *wsHandshakeFail) Error() string { return "websocket: handshake: " + e.msg }

// Is matches ErrWebSocketProtocol.
func (e *wsHandshakeFail) Is(target error) bool { return target == ErrWebSocketProtocol }

// wsHeaderHasToken reports whether one of the comma-separated values of
// header name is token, case-insensitively.
func wsHeaderHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// wsIsToken reports whether s is an HTTP token (RFC 9110 section 5.6.2).
func wsIsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

var errWSHandshakeTooLarge = errors.New("server response head exceeds 64 KiB")

// wsLimitReader caps the bytes read through it while n >= 0.
type wsLimitReader struct {
	r io.Reader
	n int64
}

// Read reads from the underlying reader within the remaining allowance.
func (l *wsLimitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return l.r.Read(p)
	}
	if l.n == 0 {
		return 0, errWSHandshakeTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// wsInterrupt makes a cancellation of ctx expire the connection's deadline
// (set through setDeadline), after setting it to ctx's own deadline. The
// returned stop undoes the hook: once it returns, the callback will not
// touch the deadline any more, and the deadline is cleared.
func wsInterrupt(ctx context.Context, setDeadline func(time.Time) error) (stop func()) {
	d, _ := ctx.Deadline()
	_ = setDeadline(d)
	var mu sync.Mutex
	active := true
	unhook := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if active {
			_ = setDeadline(time.Unix(1, 0))
		}
	})
	return func() {
		if !unhook() {
			mu.Lock()
			active = false
			mu.Unlock()
		}
		_ = setDeadline(time.Time{})
	}
}

// wsCtxErr reports an I/O error caused by the context (only the context
// sets deadlines) as the context's error.
func wsCtxErr(ctx context.Context, prefix string, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if cerr := ctx.Err(); cerr != nil {
			err = cerr
		} else {
			err = context.DeadlineExceeded
		}
	}
	return fmt.Errorf("%s%w", prefix, err)
}

// Subprotocol returns the subprotocol the server chose, or "".
func (c *wsConn) Subprotocol() string { return c.subprotocol }

// LastPong returns when the last pong was received (zero: none yet).
func (c *wsConn) LastPong() time.Time {
	n := c.lastPong.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// Done is closed when the underlying connection has been closed.
func (c *wsConn) Done() <-chan struct{} { return c.done }

// ReadMessage returns the next data message, reassembled from its
// fragments, answering pings and handling the close handshake on the way.
// text reports an opcode-1 (UTF-8, validated) message. A peer close ends in
// a *WebSocketCloseError; a close started by Close ends in an error
// matching ErrWebSocketClosed. Cancelling ctx between frames returns
// ctx.Err() and leaves the connection usable.
func (c *wsConn) ReadMessage(ctx context.Context) (text bool, data []byte, err error) {
	select {
	case c.readLock <- struct{}{}:
	case <-ctx.Done():
		return false, nil, ctx.Err()
	}
	defer func() { <-c.readLock }()
	return c.readMessage(ctx)
}

// readMessage is ReadMessage with readLock held.
func (c *wsConn) readMessage(ctx context.Context) (bool, []byte, error) {
	c.mu.Lock()
	err := c.readErr
	c.mu.Unlock()
	if err != nil {
		return false, nil, err
	}
	if err := ctx.Err(); err != nil {
		return false, nil, err
	}
	select {
	case <-c.done:
		// Frames still buffered are not delivered after the close.
		return false, nil, c.readFailed(ctx, net.ErrClosed)
	default:
	}
	stop := wsInterrupt(ctx, c.conn.SetReadDeadline)
	defer stop()
	for {
		// At a frame boundary nothing is lost by giving up: the context
		// may end the call here and the connection stays usable.
		if _, err := c.br.Peek(1); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if cerr := ctx.Err(); cerr != nil {
					return false, nil, cerr
				}
				if _, ok := ctx.Deadline(); ok {
					return false, nil, context.DeadlineExceeded
				}
			}
			return false, nil, c.readFailed(ctx, err)
		}
		text, data, done, err := c.readFrame(ctx)
		if err != nil || done {
			return text, data, err
		}
	}
}

// readFailed turns a transport error while reading into the connection's
// final read error.
func (c *wsConn) readFailed(ctx context.Context, err error) error {
	c.mu.Lock()
	cause, local := c.cause, c.localClose
	c.mu.Unlock()
	var final error
	switch {
	case cause != nil:
		final = cause
	case local:
		final = ErrWebSocketClosed
	case errors.Is(err, os.ErrDeadlineExceeded):
		// Only the context sets read deadlines.
		why := context.DeadlineExceeded
		if cerr := ctx.Err(); cerr != nil {
			why = cerr
		}
		final = fmt.Errorf("websocket: read interrupted inside a frame, connection dropped: %w", why)
	default:
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		final = &WebSocketCloseError{Code: wsCloseAbnormal, Err: err}
	}
	c.mu.Lock()
	if c.readErr == nil {
		c.readErr = final
	}
	final = c.readErr
	c.mu.Unlock()
	c.closeConn(final)
	return final
}

// fail closes the connection because the peer broke the protocol: a close
// frame with code is sent (best effort, bounded by closeTimeout), then the
// TCP connection is closed.
func (c *wsConn) fail(code int, msg string) error {
	err := &wsFailError{code: code, msg: msg}
	c.mu.Lock()
	if c.readErr == nil {
		c.readErr = err
	}
	sent := c.closeSent
	c.closeSent = true
	c.mu.Unlock()
	if !sent {
		ctx, cancel := context.WithTimeout(context.Background(), c.closeTimeout)
		_ = c.writeFrame(ctx, wsOpClose, true, wsClosePayload(code, msg))
		cancel()
	}
	c.closeConn(err)
	return err
}

// readFrame reads one frame. done reports that a data message is complete
// (text, data) or that the connection ended (err).
func (c *wsConn) readFrame(ctx context.Context) (text bool, data []byte, done bool, err error) {
	var hdr [2]byte
	if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
		return false, nil, true, c.readFailed(ctx, err)
	}
	fin := hdr[0]&0x80 != 0
	op := hdr[0] & 0x0f
	if hdr[0]&0x70 != 0 {
		return false, nil, true, c.fail(wsCloseProtocol, "reserved bits set without a negotiated extension")
	}
	control := op&0x8 != 0
	switch op {
	case wsOpContinuation, wsOpText, wsOpBinary, wsOpClose, wsOpPing, wsOpPong:
	default:
		return false, nil, true, c.fail(wsCloseProtocol, "reserved opcode "+strconv.Itoa(int(op)))
	}
	if hdr[1]&0x80 != 0 {
		return false, nil, true, c.fail(wsCloseProtocol, "server frame is masked")
	}
	n := int64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(c.br, ext[:]); err != nil {
			return false, nil, true, c.readFailed(ctx, err)
		}
		n = int64(binary.BigEndian.Uint16(ext[:]))
		if n < 126 {
			return false, nil, true, c.fail(wsCloseProtocol, "frame length not minimally encoded")
		}
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(c.br, ext[:]); err != nil {
			return false, nil, true, c.readFailed(ctx, err)
		}
		u := binary.BigEndian.Uint64(ext[:])
		if u>>63 != 0 {
			return false, nil, true, c.fail(wsCloseProtocol, "frame length has its most significant bit set")
		}
		if u <= 0xffff {
			return false, nil, true, c.fail(wsCloseProtocol, "frame length not minimally encoded")
		}
		n = int64(u)
	}

	if control {
		if !fin {
			return false, nil, true, c.fail(wsCloseProtocol, "fragmented control frame")
		}
		if n > 125 {
			return false, nil, true, c.fail(wsCloseProtocol, "control frame payload longer than 125 bytes")
		}
		p := c.ctlBuf[:n]
		if _, err := io.ReadFull(c.br, p); err != nil {
			return false, nil, true, c.readFailed(ctx, err)
		}
		return c.control(ctx, op, p)
	}

	switch {
	case op == wsOpContinuation && c.msgOp == 0:
		return false, nil, true, c.fail(wsCloseProtocol, "continuation frame without a message to continue")
	case op != wsOpContinuation && c.msgOp != 0:
		return false, nil, true, c.fail(wsCloseProtocol, "new message before the previous one's final fragment")
	}
	if n > c.maxMessage-int64(len(c.msg)) {
		return false, nil, true, c.fail(wsCloseMessageTooBig, "message exceeds "+strconv.FormatInt(c.maxMessage, 10)+" bytes")
	}
	if op != wsOpContinuation {
		c.msgOp = op
	}
	if err := c.readPayload(n); err != nil {
		return false, nil, true, c.readFailed(ctx, err)
	}
	if c.msgOp == wsOpText {
		k, ok := wsCheckUTF8(c.msg[c.msgUTF8:], fin)
		if !ok {
			return false, nil, true, c.fail(wsCloseInvalidData, "text message is not valid UTF-8")
		}
		c.msgUTF8 += k
	}
	if !fin {
		return false, nil, false, nil
	}
	text, data = c.msgOp == wsOpText, c.msg
	if data == nil {
		data = []byte{}
	}
	c.msgOp, c.msg, c.msgUTF8 = 0, nil, 0
	return text, data, true, nil
}

// readPayload appends n bytes to the message, growing it as bytes arrive
// rather than by the declared length.
func (c *wsConn) readPayload(n int64) error {
	const chunk = 64 << 10
	for n > 0 {
		k := n
		if k > chunk {
			k = chunk
		}
		start := len(c.msg)
		if cap(c.msg)-start < int(k) {
			grown := make([]byte, start, start+int(k)+start)
			copy(grown, c.msg)
			c.msg = grown
		}
		c.msg = c.msg[:start+int(k)]
		if _, err := io.ReadFull(c.br, c.msg[start:]); err != nil {
			c.msg = c.msg[:start]
			return err
		}
		n -= k
	}
	return nil
}

// control handles a ping, pong or close frame.
func (c *wsConn) control(ctx context.Context, op byte, p []byte) (bool, []byte, bool, error) {
	switch op {
	case wsOpPing:
		c.mu.Lock()
		closing := c.closeSent
		c.mu.Unlock()
		if !closing {
			// A failed pong either ends the connection (the next read
			// reports it) or was stopped by ctx (the next Peek reports it).
			_ = c.writeFrame(ctx, wsOpPong, true, p)
		}
		return false, nil, false, nil
	case wsOpPong:
		c.lastPong.Store(time.Now().UnixNano())
		if c.onPong != nil {
			c.onPong(append([]byte(nil), p...))
		}
		return false, nil, false, nil
	}
	code, reason := wsCloseNoStatus, ""
	if len(p) == 1 {
		return false, nil, true, c.fail(wsCloseProtocol, "close frame with a one-byte payload")
	}
	if len(p) >= 2 {
		code = int(binary.BigEndian.Uint16(p))
		if !wsValidCloseCode(code) {
			return false, nil, true, c.fail(wsCloseProtocol, "close frame with invalid code "+strconv.Itoa(code))
		}
		if !utf8.Valid(p[2:]) {
			return false, nil, true, c.fail(wsCloseInvalidData, "close reason is not valid UTF-8")
		}
		reason = string(p[2:])
	}
	ce := &WebSocketCloseError{Code: code, Reason: reason}
	c.closeRecvOnce.Do(func() { close(c.closeRecv) })
	c.mu.Lock()
	sent, local := c.closeSent, c.localClose
	c.closeSent = true
	c.mu.Unlock()
	if !sent {
		// Echo the peer's code (RFC 6455 section 5.5.1); 1005 is never
		// sent, so a close without a code is answered without one.
		echo := []byte{}
		if code != wsCloseNoStatus {
			echo = wsClosePayload(code, "")
		}
		wctx, cancel := context.WithTimeout(context.Background(), c.closeTimeout)
		_ = c.writeFrame(wctx, wsOpClose, true, echo)
		cancel()
	}
	var final error = ce
	if local {
		final = &wsLocalCloseError{peer: ce}
	}
	c.mu.Lock()
	c.readErr = final
	c.mu.Unlock()
	// Both close frames have crossed: the client may close TCP now
	// (RFC 6455 section 7.1.1 lets it when the server does not first).
	c.closeConn(final)
	return false, nil, true, final
}

// wsLocalCloseError ends a read when the close handshake started by Close
// completes: it matches ErrWebSocketClosed and the peer's answer.
type wsLocalCloseError struct{ peer *WebSocketCloseError }

// Error says the connection was closed by this side, and how the peer
// answered.
func (e *wsLocalCloseError) Error() string {
	return ErrWebSocketClosed.Error() + " (peer answered with code " + strconv.Itoa(e.peer.Code) + ")"
}

// Unwrap returns ErrWebSocketClosed and the peer's close.
func (e *wsLocalCloseError) Unwrap() []error { return []error{ErrWebSocketClosed, e.peer} }

// wsValidCloseCode reports whether code may appear in a close frame: the
// RFC 6455 codes (section 7.4.1) and the IANA-registered 1012 to 1014 (not
// 1004, 1005, 1006 or 1015, which must not be sent), and 3000 to 4999.
func wsValidCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// wsClosePayload is the payload of a close frame: the code, then reason cut
// to fit 125 bytes at a rune boundary.
func wsClosePayload(code int, reason string) []byte {
	if len(reason) > 123 {
		reason = reason[:123]
		for len(reason) > 0 && !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	p := make([]byte, 2, 2+len(reason))
	binary.BigEndian.PutUint16(p, uint16(code))
	return append(p, reason...)
}

// wsCheckUTF8 validates b, allowing (unless final) an incomplete rune at
// its end, and returns the length of the checked prefix.
func wsCheckUTF8(b []byte, final bool) (int, bool) {
	i := 0
	for i < len(b) {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !final && !utf8.FullRune(b[i:]) {
				return i, true
			}
			return i, false
		}
		i += size
	}
	return i, true
}

// WriteMessage sends one data message, masked, split into frames of
// fragmentSize bytes when that option is set. Text messages must be valid
// UTF-8. It may be called concurrently with other writers and the reader.
// A context that ends before the first byte is written leaves the
// connection usable; one that ends later drops it.
func (c *wsConn) WriteMessage(ctx context.Context, text bool, data []byte) error {
	op := byte(wsOpBinary)
	if text {
		op = wsOpText
		if !utf8.Valid(data) {
			return errors.New("websocket: text message is not valid UTF-8")
		}
	}
	select {
	case c.msgLock <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return c.closedErr()
	}
	defer func() { <-c.msgLock }()
	size := c.fragmentSize
	if size <= 0 || size > len(data) {
		size = len(data)
	}
	for first := true; first || len(data) > 0; first = false {
		k := size
		if k > len(data) {
			k = len(data)
		}
		fin := k == len(data)
		fop := op
		if !first {
			fop = wsOpContinuation
		}
		if err := c.writeFrame(ctx, fop, fin, data[:k]); err != nil {
			if !first && !errors.Is(err, ErrWebSocketClosed) {
				// The peer holds a message that will never end. (Once a
				// close frame is under way, it ends the message instead.)
				c.closeConn(fmt.Errorf("websocket: message write interrupted: %w", err))
			}
			return err
		}
		data = data[k:]
	}
	return nil
}

// Ping sends a ping with payload (at most 125 bytes). The pong arrives
// through ReadMessage's loop: see LastPong and the onPong option.
func (c *wsConn) Ping(ctx context.Context, payload []byte) error {
	if len(payload) > 125 {
		return errors.New("websocket: ping payload longer than 125 bytes")
	}
	c.mu.Lock()
	closing := c.closeSent
	c.mu.Unlock()
	if closing {
		return c.closedErr()
	}
	return c.writeFrame(ctx, wsOpPing, true, payload)
}

// closedErr is the error of a write on a closing or closed connection.
func (c *wsConn) closedErr() error {
	c.mu.Lock()
	cause := c.cause
	c.mu.Unlock()
	if cause == nil || errors.Is(cause, ErrWebSocketClosed) {
		return ErrWebSocketClosed
	}
	return &wsClosedError{cause: cause}
}

// wsClosedError is ErrWebSocketClosed with the reason the connection ended.
type wsClosedError struct{ cause error }

// Error says the connection is closed, and why.
func (e *wsClosedError) Error() string { return ErrWebSocketClosed.Error() + ": " + e.cause.Error() }

// Unwrap returns ErrWebSocketClosed and the cause.
func (e *wsClosedError) Unwrap() []error { return []error{ErrWebSocketClosed, e.cause} }

// writeFrame writes one masked frame. Data frames are refused once a close
// frame was sent.
func (c *wsConn) writeFrame(ctx context.Context, op byte, fin bool, payload []byte) error {
	select {
	case c.frameLock <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return c.closedErr()
	}
	defer func() { <-c.frameLock }()
	select {
	case <-c.done:
		return c.closedErr()
	default:
	}
	if op < wsOpClose {
		c.mu.Lock()
		closing := c.closeSent
		c.mu.Unlock()
		if closing {
			return c.closedErr()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	frame, err := wsAppendFrame(nil, op, fin, payload)
	if err != nil {
		return err
	}
	stop := wsInterrupt(ctx, c.conn.SetWriteDeadline)
	_, err = c.conn.Write(frame)
	stop()
	if err != nil {
		err = wsCtxErr(ctx, "websocket: write: ", err)
		c.closeConn(err)
		return err
	}
	return nil
}

// wsAppendFrame appends a client frame: header, fresh random mask, masked
// payload (RFC 6455 section 5.3).
func wsAppendFrame(dst []byte, op byte, fin bool, payload []byte) ([]byte, error) {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	n := len(payload)
	switch {
	case n < 126:
		dst = append(dst, b0, 0x80|byte(n))
	case n <= 0xffff:
		dst = append(dst, b0, 0x80|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, b0, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	var key [4]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, errors.New("websocket: no randomness for the frame mask: " + err.Error())
	}
	dst = append(dst, key[:]...)
	start := len(dst)
	dst = append(dst, payload...)
	wsMask(key, dst[start:])
	return dst, nil
}

// wsMask XORs b with the masking key, in place.
func wsMask(key [4]byte, b []byte) {
	for i := range b {
		b[i] ^= key[i&3]
	}
}

// Close performs the closing handshake: it sends a close frame with code
// and reason (code 0: a close frame without a status), waits up to the
// close timeout for the peer's close frame, then closes the TCP connection.
// A concurrent ReadMessage sees the peer's answer and returns an error
// matching ErrWebSocketClosed. Close on a closed connection returns nil.
// An invalid code or a reason that is not UTF-8 or does not fit the
// 125-byte frame returns an error and leaves the connection open.
func (c *wsConn) Close(code int, reason string) error {
	var payload []byte
	switch {
	case code == 0 && reason == "":
		payload = []byte{}
	case code == 0:
		return errors.New("websocket: close reason without a close code")
	case !wsValidCloseCode(code):
		return errors.New("websocket: invalid close code " + strconv.Itoa(code))
	case len(reason) > 123:
		return errors.New("websocket: close reason longer than 123 bytes")
	case !utf8.ValidString(reason):
		return errors.New("websocket: close reason is not valid UTF-8")
	default:
		payload = wsClosePayload(code, reason)
	}
	c.mu.Lock()
	c.localClose = true
	sent := c.closeSent
	c.closeSent = true
	c.mu.Unlock()
	select {
	case <-c.done:
		return nil
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.closeTimeout)
	defer cancel()
	var err error
	if !sent {
		err = c.writeFrame(ctx, wsOpClose, true, payload)
	}
	if err == nil {
		select {
		case <-c.closeRecv:
		case <-c.done:
		case c.readLock <- struct{}{}:
			// Nobody is reading: read (and drop) until the peer's close.
			for {
				if _, _, rerr := c.readMessage(ctx); rerr != nil {
					break
				}
			}
			<-c.readLock
		case <-ctx.Done():
		}
	}
	c.closeConn(ErrWebSocketClosed)
	if err != nil && !errors.Is(err, ErrWebSocketClosed) {
		return err
	}
	return nil
}

// closeConn closes the TCP connection once, recording why.
func (c *wsConn) closeConn(cause error) {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.cause = cause
		c.mu.Unlock()
		c.conn.Close()
		close(c.done)
	})
}
