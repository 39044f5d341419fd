package templates

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// scripted is a server answering the n-th request (from 0) with
// statuses[n] (the last one repeated), recording every request body and
// Authorization header.
type scripted struct {
	mu       sync.Mutex
	statuses []int
	header   http.Header // set on every non-2xx answer
	bodies   []string
	auths    []string
}

func (s *scripted) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.bodies) }

func newScripted(t *testing.T, header http.Header, statuses ...int) (*scripted, *httptest.Server) {
	t.Helper()
	s := &scripted{statuses: statuses, header: header}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, string(b))
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		st := s.statuses[min(n, len(s.statuses)-1)]
		s.mu.Unlock()
		if st/100 != 2 {
			for k, v := range s.header {
				w.Header()[k] = v
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		io.WriteString(w, `{"n":`+strconv.Itoa(n)+`}`)
	}))
	t.Cleanup(srv.Close)
	return s, srv
}

// fakeSleep records the waits instead of sleeping.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func retryClient(t *testing.T, url string, opts ...ClientOption) (*Client, *fakeSleep) {
	t.Helper()
	c := newTestClient(t, url, opts...)
	fs := &fakeSleep{}
	c.sleep = fs.sleep
	c.jitter = func(n int64) int64 { return n - 1 } // the top of the range
	return c, fs
}

var (
	getOp  = &operation{id: "GetThing", method: "GET", path: "/thing", security: [][]string{{"bearerAuth"}}, idempotent: true}
	postOp = &operation{id: "SendOrder", method: "POST", path: "/SendOrder"}
)

func TestRetryReadHonoursRetryAfter(t *testing.T) {
	s, srv := newScripted(t, http.Header{"Retry-After": {"1"}}, 503, 503, 200)
	edits := 0
	c, fs := retryClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 4}), WithAuth("bearerAuth", BearerToken("tok")))
	var out struct{ N int }
	r := newRequest([]RequestEditorFn{func(_ context.Context, req *http.Request) error {
		edits++
		if req.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("editor %d saw Authorization %q", edits, req.Header.Get("Authorization"))
		}
		return nil
	}})
	if err := c.do(context.Background(), getOp, r, &out); err != nil {
		t.Fatalf("do: %v", err)
	}
	if out.N != 2 || s.count() != 3 {
		t.Fatalf("answer %d after %d requests, want 2 after 3", out.N, s.count())
	}
	if want := []time.Duration{time.Second, time.Second}; !equalDurations(fs.waits, want) {
		t.Errorf("waits %v, want %v (Retry-After)", fs.waits, want)
	}
	if edits != 3 {
		t.Errorf("per-call editor ran %d times, want once per attempt (3)", edits)
	}
	for i, a := range s.auths {
		if a != "Bearer tok" {
			t.Errorf("attempt %d Authorization %q: credentials not re-applied", i, a)
		}
	}
}

func TestRetryAfterCappedAndDates(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{" 7 ", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Friday, 02-Jan-26 03:04:15 GMT", 10 * time.Second, true}, // RFC 850, still accepted
		{"99999999999999999999", 0, false},
		{"9999999999999", time.Duration(1<<63 - 1), true},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}

	_, srv := newScripted(t, http.Header{"Retry-After": {"3600"}}, 429, 200)
	c, fs := retryClient(t, srv.URL, WithRetry(RetryPolicy{MaxDelay: 2 * time.Second}))
	if err := c.do(context.Background(), getOp, newRequest(nil), nil); err != nil {
		t.Fatalf("do: %v", err)
	}
	if want := []time.Duration{2 * time.Second}; !equalDurations(fs.waits, want) {
		t.Errorf("waits %v, want %v (Retry-After capped by MaxDelay)", fs.waits, want)
	}
}

func TestRetryStatuses(t *testing.T) {
	for _, st := range []int{400, 401, 404, 409, 500, 501} {
		s, srv := newScripted(t, nil, st, 200)
		c, _ := retryClient(t, srv.URL, WithRetry(RetryPolicy{}))
		err := c.do(context.Background(), getOp, newRequest(nil), nil)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != st || s.count() != 1 {
			t.Errorf("HTTP %d: err %v after %d requests, want the APIError after 1", st, err, s.count())
		}
	}
	for _, st := range []int{429, 502, 503, 504} {
		s, srv := newScripted(t, nil, st)
		c, fs := retryClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 3}))
		err := c.do(context.Background(), getOp, newRequest(nil), nil)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != st || s.count() != 3 || len(fs.waits) != 2 {
			t.Errorf("HTTP %d: err %v after %d requests and %d waits, want the last APIError after 3 and 2", st, err, s.count(), len(fs.waits))
		}
	}
}

func TestRetryOffByDefault(t *testing.T) {
	s, srv := newScripted(t, nil, 503, 200)
	c, _ := retryClient(t, srv.URL)
	if err := c.do(context.Background(), getOp, newRequest(nil), nil); err == nil || s.count() != 1 {
		t.Fatalf("err %v after %d requests, want an error after 1: retries are opt-in", err, s.count())
	}
}

