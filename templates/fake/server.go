package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Server is a fake of the API for tests: it routes each request by the
// spec's method and path, checks the request against the spec, and answers
// with the handler the test registered for the operation (the generated
// Handle methods), or with a "not implemented" error naming the operation.
//
// NewServer starts one on a local port (URL is its address); NewHandler
// makes one that is only an http.Handler, for tests that bring their own
// server. A Server is safe for concurrent use; handlers may be registered
// while it serves.
type Server struct {
	// URL is the base URL of a server started by NewServer, with the base
	// path (WithBasePath): pass it to the client's NewClient. It is empty
	// for a Server made by NewHandler.
	URL string

	ts       *httptest.Server
	routes   []route
	schemas  []vobject
	basePath string
	maxBody  int64

	// Hooks set by the APEX runtime (apex.go); nil or defaults otherwise.
	// intercept answers a request before routing (the login calls, which
	// need not be in the spec); authorize checks a routed request and may
	// answer it; fallback answers an operation without a handler; failure
	// maps an error kind to the response.
	intercept func(w http.ResponseWriter, r *http.Request, rel string, body []byte) bool
	authorize func(ctx context.Context, x *exchange) (context.Context, bool)
	fallback  func(ctx context.Context, x *exchange) bool
	failure   func(kind failKind, op, msg string) *Error
	write     func(w http.ResponseWriter, e *Error)
	ext       any

	mu       sync.Mutex
	handlers map[string]handlerFunc
	calls    []Call
}

// Option configures a Server.
type Option func(*Server)

// WithBasePath serves the API below path (for example "/ap", the base path
// of the KIIEX servers), so that a client whose server URL has a path is
// tested as it will run; URL includes it.
func WithBasePath(path string) Option {
	return func(s *Server) { s.basePath = "/" + strings.Trim(path, "/") }
}

// WithMaxBodyBytes sets the largest request body the server reads (default
// 10 MiB); a larger one is answered as an invalid request.
func WithMaxBodyBytes(n int64) Option {
	return func(s *Server) { s.maxBody = n }
}

// Call is one request as the server received it, in arrival order.
type Call struct {
	// Operation is the operationId the request was routed to ("" when it
	// matched none; the APEX login calls are recorded under their names).
	Operation string
	// Method and Path are the request's method and URL path (without the
	// base path); Query is its raw query.
	Method, Path, Query string
	// Header is a copy of the request headers.
	Header http.Header
	// Body is the request body as sent.
	Body []byte
}

// Error is an error response. A handler returns one (as its error) to
// answer with a declared error response or a chosen status; any other
// error a handler returns is answered as a server failure carrying its
// text.
//
// For APEX specs (KIIEX) the response is the APEX envelope {"result":
// false, "errormsg": Message, "errorcode": Code, "detail": Detail} with
// HTTP Status (default 200, as APEX reports failures). For other specs it
// is Body encoded as JSON (a value of one of the client's declared error
// types), or {"error": Message, "operation": ...} when Body is nil, with
// HTTP Status (default 500).
type Error struct {
	// Status is the HTTP status (0: the default above).
	Status int
	// Code is the APEX errorcode (APEX specs only).
	Code int
	// Message is the APEX errormsg, or the "error" member of the default
	// body.
	Message string
	// Detail is the APEX detail, or the "detail" member of the default
	// body.
	Detail string
	// Body is the error body of a spec that is not APEX-style, encoded as
	// JSON in place of the default body.
	Body any

	op string // the operationId, for the default body
}

// Error describes the response.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "fake response: HTTP %d", e.Status)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

// failKind classifies the errors the server itself answers with.
type failKind int

const (
	failInvalid        failKind = iota // the request breaks the spec
	failUnauthorized                   // no valid session
	failNotImplemented                 // no handler registered
	failNotFound                       // no operation has this path
	failMethod                         // the path exists, not with this method
	failHandler                        // a handler returned a plain error
	failMediaType                      // a body of an undeclared media type
)

// defaultFailure is the response of each failure for a spec that is not
// APEX-style: the HTTP status says it all.
func defaultFailure(kind failKind, op, msg string) *Error {
	status := map[failKind]int{
		failInvalid:        http.StatusBadRequest,
		failUnauthorized:   http.StatusUnauthorized,
		failNotImplemented: http.StatusNotImplemented,
		failNotFound:       http.StatusNotFound,
		failMethod:         http.StatusMethodNotAllowed,
		failHandler:        http.StatusInternalServerError,
		failMediaType:      http.StatusUnsupportedMediaType,
	}[kind]
	return &Error{Status: status, Message: msg, op: op}
}

