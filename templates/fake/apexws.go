package fake

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// The APEX WebSocket gateway of the fake (copied only for APEX specs): it
// answers the upgrade at /WSGateway (the URL the client derives from its
// server URL) and speaks APEX frames {"m", "i", "n", "o"}, o being the
// payload as a JSON string. A request (m 0) is answered exactly as the
// HTTP POST to the function's path would be, by the same route, checks and
// typed handler, with the connection's session token: a 2xx answer is the
// reply (m 1, same i and n; the failure envelope of an invalid request,
// which APEX sends inside HTTP 200, included), any other the error frame
// (m 5) carrying the APEX envelope. The login calls establish the connection's session; Ping
// is answered with PONG unless the test registered a handler for it. A
// subscribe call whose handler succeeds subscribes the connection; its
// unsubscribe call ends that (answered with result true when no handler
// is registered). The generated Push methods send events (m 3) to every
// connection subscribed to a call that declares them.

// wsGatewayPath is the gateway's path on the server's host, below no base
// path, as the client's WSURL derives it.
const wsGatewayPath = "/WSGateway"

// apexFrame is one APEX message.
type apexFrame struct {
	M int             `json:"m"`
	I int64           `json:"i"`
	N string          `json:"n"`
	O json.RawMessage `json:"o"`
}

// wsGateway holds the open connections of one Server.
type wsGateway struct {
	mu     sync.Mutex
	conns  map[*apexConn]bool
	closed bool
	wg     sync.WaitGroup
}

// apexConn is one client connection and its session.
type apexConn struct {
	c          *wsServerConn
	token      string
	pending2FA string
	subs       map[string]bool // operation ids of active subscriptions
}

func (a *apexState) gateway() *wsGateway {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ws == nil {
		a.ws = &wsGateway{conns: map[*apexConn]bool{}}
	}
	return a.ws
}

// upgrade serves the gateway path; it reports whether r was for it.
func (a *apexState) upgrade(s *Server, w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != wsGatewayPath {
		return false
	}
	g := a.gateway()
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		http.Error(w, "fake: server closed", http.StatusServiceUnavailable)
		return true
	}
	g.wg.Add(1)
	g.mu.Unlock()
	defer g.wg.Done()
	c, err := wsAccept(w, r)
	if err != nil {
		return true
	}
	conn := &apexConn{c: c, subs: map[string]bool{}}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		c.drop()
		return true
	}
	g.conns[conn] = true
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.conns, conn)
		g.mu.Unlock()
		c.drop()
	}()
	for {
		_, data, err := c.readMessage()
		if err != nil {
			return true
		}
		a.frame(s, g, conn, data)
	}
}

// send writes one frame; a payload that is not JSON is sent as null.
func (conn *apexConn) send(m int, i int64, n string, payload []byte) {
	o, _ := json.Marshal(string(payload))
	data, _ := json.Marshal(apexFrame{M: m, I: i, N: n, O: o})
	_ = conn.c.writeText(data)
}

// frame answers one client message.
func (a *apexState) frame(s *Server, g *wsGateway, conn *apexConn, data []byte) {
	var fr apexFrame
	var payload string
	if err := json.Unmarshal(data, &fr); err != nil || fr.M != 0 || json.Unmarshal(fr.O, &payload) != nil {
		env, _ := json.Marshal(map[string]any{"result": false, "errormsg": apexCodeText[100], "errorcode": 100,
			"detail": "a request frame is {\"m\": 0, \"i\", \"n\", \"o\": a JSON string}"})
		conn.send(5, fr.I, fr.N, env)
		return
	}
	var op *operation
	for _, rt := range s.routes {
		if strings.EqualFold(rt.op.path, "/"+fr.N) && rt.op.method == http.MethodPost {
			op = rt.op
			break
		}
	}
	s.mu.Lock()
	handled := op != nil && s.handlers[op.id] != nil
	s.mu.Unlock()
	login := strings.EqualFold(fr.N, "AuthenticateUser") || strings.EqualFold(fr.N, "Authenticate2FA")
	path, id := "/"+fr.N, ""
	if op != nil {
		path, id = op.path, op.id
	}
	r := httptest.NewRequest(http.MethodPost, s.basePath+path, strings.NewReader(payload))
	r = r.WithContext(context.WithValue(r.Context(), wsRequestKey{}, true))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	if login {
		if conn.pending2FA != "" {
			r.Header.Set("Pending2FaToken", conn.pending2FA)
		}
	} else if conn.token != "" {
		r.Header.Set("aptoken", conn.token)
	}
	// Ping and the unsubscribe calls without a handler are answered here
	// (and recorded as Calls).
	switch {
	case strings.EqualFold(fr.N, "Ping") && !handled:
		s.record(r, id, path, []byte(payload))
		conn.send(1, fr.I, fr.N, []byte(`{"msg":"PONG"}`))
		return
	case op != nil && op.unsubscribes != "" && !handled && (conn.token != "" || op.public):
		s.record(r, id, path, []byte(payload))
		g.mu.Lock()
		delete(conn.subs, op.unsubscribes)
		g.mu.Unlock()
		conn.send(1, fr.I, fr.N, []byte(`{"result":true,"errormsg":null,"errorcode":0,"detail":null}`))
		return
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if rec.Code/100 != 2 {
		conn.send(5, fr.I, fr.N, body)
		return
	}
	if login {
		var res struct {
			Authenticated bool
			SessionToken  string
			TwoFAToken    string
		}
		_ = json.Unmarshal(body, &res)
		if res.TwoFAToken != "" {
			conn.pending2FA = res.TwoFAToken
		}
		if res.Authenticated && res.SessionToken != "" {
			conn.token, conn.pending2FA = res.SessionToken, ""
		}
	}
	if op != nil {
		g.mu.Lock()
		switch {
		case op.subscribe:
			conn.subs[op.id] = true
		case op.unsubscribes != "":
			delete(conn.subs, op.unsubscribes)
		}
		g.mu.Unlock()
	}
	conn.send(1, fr.I, fr.N, body)
}

// pushEvent sends the event name with payload v (m 3) to every
// connection subscribed to one of subs; it returns how many received it.
// The generated Push methods call it.
func (s *Server) pushEvent(name string, subs []string, v any) int {
	data, err := json.Marshal(v)
	if err != nil {
		panic("fake: Push" + name + ": " + err.Error())
	}
	g := apexOf(s).gateway()
	g.mu.Lock()
	var to []*apexConn
	for conn := range g.conns {
		for _, sub := range subs {
			if conn.subs[sub] {
				to = append(to, conn)
				break
			}
		}
	}
	g.mu.Unlock()
	for _, conn := range to {
		conn.send(3, 0, name, data)
	}
	return len(to)
}

// DisconnectWS drops every WebSocket connection from the server side
// without a close handshake, as a crashed or restarted gateway does, so
// that tests exercise the client's reconnect. It returns how many were
// dropped.
func (s *Server) DisconnectWS() int {
	g := apexOf(s).gateway()
	g.mu.Lock()
	defer g.mu.Unlock()
	for conn := range g.conns {
		conn.c.drop()
	}
	return len(g.conns)
}

// closeWS drops the connections and waits for their goroutines; Close
// calls it.
func (a *apexState) closeWS() {
	g := a.gateway()
	g.mu.Lock()
	g.closed = true
	for conn := range g.conns {
		conn.c.drop()
	}
	g.mu.Unlock()
	g.wg.Wait()
}