func TestRetryPostOnlyWhenForced(t *testing.T) {
	body := map[string]int{"qty": 5}
	s, srv := newScripted(t, nil, 503, 200)
	c, _ := retryClient(t, srv.URL, WithRetry(RetryPolicy{}))
	r := newRequest(nil)
	r.setJSON(body)
	if err := c.do(context.Background(), postOp, r, nil); err == nil || s.count() != 1 {
		t.Fatalf("POST: err %v after %d requests, want an error after 1", err, s.count())
	}

	// Forced per call, even on a client without WithRetry.
	s, srv = newScripted(t, nil, 503, 502, 200)
	c, _ = retryClient(t, srv.URL)
	r = newRequest([]RequestEditorFn{RetryCall(true)})
	r.setJSON(body)
	if err := c.do(context.Background(), postOp, r, nil); err != nil {
		t.Fatalf("forced POST: %v", err)
	}
	if s.count() != 3 {
		t.Fatalf("forced POST sent %d times, want 3", s.count())
	}
	for i, b := range s.bodies {
		if b != `{"qty":5}` {
			t.Errorf("attempt %d body %q, want the JSON body replayed", i, b)
		}
	}

	// Turned off per call on a read.
	s, srv = newScripted(t, nil, 503, 200)
	c, _ = retryClient(t, srv.URL, WithRetry(RetryPolicy{}))
	if err := c.do(context.Background(), getOp, newRequest([]RequestEditorFn{RetryCall(false)}), nil); err == nil || s.count() != 1 {
		t.Fatalf("RetryCall(false): err %v after %d requests, want an error after 1", err, s.count())
	}
}

func TestRetryNeverReplaysStreams(t *testing.T) {
	for _, name := range []string{"reader", "bytes.Reader", "multipart"} {
		s, srv := newScripted(t, nil, 503, 200)
		c, _ := retryClient(t, srv.URL, WithRetry(RetryPolicy{}))
		r := newRequest([]RequestEditorFn{RetryCall(true)})
		switch name {
		case "reader":
			r.setRaw(io.MultiReader(strings.NewReader("abc")), "application/octet-stream")
		case "bytes.Reader":
			// net/http could rewind it, but the next attempt would read
			// the same, consumed reader.
			r.setRaw(strings.NewReader("abc"), "application/octet-stream")
		case "multipart":
			r.startMultipart()
			r.formField("f", "abc")
		}
		op := &operation{id: "Upload", method: "PUT", path: "/up", idempotent: true}
		if err := c.do(context.Background(), op, r, nil); err == nil || s.count() != 1 {
			t.Errorf("%s: err %v after %d requests, want an error after 1", name, err, s.count())
		}
	}
}

func TestRetryTransportError(t *testing.T) {
	// A listener closed at once: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, fs := retryClient(t, "http://"+addr, WithRetry(RetryPolicy{MaxAttempts: 3}))
	if err := c.do(context.Background(), getOp, newRequest(nil), nil); err == nil {
		t.Fatal("no error from a closed port")
	}
	if len(fs.waits) != 2 {
		t.Errorf("%d waits, want 2 (3 attempts)", len(fs.waits))
	}

	// A cancelled caller is never retried.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, fs = retryClient(t, "http://"+addr, WithRetry(RetryPolicy{}))
	if err := c.do(ctx, getOp, newRequest(nil), nil); !errors.Is(err, context.Canceled) || len(fs.waits) != 0 {
		t.Errorf("cancelled: err %v, %d waits; want context.Canceled, 0", err, len(fs.waits))
	}
}

func TestRetryStopsAtDeadline(t *testing.T) {
	s, srv := newScripted(t, http.Header{"Retry-After": {"5"}}, 503, 200)
	c, fs := retryClient(t, srv.URL, WithRetry(RetryPolicy{}))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := c.do(ctx, getOp, newRequest(nil), nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("err %v, want the 503 APIError", err)
	}
	if s.count() != 1 || len(fs.waits) != 0 || time.Since(start) > time.Second {
		t.Errorf("%d requests, %d waits, %v: want 1, 0 and an immediate return", s.count(), len(fs.waits), time.Since(start))
	}

	// The real sleep gives up when the context ends during the wait.
	_, srv = newScripted(t, nil, 503, 200)
	c = newTestClient(t, srv.URL, WithRetry(RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}))
	c.jitter = func(n int64) int64 { return n - 1 }
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if err := c.do(ctx, getOp, newRequest(nil), nil); !errors.As(err, &ae) {
		t.Errorf("cancelled during the wait: err %v, want the 503 APIError", err)
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	c := &Client{}
	for n := 1; n <= 70; n++ {
		ceil := min(p.BaseDelay<<min(n-1, 20), p.MaxDelay)
		var seen int64 = -1
		c.jitter = func(k int64) int64 { seen = k; return k - 1 }
		if got := c.backoff(&p, n); got != ceil-1 || seen != int64(ceil) {
			t.Errorf("retry %d: top wait %v from range %d, want %v from %d", n, got, seen, ceil-1, ceil)
		}
		c.jitter = func(int64) int64 { return 0 }
		if got := c.backoff(&p, n); got != 0 {
			t.Errorf("retry %d: bottom wait %v, want 0", n, got)
		}
	}
	// The real source stays in range.
	c2, _ := NewClient("http://x")
	for range 1000 {
		if d := c2.backoff(&p, 3); d < 0 || d >= 400*time.Millisecond {
			t.Fatalf("backoff %v outside [0, 400ms)", d)
		}
	}
}

func TestWithRetryValidation(t *testing.T) {
	if _, err := NewClient("http://x", WithRetry(RetryPolicy{MaxAttempts: -1})); err == nil {
		t.Error("negative MaxAttempts accepted")
	}
	c, err := NewClient("http://x", WithRetry(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	if *c.retry != (RetryPolicy{defaultRetryAttempts, defaultRetryBase, defaultRetryMax}) {
		t.Errorf("defaults %+v", *c.retry)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
