package fake

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The server side of RFC 6455, as much of it as a fake APEX gateway needs:
// the opening handshake over http.Hijacker, masked client frames read
// (fragmented messages joined, pings answered, the close handshake
// completed), unmasked frames written. The client's frame code
// (templates/websocket.go) lives in the client package and only speaks the
// client's side (it masks, and refuses masked server frames), so the
// server side is here rather than shared.

// wsMaxMessage bounds one client message (after joining fragments).
const wsMaxMessage = 1 << 20

// wsWriteTimeout bounds one frame write.
const wsWriteTimeout = 10 * time.Second

// wsGUID is the key suffix of the accept hash (RFC 6455 section 1.3).
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// wsServerConn is one accepted WebSocket connection.
type wsServerConn struct {
	nc  net.Conn
	br  *bufio.Reader
	wmu sync.Mutex
}

// headerHasToken reports whether the comma-separated header h lists token
// (case-insensitively), as Connection: keep-alive, Upgrade does.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// wsAccept checks the opening handshake of r and, when it is valid,
// answers 101 and takes the connection over; otherwise it answers the
// HTTP error itself and returns an error.
func wsAccept(w http.ResponseWriter, r *http.Request) (*wsServerConn, error) {
	fail := func(status int, msg string) (*wsServerConn, error) {
		if status == http.StatusUpgradeRequired {
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, "websocket: "+msg, status)
		return nil, errors.New("websocket handshake: " + msg)
	}
	if r.Method != http.MethodGet {
		return fail(http.StatusMethodNotAllowed, "method "+r.Method+", want GET")
	}
	if !headerHasToken(r.Header, "Upgrade", "websocket") || !headerHasToken(r.Header, "Connection", "upgrade") {
		return fail(http.StatusBadRequest, "missing Upgrade: websocket / Connection: Upgrade")
	}
	if r.Header.Get("Sec-WebSocket-Version") != "13" {
		return fail(http.StatusUpgradeRequired, "Sec-WebSocket-Version must be 13")
	}
	key := r.Header.Get("Sec-WebSocket-Key")
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 16 {
		return fail(http.StatusBadRequest, "Sec-WebSocket-Key is not 16 bytes in base64")
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return fail(http.StatusInternalServerError, "the ResponseWriter cannot be hijacked")
	}
	nc, rw, err := hj.Hijack()
	if err != nil {
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	sum := sha1.Sum([]byte(key + wsGUID))
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
	if _, err := nc.Write([]byte(resp)); err != nil {
		nc.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	return &wsServerConn{nc: nc, br: rw.Reader}, nil
}

// wsProtocolError is a frame that breaks RFC 6455; code is the close code
// the connection is closed with.
type wsProtocolError struct {
	code int
	msg  string
}

// Error names the violation and the close code.
func (e *wsProtocolError) Error() string {
	return fmt.Sprintf("websocket: %s (close %d)", e.msg, e.code)
}

// readFrame reads one frame: fin, opcode, unmasked payload.
func (c *wsServerConn) readFrame() (bool, byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(c.br, h[:]); err != nil {
		return false, 0, nil, err
	}
	fin, op := h[0]&0x80 != 0, h[0]&0x0f
	if h[0]&0x70 != 0 {
		return false, 0, nil, &wsProtocolError{1002, "reserved bits set"}
	}
	if h[1]&0x80 == 0 {
		return false, 0, nil, &wsProtocolError{1002, "unmasked client frame"}
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return false, 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return false, 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if op >= 8 && (n > 125 || !fin) {
		return false, 0, nil, &wsProtocolError{1002, "control frame fragmented or longer than 125 bytes"}
	}
	if n > wsMaxMessage {
		return false, 0, nil, &wsProtocolError{1009, "frame too large"}
	}
	var mask [4]byte
	if _, err := io.ReadFull(c.br, mask[:]); err != nil {
		return false, 0, nil, err
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(c.br, p); err != nil {
		return false, 0, nil, err
	}
	for i := range p {
		p[i] ^= mask[i%4]
	}
	return fin, op, p, nil
}

// readMessage returns the next data message, answering pings and
// completing a close handshake on the way (io.EOF after a close). A
// protocol violation closes the connection with its code.
func (c *wsServerConn) readMessage() (text bool, data []byte, err error) {
	defer func() {
		var pe *wsProtocolError
		if errors.As(err, &pe) {
			c.closeWith(pe.code, pe.msg)
		}
	}()
	var msg []byte
	started := false
	for {
		fin, op, p, err := c.readFrame()
		if err != nil {
			return false, nil, err
		}
		switch op {
		case 0x8:
			code := 1000
			if len(p) >= 2 {
				code = int(binary.BigEndian.Uint16(p))
			}
			c.closeWith(code, "")
			return false, nil, io.EOF
		case 0x9:
			if err := c.writeFrame(0xA, p); err != nil {
				return false, nil, err
			}
			continue
		case 0xA:
			continue
		case 0x1, 0x2:
			if started {
				return false, nil, &wsProtocolError{1002, "new message inside a fragmented one"}
			}
			started, text, msg = true, op == 0x1, p
		case 0x0:
			if !started {
				return false, nil, &wsProtocolError{1002, "continuation without a message"}
			}
			if len(msg)+len(p) > wsMaxMessage {
				return false, nil, &wsProtocolError{1009, "message too large"}
			}
			msg = append(msg, p...)
		default:
			return false, nil, &wsProtocolError{1002, fmt.Sprintf("unknown opcode %d", op)}
		}
		if fin {
			return text, msg, nil
		}
	}
}

// writeFrame writes one unmasked, final frame.
func (c *wsServerConn) writeFrame(op byte, p []byte) error {
	h := []byte{0x80 | op, 0}
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
	c.wmu.Lock()
	defer c.wmu.Unlock()
	// A client that stops reading must not hang the test pushing to it.
	c.nc.SetWriteDeadline(time.Now().Add(wsWriteTimeout))
	_, err := c.nc.Write(append(h, p...))
	return err
}

// writeText sends one text message.
func (c *wsServerConn) writeText(p []byte) error { return c.writeFrame(0x1, p) }

// closeWith sends a close frame and drops the connection.
func (c *wsServerConn) closeWith(code int, reason string) {
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	_ = c.writeFrame(0x8, append(p, reason...))
	c.nc.Close()
}

// drop closes the TCP connection without a close handshake: an abrupt
// server-side disconnect.
func (c *wsServerConn) drop() { c.nc.Close() }
