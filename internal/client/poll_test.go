package client

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// simulateLooks runs a wait against a fake clock: the integration leaves its
// transitional status at transition, every answer takes latency, and the wait learned
// that the operation typically takes typical (0: nothing learned). It returns the
// number of GETs and the lag between the transition and the GET that saw it.
func simulateLooks(s PollSchedule, typical, transition, latency time.Duration, rnd func() float64) (requests int, lag time.Duration) {
	// Like WaitForIntegration, times run from one request's start to the next's, and
	// a request never starts before the previous answer came back.
	var sentAt, answeredAt time.Duration
	for attempt := 0; ; attempt++ {
		next := s.nextLook(typical, attempt, sentAt, rnd())
		sentAt = max(next, answeredAt)
		answeredAt = sentAt + latency
		requests++
		if sentAt >= transition {
			return requests, sentAt - transition
		}
	}
}

// pollTransitions are the transitions: what the table prints and the
// benchmark measures. The bounds are checked on many more (TestPollScheduleBounds).
var pollTransitions = []time.Duration{
	time.Second, 2300 * time.Millisecond, 10 * time.Second, 31 * time.Second,
	100 * time.Second, 300 * time.Second, 10 * time.Minute, 30 * time.Minute,
}

const simLatency = 40 * time.Millisecond

type pollStats struct {
	meanRequests float64
	meanLag      time.Duration
	worstLag     time.Duration
	maxRequests  int
	worstShare   float64 // the largest lag/allowedLag of the actual transition
}

func pollRuns(s PollSchedule, transition time.Duration, runs int, seed uint64) pollStats {
	return lookRuns(s, transition, false, runs, seed)
}

// lookRuns simulates runs waits. Unlearned, the transition falls anywhere within the
// schedule's interval at transition before it (its last tenth, at least 150 ms), so
// that the worst lag is the worst of transitions up to that long. Learned, the wait knows transition as typical and
// the actual one is up to 5% (at least Initial/2) either side of it, as operations vary.
func lookRuns(s PollSchedule, transition time.Duration, learned bool, runs int, seed uint64) pollStats {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) //nolint:gosec // G404: a reproducible simulation, not a secret
	var st pollStats
	var sumReq int
	var sumLag time.Duration
	for i := 0; i < runs; i++ {
		tr, typical := transition-time.Duration(r.Float64()*float64(s.delay(1, transition, 0))), time.Duration(0)
		if learned {
			spread := max(s.Initial/2, transition/20)
			tr, typical = transition+time.Duration((2*r.Float64()-1)*float64(spread)), transition
		}
		n, lag := simulateLooks(s, typical, tr, simLatency, r.Float64)
		sumReq += n
		sumLag += lag
		st.worstLag = max(st.worstLag, lag)
		st.worstShare = max(st.worstShare, float64(lag)/float64(allowedLag(tr)))
		st.maxRequests = max(st.maxRequests, n)
	}
	st.meanRequests = float64(sumReq) / float64(runs)
	st.meanLag = sumLag / time.Duration(runs)
	return st
}

// allowedLag is the promise of the schedule: a transition is seen within 10 % of its
// length, or 150 ms for short ones, and within a minute however long it takes.
func allowedLag(transition time.Duration) time.Duration {
	if transition > 10*time.Minute {
		return time.Minute
	}
	return max(150*time.Millisecond, transition/10)
}

// TestPollScheduleBounds sweeps transitions from 1 ms to an hour (every 10 ms to a
// minute, then every 250 ms, and each listed one) on a fake clock, with answers that
// take 40 ms and any rnd, and checks the worst lag of each against allowedLag and the
// looks of a ten-minute wait against 75.
func TestPollScheduleBounds(t *testing.T) {
	s := DefaultPollSchedule
	r := rand.New(rand.NewPCG(7, 11)) //nolint:gosec // G404: a reproducible simulation, not a secret
	var trs []time.Duration
	for tr := time.Millisecond; tr <= time.Hour; {
		trs = append(trs, tr)
		switch {
		case tr < time.Minute:
			tr += 10 * time.Millisecond
		default:
			tr += 250 * time.Millisecond
		}
	}
	trs = append(trs, pollTransitions...)
	checked := 0
	for _, tr := range trs {
		for _, rnd := range []func() float64{func() float64 { return 0 }, func() float64 { return 0.999 }, r.Float64} {
			n, lag := simulateLooks(s, 0, tr, simLatency, rnd)
			checked++
			if lag > allowedLag(tr) {
				t.Fatalf("%v transition: lag %v, want at most %v", tr, lag, allowedLag(tr))
			}
			if tr <= 10*time.Minute && n > 75 {
				t.Fatalf("%v transition: %d looks, want at most 75", tr, n)
			}
		}
	}
	// Just before a look is the worst moment to end: the bound must be nearly reached,
	// or the schedule spends looks it need not.
	if n, lag := simulateLooks(s, 0, 10*time.Minute, simLatency, func() float64 { return 0 }); n > 75 || lag > time.Minute {
		t.Errorf("10 min: %d looks, lag %v", n, lag)
	}
	t.Logf("%d waits checked", checked)
}

