package client

import "time"

// PollSchedule says how often WaitForIntegration looks at an integration.
//
// Immuta's transitions range from a second (validation fails at once) to many minutes
// (bootstrapping a new database), and nothing tells a wait in advance which one it
// faces. The schedule keeps the lag, the time from the end of a transition to the look
// that sees it, a fixed share of the transition, whatever its length:
//
//   - every Initial at first, and at least until FastFor (2.4 s by default), because
//     each second of a short wait is felt by the user, most of Immuta's transitions end
//     within a few seconds, and a tenth of a second is below what anyone notices;
//   - then each interval is Factor-1 of the time elapsed since the wait began (10 % by
//     default), so a transition that ends just after a look is seen at most 10 % of
//     its length later, and the looks grow geometrically (×1.1 per look);
//   - never more than Max apart, so the lag of a very long transition stays bounded
//     (60 s by default, which is 10 % of ten minutes).
//
// A look's interval is Initial until FastFor, then max(Initial, (Factor-1)·elapsed),
// capped at Max, and shortened by a random share of up to Jitter of itself: jitter
// only ever shortens, so the bounds hold with any rnd. The default has no jitter:
// waits in progress together share their looks (watch.go), and in step is what lets
// one list answer for all of them.
//
// Past FastFor, no interval can be longer and keep the worst lag within 10 %: a
// transition that ends just after a look at t is seen at the next one, t+interval(t)
// later. What it costs, by TestPollScheduleBounds and
// TestPollScheduleTable (a fake clock, 200 waits per row, the transition anywhere in
// its last tenth, 40 ms answers; `make bench` prints this table):
//
//	transition   looks (mean/max)   lag (mean/worst)   allowed
//	1s                 6.7 /   7       75ms / 150ms      150ms
//	2.3s              15.4 /  16       81ms / 149ms      230ms
//	10s               30.9 /  31      394ms / 909ms         1s
//	31s               42.7 /  43       1.4s / 2.8s        3.1s
//	1m40s             55.2 /  56       4.9s / 9.9s         10s
//	5m0s              66.7 /  67      14.9s / 28.0s        30s
//	10m0s             73.8 /  74      23.4s / 54.6s        60s
//	30m0s             93.9 /  94      27.3s / 59.3s        60s
//
// What it trades: a fixed 1 s poller sees a 31 s transition within a second at 31
// looks; this schedule sees it within 3.1 s at 43 looks, but the same schedule also
// sees a 10-minute one within a minute at 74 looks where the 1 s poller spends 600,
// and a 2.3 s one within 150 ms where the 1 s poller may take a second. Without the
// fast phase past 1.5 s (where 10 % reaches Initial) the schedule would be the
// sparsest with these bounds, one look fewer at 31 s and ten minutes, but a 2.3 s
// transition would be seen up to 230 ms late; the fast phase is most of the cost of a
// short wait, the growth most of a long one. Looser lag would buy fewer looks: ×1.2
// growth halves the looks past 2.4 s and doubles the lag.
//
// That is the cost of a wait that knows nothing. Once a Client has seen a few
// operations of a kind end, or an integration's own earlier operations of that kind
// say how long it takes (history.go), its later waits of that kind follow nextLook
// instead, which brings them to about one look each (TestLearnedLookBudget). A
// prediction only ever replaces the looks of its own kind of operation: a wait with
// nothing learned for its kind follows the schedule, whatever other kinds predict.
//
// The tables count the looks of one wait alone; waits in progress together share
// their looks (watch.go), so an apply pays about one request per look, not per wait.
type PollSchedule struct {
	Initial time.Duration // shortest interval, and the first look's delay
	FastFor time.Duration // look every Initial at least this long (0: until 10 % of elapsed exceeds Initial)
	Max     time.Duration // longest interval
	Factor  float64       // an interval is (Factor-1)·elapsed; <=1 means DefaultPollSchedule.Factor
	Jitter  float64       // each delay is shortened by rnd·Jitter of itself; 0 to 0.9
}

