package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RequestTimeoutError reports a request that got no answer in time: the operation's
// deadline passed while it was being sent or retried (Deadline), or every attempt it
// was allowed ran past its own per-attempt timeout (a gateway that holds requests
// open). It is never a caller's cancellation (Ctrl-C): that stays context.Canceled,
// so the caller can tell "ran out of time" from "was interrupted". It unwraps to the
// last attempt's error, which wraps context.DeadlineExceeded.
type RequestTimeoutError struct {
	Method string
	Path   string
	// Attempts is how many times the request was sent.
	Attempts int
	// Waited is the time from the first attempt to giving up.
	Waited time.Duration
	// AttemptTimeout is what each attempt was allowed (Config.AttemptTimeout).
	AttemptTimeout time.Duration
	// Deadline is true when the operation's own deadline (the caller's context) ran
	// out, false when the retries ran out with every attempt timed out.
	Deadline bool
	// LastAnswer is the last attempt's answer when it had one (a 503 whose retry the
	// deadline cut short); nil when no attempt was answered.
	LastAnswer *Error
	Err        error
}

func (e *RequestTimeoutError) Error() string {
	attempts := "1 attempt"
	if e.Attempts != 1 {
		attempts = fmt.Sprintf("%d attempts", e.Attempts)
	}
	waited := roundWait(e.Waited)
	if e.LastAnswer != nil {
		return fmt.Sprintf("%s %s: out of time after %s (%s); the last answer: %s", e.Method, e.Path, waited, attempts, e.LastAnswer)
	}
	if e.Deadline {
		return fmt.Sprintf("%s %s: no answer within the %s this operation allows (%s)", e.Method, e.Path, waited, attempts)
	}
	return fmt.Sprintf("%s %s: no answer to any of %s in %s (each given up after %s)", e.Method, e.Path, attempts, waited, e.AttemptTimeout)
}

func (e *RequestTimeoutError) Unwrap() error { return e.Err }

// roundWait keeps a wait readable: milliseconds below a second, tenths above.
func roundWait(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// outOfTime turns the final error of do into a *RequestTimeoutError when the request
// ran out of time rather than failing: the operation's deadline passed, or each
// attempt timed out. The create POST keeps its own handling (a create cut short may
// have reached Immuta: maybeSentError, CreateIntegration), and a cancelled context
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
