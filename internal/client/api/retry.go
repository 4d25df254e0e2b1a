package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retrying is hand-written rather than delegated to go-retryablehttp: the create POST
// needs to know whether its headers left before a failure (to look for the integration
// instead of re-sending), and each attempt is logged with its masked bodies, duration
// and the wait before the next one. retryablehttp's hooks see neither cleanly.

// retryableStatus: GET, PUT, DELETE and the script POSTs are safe to repeat, so any
// sign of a busy or broken gateway is retried. The create POST is retried only on 429
// and 503, and only when they are Immuta's own (do asks create_evidence.go).
func retryableStatus(create bool, code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return !create
	}
	return false
}

// backoff is exponential with full jitter: a random wait between RetryWaitMin and
// min(RetryWaitMax, RetryWaitMin·2^(attempt-1)), so that many clients hit by the same
// outage do not come back in step.
func (c *Client) Backoff(attempt int) time.Duration {
	ceiling := c.waitMax
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 32 {
		if d := c.waitMin << (attempt - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= c.waitMin {
		return c.waitMin
	}
	return c.waitMin + time.Duration(c.rand()*float64(ceiling-c.waitMin))
}

// retryWait honors the server's Retry-After, capped at 3×RetryWaitMax: a deadline far
// away must not be spent on one proxy's idea of a pause. Immuta's own refusals are
// planned by waitOutRefusal instead.
func (c *Client) retryWait(attempt int, res *Response) time.Duration {
	if res != nil {
		if d, ok := parseRetryAfter(res.Header.Get("Retry-After"), time.Now()); ok {
			if limit := 3 * c.waitMax; d > limit {
				d = limit
			}
			return d
		}
	}
	return c.Backoff(attempt)
}

// parseRetryAfter reads delay-seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > 24*3600 {
			secs = 24 * 3600
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// sleepCtx waits d or until ctx is done, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Immuta's own refusals. A 429 or 503 in Immuta's error shape (Error.FromImmuta) with a
// Retry-After says that Immuta did not act on the request and when to come back. Such
// answers are waited out within the operation's deadline (the resource's create,
// update, delete or read timeout reaches the client as ctx), not given up after
// RetryMax attempts: a tenant rate limit shared by many pipelines may refuse one
// request many times in a row, and each refusal is Immuta's word that nothing
// happened, so sending again is safe, the create POST's included. A 429 or 503 of
// another shape (a gateway's HTML page) or without a Retry-After keeps the backoff
// bounded by RetryMax: it says neither who refused nor when to come back.

// immutaRefusal reports the Retry-After of Immuta's own 429 or 503.
func immutaRefusal(err error, res *Response) (time.Duration, *Error, bool) {
	var e *Error
	if res == nil || !errors.As(err, &e) || !e.FromImmuta {
		return 0, nil, false
	}
	if e.StatusCode != http.StatusTooManyRequests && e.StatusCode != http.StatusServiceUnavailable {
		return 0, nil, false
	}
	d, ok := parseRetryAfter(res.Header.Get("Retry-After"), time.Now())
	return d, e, ok
}

// waitOutRefusal plans the wait after Immuta refused a request (immutaRefusal) and
// asked to come back after d: d plus a random share of it (never less than d), so that
// many refused requests do not come back at the same instant. The Client's other
// requests wait as long (slowDown). When d reaches past the deadline (ctx's, or
// RefusalBudget after began without one), the wait is what is left and last is the
// error that ends the request after it.
func (c *Client) waitOutRefusal(ctx context.Context, k *call, began time.Time, d time.Duration, cause *Error) (wait time.Duration, last error) {
	// A Retry-After of 0 (or a date gone by) must not turn into a busy loop.
	d = max(d, c.waitMin)
	now := time.Now()
	c.slow.hold(now, d, cause)
	wait = d + time.Duration(c.rand()*float64(jitterShare(d)))
	return c.withinDeadline(ctx, k, began, now, wait, d, cause, false)
}

// passSlowDown holds a request back, before it is sent, while the tenant has asked
// this Client to slow down (slowDown).
func (c *Client) passSlowDown(ctx context.Context, k *call, began time.Time) error {
	now := time.Now()
	wait, d, cause := c.slow.delay(now, c.rand())
	if wait <= 0 {
		return nil
	}
	wait, last := c.withinDeadline(ctx, k, began, now, wait, d, cause, true)
	if c.logger != nil {
		c.logger.Log(ctx, LevelInfo, LogMsgWait, map[string]any{
			"method": k.method, "path": k.path, "held_ms": wait.Milliseconds(),
			"waiting_for": "the time Immuta named, before " + k.method + " " + k.path + " is sent",
			"why":         "Immuta refused another of this provider's requests and asked to come back later (" + cause.Error() + ")",
		})
	}
	if serr := c.sleep(ctx, wait); serr != nil || last != nil {
		if last != nil {
			return last
		}
		return fmt.Errorf("%s %s: %w, while waiting out Immuta's rate limit", k.method, k.path, serr)
	}
	return nil
}

// withinDeadline cuts a wait that the tenant asked for (d, plus its random share in
// wait) to the deadline: when d itself reaches past it, what is left is waited and the
// request then fails with a *RateLimitError; when only the random share does, the wait
// is d.
func (c *Client) withinDeadline(ctx context.Context, k *call, began, now time.Time, wait, d time.Duration, cause *Error, held bool) (time.Duration, error) {
	deadline, hasDeadline := ctx.Deadline()
	if !hasDeadline {
		deadline = began.Add(RefusalBudget)
	}
	left := max(deadline.Sub(now), 0)
	switch {
	case d > left:
		return left, &RateLimitError{Method: k.method, Path: k.path, Err: cause, RetryAfter: d, Left: left,
			Deadline: hasDeadline, Held: held}
	case wait > left:
		return d, nil
	}
	return wait, nil
}
