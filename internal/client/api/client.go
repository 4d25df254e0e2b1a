package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Client sends the requests of Immuta's Integrations API: one typed call per
// endpoint, each one request with its retries (do, the only place that retries). It
// is safe for concurrent use; its only mutable state is the tenant's last "come back
// in N seconds" (slowdown.go), which guards itself.
type Client struct {
	base           string
	token          string
	userAgent      string
	http           *http.Client
	logger         Logger
	retryMax       int
	waitMin        time.Duration
	waitMax        time.Duration
	attemptTimeout time.Duration
	slow           slowDown // the tenant's last "come back in N seconds" (slowdown.go)

	// sleep and rand are replaced in tests to observe waits without spending them.
	sleep func(ctx context.Context, d time.Duration) error
	rand  func() float64
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := NormalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	tok := strings.TrimSpace(cfg.APIToken)
	if err := validateToken(tok); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	hc, err := newHTTPClient(cfg.HTTPClient, cfg.CACertPEM)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:           base,
		token:          tok,
		userAgent:      cfg.UserAgent,
		http:           hc,
		logger:         cfg.Logger,
		retryMax:       cfg.RetryMax,
		waitMin:        cfg.RetryWaitMin,
		waitMax:        cfg.RetryWaitMax,
		attemptTimeout: cfg.AttemptTimeout,
		sleep:          sleepCtx,
		rand:           rand.Float64,
	}
	return c, nil
}

// BaseURL is the normalized tenant root, e.g. "https://acme.immuta.com".
func (c *Client) BaseURL() string { return c.base }

// RetryMax is how many times a failed request is retried (Config.RetryMax, with its
// default applied); the layer above bounds its own rounds of re-sending by it.
func (c *Client) RetryMax() int { return c.retryMax }

// Sleep waits d or until ctx is done, on the same clock as the retries, so that the
// layer above's waits are observed in tests as the retries' are.
func (c *Client) Sleep(ctx context.Context, d time.Duration) error { return c.sleep(ctx, d) }

// Rand returns the jitter source of the retries, a number in [0, 1).
func (c *Client) Rand() float64 { return c.rand() }

// call describes one logical request; do may send it several times.
type call struct {
	method string
	path   string // escaped, from the root: "/integrations/12"
	body   []byte // nil: no body and no Content-Type
	// script answers may be text/plain and are never logged.
	script bool
	// create is the POST that makes an integration: it is only retried when the server
	// certainly did not act, and a maybe-sent failure is handed back as *maybeSentError.
	create bool
	// sent, when set, counts attempts across several do calls (the create's re-sends)
	// against the same RetryMax budget.
	sent *int
	// evidence, for the create, counts its failed attempts by what their answers
	// prove (create_evidence.go).
	evidence *AttemptEvidence
	// accept, when set, reads a 2xx answer and says whether it can be believed (the
	// JSON expected, about the id asked for). A refusal is a *BadAnswerError, retried
	// like a transient fault, except for the create, which has acted.
	accept func(*Response) error
	// stream, when set, decodes a 2xx answer from the wire instead of reading it whole
	// (the list of every integration of a tenant); its failure is retried as accept's.
	stream func(io.Reader) error
}

// maxBody bounds what is read of an answer that is read whole. The list of every
// integration, which may be far larger, is streamed (call.stream) and not bounded.
const maxBody = 32 << 20

