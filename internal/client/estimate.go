package client

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// The one estimator of how long an operation takes. It learns from two sources and
// predicts from them in one place:
//
//   - this process: every wait that saw its integration settle records when
//     (learner.learn), and later waits of the same operation predict from the recent
//     ones (learner.typical, typicalEnd);
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
	return c.learned.typical(op)
}

// learnEnd records that op ended between the looks at lo and hi, in this process and
// in h.
func (c *Client) learnEnd(h *History, op Operation, lo, hi time.Duration) {
	if op == "" {
		return
	}
	lo, hi = c.settledSpan(lo, hi)
	c.learned.learn(op, lo, hi)
	if h != nil {
		h.add(op, (lo+hi)/2)
	}
}

// Learning in this process: Immuta takes about as long for one integration's create
// as for the next. Each wait that saw its integration settle records when that
// happened, and once a few have, later waits of the same operation look first just
// after the typical moment instead of following the schedule (PollSchedule.nextLook),
// which brings them to about one look each without adding lag. The typical moment
// comes from the last learnKeep waits (typicalEnd), so an odd quick failure or a slow
// outlier does not move it, and the schedule takes over again when an integration is
// late.

const (
	learnKeep = 32 // how many recent durations make the typical one
	learnMin  = 3  // how many before they are trusted
)

// learner keeps the recent durations of each operation seen by this Client's waits.
type learner struct {
	mu    sync.Mutex
	spans map[Operation][]span
}

func newLearner() *learner { return &learner{spans: map[Operation][]span{}} }

// span says that an operation ended after lo and by hi, measured from its wait's start.
type span struct{ lo, hi time.Duration }

// learn records that an op ended after lo and by hi, a span already cut by
// settledSpan.
func (m *learner) learn(op Operation, lo, hi time.Duration) {
	if op == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.spans[op] = appendKeep(m.spans[op], span{lo, hi}, learnKeep)
}

// appendKeep appends v to s and keeps the last n: the learner and History remember
// only recent operations.
func appendKeep[T any](s []T, v T, n int) []T {
	s = append(s, v)
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

// typical is the learned duration of op, or 0 while fewer than learnMin are known.
func (m *learner) typical(op Operation) time.Duration {
	m.mu.Lock()
	d := slices.Clone(m.spans[op])
	m.mu.Unlock()
	if op == "" || len(d) < learnMin {
		return 0
	}
	return typicalEnd(d)
}

// typicalEnd estimates when an operation ends from the spans of recent ones. When
// most spans overlap (the operations take about equally long), it is the middle of
// their overlap: waits that began at different moments but looked at the same moment
// bound the end from both sides, so the overlap narrows with every round. Otherwise
// (durations vary) it is the median of the spans' middles. Either way an odd quick
// failure or a slow outlier is outvoted.
func typicalEnd(spans []span) time.Duration {
	type edge struct {
		at time.Duration
		d  int
	}
	edges := make([]edge, 0, 2*len(spans))
	for _, s := range spans {
		edges = append(edges, edge{s.lo, +1}, edge{s.hi, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.at, b.at) })
	// After the edges at edges[i].at, cover is the number of spans holding the
	// segment from there to the next edge.
	cover, best, from, to := 0, 0, time.Duration(0), time.Duration(0)
	for i, e := range edges {
		cover += e.d
		if i+1 < len(edges) && edges[i+1].at > e.at && cover > best {
			best, from, to = cover, e.at, edges[i+1].at
		}
	}
	if 2*best > len(spans) {
		return (from + to) / 2
	}
	mids := make([]time.Duration, len(spans))
	for i, s := range spans {
		mids[i] = (s.lo + s.hi) / 2
	}
	slices.Sort(mids)
	return mids[len(mids)/2]
}
