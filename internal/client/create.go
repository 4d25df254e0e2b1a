package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// lookupTries bounds the lookups by host after a create whose outcome was lost, when
// nothing is found and the POST cannot be sent again (interrupted, or out of
// attempts): a list may leave an integration out, so one empty answer proves nothing.
const lookupTries = 5

// lookupTimeout bounds those lookups when the caller's context has already ended
// (Ctrl-C, the create timeout): they run on a fresh context, since an integration
// created and not recorded would be "someone else's" to the next apply.
const lookupTimeout = time.Minute

// CreateIntegration POSTs p and returns the integration it made. It never creates a
// duplicate and never adopts someone else's integration:
//
//   - Before the first POST it learns which Redshift hosts already have an
//     integration (one GET /integrations shared by the creates that start together,
//     hosts.go).
//   - The POST is re-sent without a look only when the server certainly did not act
//     (429, 503 and failures before anything was sent are retried by do).
//   - When the outcome may be lost (an answer cut short or unreadable, 500/502/504,
//     the connection lost or timed out after sending, ctx ending after sending, or a
//     409 on a retry), it looks for the integration on p's host, on a fresh bounded
//     context if ctx has ended. One found on a host that had none before this POST is
//     this apply's: it is returned as if the POST had answered (the caller records it
//     and waits). None found: the POST is sent again (a 409 then names ours).
//   - An integration that held the host before is an *ExistingIntegrationError (its
//     id, for an import block); Immuta's 409 stays reachable through Unwrap.
func (c *Client) CreateIntegration(ctx context.Context, p Payload) (*Integration, error) {
	const op = "create integration"
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	host := p.Config.Host
	snap, err := c.watch.hostsBefore(ctx)
	cr := &creation{c: c, op: op, host: host, want: p}
	switch {
	case err == nil:
		cr.prior, cr.known = c.watch.holder(snap, host), true
		c.watch.notePrior(host, cr.prior)
	case errors.Is(err, errSnapshotSlow):
		// Sent without knowing the hosts: a lost outcome is then reported, not adopted.
		c.logger.Log(ctx, LevelWarn, "create: sent without a snapshot of the hosts", map[string]any{"host": host, "cause": err.Error()})
	default:
		return nil, fmt.Errorf("%s: listing the integrations, to learn whether Redshift host %q already has one, failed, so nothing was sent: %w", op, host, err)
	}
	var sent int
	for {
		res, err := c.do(ctx, call{method: http.MethodPost, path: "/integrations", body: body, create: true, sent: &sent})
		var cause error
		if err == nil {
			in, derr := integrationAnswer(res, http.MethodPost, "/integrations", "")
			if derr == nil {
				derr = CheckCreated(in, host)
			}
			if derr == nil {
				return in, nil
			}
			// Immuta said yes but we cannot read what it made: the integration exists,
			// and only a lookup can name it. It is never sent again.
			in, _, err := cr.lookup(ctx, fmt.Errorf("the answer was unusable although Immuta accepted the request: %w", derr), false)
			return in, err
		}
		if ex := existingFromConflict(err, host); ex != nil {
			return cr.conflict(ctx, ex, sent > 1)
		}
		if !mayHaveActed(err) {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		cause = err
		in, resend, err := cr.lookup(ctx, cause, sent <= c.retryMax)
		if !resend {
			return in, err
		}
	}
}

// mayHaveActed: a failure after which Immuta may have created the integration.
func mayHaveActed(err error) bool {
	var ms *maybeSentError
	if errors.As(err, &ms) {
		return true
	}
	var e *Error
	return errors.As(err, &e) && (e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests) || spoiledStatus(err)
}

// creation is one CreateIntegration's knowledge of its host.
type creation struct {
	c     *Client
	op    string
	host  string
	prior string // id of the integration on host before the first POST, "" for none
	known bool   // prior is known (the snapshot came in time)
	want  Payload
}

// mine: the configuration Immuta reports is the one this create sent. A list can
// leave an integration out, so a snapshot that shows a host free is strong evidence,
// not proof; an integration on the host with another database, port or
// authentication is someone else's, whatever the snapshot said.
func (cr *creation) mine(in *Integration) bool {
	got, want := in.Config, cr.want.Config
	port := func(p int) int {
		if p == 0 {
			return DefaultRedshiftPort
		}
		return p
	}
	return in.AutoBootstrap == cr.want.AutoBootstrap &&
		normalizeHost(got.Host) == normalizeHost(want.Host) &&
		got.Database == want.Database &&
		port(got.Port) == port(want.Port) &&
		(got.AuthenticationType == "" || want.AuthenticationType == "" || got.AuthenticationType == want.AuthenticationType)
}

// adopt returns the integration a POST of this apply made although its answer was lost.
func (cr *creation) adopt(ctx context.Context, in *Integration, cause error) (*Integration, error) {
	cr.c.logger.Log(ctx, LevelWarn, "create: the answer was lost; the integration on the host was not there before this request, so it is this apply's", map[string]any{
		"integration_id": in.ID.String(), "host": cr.host, "cause": cause.Error(),
	})
	return in, nil
}

// conflict handles a 409 "already exists on host": ours if an earlier attempt of this
// create may have acted and the host had none before it.
func (cr *creation) conflict(ctx context.Context, ex *ExistingIntegrationError, retried bool) (*Integration, error) {
	switch {
	case !retried || (cr.known && ex.ID == cr.prior):
		// Our first POST met it, or it held the host before: someone else's.
	case cr.known && cr.prior == "":
		in, err := cr.c.GetIntegration(ctx, ex.ID)
		switch {
		case err == nil && cr.mine(in):
			return cr.adopt(ctx, in, ex.Err)
		case err != nil:
			ex.Ambiguous = true // cannot tell
		}
	default:
		ex.Ambiguous = true
	}
	return nil, fmt.Errorf("%s: %w", cr.op, ex)
}

// lookup finds out what a create whose outcome was lost did. It returns the
// integration when it is this apply's, resend when nothing is on the host and the
// POST may be sent again (canResend and ctx alive), or an error.
func (cr *creation) lookup(ctx context.Context, cause error, canResend bool) (in *Integration, resend bool, err error) {
	c := cr.c
	lctx := ctx
	interrupted := ctx.Err() != nil
	if interrupted {
		var cancel context.CancelFunc
		lctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
		defer cancel()
	}
	var lastErr error
	for try := 1; try <= lookupTries; try++ {
		// Give a server still processing the lost request time to finish first.
		if serr := c.sleep(lctx, c.backoff(try)); serr != nil {
			lastErr = serr
			break
		}
		found, ferr := c.FindRedshiftIntegrationByHost(lctx, cr.host)
		switch {
		case ferr == nil && found != nil:
			return cr.found(ctx, found, cause)
		case ferr == nil && canResend && !interrupted && ctx.Err() == nil:
			return nil, true, nil
		case ferr != nil:
			lastErr = ferr
		default:
			lastErr = fmt.Errorf("no integration on host %q is listed", cr.host)
		}
	}
	return nil, false, fmt.Errorf("%s: %w; the outcome is unknown: Redshift host %q may now have an integration made by this request, and looking for it failed: %w",
		cr.op, cause, cr.host, lastErr)
}

func (cr *creation) found(ctx context.Context, found *Integration, cause error) (*Integration, bool, error) {
	id := found.ID.String()
	switch {
	case cr.known && cr.prior == "" && cr.mine(found):
		in, err := cr.adopt(ctx, found, cause)
		return in, false, err
	case (cr.known && id == cr.prior) || !cr.mine(found):
		// It was there before this apply's POST, or it is not what this POST asked
		// for: someone else's.
		return nil, false, fmt.Errorf("%s: %w", cr.op, &ExistingIntegrationError{ID: id, Host: cr.host, Err: cause})
	}
	return nil, false, fmt.Errorf("%s: %w", cr.op, &ExistingIntegrationError{ID: id, Host: cr.host, Ambiguous: true, Err: cause})
}

// WaitForCreated is WaitForIntegration(ctx, id, OpCreate) for the integration that
// CreateIntegration(p) returned, which also checks that each look is about an
// integration on p's host: a cached or misrouted create answer can name another
// integration (someone else's, or another create's). When a look is about another
// host, or says 404, the integration this create made is looked up by host (as for a
// lost answer) and waited for instead. It returns the id it ended with, which the
// caller records even when the wait fails; "" means the id named was not this
// create's and none was found: record nothing.
func (c *Client) WaitForCreated(ctx context.Context, id string, p Payload) (string, *Integration, error) {
	host := p.Config.Host
	for try := 0; ; try++ {
		what := fmt.Sprintf("wait for integration %s to %s", id, OpCreate)
		decide := c.waitDecide(id, OpCreate, what)
		elsewhere := false
		in, err := c.pollIntegration(ctx, id, what, OpCreate, func(in *Integration, err error) (bool, *Integration, error) {
			if (err == nil && CheckCreated(in, host) != nil) || (err != nil && IsNotFound(err)) {
				elsewhere = true
				return true, nil, nil
			}
			return decide(in, err)
		})
		if !elsewhere {
			return id, in, err
		}
		prior, known := c.watch.priorFor(host)
		cr := &creation{c: c, op: "create integration", host: host, prior: prior, known: known, want: p}
		cause := fmt.Errorf("the create answer named integration %s, which is not on host %q", id, host)
		found, _, lerr := cr.lookup(ctx, cause, false)
		if lerr != nil || found == nil || try >= 2 {
			if lerr == nil {
				lerr = fmt.Errorf("create integration: %w", cause)
			}
			return "", nil, lerr
		}
		id = found.ID.String()
	}
}