// DefaultPollSchedule is the schedule of a zero Config.Poll: every 150 ms for the first
// 2.4 s, then every 10 % of the time elapsed, at most every minute.
var DefaultPollSchedule = PollSchedule{
	Initial: 150 * time.Millisecond,
	FastFor: 2400 * time.Millisecond,
	Max:     60 * time.Second,
	Factor:  1.1,
}

func (s PollSchedule) normalized() PollSchedule {
	if s.Initial <= 0 {
		s.Initial = DefaultPollSchedule.Initial
	}
	if s.Max <= 0 {
		s.Max = DefaultPollSchedule.Max
	}
	if s.Max < s.Initial {
		s.Max = s.Initial
	}
	if s.Factor <= 1 {
		s.Factor = DefaultPollSchedule.Factor
	}
	if s.Jitter < 0 {
		s.Jitter = 0
	}
	if s.Jitter > 0.9 {
		s.Jitter = 0.9
	}
	return s
}

// delay is the wait before look number attempt (0 for the first), elapsed after the
// wait began, for rnd drawn uniformly from [0,1). It is pure, for tests and benchmarks.
func (s PollSchedule) delay(attempt int, elapsed time.Duration, rnd float64) time.Duration {
	s = s.normalized()
	base := s.Initial
	if attempt > 0 && elapsed >= s.FastFor {
		if grown := (s.Factor - 1) * float64(elapsed); grown >= float64(s.Max) {
			base = s.Max
		} else {
			base = max(s.Initial, time.Duration(grown))
		}
	}
	if rnd < 0 || rnd != rnd {
		rnd = 0
	}
	if rnd >= 1 {
		rnd = 0.999999
	}
	return time.Duration(float64(base) * (1 - s.Jitter*rnd))
}

// nextLook is when a wait looks next, as time since it began, after look number
// attempt-1 at last (attempt 0: no look yet, last 0). typical is how long the
// operation usually takes, as learned from earlier waits of this Client (see
// watch.go); 0 means nothing is learned and the schedule alone decides.
//
// With typical known, the wait skips the schedule's looks before it: the first look
// comes one dense interval after typical (Initial/2, or typical/32 for long
// operations), then one every dense interval, four more; after that the integration
// is late and the schedule takes over again. Looking a dense interval late bounds the
// lag as the dense looks do, and lets one shared look catch integrations whose
// operations began up to that much apart (Terraform starts a wave of creates over
// tens of milliseconds). An early end (a validation that fails at once) is seen at
// the typical moment at the latest, and never more than Max after the previous look;
// a late one costs the dense looks plus what the schedule costs anyway. rnd is as for
// delay. Pure, for tests and benchmarks.
func (s PollSchedule) nextLook(typical time.Duration, attempt int, last time.Duration, rnd float64) time.Duration {
	return s.lookAfter(typical, s.dense(typical), attempt, last, rnd)
}

// nextDeletionLook is nextLook for a deletion, whose first predicted look comes at
// typical itself, the middle of the estimate. A deletion ends only on a GET by id
// that says 404, one per integration, so a shared look at the middle costs one list
// beside those GETs, and tells which deletions are over: about half are, and are seen
// up to a dense interval sooner. (For a create or an update the same look would often
// be a second list beside the one the wave needs, so they look a dense interval later.)
func (s PollSchedule) nextDeletionLook(typical time.Duration, attempt int, last time.Duration, rnd float64) time.Duration {
	return s.lookAfter(typical, 0, attempt, last, rnd)
}

// lookAfter looks first lead after typical, then densely; see nextLook.
func (s PollSchedule) lookAfter(typical, lead time.Duration, attempt int, last time.Duration, rnd float64) time.Duration {
	s = s.normalized()
	if typical > 0 {
		dense := s.dense(typical)
		first := typical + lead
		switch {
		case last+dense <= first:
			return min(first, last+s.Max)
		case last < first+4*dense:
			return last + dense
		}
	}
	return last + s.delay(attempt, last, rnd)
}

// dense is the interval of the looks around a predicted end: Initial/2, or typical/32
// for long operations, at most Max.
func (s PollSchedule) dense(typical time.Duration) time.Duration {
	return min(max(s.Initial/2, typical/32), s.Max)
}
