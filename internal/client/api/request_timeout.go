package api

import (
	"context"
	"errors"
	"time"
)

// outOfTime turns the final error of do into a *RequestTimeoutError when the request
// ran out of time rather than failing: the operation's deadline passed, or each
// attempt timed out. The create POST keeps its own handling (a create cut short may
// have reached Immuta: maybeSentError, client.StartCreate), and a cancelled context
// (the user interrupted the run) stays what it is.
func (c *Client) outOfTime(ctx context.Context, k *call, attempts int, began time.Time, err error) error {
	if k.create || !errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.Canceled) {
		return err
	}
	rte := &RequestTimeoutError{
		Method: k.method, Path: k.path, Attempts: attempts, Waited: time.Since(began),
		AttemptTimeout: c.attemptTimeout, Deadline: ctx.Err() != nil, Err: err,
	}
	_ = errors.As(err, &rte.LastAnswer)
	return rte
}