// TestPollScheduleTable prints the schedule's cost and lag for the issue's
// transitions (`make bench` shows it) and checks each row against the promise.
func TestPollScheduleTable(t *testing.T) {
	s := DefaultPollSchedule
	var b strings.Builder
	fmt.Fprintf(&b, "the poll schedule on a fake clock (%d waits per row, the transition anywhere in its last tenth or 150 ms, %v answers)\n", 200, simLatency)
	fmt.Fprintf(&b, "%-11s  %17s  %19s  %13s\n", "transition", "looks (mean/max)", "lag (mean/worst)", "allowed")
	for _, tr := range pollTransitions {
		st := pollRuns(s, tr, 200, 1)
		fmt.Fprintf(&b, "%-11v  %8.1f / %4d    %7v / %7v  %13v\n", tr, st.meanRequests, st.maxRequests,
			roundLag(st.meanLag), roundLag(st.worstLag), allowedLag(tr))
		if st.worstShare > 1 {
			t.Errorf("%v transition: a lag %.2f times what its transition allows", tr, st.worstShare)
		}
		if tr == 2300*time.Millisecond && st.worstLag > 150*time.Millisecond {
			t.Errorf("2.3s transition: worst lag %v; the short workload is promised 150ms", st.worstLag)
		}
		if tr == 10*time.Minute && st.maxRequests > 75 {
			t.Errorf("10 min transition: %d looks, want at most 75", st.maxRequests)
		}
	}
	t.Log("\n" + b.String())
}

func roundLag(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

func TestPollScheduleDelay(t *testing.T) {
	s := DefaultPollSchedule
	jittered := s
	jittered.Jitter = 0.1
	cases := []struct {
		s        PollSchedule
		attempt  int
		elapsed  time.Duration
		rnd      float64
		want     time.Duration
		wantDesc string
	}{
		{s, 0, 0, 0.5, 150 * time.Millisecond, "first look after Initial"},
		{s, 1, 100 * time.Millisecond, 0, 150 * time.Millisecond, "fast phase"},
		{jittered, 1, 100 * time.Millisecond, 0.5, 142500 * time.Microsecond, "fast phase, jittered down by 5%"},
		{s, 10, 1400 * time.Millisecond, 0, 150 * time.Millisecond, "end of fast phase: 10% is less than Initial"},
		{s, 16, 2300 * time.Millisecond, 0, 150 * time.Millisecond, "fast until 2.4s, though 10% is more than Initial"},
		{s, 21, 4500 * time.Millisecond, 0, 450 * time.Millisecond, "growing: 10% of 4.5s"},
		{s, 40, 31 * time.Second, 0.9, 3100 * time.Millisecond, "no jitter by default"},
		{s, 70, 9 * time.Minute, 0, 54 * time.Second, "10% of 9min"},
		{s, 80, time.Hour, 0, time.Minute, "capped"},
		{jittered, 80, time.Hour, 0.999, 54*time.Second + 6*time.Millisecond, "capped, most jitter"},
		{jittered, 80, time.Hour, 7, 54 * time.Second, "rnd out of range is clamped"},
		{jittered, 80, time.Hour, -1, time.Minute, "negative rnd is clamped"},
		{PollSchedule{Initial: 10 * time.Millisecond, FastFor: time.Second, Factor: 1.5}, 3, 900 * time.Millisecond, 0, 10 * time.Millisecond, "FastFor holds the fast phase"},
		{PollSchedule{Initial: 10 * time.Millisecond, FastFor: time.Second, Factor: 1.5}, 3, 2 * time.Second, 0, time.Second, "then Factor-1 of elapsed"},
	}
	for _, tc := range cases {
		got := tc.s.delay(tc.attempt, tc.elapsed, tc.rnd)
		if d := got - tc.want; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("%s: Delay(%d, %v, %v) = %v, want %v", tc.wantDesc, tc.attempt, tc.elapsed, tc.rnd, got, tc.want)
		}
	}
	// A partial schedule borrows the missing parts from the default.
	if got := (PollSchedule{Initial: 10 * time.Millisecond}).delay(5, time.Hour, 0); got != DefaultPollSchedule.Max {
		t.Errorf("partial schedule: got %v, want the default Max", got)
	}
	// Growth is monotonic in elapsed time.
	prev := time.Duration(0)
	for e := time.Duration(0); e < time.Hour; e += 750 * time.Millisecond {
		d := s.delay(1, e, 0)
		if d < prev {
			t.Fatalf("Delay shrank at %v: %v < %v", e, d, prev)
		}
		prev = d
	}
}

