package client

import "time"

// PollSchedule says how often WaitForIntegration looks at an integration.
//
// Immuta's transitions range from a second (validation fails at once) to many minutes
// (bootstrapping a new database). A fixed interval is either slow to notice the quick
// ones or wasteful on the slow ones, so the schedule has three parts:
//
//   - a quick first look after Initial/3, for transitions that are already over;
//   - a fast phase: every Initial until FastFor has elapsed, because most transitions
//     end within a few seconds and each second of lag there is felt by the user;
//   - growth: the interval grows to Initial + (Factor-1)·(elapsed-FastFor), i.e. by
//     Factor per poll, up to Max, so the lag stays a fixed share of the time already
//     spent and a long transition costs few requests.
//
// Each delay is shortened by a random share of up to Jitter, so that many resources
// waiting together do not poll in step, and so that Initial and Max stay upper bounds.
// The schedule depends on elapsed time, not only on the attempt number, so slow
// answers do not stretch it.
//
// With DefaultPollSchedule (150ms, fast for 2.5s, ×1.6, max 20s, jitter 0.1), simulated
// by TestPollScheduleBudget and BenchmarkPollSchedule (40ms answers, 200 runs, the
// transition falling anywhere within one fast interval):
//
//	transition   requests (mean/max)   lag (mean/worst)
//	1s                8.7 /   9          66ms / 146ms
//	2.3s             17.8 /  19          71ms / 143ms
//	10s              26.1 /  27          1.1s / 4.6s
//	1min             31.0 /  31         12.6s / 19.9s
//	10min            59.1 /  60          7.4s / 19.1s
//	30min           122.4 / 123          9.3s / 19.8s
//
// A ~2s transition is seen within 150ms, ten minutes cost about 60 requests, and past
// that it is one request per ~19s. The fast phase is most of the cost of a short wait;
// the cap is most of a long one: a lower Max buys lag at one minute with requests.
//
// That is the cost of a wait that knows nothing. Once a Client has seen a few
// operations of a kind end, its later waits of that kind follow NextLook instead
// (TestLearnedLookBudget, the same 200 runs, the actual transition up to 5% or 75ms
// either side of the learned one):
//
//	transition   requests (mean/max)   lag (mean/worst)
//	1s                1.0 /   1          80ms / 149ms
//	2.3s              1.2 /   2          93ms / 188ms
//	10s               1.2 /   2         388ms / 806ms
//	1min              3.6 /   5          1.3s / 3.0s
//	10min            30.5 /  32          9.4s / 19.4s
//	30min            90.7 /  95         10.2s / 20.0s
//
// Both tables count the requests of one wait alone; waits in progress together share
// their looks (watch.go), so an apply pays about one request per tick, not per wait.
type PollSchedule struct {
	Initial time.Duration // interval of the fast phase; the first look comes after Initial/3
	FastFor time.Duration // how long to poll every Initial
	Max     time.Duration // longest interval
	Factor  float64       // growth per poll after FastFor; <1 means DefaultPollSchedule.Factor
	Jitter  float64       // each delay is shortened by rnd·Jitter of itself; 0 to 0.9
}

// DefaultPollSchedule is the schedule of a zero Config.Poll.
var DefaultPollSchedule = PollSchedule{
	Initial: 150 * time.Millisecond,
	FastFor: 2500 * time.Millisecond,
	Max:     20 * time.Second,
	Factor:  1.6,
	Jitter:  0.1,
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
	if s.Factor < 1 {
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

// Delay is the wait before look number attempt (0 for the first), elapsed after the
// wait began, for rnd drawn uniformly from [0,1). It is pure, for tests and benchmarks.
func (s PollSchedule) Delay(attempt int, elapsed time.Duration, rnd float64) time.Duration {
	s = s.normalized()
	var base time.Duration
	switch {
	case attempt <= 0:
		base = s.Initial / 3
	case elapsed < s.FastFor:
		base = s.Initial
	default:
		grown := float64(s.Initial) + (s.Factor-1)*float64(elapsed-s.FastFor)
		if grown >= float64(s.Max) {
			base = s.Max
		} else {
			base = time.Duration(grown)
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

// NextLook is when a wait looks next, as time since it began, after look number
// attempt-1 at last (attempt 0: no look yet, last 0). typical is how long the
// operation usually takes, as learned from earlier waits of this Client (see
// watch.go); 0 means nothing is learned and the schedule alone decides.
//
// With typical known, the wait skips the schedule's looks before it: the first look
// comes one dense interval after typical (Initial/2, or typical/32 for long
// operations), then one every dense interval, four more; after that the integration
// is late and the schedule takes over again. Looking a dense interval late bounds the
// lag as the dense looks do, and lets one shared look catch integrations whose
// operations began up to that much apart. An early end (a validation that fails at
// once) is seen at the typical moment at the latest, and never more than Max after
// the previous look; a late one costs the dense looks plus what the schedule costs
// anyway. rnd is as for Delay. Pure, for tests and benchmarks.
func (s PollSchedule) NextLook(typical time.Duration, attempt int, last time.Duration, rnd float64) time.Duration {
	s = s.normalized()
	if typical > 0 {
		dense := min(max(s.Initial/2, typical/32), s.Max)
		first := typical + dense
		switch {
		case last+dense <= first:
			return min(first, last+s.Max)
		case last < first+4*dense:
			return last + dense
		}
	}
	return last + s.Delay(attempt, last, rnd)
}
