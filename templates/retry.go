package templates

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy configures WithRetry. A zero field takes its default.
//
// Only calls that are safe to repeat are retried. The spec says which: an
// operation marked x-idempotent (or x-kiiex-idempotent) true or false, and
// otherwise every operation whose HTTP method is idempotent (GET, HEAD,
// OPTIONS, PUT, DELETE, TRACE; RFC 9110 section 9.2.2). The KIIEX spec
// marks its read calls (Get*, Ping), which APEX sends as POST; calls that
// change state, such as SendOrder or a withdrawal, are retried only when
// the call passes RetryCall(true), and RetryCall(false) keeps a call from
// being retried. A call whose request body is a stream (an io.Reader
// upload, a multipart form) is never retried: it cannot be sent twice.
//
// A call is retried after a transport error (no response arrived, e.g.
// connection refused or reset) and after HTTP 429, 502, 503 and 504. HTTP
// 500 is not retried: it reports a failure of the server while handling
// the request, which repeating seldom cures and may make worse.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts including the first (default
	// 3); 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry (default 200ms); it
	// doubles for every further retry. Each wait is drawn uniformly from
	// [0, backoff) ("full jitter"), so that clients do not retry in step.
	BaseDelay time.Duration
	// MaxDelay caps every wait, the backoff and a server's Retry-After
	// alike (default 10s).
	MaxDelay time.Duration
}

const (
	defaultRetryAttempts = 3
	defaultRetryBase     = 200 * time.Millisecond
	defaultRetryMax      = 10 * time.Second
)

// WithRetry retries failed calls that are safe to repeat, following p (see
// RetryPolicy). Without it no call is retried unless it passes
// RetryCall(true). Each attempt is a new request: credentials, decorators
// and editors are applied again, and WithTimeout bounds each attempt. A
// Retry-After header (seconds or an HTTP date) sets the wait, capped by
// MaxDelay; when the wait would pass the context's deadline, the call
// returns the last error at once.
func WithRetry(p RetryPolicy) ClientOption {
	return func(c *Client) error {
		if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 {
			return fmt.Errorf("WithRetry: negative field in %+v", p)
		}
		p = p.withDefaults()
		c.retry = &p
		return nil
	}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = defaultRetryAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = defaultRetryBase
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = defaultRetryMax
	}
	return p
}

// retryOverride is where RetryCall records its choice for the call in
// progress; the call puts it in the context its editors receive.
type retryOverride struct {
	set, on bool
}

type retryOverrideKey struct{}

// RetryCall, passed to an operation method as a per-call option, turns
// retries on (true) or off (false) for that call, whatever its method.
// RetryCall(true) is how a POST call the caller knows to be safe to repeat
// is retried; it uses the client's RetryPolicy, or the defaults without
// WithRetry. A streamed request body is still never retried.
func RetryCall(on bool) RequestEditorFn {
	return func(ctx context.Context, _ *http.Request) error {
		if o, ok := ctx.Value(retryOverrideKey{}).(*retryOverride); ok {
			o.set, o.on = true, on
		}
		return nil
	}
}

// attemptOutcome describes a failed attempt for the retry decision.
type attemptOutcome struct {
	replayable    bool          // the request body can be sent again
	transport     bool          // no response arrived, and the caller's context is live
	status        int           // non-2xx status; 0: none
	retryAfter    time.Duration // the response's Retry-After
	hasRetryAfter bool
}

// retryable reports whether the failure is worth another attempt.
func (o *attemptOutcome) retryable() bool {
	if !o.replayable {
		return false
	}
	switch o.status {
	case 0:
		return o.transport
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retrying runs the attempts of one call.
func (c *Client) retrying(ctx context.Context, op *operation, r *request, stream bool) (int, []byte, io.ReadCloser, error) {
	override := &retryOverride{}
	ctx = context.WithValue(ctx, retryOverrideKey{}, override)
	for n := 1; ; n++ {
		var out attemptOutcome
		status, data, body, err := c.attempt(ctx, op, r, stream, &out)
		if err == nil || !out.retryable() {
			return status, data, body, err
		}
		// The override is read after the first attempt, whose editors set it.
		p := c.retry
		if override.set {
			if !override.on {
				return status, data, body, err
			}
			if p == nil {
				d := RetryPolicy{}.withDefaults()
				p = &d
			}
		} else if p == nil || !op.idempotent {
			return status, data, body, err
		}
		if n >= p.MaxAttempts {
			return status, data, body, err
		}
		wait := c.backoff(p, n)
		if out.hasRetryAfter {
			wait = min(out.retryAfter, p.MaxDelay)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return status, data, body, err
		}
		if c.sleep(ctx, wait) != nil {
			return status, data, body, err
		}
	}
}

// backoff draws the wait before retry n (1: the first retry) with full
// jitter: uniform in [0, min(MaxDelay, BaseDelay*2^(n-1))).
func (c *Client) backoff(p *RetryPolicy, n int) time.Duration {
	ceil := p.MaxDelay
	if n-1 < 62 {
		if d := p.BaseDelay << (n - 1); d > 0 && d>>(n-1) == p.BaseDelay && d < ceil {
			ceil = d
		}
	}
	if ceil <= 0 {
		return 0
	}
	return time.Duration(c.jitter(int64(ceil)))
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date
// (RFC 9110 section 10.2.3). A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(time.Duration(1<<63-1)/time.Second) {
			return time.Duration(1<<63 - 1), true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
