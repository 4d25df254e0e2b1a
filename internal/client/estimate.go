package client

import "time"

// The one estimator of how long an operation takes. It learns from two sources and
// predicts from them in one place:
//
//   - this process: every wait that saw its integration settle records when
//     (watcher.learn), and later waits of the same operation predict from the recent
//     ones (watcher.typical, typicalEnd);
//   - the integration's own history, kept by the caller between commands (History,
//     passed to a wait with WithHistory), which wins when it knows the operation.
//
// A wait that ends records into both with the same span (settledSpan).

// WaitOption adjusts one wait.
type WaitOption func(*waitOptions)

type waitOptions struct {
	history *History
}

// WithHistory makes the wait predict from h and record into it; a nil h does
// nothing.
func WithHistory(h *History) WaitOption {
	return func(o *waitOptions) {
		if h != nil {
			o.history = h
		}
	}
}

func waitOptionsOf(opts []WaitOption) waitOptions {
	var o waitOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// settledSpan is when an operation ended, given that the look at lo saw it busy and
// the look at hi saw it settled. A wide span (the first look already saw the end) is
// cut to its last 2·Initial or quarter: it still bounds the end from above, and the
// estimate outvotes the rare end it misplaces.
func (c *Client) settledSpan(lo, hi time.Duration) (time.Duration, time.Duration) {
	return max(lo, hi-max(2*c.poll.normalized().Initial, hi/4)), hi
}

// typicalFor is how long op usually takes for the integration the wait is about: from
// its own History when that has op's ends, else as learned by this Client from other
// integrations (0: nothing known, the schedule decides).
func (c *Client) typicalFor(h *History, op Operation) time.Duration {
	if op == "" {
		return 0
	}
	if h != nil {
		if d := h.typical(op); d > 0 {
			return d
		}
	}
	return c.watch.typical(op)
}

// learnEnd records that op ended between the looks at lo and hi, in this process and
// in h.
func (c *Client) learnEnd(h *History, op Operation, lo, hi time.Duration) {
	if op == "" {
		return
	}
	lo, hi = c.settledSpan(lo, hi)
	c.watch.learn(op, lo, hi)
	if h != nil {
		h.add(op, (lo+hi)/2)
	}
}
