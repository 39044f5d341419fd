package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"
)

// HTTPDoer is the transport a Client sends requests through. *http.Client
// satisfies it; tests and middleware (retries, tracing) can supply their own.
type HTTPDoer interface {
	Do(req *http.Request) (*http.Response, error)
}

// RequestEditorFn edits an outgoing request after the client has built it
// (URL, body, headers, security). Client-level editors (WithRequestEditor)
// run first, then the per-call editors passed to an operation method, so a
// call can override what the client configured. An error aborts the call.
type RequestEditorFn func(ctx context.Context, req *http.Request) error

// ClientOption configures a Client in NewClient. An option that returns an
// error makes NewClient fail with that error.
type ClientOption func(*Client) error

const (
	// defaultUserAgent identifies generated clients unless WithUserAgent
	// overrides it; Go's own default would hide which client is calling.
	defaultUserAgent = "kiiexgen-client"
	// defaultMaxResponseBytes bounds how much of a response body is read, so
	// a misbehaving server cannot make the client allocate without limit.
	defaultMaxResponseBytes int64 = 32 << 20
	// maxRedirects matches net/http's default policy, which a custom
	// CheckRedirect replaces and therefore has to restate.
	maxRedirects = 10
)

// DefaultTimeout bounds each call of a client created without
// WithHTTPClient or WithTimeout: sending the request, waiting for the
// response and reading its body. net/http's own default is no limit at all,
// which lets a stalled server hang a caller forever.
const DefaultTimeout = 60 * time.Second

// operation describes one API operation. The generator emits one
// package-level value per operation; do reads it and never modifies it.
type operation struct {
	id        string               // operationId, prefixes every error
	method    string               // HTTP method, upper case
	path      string               // path template relative to the server, e.g. "/Accounts/{AccountSid}"
	security  [][]string           // alternatives (OR) of scheme-name sets (AND); empty => no auth
	errorBody func(status int) any // pointer to decode a declared error body into, or nil
	apex      bool                 // detect the APEX {result:false,...} envelope in 2xx bodies
	accept    string               // Accept header: the media types the operation declares; "" sends none
	stream    []int                // 2xx statuses whose body is handed over open (2: every 2xx)
	// rejectable: a 2xx {"status": "Rejected", "errormsg": ...} answer of an
	// APEX order call is an *APIError matching ErrRejected.
	rejectable bool
	object     bool // the success body is a non-nullable object: JSON null is an error
	// idempotent: repeating the call is safe, so WithRetry may retry it
	// (decided by the generator from the spec's x-idempotent mark or, without
	// one, the HTTP method).
	idempotent bool
}

// streams reports whether the body of a status is returned unread.
func (op *operation) streams(status int) bool {
	for _, s := range op.stream {
		if s == status || s == 2 && status/100 == 2 {
			return true
		}
	}
	return false
}

// securityScheme is one entry of components.securitySchemes. The generator
// emits the table as securitySchemes.
type securityScheme struct {
	name   string // key in components.securitySchemes
	typ    string // "http", "apiKey", "oauth2", "openIdConnect"
	scheme string // for http: "bearer" or "basic"
	in     string // for apiKey: "header", "query" or "cookie"
	param  string // for apiKey: header, query parameter or cookie name
}

// requestDecorator is implemented by values that optional runtime files
// (apex.go) store in Client.exts. do calls every stored decorator after the
// spec-declared security has been applied. Going through an interface keeps
// client.go compilable when the generator does not copy those files.
type requestDecorator interface {
	decorateRequest(req *http.Request, op *operation)
}

// operationObserver is implemented by Client.exts values that react to an
// operation once it has been sent, whatever its outcome (apex.go forgets
// the session token after LogOut).
type operationObserver interface {
	operationDone(op *operation)
}

