package emulator

import (
	"net/http"
	"testing"
	"time"
)

func TestRateLimiterTake(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	type step struct {
		at        time.Duration
		ok        bool
		retryFrom int
	}
	cases := []struct {
		name  string
		rate  float64
		burst int
		steps []step
	}{
		{"burst, then refused until a token is back", 2, 2, []step{
			{0, true, 0}, {0, true, 0}, {0, false, 1}, {400 * time.Millisecond, false, 1},
			{500 * time.Millisecond, true, 0}, {500 * time.Millisecond, false, 1}, {time.Second, true, 0},
		}},
		{"a slow rate asks for more than a second, honestly", 0.25, 1, []step{
			{0, true, 0}, {0, false, 4}, {time.Second, false, 3}, {3500 * time.Millisecond, false, 1}, {4 * time.Second, true, 0},
		}},
		{"refused requests take no token", 1, 1, []step{
			{0, true, 0}, {100 * time.Millisecond, false, 1}, {200 * time.Millisecond, false, 1}, {time.Second, true, 0},
		}},
		{"idle time refills up to burst only", 10, 3, []step{
			{0, true, 0}, {time.Hour, true, 0}, {time.Hour, true, 0}, {time.Hour, true, 0}, {time.Hour, false, 1},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newRateLimiter(tc.rate, tc.burst)
			for i, st := range tc.steps {
				ok, after := l.take(t0.Add(st.at))
				if ok != st.ok || after != st.retryFrom {
					t.Errorf("step %d at +%v: ok %v retry-after %d, want %v %d", i, st.at, ok, after, st.ok, st.retryFrom)
				}
			}
		})
	}
	if newRateLimiter(0, 5) != nil {
		t.Error("a rate of 0 must mean no limit")
	}
}

// Requests beyond the tenant's rate are answered 429 in Immuta's error shape, with a
// Retry-After, not acted on, and counted.
func TestRateLimitAnswers429NotActed(t *testing.T) {
	s := start(t, WithRateLimit(0.5, 2))
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
	a := do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "limited.example.com")})
	wantMessage(t, a, http.StatusTooManyRequests, "Rate limit exceeded")
	if got := a.header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After %q, want 2 (a token every 2 s)", got)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	st := s.Stats()
	if st.Requests != 3 || st.RateLimited != 1 || st.CreatePosts != 0 || st.Creations != 0 || len(s.Integrations()) != 0 {
		t.Errorf("stats %+v, integrations %v: want 3 requests, 1 refused, nothing created", st, s.Integrations())
	}
	// The admin surface is not the tenant's API: never limited.
	wantCode(t, do(t, s, req{method: "GET", path: "/_emulator/stats"}), http.StatusOK)
	// Lifted, then set again with a full bucket.
	s.SetRateLimit(0, 0)
	for range 3 {
		wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
	}
	s.SetRateLimit(0.1, 1)
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
	if a := do(t, s, req{method: "GET", path: "/integrations"}); a.code != http.StatusTooManyRequests || a.header.Get("Retry-After") != "10" {
		t.Errorf("after SetRateLimit(0.1, 1): %d, Retry-After %q; want 429 and 10", a.code, a.header.Get("Retry-After"))
	}
}