// With a typical duration learned, a wait costs about one look for short operations
// and half the schedule's for long ones, and its lag stays within a dense interval.
func TestLearnedLookBudget(t *testing.T) {
	s := DefaultPollSchedule
	for _, tr := range pollTransitions {
		st := lookRuns(s, tr, true, 200, 1)
		plain := pollRuns(s, tr, 200, 1)
		t.Logf("%-6v requests mean %5.1f max %3d   lag mean %-8v worst %v", tr, st.meanRequests, st.maxRequests,
			st.meanLag.Round(time.Millisecond), st.worstLag.Round(time.Millisecond))
		// An early end waits for the typical moment; a late one is seen densely.
		dense, spread := max(s.Initial/2, tr/32), max(s.Initial/2, tr/20)
		if bound := min(spread+dense, s.Max) + dense + simLatency; st.worstLag > bound {
			t.Errorf("%v: worst lag %v, want within %v", tr, st.worstLag, bound)
		}
		if st.meanRequests > plain.meanRequests {
			t.Errorf("%v: %.1f requests learned, %.1f not", tr, st.meanRequests, plain.meanRequests)
		}
		if tr <= 10*time.Second && st.meanRequests > 3 {
			t.Errorf("%v: %.1f requests, want about one", tr, st.meanRequests)
		}
	}
}

func TestNextLook(t *testing.T) {
	s := DefaultPollSchedule
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	cases := []struct {
		deletion    bool // nextDeletionLook, else nextLook
		typical     time.Duration
		attempt     int
		last        time.Duration
		want        time.Duration
		description string
	}{
		{false, 0, 0, 0, ms(150), "nothing learned: the schedule's first look"},
		{false, 0, 3, ms(500), ms(650), "nothing learned: the fast phase"},
		{false, ms(2300), 0, 0, ms(2375), "learned: first look one dense interval after typical"},
		{false, ms(2300), 1, ms(2375), ms(2450), "not yet: dense"},
		{false, ms(2300), 1, ms(1000), ms(2375), "an earlier shared look: still the typical moment"},
		{false, ms(2300), 2, ms(2330), ms(2405), "a shared look just before: dense from it"},
		{false, ms(2300), 5, ms(2675), ms(2942) + 500*time.Microsecond, "late after four dense looks: the schedule again (10% of 2.675s)"},
		{false, 10 * time.Minute, 0, 0, time.Minute, "a long prediction: never more than Max unobserved"},
		{false, 10 * time.Minute, 30, ms(600000), ms(618750), "long: dense is typical/32"},
		// A deletion looks first at typical itself, then as densely, and as late, as any.
		{true, 0, 0, 0, ms(150), "deletion, nothing learned: the schedule's first look"},
		{true, ms(2300), 0, 0, ms(2300), "deletion learned: first look at typical"},
		{true, ms(2300), 1, ms(2300), ms(2375), "deletion still going: dense"},
		{true, ms(2300), 5, ms(2600), ms(2860), "deletion late after four dense looks: the schedule again (10% of 2.6s)"},
		{true, 10 * time.Minute, 0, 0, time.Minute, "a long deletion: never more than Max unobserved"},
	}
	for _, tc := range cases {
		next, name := s.nextLook, "nextLook"
		if tc.deletion {
			next, name = s.nextDeletionLook, "nextDeletionLook"
		}
		if got := next(tc.typical, tc.attempt, tc.last, 0); got != tc.want {
			t.Errorf("%s: %s(%v, %d, %v) = %v, want %v", tc.description, name, tc.typical, tc.attempt, tc.last, got, tc.want)
		}
	}
}

func BenchmarkPollSchedule(b *testing.B) {
	for _, learned := range []bool{false, true} {
		for _, tr := range pollTransitions {
			name := fmt.Sprint(tr)
			if learned {
				name = "learned/" + name
			}
			b.Run(name, func(b *testing.B) {
				var st pollStats
				for i := 0; b.Loop(); i++ {
					st = lookRuns(DefaultPollSchedule, tr, learned, 20, uint64(i))
				}
				b.ReportMetric(st.meanRequests, "requests")
				b.ReportMetric(float64(st.meanLag.Milliseconds()), "lag-ms")
				b.ReportMetric(float64(st.worstLag.Milliseconds()), "worst-lag-ms")
			})
		}
	}
}
