package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// WaitForIntegration looks at the integration until it settles for op: by
// GET /integrations/{id}, or through a GET /integrations shared with the Client's other
// waits in progress (see watch.go).
//
// What it does on each status is the status table's (status.go): for create and
// update it returns the integration once it is enabled; for delete it returns
// (nil, nil) on 404 or "deleted"; a status the table says fails the operation is a
// *StatusError; a 404 during a create or update is an error.
//
// A status it does not know is an error, since guessing could wait forever or report
// success. A look that fails with a transient fault (api.IsTransient: network, 429, 5xx, a
// spoiled answer), even after its retries, never ends the wait: only a settled status,
// Immuta's error statuses, a failure retrying cannot fix, or ctx do. When ctx ends, the
// error is a *TimeoutError that wraps ctx.Err() and names the last status seen.
func (c *Client) WaitForIntegration(ctx context.Context, id string, op Operation, opts ...WaitOption) (*Integration, error) {
	what := fmt.Sprintf("wait for integration %s to %s", id, op)
	switch op {
	case OpCreate, OpUpdate, OpDelete:
	default:
		return nil, fmt.Errorf("%s: unknown operation %q", what, op)
	}
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", what)
	}
	return c.pollIntegration(ctx, id, what, op, waitOptionsOf(opts).history, c.waitDecide(id, op, what))
}

// waitDecide is WaitForIntegration's judgement of one look.
func (c *Client) waitDecide(id string, op Operation, what string) func(*Integration, error) (bool, *Integration, error) {
	return func(in *Integration, err error) (bool, *Integration, error) {
		if err != nil {
			if op == OpDelete && IsNotFound(err) {
				c.lists.markGone(id)
				return true, nil, nil
			}
			if IsNotFound(err) {
				return true, nil, fmt.Errorf("%s: the integration disappeared: %w", what, err)
			}
			if api.IsTransient(err) {
				// A failed look is not an outcome: look again, within ctx.
				return false, nil, nil
			}
			return true, nil, fmt.Errorf("%s: %w", what, err)
		}
		done, out, jerr := judge(in, id, op, what)
		if op == OpDelete && done && jerr == nil {
			c.lists.markGone(id)
		}
		return done, out, jerr
	}
}

// judge reads the status table: what a wait for op does on seeing in's status.
func judge(in *Integration, id string, op Operation, what string) (bool, *Integration, error) {
	rule, ok := RuleOf(in.Status)
	if !ok {
		return true, nil, fmt.Errorf("%s: Immuta reports status %q, which this client does not know", what, in.Status)
	}
	switch rule.On(op) {
	case WaitGoOn:
		return false, nil, nil
	case WaitDone:
		if op == OpDelete {
			return true, nil, nil
		}
		return true, in, nil
	}
	return true, nil, &StatusError{ID: id, Op: op, Status: in.Status, FailedTests: in.ValidationResults.Failed()}
}

// waitSettled polls until the integration is settled (the status table); a 404
// comes back as the GET's error so that callers can use IsNotFound.
func (c *Client) waitSettled(ctx context.Context, id string, from Status) (*Integration, error) {
	what := fmt.Sprintf("wait for integration %s to leave %q", id, from)
	return c.pollIntegration(ctx, id, what, "", nil, func(in *Integration, err error) (bool, *Integration, error) {
		if err != nil {
			return !api.IsTransient(err), nil, err
		}
		return settled(in.Status), in, nil
	})
}

// pollIntegration is the one polling loop. decide gets each look's outcome and says
// whether to stop, with what. Looks are timed by PollSchedule.nextLook and may be
// shared with the Client's other waits (watch.go); op is what the wait learns about
// and predicts from, "" for neither.
func (c *Client) pollIntegration(ctx context.Context, id, what string, op Operation, hist *History,
	decide func(*Integration, error) (bool, *Integration, error)) (*Integration, error) {
	typical := c.typicalFor(hist, op) // fixed for this wait (see waiter.typical)
	nextLook := c.poll.nextLook
	if op == OpDelete {
		nextLook = c.poll.nextDeletionLook
	}
	w := c.watch.add(id, op, typical)
	defer c.watch.remove(w)
	var last Status
	var lastAt time.Duration // of the latest look; every look before the last saw it busy
	shared := false          // the latest look was a list's
	for attempt := 0; ; attempt++ {
		// Times run from one look's start to the next, so a slow answer does not
		// stretch the schedule; a look never starts before the previous one ended.
		// After a shared look the waits are in step and should stay so: jitter would
		// only let the earliest of them pull the next shared look forward.
		rnd := c.api.Rand()
		if shared {
			rnd = 0
		}
		next := nextLook(typical, attempt, lastAt, rnd)
		lk, err := c.watch.look(ctx, w, w.start.Add(next), w.start.Add(lastAt))
		if err != nil {
			return nil, c.waitCtxError(id, op, last, err)
		}
		if lk.err != nil && ctx.Err() != nil && !IsNotFound(lk.err) {
			return nil, c.waitCtxError(id, op, last, ctx.Err())
		}
		if lk.err == nil {
			last = lk.in.Status
		}
		at := lk.at.Sub(w.start)
		if done, out, derr := decide(lk.in, lk.err); done {
			// It settled, well or badly, between the previous look and this one.
			var se *StatusError
			if derr == nil || errors.As(derr, &se) {
				c.learnEnd(hist, op, lastAt, at) // estimate.go
			}
			return out, derr
		}
		lastAt, shared = at, lk.shared
	}
}

// waitCtxError is the error of a wait whose context ended.
func (c *Client) waitCtxError(id string, op Operation, last Status, err error) error {
	if err == nil {
		err = context.Canceled
	}
	return &TimeoutError{ID: id, Op: op, LastStatus: last, Err: err}
}

// refusedWait marks err's *TimeoutError, if any, as the wait of a request Immuta
// refused while the integration settled.
func refusedWait(err error, op Operation) {
	var te *TimeoutError
	if errors.As(err, &te) {
		te.Refused = true
		if te.Op == "" {
			te.Op = op
		}
	}
}
