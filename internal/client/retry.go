package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
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

// retryableTransportError rejects failures that the same request would meet again.
func retryableTransportError(err error) bool {
	if errors.Is(err, errTooManyRedirects) || errors.Is(err, context.Canceled) {
		return false
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"unsupported protocol scheme", "invalid header", "http: server gave HTTP response to HTTPS client"} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// backoff is exponential with full jitter: a random wait between RetryWaitMin and
// min(RetryWaitMax, RetryWaitMin·2^(attempt-1)), so that many clients hit by the same
// outage do not come back in step.
func (c *Client) backoff(attempt int) time.Duration {
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
// away must not be spent on one proxy's idea of a pause.
func (c *Client) retryWait(attempt int, res *response) time.Duration {
	if res != nil {
		if d, ok := parseRetryAfter(res.header.Get("Retry-After"), time.Now()); ok {
			if limit := 3 * c.waitMax; d > limit {
				d = limit
			}
			return d
		}
	}
	return c.backoff(attempt)
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
