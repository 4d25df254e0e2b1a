package client

import (
	"context"
	"errors"
	"fmt"
)

// TimeoutError reports a wait that ended because its context did: the operation's
// timeout ran out (Err is context.DeadlineExceeded) or the caller gave up, say on
// Ctrl-C (context.Canceled). It is terraform-provider-aws's retry.TimeoutError for
// this client: the caller learns what Immuta last showed, so it can say in plain words
// what is left in Immuta, instead of "context canceled".
type TimeoutError struct {
	ID string
	// Op is what the wait was for.
	Op Operation
	// LastStatus is the status of the latest look; "" if no look answered.
	LastStatus Status
	// Refused: Immuta had refused the request itself (409: the integration was still
	// settling), and the wait was for it to settle so that the request could be sent
	// again. Immuta has not accepted the operation.
	Refused bool
	// Err is the context's error.
	Err error
}

func (e *TimeoutError) Error() string {
	ended := "timed out"
	if e.Interrupted() {
		ended = "was interrupted"
	}
	wait := fmt.Sprintf("the wait for the %s", opNoun(e.Op))
	if e.Refused {
		wait = fmt.Sprintf("the wait for Immuta to accept the %s", opNoun(e.Op))
	}
	if e.LastStatus == "" {
		return fmt.Sprintf("%s of integration %s %s before Immuta reported its status", wait, e.ID, ended)
	}
	return fmt.Sprintf("%s of integration %s %s; Immuta last reported it %q", wait, e.ID, ended, e.LastStatus)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Interrupted reports a wait the caller cancelled, rather than one whose deadline
// passed.
func (e *TimeoutError) Interrupted() bool {
	return errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded)
}

func opNoun(op Operation) string {
	switch op {
	case OpCreate:
		return "creation"
	case OpUpdate:
		return "update"
	case OpDelete:
		return "deletion"
	}
	return "operation"
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
