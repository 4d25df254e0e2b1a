package client

import (
	"fmt"
	"math/rand/v2"
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
		next := s.NextLook(typical, attempt, sentAt, rnd())
		sentAt = max(next, answeredAt)
		answeredAt = sentAt + latency
		requests++
		if sentAt >= transition {
			return requests, sentAt - transition
		}
	}
}

var pollTransitions = []time.Duration{
	time.Second, 2300 * time.Millisecond, 10 * time.Second,
	time.Minute, 10 * time.Minute, 30 * time.Minute,
}

const simLatency = 40 * time.Millisecond

type pollStats struct {
	meanRequests float64
	meanLag      time.Duration
	worstLag     time.Duration
	maxRequests  int
}

func pollRuns(s PollSchedule, transition time.Duration, runs int, seed uint64) pollStats {
	return lookRuns(s, transition, false, runs, seed)
}

// lookRuns simulates runs waits. Unlearned, the transition falls anywhere within one
// fast interval after transition. Learned, the wait knows transition as typical and
// the actual one is up to 5% (at least Initial/2) either side of it, as operations vary.
func lookRuns(s PollSchedule, transition time.Duration, learned bool, runs int, seed uint64) pollStats {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) //nolint:gosec // G404: a reproducible simulation, not a secret
	var st pollStats
	var sumReq int
	var sumLag time.Duration
	for i := 0; i < runs; i++ {
		tr, typical := transition+time.Duration(r.Float64()*float64(s.Initial)), time.Duration(0)
		if learned {
			spread := max(s.Initial/2, transition/20)
			tr, typical = transition+time.Duration((2*r.Float64()-1)*float64(spread)), transition
		}
		n, lag := simulateLooks(s, typical, tr, simLatency, r.Float64)
		sumReq += n
		sumLag += lag
		st.worstLag = max(st.worstLag, lag)
		st.maxRequests = max(st.maxRequests, n)
	}
	st.meanRequests = float64(sumReq) / float64(runs)
	st.meanLag = sumLag / time.Duration(runs)
	return st
}

func TestPollScheduleBudget(t *testing.T) {
	s := DefaultPollSchedule
	for _, tr := range pollTransitions {
		st := pollRuns(s, tr, 200, 1)
		t.Logf("%-6v requests mean %5.1f max %3d   lag mean %-8v worst %v",
			tr, st.meanRequests, st.maxRequests, st.meanLag.Round(time.Millisecond), st.worstLag.Round(time.Millisecond))
		switch tr {
		case 2300 * time.Millisecond, time.Second:
			if st.worstLag > 160*time.Millisecond {
				t.Errorf("%v transition: worst lag %v, want about 150ms", tr, st.worstLag)
			}
		case 10 * time.Minute:
			if st.maxRequests > 64 {
				t.Errorf("10min transition: %d requests, want about 60 at most", st.maxRequests)
			}
		}
		if st.worstLag > s.Max {
			t.Errorf("%v transition: lag %v beyond Max %v", tr, st.worstLag, s.Max)
		}
	}
}

func TestPollScheduleDelay(t *testing.T) {
	s := DefaultPollSchedule
	cases := []struct {
		attempt  int
		elapsed  time.Duration
		rnd      float64
		want     time.Duration
		wantDesc string
	}{
		{0, 0, 0, 50 * time.Millisecond, "quick first look"},
		{1, 100 * time.Millisecond, 0, 150 * time.Millisecond, "fast phase"},
		{1, 100 * time.Millisecond, 0.5, 142500 * time.Microsecond, "fast phase, jittered down by 5%"},
		{20, 2400 * time.Millisecond, 0, 150 * time.Millisecond, "end of fast phase"},
		{21, 4500 * time.Millisecond, 0, 1350 * time.Millisecond, "growing: 150ms + 0.6×2s"},
		{60, time.Hour, 0, 20 * time.Second, "capped"},
		{60, time.Hour, 0.999, 18*time.Second + 2*time.Millisecond, "capped, most jitter"},
		{60, time.Hour, 7, 18 * time.Second, "rnd out of range is clamped"},
		{60, time.Hour, -1, 20 * time.Second, "negative rnd is clamped"},
	}
	for _, tc := range cases {
		got := s.Delay(tc.attempt, tc.elapsed, tc.rnd)
		if d := got - tc.want; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("%s: Delay(%d, %v, %v) = %v, want %v", tc.wantDesc, tc.attempt, tc.elapsed, tc.rnd, got, tc.want)
		}
	}
	// A partial schedule borrows the missing parts from the default.
	if got := (PollSchedule{Initial: 10 * time.Millisecond}).Delay(5, time.Hour, 0); got != DefaultPollSchedule.Max {
		t.Errorf("partial schedule: got %v, want the default Max", got)
	}
	// Growth is monotonic in elapsed time.
	prev := time.Duration(0)
	for e := time.Duration(0); e < time.Hour; e += 750 * time.Millisecond {
		d := s.Delay(1, e, 0)
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
		typical     time.Duration
		attempt     int
		last        time.Duration
		want        time.Duration
		description string
	}{
		{0, 0, 0, ms(50), "nothing learned: the schedule's quick first look"},
		{0, 3, ms(500), ms(650), "nothing learned: the fast phase"},
		{ms(2300), 0, 0, ms(2375), "learned: first look one dense interval after typical"},
		{ms(2300), 1, ms(2375), ms(2450), "not yet: dense"},
		{ms(2300), 1, ms(1000), ms(2375), "an earlier shared look: still the typical moment"},
		{ms(2300), 2, ms(2330), ms(2405), "a shared look just before: dense from it"},
		{ms(2300), 5, ms(2675), ms(2930), "late after four dense looks: the schedule again (150ms + 0.6×175ms)"},
		{10 * time.Minute, 0, 0, 20 * time.Second, "a long prediction: never more than Max unobserved"},
		{10 * time.Minute, 30, ms(600000), ms(618750), "long: dense is typical/32"},
	}
	for _, tc := range cases {
		if got := s.NextLook(tc.typical, tc.attempt, tc.last, 0); got != tc.want {
			t.Errorf("%s: NextLook(%v, %d, %v) = %v, want %v", tc.description, tc.typical, tc.attempt, tc.last, got, tc.want)
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
