package bench

import (
	"fmt"
	"time"
)

// The floor says what no provider could beat in a scenario whose integrations all
// start together (N <= parallelism: one wave, so nothing can be learned from an
// earlier one): how many looks a wait needs to keep issue 13's lag promise, and so
// how many requests apply + no-op plan + destroy need at least. The bench prints it
// beside the requests target, so that a target below the floor shows as one.

// Lag promise of issue 13: a transition of length T is seen within
// max(promiseFloor, promiseShare·T).
const (
	promiseFloor = 150 * time.Millisecond
	promiseShare = 0.10
)

// SparsestLooks is the number of looks that the sparsest schedule keeping the lag
// promise spends on a wait of length transition. A schedule does not know when the
// transition ends, and one that ends just after a look at t is seen at the next, so
// no interval after t may exceed max(promiseFloor, promiseShare·t): the greedy schedule
// that takes each interval at that bound is the sparsest, and every other schedule
// has at least as many looks by any time. It looks first at promiseFloor (a transition
// that is over at once must be seen by then) and counts looks until one is at or
// after transition.
func SparsestLooks(transition time.Duration) int {
	t, looks := time.Duration(0), 0
	for t < transition {
		t += max(promiseFloor, time.Duration(promiseShare*float64(t)))
		looks++
	}
	return looks
}

// Floor is the least a one-wave scenario can cost over apply, no-op plan and destroy,
// with waits that share their looks (one list answers for all), as a breakdown.
type Floor struct {
	LooksPerWait int
	Requests     int
	Parts        string
}

// FloorOf returns the scenario's floor; ok is false for a scenario of several waves,
// whose later waves may predict from the first.
func FloorOf(n, parallelism int, transition time.Duration) (f Floor, ok bool) {
	if n < 1 || n > parallelism {
		return Floor{}, false
	}
	looks := SparsestLooks(transition)
	// apply: one host snapshot before the creates (issue 9: a lost create outcome is
	// told apart by it), n POSTs, the looks; plan: one list for the n reads; destroy:
	// one refresh list, n DELETEs, the looks, and one GET by id per deletion, since
	// only a 404 ends one (issue 9). With n = 1 the reads and looks go by id, one each.
	lists := 1
	f.LooksPerWait = looks
	f.Requests = (lists + n + looks) + lists + (lists + n + looks + n)
	f.Parts = fmt.Sprintf("apply %d snapshot + %d POST + %d looks, plan %d list, destroy %d refresh + %d DELETE + %d looks + %d GET by id (404)",
		lists, n, looks, lists, lists, n, looks, n)
	return f, true
}

// String is the line the bench prints.
func (f Floor) String(n int, transition time.Duration) string {
	return fmt.Sprintf("floor  the sparsest schedule that keeps the lag promise looks %d times in %v: at least %d requests (%s), %.2f per integration",
		f.LooksPerWait, transition, f.Requests, f.Parts, float64(f.Requests)/float64(n))
}