// defaultWrite writes e for a spec that is not APEX-style.
func defaultWrite(w http.ResponseWriter, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	body := e.Body
	if body == nil {
		m := map[string]string{"error": e.Message}
		if e.op != "" {
			m["operation"] = e.op
		}
		if e.Detail != "" {
			m["detail"] = e.Detail
		}
		body = m
	}
	data, err := json.Marshal(body)
	if err != nil {
		data, _ = json.Marshal(map[string]string{"error": "fake server: encoding the error body: " + err.Error()})
		status = http.StatusInternalServerError
	}
	writeBody(w, status, "application/json", data)
}

func writeBody(w http.ResponseWriter, status int, contentType string, data []byte) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	w.Write(data)
}

// operation is one operation of the spec, as the generated table lists it.
type operation struct {
	id     string
	method string
	path   string
	// handler names the generated Handle method, for the not-implemented
	// message.
	handler string
	// body is the shape of a JSON request body (nil: the body is not
	// JSON, or not checked); bodyRequired tells whether it must be sent.
	body         *vtype
	bodyRequired bool
	// public marks an operation the spec declares without security
	// (security: []): an APEX fake lets it run without a session.
	public bool
	// media are the request body's declared media types (ranges such as
	// image/* included); a body sent as another type is refused.
	media []string
}

// handlerFunc is a registered handler behind its typed wrapper.
type handlerFunc func(ctx context.Context, x *exchange) error

// route is an operation with its parsed path template.
type route struct {
	op      *operation
	segs    [][]segPart
	literal int // literal characters: more is more specific
}

// segPart is literal text or (isVar) a path parameter inside one segment.
type segPart struct {
	text  string
	isVar bool
}

// newServer builds a server for ops; configure (generated) installs the
// APEX runtime for APEX specs, before the options run.
func newServer(ops []*operation, schemas []vobject, configure func(*Server), opts []Option) *Server {
	s := &Server{
		schemas:  schemas,
		maxBody:  10 << 20,
		failure:  defaultFailure,
		write:    defaultWrite,
		handlers: map[string]handlerFunc{},
	}
	for _, op := range ops {
		rt := route{op: op}
		for _, seg := range strings.Split(strings.Trim(op.path, "/"), "/") {
			parts := parseSegment(seg)
			for _, p := range parts {
				if !p.isVar {
					rt.literal += len(p.text)
				}
			}
			rt.segs = append(rt.segs, parts)
		}
		s.routes = append(s.routes, rt)
	}
	// /pets/mine wins over /pets/{id}; ties keep the table's order.
	sort.SliceStable(s.routes, func(i, j int) bool { return s.routes[i].literal > s.routes[j].literal })
	if configure != nil {
		configure(s)
	}
	for _, o := range opts {
		o(s)
	}
	if s.basePath == "/" {
		s.basePath = ""
	}
	return s
}

func parseSegment(seg string) []segPart {
	var parts []segPart
	for seg != "" {
		i := strings.IndexByte(seg, '{')
		j := strings.IndexByte(seg[max(i, 0):], '}')
		if i < 0 || j < 0 {
			parts = append(parts, segPart{text: seg})
			break
		}
		j += i
		if i > 0 {
			parts = append(parts, segPart{text: seg[:i]})
		}
		parts = append(parts, segPart{text: seg[i+1 : j], isVar: true})
		seg = seg[j+1:]
	}
	if len(parts) == 0 {
		parts = append(parts, segPart{})
	}
	return parts
}

// start serves s on a local port.
func (s *Server) start() *Server {
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL + s.basePath
	return s
}

// Close shuts a server started by NewServer down, waiting for the requests
// in flight; it does nothing for one made by NewHandler.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// Calls returns the requests received so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// handle registers h for op, replacing an earlier handler; nil removes it.
func (s *Server) handle(op *operation, h handlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.handlers, op.id)
		return
	}
	s.handlers[op.id] = h
}

// requestKey is the context key of the *http.Request.
type requestKey struct{}

