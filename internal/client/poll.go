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