// do sends k, retrying as its policy allows; it is the only place that retries. It
// returns the answer of a 2xx, an *Error for any other status, or a transport error.
func (c *Client) do(ctx context.Context, k call) (*Response, error) {
	secrets := newSecretSet(append(collectSecrets(k.body), c.token)...)
	var local int
	if k.sent == nil {
		k.sent = &local
	}
	began, refusals := time.Now(), 0
	for {
		if err := c.passSlowDown(ctx, &k, began); err != nil {
			return nil, err
		}
		*k.sent++
		n := *k.sent
		res, sent, dur, err := c.attempt(ctx, &k)
		ok := err == nil && res.Status >= 200 && res.Status < 300
		if ok {
			if aerr := c.believe(&k, res); aerr != nil {
				err, ok = aerr, false
			}
		}
		if ok {
			c.logAttempt(ctx, attemptLog{call: &k, attempt: n, res: res, duration: dur}, secrets)
			return res, nil
		}

		retry, wait := false, time.Duration(0)
		var redirect *RedirectError
		switch {
		case res != nil && err != nil:
			// A 2xx that cannot be believed. The create has acted: handed back, never
			// re-sent; anything else is asked again.
			retry = !k.create
			wait = c.Backoff(n)
		case errors.As(err, &redirect):
			// Refused before anything left for the other origin; the server that answered
			// did not act, so even the create may be sent again.
			err = fmt.Errorf("%s %s: %w", k.method, k.path, redirect)
			retry = true
			wait = c.Backoff(n)
		case err != nil && ctx.Err() != nil:
			err = fmt.Errorf("%s %s: %w", k.method, k.path, ctx.Err())
			if k.create && sent {
				err = &maybeSentError{err: err}
			}
		case err != nil:
			err = fmt.Errorf("%s %s: %w", k.method, k.path, unwrapURLError(err))
			if k.create && sent {
				err = &maybeSentError{err: err}
			} else {
				retry = retryableTransportError(err)
				wait = c.Backoff(n)
			}
		default:
			err = c.newError(k, res, secrets)
			// A 404 that is not Immuta's is a spoiled answer (api/answers.go), asked again;
			// the create's own handling looks before anything is re-sent.
			retry = retryableStatus(k.create, res.Status) || (!k.create && spoiledStatus(err))
			wait = c.retryWait(n, res)
		}
		if k.create {
			// Only an attempt that Immuta certainly did not act on is sent again blindly.
			retry = k.evidence.Note(res, sent, err) && retry
		}
		// A create that may have reached Immuta keeps its own handling (the caller of PostIntegration).
		if pe := c.permanentFailure(err, res, n); pe != nil && (!k.create || !sent || res != nil) {
			err, retry = pe, false
		}
		// Immuta's own refusal with a Retry-After is waited out within the deadline and
		// not counted against RetryMax (retry.go).
		var last error
		refused := false
		if after, cause, ok := immutaRefusal(err, res); ok {
			refused = true
			refusals++
			wait, last = c.waitOutRefusal(ctx, &k, began, after, cause)
			if last != nil {
				err = last
			}
		}
		retry = retry && (refused || n-refusals <= c.retryMax)
		c.logAttempt(ctx, attemptLog{call: &k, attempt: n, res: res, err: err, duration: dur, retryIn: wait, retry: retry}, secrets)
		if !retry {
			if n > 1 && !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w (gave up after %d attempts)", err, n)
			}
			return nil, c.outOfTime(ctx, &k, n, began, err)
		}
		if serr := c.sleep(ctx, wait); serr != nil || last != nil {
			if last != nil {
				return nil, last // what was left of the deadline was waited out
			}
			return nil, c.outOfTime(ctx, &k, n, began, fmt.Errorf("%w; stopped retrying: %w", err, serr))
		}
	}
}

// attempt sends k once. sent reports whether the request's headers were written, which
// is what makes a failed create POST ambiguous.
func (c *Client) attempt(ctx context.Context, k *call) (res *Response, sent bool, dur time.Duration, err error) {
	// Every attempt has its own timeout, the create POST's included: a request that
	// hangs must not hold the whole operation's timeout. A create cut short may have
	// reached Immuta (maybeSentError); the caller of PostIntegration finds out.
	actx := ctx
	if c.attemptTimeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, c.attemptTimeout)
		defer cancel()
	}
	var wrote atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
	})
	var body io.Reader
	if k.body != nil {
		body = bytes.NewReader(k.body)
	}
	req, err := http.NewRequestWithContext(actx, k.method, c.base+k.path, body)
	if err != nil {
		return nil, false, 0, err
	}
	req.Header.Set("Authorization", c.token)
	req.Header.Set("User-Agent", c.userAgent)
	if k.script {
		req.Header.Set("Accept", "application/json, text/plain;q=0.9")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	if k.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, wrote.Load(), time.Since(start), err
	}
	defer resp.Body.Close()
	if k.stream != nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		serr := k.stream(resp.Body)
		return &Response{Status: resp.StatusCode, Header: resp.Header, StreamErr: serr}, true, time.Since(start), nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	dur = time.Since(start)
	if err != nil {
		return nil, true, dur, fmt.Errorf("reading the answer (%d): %w", resp.StatusCode, err)
	}
	if len(b) > maxBody {
		return nil, true, dur, fmt.Errorf("answer larger than %d bytes", maxBody)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, true, dur, nil
}

// believe applies the call's checks to a 2xx answer.
func (c *Client) believe(k *call, res *Response) error {
	err := res.StreamErr
	if err == nil && k.accept != nil {
		err = k.accept(res)
	}
	return badAnswer(k.method, k.path, err)
}

func (c *Client) newError(k call, res *Response, secrets secretSet) *Error {
	return errorAnswer(k.method, k.path, res, secrets)
}

// unwrapURLError drops *url.Error's "Post \"https://...\"" prefix: the caller already
// names the method and path, and the rest of the chain stays inspectable.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

func integrationPath(id string) string { return "/integrations/" + url.PathEscape(id) }