// RequestFrom returns the HTTP request a handler is answering (for its
// headers, cookies or raw body), or nil outside a handler.
func RequestFrom(ctx context.Context) *http.Request {
	r, _ := ctx.Value(requestKey{}).(*http.Request)
	return r
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
	tooLarge := int64(len(body)) > s.maxBody
	if tooLarge {
		body = body[:s.maxBody]
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rel, under := strings.CutPrefix(r.URL.EscapedPath(), s.basePath)
	if !under || (rel != "" && rel[0] != '/') {
		s.record(r, "", rel, body)
		s.fail(w, failNotFound, "", fmt.Sprintf("path %q is not below the base path %q", r.URL.Path, s.basePath))
		return
	}
	if err == nil && !tooLarge && s.intercept != nil && s.intercept(w, r, rel, body) {
		return
	}
	rt, vars, allowed := s.route(r.Method, rel)
	opID := ""
	if rt != nil {
		opID = rt.op.id
	}
	s.record(r, opID, rel, body)
	switch {
	case rt == nil && allowed != nil:
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.fail(w, failMethod, "", fmt.Sprintf("method %s is not allowed on %s (allowed: %s)", r.Method, rel, strings.Join(allowed, ", ")))
		return
	case rt == nil:
		s.fail(w, failNotFound, "", fmt.Sprintf("no operation of the spec has the path %s", rel))
		return
	case err != nil:
		s.fail(w, failInvalid, opID, fmt.Sprintf("%s: reading the request body: %v", opID, err))
		return
	case tooLarge:
		s.fail(w, failInvalid, opID, fmt.Sprintf("%s: request body larger than %d bytes", opID, s.maxBody))
		return
	}
	x := &exchange{s: s, w: w, r: r, body: body, op: rt.op, vars: vars}
	ctx := context.WithValue(r.Context(), requestKey{}, r)
	if s.authorize != nil {
		var done bool
		if ctx, done = s.authorize(ctx, x); done {
			return
		}
	}
	if ct := r.Header.Get("Content-Type"); len(rt.op.media) > 0 && len(body) > 0 && !mediaAllowed(rt.op.media, ct) {
		s.fail(w, failMediaType, opID, fmt.Sprintf("%s: Content-Type %q is not a declared request media type (%s)", opID, ct, strings.Join(rt.op.media, ", ")))
		return
	}
	if op := rt.op; op.body != nil {
		if len(bytes.TrimSpace(body)) == 0 {
			if op.bodyRequired {
				s.fail(w, failInvalid, opID, opID+": the request body is required")
				return
			}
		} else if err := s.validate(body, op.body); err != nil {
			s.fail(w, failInvalid, opID, opID+": request body: "+err.Error())
			return
		}
	}
	s.mu.Lock()
	h := s.handlers[opID]
	s.mu.Unlock()
	if h == nil {
		if s.fallback != nil && s.fallback(ctx, x) {
			return
		}
		s.fail(w, failNotImplemented, opID, fmt.Sprintf("not implemented: %s (the test registered no handler; call %s)", opID, rt.op.handler))
		return
	}
	if err := h(ctx, x); err != nil {
		s.answerError(w, opID, err)
	}
}

// mediaAllowed reports whether the Content-Type header ct names one of the
// declared media types: compared without parameters and case, with
// ranges (type/*, */*) matching their members.
func mediaAllowed(media []string, ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	for _, m := range media {
		m = strings.ToLower(m)
		if m == mt || m == "*/*" {
			return true
		}
		if prefix, ok := strings.CutSuffix(m, "/*"); ok && strings.HasPrefix(mt, prefix+"/") {
			return true
		}
	}
	return false
}

// answerError writes the response for an error a handler (or the typed
// wrapper around it) returned.
func (s *Server) answerError(w http.ResponseWriter, op string, err error) {
	var e *Error
	var inv *invalidError
	switch {
	case errors.As(err, &e):
		c := *e
		c.op = op
		s.write(w, &c)
	case errors.As(err, &inv):
		s.fail(w, failInvalid, op, op+": "+inv.Error())
	default:
		s.fail(w, failHandler, op, op+": handler failed: "+err.Error())
	}
}

func (s *Server) fail(w http.ResponseWriter, kind failKind, op, msg string) {
	s.write(w, s.failure(kind, op, msg))
}

func (s *Server) record(r *http.Request, op, rel string, body []byte) {
	if p, err := url.PathUnescape(rel); err == nil {
		rel = p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Operation: op, Method: r.Method, Path: rel, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: bytes.Clone(body)})
}

// route finds the operation for method and the escaped path rel. When the
// path matches operations of other methods only, allowed lists them.
func (s *Server) route(method, rel string) (*route, map[string]string, []string) {
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	var allowed []string
	for i := range s.routes {
		rt := &s.routes[i]
		vars, ok := matchPath(rt.segs, segs)
		if !ok {
			continue
		}
		if !strings.EqualFold(rt.op.method, method) {
			if !slices.Contains(allowed, rt.op.method) {
				allowed = append(allowed, rt.op.method)
			}
			continue
		}
		return rt, vars, nil
	}
	sort.Strings(allowed)
	return nil, nil, allowed
}

// matchPath matches the escaped request segments against a template; the
// values of path parameters come back unescaped.
func matchPath(tmpl [][]segPart, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	vars := map[string]string{}
	for i, parts := range tmpl {
		seg, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, false
		}
		if !matchSegment(parts, seg, vars) {
			return nil, false
		}
	}
	return vars, true
}