// Client calls the API. It is safe for concurrent use; credentials can be
// replaced (SetAuth) while requests are in flight.
type Client struct {
	server           string // normalized server URL, no trailing slash
	httpClient       HTTPDoer
	editors          []RequestEditorFn
	userAgent        string
	maxResponseBytes int64
	schemes          []securityScheme
	timeout          time.Duration // per-call deadline; 0: none
	timeoutSet       bool          // WithTimeout was given
	retry            *RetryPolicy  // WithRetry; nil: calls are not retried unless forced per call
	// sleep waits between attempts and jitter draws a backoff in [0, n);
	// tests replace them to stay fast and deterministic.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(n int64) int64

	credMu sync.RWMutex
	creds  map[string]Credential // by scheme name; guarded by credMu

	// exts holds per-client state of optional runtime files, keyed by a
	// private type of the file that owns it (see requestDecorator).
	exts sync.Map
}

// NewClient returns a client for the API at server, an absolute http or https
// URL that may carry a base path (e.g. "https://apstage.proxy.kiiex.io/ap").
// A trailing slash is ignored. Without WithHTTPClient the client sends
// through an http.Client of its own, each call bounded by DefaultTimeout.
func NewClient(server string, opts ...ClientOption) (*Client, error) {
	base, err := normalizeServer(server)
	if err != nil {
		return nil, err
	}
	c := &Client{
		server:           base,
		userAgent:        defaultUserAgent,
		maxResponseBytes: defaultMaxResponseBytes,
		schemes:          securitySchemes,
		creds:            make(map[string]Credential),
		sleep:            sleepCtx,
		jitter:           rand.Int64N,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.httpClient == nil {
		// A client of our own rather than http.DefaultClient, so that the
		// redirect policy does not leak into the rest of the program.
		c.httpClient = &http.Client{}
		if !c.timeoutSet {
			c.timeout = DefaultTimeout
		}
	}
	c.httpClient = c.installRedirectPolicy(c.httpClient)
	return c, nil
}

// normalizeServer validates a server URL and removes a trailing slash. Error
// messages never echo the URL, because it could carry a password.
func normalizeServer(server string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("invalid server URL: %v", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errors.New("invalid server URL: must be an absolute http or https URL")
	case u.Host == "":
		return "", errors.New("invalid server URL: missing host")
	case u.User != nil:
		return "", errors.New("invalid server URL: must not contain credentials; use WithAuth")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", errors.New("invalid server URL: must not contain a query or fragment")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u.String(), nil
}

// WithHTTPClient sends requests through doer instead of a default
// *http.Client; proxies, TLS settings and connection pooling belong there.
//
// An *http.Client is copied, never modified: the copy keeps its Transport,
// Jar and Timeout, and its CheckRedirect runs the caller's policy (or
// net/http's limit of 10) followed by the client's own, which refuses
// https->http redirects and, on any redirect leaving the origin (scheme,
// host and port) of the call, drops every credential header and API-key
// query parameter and refuses to resend a request body. Any other HTTPDoer
// is used as is and owns its redirects: it should not follow them, or
// follow them as carefully.
//
// The doer's own timeout (http.Client.Timeout) applies; DefaultTimeout
// does not, unless WithTimeout is given too.
func WithHTTPClient(doer HTTPDoer) ClientOption {
	return func(c *Client) error {
		if doer == nil || (reflect.ValueOf(doer).Kind() == reflect.Pointer && reflect.ValueOf(doer).IsNil()) {
			return errors.New("WithHTTPClient: nil HTTPDoer")
		}
		c.httpClient = doer
		return nil
	}
}

// WithTimeout bounds each call (sending, waiting, reading the body) to d,
// whatever the HTTPDoer; 0 removes the bound, including DefaultTimeout. It
// works alongside an http.Client's own Timeout: the shorter one wins. A
// method returning an io.ReadCloser (a download, an event stream) is bounded
// up to the response headers only; its body is read at the caller's pace,
// under the caller's context. A retried call (WithRetry) gives each attempt
// its own bound; the caller's context bounds them all.
func WithTimeout(d time.Duration) ClientOption {
	return func(c *Client) error {
		if d < 0 {
			return fmt.Errorf("WithTimeout: negative timeout %v", d)
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithRequestEditor adds an editor that runs on every request, in the order
// the options are given, before any per-call editor. A secret an editor adds
// under a name the client does not know as a credential (Authorization,
// Cookie, the spec's apiKey headers and query parameters, the KIIEX login
// headers) is neither dropped on a cross-origin redirect nor scrubbed from
// errors: prefer WithAuth.
func WithRequestEditor(fn RequestEditorFn) ClientOption {
	return func(c *Client) error {
		if fn == nil {
			return errors.New("WithRequestEditor: nil editor")
		}
		c.editors = append(c.editors, fn)
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default "kiiexgen-client").
func WithUserAgent(ua string) ClientOption {
	return func(c *Client) error {
		if ua == "" {
			return errors.New("WithUserAgent: empty user agent")
		}
		c.userAgent = ua
		return nil
	}
}

// WithMaxResponseBytes bounds how many bytes of a response body are read
// (default 32 MiB). A longer body fails the call with ErrResponseTooLarge.
// It applies to every body the client reads whole (JSON, text, errors), not
// to binary and event-stream bodies returned as an io.ReadCloser, which the
// caller reads at its own pace.
func WithMaxResponseBytes(n int64) ClientOption {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes: limit must be positive, got %d", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithAuth configures the credential for the security scheme named scheme
// (its key in the spec's components.securitySchemes). It fails NewClient when
// the scheme is unknown or the credential does not fit it.
func WithAuth(scheme string, cred Credential) ClientOption {
	return func(c *Client) error {
		return c.SetAuth(scheme, cred)
	}
}

// SetAuth sets or, with a nil cred, removes the credential for the security
// scheme named scheme. It is safe to call while requests are in flight (token
// rotation): each request uses either the old or the new credential set.
func (c *Client) SetAuth(scheme string, cred Credential) error {
	s, ok := c.lookupScheme(scheme)
	if !ok {
		names := make([]string, len(c.schemes))
		for i, s := range c.schemes {
			names[i] = s.name
		}
		known := "none"
		if len(names) > 0 {
			known = strings.Join(names, ", ")
		}
		return fmt.Errorf("unknown security scheme %q (known: %s)", scheme, known)
	}
	if cred != nil {
		if err := cred.fits(s); err != nil {
			return fmt.Errorf("security scheme %q: %w", scheme, err)
		}
	}
	c.credMu.Lock()
	defer c.credMu.Unlock()
	if cred == nil {
		delete(c.creds, scheme)
	} else {
		c.creds[scheme] = cred
	}
	return nil
}

// Server returns the server URL the client was created with, without a
// trailing slash.
func (c *Client) Server() string { return c.server }

// String describes the client without any credential.
func (c *Client) String() string { return "Client(" + c.server + ")" }

// GoString describes the client without any credential.
func (c *Client) GoString() string {
	return fmt.Sprintf("&%s.Client{server: %q, userAgent: %q}", runtimePackageName(), c.server, c.userAgent)
}

// Format prints the client without credentials for every verb; fmt would
// otherwise dump the unexported credential map.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, c.GoString())
		return
	}
	io.WriteString(f, c.String())
}

func (c *Client) lookupScheme(name string) (securityScheme, bool) {
	for _, s := range c.schemes {
		if s.name == name {
			return s, true
		}
	}
	return securityScheme{}, false
}

// do sends one operation and decodes a successful response into out (nil:
// discard; *[]byte: raw; *string: text; anything else: JSON).
func (c *Client) do(ctx context.Context, op *operation, r *request, out any) error {
	_, data, err := c.send(ctx, op, r)
	if err != nil {
		return err
	}
	return decodeResponse(op, data, out)
}

// doStream sends one operation and returns the successful response's body
// unread; the caller must close it. A 2xx status the operation does not
// stream (undeclared) comes back as the body read in full.
func (c *Client) doStream(ctx context.Context, op *operation, r *request) (io.ReadCloser, error) {
	_, data, body, err := c.exchange(ctx, op, r, true)
	if err != nil {
		return nil, err
	}
	if body == nil {
		body = io.NopCloser(bytes.NewReader(data))
	}
	return body, nil
}

// doResult sends an operation with several success responses and returns
// the status with the body: read in full, or for a streamed status unread
// (body, which the caller must close).
func (c *Client) doResult(ctx context.Context, op *operation, r *request) (status int, data []byte, body io.ReadCloser, err error) {
	return c.exchange(ctx, op, r, true)
}

// send performs the HTTP exchange of one operation and returns the status
// and body of a successful response. Every failure comes back wrapped with
// the operation id: transport and read errors (keeping errors.Is with the
// context's error), ErrResponseTooLarge, and *APIError for non-2xx responses
// and, for APEX operations, for 2xx error envelopes.
func (c *Client) send(ctx context.Context, op *operation, r *request) (int, []byte, error) {
	status, data, _, err := c.exchange(ctx, op, r, false)
	return status, data, err
}

// exchange is send that, when stream is set and op streams the status,
// returns the response body unread instead of reading it.
func (c *Client) exchange(ctx context.Context, op *operation, r *request, stream bool) (int, []byte, io.ReadCloser, error) {
	if r == nil {
		r = newRequest(nil)
	}
	defer c.exts.Range(func(_, v any) bool {
		if o, ok := v.(operationObserver); ok {
			o.operationDone(op)
		}
		return true
	})
	return c.retrying(ctx, op, r, stream)
}

// attempt sends the operation once, building a fresh *http.Request. A
// failure that a retry could cure (see retry.go) is described in out.
func (c *Client) attempt(ctx context.Context, op *operation, r *request, stream bool, out *attemptOutcome) (int, []byte, io.ReadCloser, error) {
	parentCtx := ctx
	cancel := context.CancelFunc(func() {})
	var headerTimer *time.Timer
	switch {
	case c.timeout > 0 && stream && len(op.stream) > 0:
		// A streamed body is read at the caller's pace (a download, an
		// event stream), after this returns: the timeout covers the
		// exchange up to the response headers, the caller's context the
		// rest.
		var cancelCause context.CancelCauseFunc
		ctx, cancelCause = context.WithCancelCause(ctx)
		headerTimer = time.AfterFunc(c.timeout, func() { cancelCause(errHeaderTimeout) })
		cancel = func() { cancelCause(nil) }
	case c.timeout > 0:
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	req, err := c.newHTTPRequest(ctx, op, r)
	if err != nil {
		cancel()
		return 0, nil, nil, fmt.Errorf("%s: %w", op.id, err)
	}
	// A streamed request body (multipart) is written by a goroutine into a
	// pipe; closing it once the exchange is over ends that goroutine even
	// when the transport stopped reading early.
	done := cancel
	if pr, ok := req.Body.(*io.PipeReader); ok {
		done = func() { pr.Close(); cancel() }
	}
	// A caller's stream is consumed by the first attempt, even one that
	// net/http could rewind (a *bytes.Reader), since the next attempt
	// builds its request from the same reader; a body without GetBody (one
	// an editor replaced) cannot be sent twice either.
	out.replayable = r.bodyReader == nil && !r.multipart &&
		(req.Body == nil || req.Body == http.NoBody || req.GetBody != nil)
	// The secrets on req are listed when an error needs scrubbing, not on
	// every call (see request.secretForms).
	r.sentReq, r.sentBy, r.sentForms = req, c, nil
	resp, err := c.httpClient.Do(req)
	if headerTimer != nil && !headerTimer.Stop() && context.Cause(ctx) == errHeaderTimeout {
		if err == nil && resp.Body != nil {
			resp.Body.Close()
		}
		done()
		return 0, nil, nil, fmt.Errorf("%s: %w", op.id, errHeaderTimeout)
	}
	if err != nil {
		done()
		// No response arrived. The caller's own cancellation is final;
		// the per-attempt timeout is not.
		out.transport = parentCtx.Err() == nil
		return 0, nil, nil, fmt.Errorf("%s: %w", op.id, c.scrubError(err, r.secretForms()))
	}
	if resp.Body == nil {
		// http.Client never does this, but a custom HTTPDoer might.
		resp.Body = http.NoBody
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if ok && stream && op.streams(resp.StatusCode) {
		return resp.StatusCode, nil, &streamBody{ReadCloser: resp.Body, done: done}, nil
	}
	defer done()
	defer resp.Body.Close()

	data, err := readSized(resp.Body, c.maxResponseBytes, resp.ContentLength)
	if err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			return 0, nil, nil, fmt.Errorf("%s: HTTP %d: %w (limit %d bytes)", op.id, resp.StatusCode, err, c.maxResponseBytes)
		}
		return 0, nil, nil, fmt.Errorf("%s: read response: %w", op.id, c.scrubError(err, r.secretForms()))
	}
	if !ok {
		out.status = resp.StatusCode
		out.retryAfter, out.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return 0, nil, nil, newAPIError(op, resp.StatusCode, data, r.secretForms())
	}
	if op.apex {
		if e := apexEnvelopeError(op, resp.StatusCode, data); e != nil {
			e.scrub(data, r.secretForms())
			return 0, nil, nil, e
		}
	}
	if op.rejectable {
		if e := rejectedError(op, resp.StatusCode, data); e != nil {
			return 0, nil, nil, e
		}
	}
	return resp.StatusCode, data, nil, nil
}

// errHeaderTimeout ends a streaming call whose response headers did not
// arrive within the client's timeout.
var errHeaderTimeout = fmt.Errorf("no response within the timeout: %w", context.DeadlineExceeded)

// streamBody is a response body handed to the caller; closing it also
// releases the request body's writer and the call's context.
type streamBody struct {
	io.ReadCloser
	done func()
}

// Close closes the response body.
func (b *streamBody) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}

// newHTTPRequest turns the operation and its parameters into an
// *http.Request: URL, body, default headers, parameters, security, optional
// decorators, then client and per-call editors, in that order so that each
// later stage can override an earlier one.
func (c *Client) newHTTPRequest(ctx context.Context, op *operation, r *request) (*http.Request, error) {
	if r.err != nil {
		return nil, r.err
	}
	path, err := r.expandPath(op.path)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(c.server + path)
	if err != nil {
		return nil, fmt.Errorf("build URL: %v", err)
	}
	if len(r.query) > 0 {
		u.RawQuery = strings.Join(r.query, "&")
	}
	var body io.Reader
	contentType := r.contentType
	var mp *io.PipeReader
	built := false // set on success; the multipart writer is released otherwise
	switch {
	case r.multipart:
		// Set below, once the request exists.
	case r.bodyReader != nil:
		body = r.bodyReader
	case r.body != nil:
		// bytes.Reader lets net/http set Content-Length and GetBody, so
		// redirects and HTTP/2 retries can replay the body.
		body = bytes.NewReader(r.body)
	}
	// Methods are case-sensitive on the wire; the spec's keys are lower case.
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(op.method), u.String(), body)
	if err != nil {
		return nil, err
	}
	// The fixed headers share one backing array for their values (each
	// Header.Set allocates one); the keys are already canonical.
	fixed := make([]string, 0, 3)
	setFixed := func(k, v string) {
		fixed = append(fixed, v)
		req.Header[k] = fixed[len(fixed)-1 : len(fixed) : len(fixed)]
	}
	if op.accept != "" {
		setFixed("Accept", op.accept)
	}
	setFixed("User-Agent", c.userAgent)
	if r.multipart {
		// The boundary is chosen by the writer; the Content-Type is set
		// here so that editors below see it.
		// The writer starts now, so that an editor may read the body (to
		// sign it); every failure below closes the pipe, which ends it.
		mp, contentType = multipartBody(r.parts)
		req.Body = mp
		defer func() {
			if !built || req.Body != io.ReadCloser(mp) {
				mp.Close()
			}
		}()
		req.GetBody = nil
		req.ContentLength = -1
	}
	if contentType != "" {
		setFixed("Content-Type", contentType)
	}
	for k, vs := range r.header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if len(r.cookies) > 0 {
		req.Header.Add("Cookie", strings.Join(r.cookies, "; "))
	}
	if err := c.applySecurity(req, op); err != nil {
		return nil, err
	}
	c.exts.Range(func(_, v any) bool {
		if d, ok := v.(requestDecorator); ok {
			d.decorateRequest(req, op)
		}
		return true
	})
	for _, ed := range c.editors {
		if err := ed(ctx, req); err != nil {
			return nil, fmt.Errorf("request editor: %w", err)
		}
	}
	for _, ed := range r.editors {
		if ed == nil {
			continue
		}
		if err := ed(ctx, req); err != nil {
			return nil, fmt.Errorf("request editor: %w", err)
		}
	}
	built = true
	return req, nil
}

// applySecurity applies the first alternative of op.security whose schemes
// all have credentials. Anonymous alternatives ({}) never win over a
// satisfiable one: a caller who configured credentials for an optionally
// authenticated endpoint expects them to be sent. With no satisfiable
// alternative nothing is sent and the server decides.
func (c *Client) applySecurity(req *http.Request, op *operation) error {
	if len(op.security) == 0 {
		return nil
	}
	c.credMu.RLock()
	defer c.credMu.RUnlock()
	for _, alt := range op.security {
		if len(alt) == 0 {
			continue
		}
		satisfied := true
		for _, name := range alt {
			if c.creds[name] == nil {
				satisfied = false
				break
			}
		}
		if !satisfied {
			continue
		}
		for _, name := range alt {
			s, _ := c.lookupScheme(name)
			c.creds[name].apply(req, s)
		}
		return nil
	}
	return nil
}

// redactedError replaces the text of an error whose original message held a
// secret while keeping the cause available to errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

// Error returns the redacted text.
func (e *redactedError) Error() string { return e.msg }

// Unwrap returns the original cause.
func (e *redactedError) Unwrap() error { return e.err }

// readLimited reads at most limit bytes. It reads one byte more to tell "at
// the limit" from "over it", and never more than that.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	n := limit
	if n < math.MaxInt64 {
		n++
	}
	data, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, ErrResponseTooLarge
	}
	return data, nil
}

// readSized is readLimited that, given the body's declared length (0 or
// more, within the limit), reads into one buffer of that size instead of
// growing one from 512 bytes: a megabyte body is then read with one
// allocation and no copying. A length that lies only costs growth.
func readSized(r io.Reader, limit, size int64) ([]byte, error) {
	if size < 0 || size > limit {
		return readLimited(r, limit)
	}
	n := limit
	if n < math.MaxInt64 {
		n++
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r, n)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, ErrResponseTooLarge
	}
	return buf.Bytes(), nil
}

// decodeResponse stores a successful response body in out.
func decodeResponse(op *operation, data []byte, out any) error {
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*o = data
		return nil
	case *string:
		*o = string(data)
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: decode response: empty body", op.id)
	}
	if op.object && jsonKind(data) == 'z' {
		// encoding/json would leave the struct zero and report nothing.
		return fmt.Errorf("%s: decode response: null body, expected a JSON object", op.id)
	}
	var err error
	if r, ok := out.(jsonReadable); ok {
		err = readJSONTop(data, r) // the generated decoder
	} else {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		return fmt.Errorf("%s: decode response: %w", op.id, err)
	}
	return nil
}

// runtimePackageName is the name of the package these files were copied
// into, for GoString output; it is derived rather than hard-coded because
// the generator chooses the package name.
func runtimePackageName() string {
	name := reflect.TypeFor[securityScheme]().String()
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}
