package kiiex

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// The KIIEX spec marks its read calls x-kiiex-idempotent, so WithRetry
// repeats them although APEX sends every call as POST; SendOrder carries no
// mark and is sent once unless the call asks for more.

// flakyKIIEX answers each function's first request (or every request, for
// the names in always) with 503 and Retry-After: 2, and records when each
// request arrived.
type flakyKIIEX struct {
	mu     sync.Mutex
	always map[string]bool
	seen   map[string]int
	tokens []string
}

func (f *flakyKIIEX) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	f.mu.Lock()
	f.seen[r.URL.Path]++
	n := f.seen[r.URL.Path]
	f.tokens = append(f.tokens, r.Header.Get("aptoken"))
	always := f.always[r.URL.Path]
	f.mu.Unlock()
	if n == 1 || always {
		w.Header().Set("Retry-After", "2")
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	switch r.URL.Path {
	case "/GetInstruments":
		io.WriteString(w, `[{"omsId":1,"instrumentId":1,"symbol":"USDTCOPM"}]`)
	case "/SendOrder":
		io.WriteString(w, `{"status":"Accepted","OrderId":7}`)
	}
}

func (f *flakyKIIEX) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[path]
}

func newFlaky(t *testing.T, always ...string) (*flakyKIIEX, *Client, *[]time.Duration) {
	f := &flakyKIIEX{always: map[string]bool{}, seen: map[string]int{}}
	for _, p := range always {
		f.always[p] = true
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, WithSessionToken("tok"), WithRetry(RetryPolicy{MaxAttempts: 3, MaxDelay: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	// Record the waits instead of sleeping through them.
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return f, c, &waits
}

func TestReadRetriedOn503HonouringRetryAfter(t *testing.T) {
	f, c, waits := newFlaky(t)
	got, err := c.GetInstruments(context.Background(), &GetInstrumentsRequest{OMSID: 1})
	if err != nil {
		t.Fatalf("GetInstruments: %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("decoded %d instruments, want 1", len(got))
	}
	if sym, ok := got[0].Symbol.Get(); !ok || sym != "USDTCOPM" {
		t.Errorf("decoded %+v", got)
	}
	if n := f.count("/GetInstruments"); n != 2 {
		t.Errorf("%d requests, want 2 (one retry)", n)
	}
	if len(*waits) != 1 || (*waits)[0] != 2*time.Second {
		t.Errorf("waits %v, want [2s] from Retry-After", *waits)
	}
	for i, tok := range f.tokens {
		if tok != "tok" {
			t.Errorf("attempt %d sent aptoken %q", i+1, tok)
		}
	}
}

func TestSendOrderNotRetriedByDefault(t *testing.T) {
	f, c, waits := newFlaky(t)
	req := &SendOrderRequest{InstrumentID: 1, OMSID: 1, AccountID: 9, Quantity: MustDecimal("10")}
	_, err := c.SendOrder(context.Background(), req)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("SendOrder error %v, want the 503 as *APIError", err)
	}
	if n := f.count("/SendOrder"); n != 1 || len(*waits) != 0 {
		t.Fatalf("SendOrder sent %d times after waits %v, want once", n, *waits)
	}
	// The caller may say the order is safe to resend (e.g. it carries a
	// client order id the server deduplicates).
	if _, err := c.SendOrder(context.Background(), req, RetryCall(true)); err != nil {
		t.Fatalf("SendOrder with RetryCall(true): %v", err)
	}
	if n := f.count("/SendOrder"); n != 2 {
		t.Errorf("SendOrder requests %d, want 2 (the second call succeeded at once)", n)
	}
}

func TestReadRetriesStopAtMaxAttemptsAndOptOut(t *testing.T) {
	f, c, _ := newFlaky(t, "/GetInstruments")
	if _, err := c.GetInstruments(context.Background(), &GetInstrumentsRequest{OMSID: 1}); err == nil {
		t.Fatal("GetInstruments succeeded against a server that is always busy")
	}
	if n := f.count("/GetInstruments"); n != 3 {
		t.Errorf("%d attempts, want MaxAttempts = 3", n)
	}
	if _, err := c.GetInstruments(context.Background(), &GetInstrumentsRequest{OMSID: 1}, RetryCall(false)); err == nil {
		t.Fatal("want the 503")
	}
	if n := f.count("/GetInstruments"); n != 4 {
		t.Errorf("RetryCall(false): %d attempts in total, want 4", n)
	}
}