func matchSegment(parts []segPart, seg string, vars map[string]string) bool {
	for i, p := range parts {
		if !p.isVar {
			rest, ok := strings.CutPrefix(seg, p.text)
			if !ok {
				return false
			}
			seg = rest
			continue
		}
		// A variable runs up to the next literal part (or the end).
		end := len(seg)
		if i+1 < len(parts) && !parts[i+1].isVar {
			if parts[i+1].text == "" {
				end = len(seg)
			} else if k := strings.LastIndex(seg, parts[i+1].text); k >= 0 && i+2 == len(parts) {
				end = k
			} else if k := strings.Index(seg, parts[i+1].text); k >= 0 {
				end = k
			} else {
				return false
			}
		}
		if end == 0 {
			return false // a path parameter is never empty
		}
		vars[p.text] = seg[:end]
		seg = seg[end:]
	}
	return seg == ""
}

// exchange is one request being answered: what the typed wrappers read
// and write through.
type exchange struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	op   *operation
	vars map[string]string
}

// invalidError is a request that breaks the spec; its text names the
// field (path) at fault.
type invalidError struct {
	path string
	msg  string
}

// Error names the field and the problem.
func (e *invalidError) Error() string {
	if e.path == "" {
		return e.msg
	}
	return e.path + ": " + e.msg
}

// decodeBody decodes the JSON body into v (a pointer to the client's
// request type).
func (x *exchange) decodeBody(v any) error {
	if len(bytes.TrimSpace(x.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(x.body, v); err != nil {
		return &invalidError{path: "request body", msg: err.Error()}
	}
	return nil
}

// decodeWith decodes the JSON body with a generated union decoder.
func decodeWith[T any](x *exchange, dec func([]byte) (T, error)) (T, error) {
	v, err := dec(x.body)
	if err != nil {
		return v, &invalidError{path: "request body", msg: err.Error()}
	}
	return v, nil
}

// decodeJSON, decodeSlice and decodeMap build decoders for values that
// hold unions, as the client's helpers of the same names do.
func decodeJSON[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

func decodeSlice[T any](b []byte, dec func([]byte) (T, error)) ([]T, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil || raws == nil {
		return nil, err
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		v, err := dec(r)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

func decodeMap[T any](b []byte, dec func([]byte) (T, error)) (map[string]T, error) {
	var raws map[string]json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil || raws == nil {
		return nil, err
	}
	out := make(map[string]T, len(raws))
	for k, r := range raws {
		v, err := dec(r)
		if err != nil {
			return nil, fmt.Errorf("[%q]: %w", k, err)
		}
		out[k] = v
	}
	return out, nil
}

// bodyReader is the body of a request the handler reads itself, with its
// Content-Type.
func (x *exchange) bodyReader() (string, io.Reader) {
	return x.r.Header.Get("Content-Type"), bytes.NewReader(x.body)
}

// text is a text body.
func (x *exchange) text() string { return string(x.body) }

// writeJSON answers with v encoded as JSON.
func (x *exchange) writeJSON(status int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the response: %w", err)
	}
	writeBody(x.w, status, "application/json", data)
	return nil
}

// writeText answers with a text body.
func (x *exchange) writeText(status int, contentType, s string) error {
	writeBody(x.w, status, contentType, []byte(s))
	return nil
}

// writeStream answers with the contents of rc, which it closes.
func (x *exchange) writeStream(status int, contentType string, rc io.ReadCloser) error {
	if rc == nil {
		writeBody(x.w, status, contentType, nil)
		return nil
	}
	defer rc.Close()
	if contentType != "" {
		x.w.Header().Set("Content-Type", contentType)
	}
	x.w.WriteHeader(status)
	_, err := io.Copy(x.w, rc)
	return err
}

// writeEmpty answers with a status and no body.
func (x *exchange) writeEmpty(status int) error {
	x.w.WriteHeader(status)
	return nil
}

// badStatus is the error for a handler result whose StatusCode is not
// one of the operation's success responses.
func badStatus(status int) error {
	return fmt.Errorf("result StatusCode %d is not a declared success response", status)
}

// NewServer starts a fake server on a local port; Close shuts it down.
// Register handlers with its Handle methods; an operation without one is
// answered with a "not implemented" error naming it.
func NewServer(opts ...Option) *Server {
	return newServer(operations, schemas, configure, opts).start()
}

// NewHandler returns a fake server that is not listening: serve it with
// any http.Server (or httptest.NewServer) of the test's own.
func NewHandler(opts ...Option) *Server {
	return newServer(operations, schemas, configure, opts)
}

// hasBody reports whether the request carries a body.
func (x *exchange) hasBody() bool { return len(bytes.TrimSpace(x.body)) > 0 }

// deref is the text of a text result, "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
