package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Immuta's own refusals (429 or 503 in its error shape, with Retry-After) are waited
// out within the operation's deadline, not given up after RetryMax (api/retry.go); the
// Client's other requests hold back as long (api/slowdown.go). All on the fake clock.

// refuseThen answers Immuta's 429 with Retry-After to the first n requests, then ok,
// and notes when each request arrived.
type refuseThen struct {
	mu         sync.Mutex
	n          int
	retryAfter string
	status     int
	html       bool
	ok         string
	at         []time.Time
}

func (f *refuseThen) serve(w http.ResponseWriter, _ *http.Request, _ []byte) {
	f.mu.Lock()
	f.at = append(f.at, time.Now())
	refuse := len(f.at) <= f.n
	f.mu.Unlock()
	if !refuse {
		reply(w, 200, f.ok)
		return
	}
	w.Header().Set("Retry-After", f.retryAfter)
	status := f.status
	if status == 0 {
		status = http.StatusTooManyRequests
	}
	if f.html {
		replyHTML(w, status)
		return
	}
	replyErr(w, status, "Rate limit exceeded")
}

func (f *refuseThen) arrivals() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.at...)
}

// A DELETE refused by Immuta's rate limit far more often than RetryMax allows still
// succeeds within its deadline, and every wait honours Retry-After (2s) plus at most
// half of it. The old client gave up after RetryMax+1 attempts.
func TestImmutaRateLimitIsWaitedOutWithinDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &refuseThen{n: 12, retryAfter: "2", ok: `{"id": "7", "status": "deleting"}`}
		srv := newInMemoryFake(f.serve)
		c, logs := newTestClient(t, srv.URL, func(c *Config) { c.RetryMax = 3 })
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if _, err := c.DeleteIntegration(ctx, "7", nil); err != nil {
			t.Fatalf("delete: %v", err)
		}
		at := f.arrivals()
		if len(at) != 13 {
			t.Fatalf("%d requests, want 13", len(at))
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < 2*time.Second || gap > 3*time.Second {
				t.Errorf("wait %d was %v, want within [2s, 3s] (Retry-After 2 plus at most half)", i, gap)
			}
		}
		waits := 0
		for _, e := range logs.all() {
			if e.Msg == api.LogMsgAttempt && e.Fields["status"] == 429 && e.Fields["retry_in_ms"] != nil {
				waits++
			}
		}
		if waits != 12 {
			t.Errorf("%d waits logged, want 12:\n%s", waits, logs.dump())
		}
	})
}

// Two requests refused at the same instant with the same Retry-After (two provider
// processes, two Clients: no slowDown shared) do not come back at the same instant,
// and neither before Retry-After.
func TestImmutaRateLimitWaitsAreJittered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var seen []time.Time
		srv := newInMemoryFake(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			mu.Lock()
			seen = append(seen, time.Now())
			first := len(seen) <= 2
			mu.Unlock()
			if first {
				w.Header().Set("Retry-After", "1")
				replyErr(w, 429, "Rate limit exceeded")
				return
			}
			reply(w, 200, `{"id": "1", "status": "enabled"}`)
		})
		start := time.Now()
		var wg sync.WaitGroup
		for range 2 {
			c, _ := newTestClient(t, srv.URL)
			wg.Go(func() {
				if _, err := c.GetIntegration(context.Background(), "1"); err != nil {
					t.Errorf("get: %v", err)
				}
			})
		}
		wg.Wait()
		if len(seen) != 4 || !seen[0].Equal(start) || !seen[1].Equal(start) {
			t.Fatalf("requests at %v, want two refused at the start and two more", seen)
		}
		for _, at := range seen[2:] {
			if d := at.Sub(start); d < time.Second || d > 1500*time.Millisecond {
				t.Errorf("came back %v after the refusal, want within [1s, 1.5s]", d)
			}
		}
		if seen[2].Equal(seen[3]) {
			t.Errorf("both came back at the same instant, %v after the refusal", seen[2].Sub(start))
		}
	})
}

// After Immuta refused one request with Retry-After, the Client's next request is not
// sent before that time: the others do not keep hammering a tenant that said slow down.
func TestImmutaRateLimitHoldsTheClientsOtherRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &refuseThen{n: 1, retryAfter: "3", ok: `{"id": "1", "status": "enabled"}`}
		srv := newInMemoryFake(f.serve)
		c, logs := newTestClient(t, srv.URL)
		start := time.Now()
		done := make(chan error, 1)
		go func() { _, err := c.GetIntegration(context.Background(), "1"); done <- err }()
		time.Sleep(time.Second)
		if _, err := c.GetIntegration(context.Background(), "1"); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		at := f.arrivals()
		if len(at) != 3 {
			t.Fatalf("%d requests, want 3", len(at))
		}
		for i, a := range at[1:] {
			if d := a.Sub(start); d < 3*time.Second {
				t.Errorf("request %d sent %v after the refusal, before Retry-After (3s)", i+2, d)
			}
		}
		if !strings.Contains(logs.dump(), "info immuta wait held_ms=") {
			t.Errorf("the hold is not logged:\n%s", logs.dump())
		}
	})
}

// A Retry-After past the deadline: what is left is waited, then the request fails with
// an error that says so and what to change; no request is sent in vain meanwhile.
func TestImmutaRateLimitPastDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &refuseThen{n: 100, retryAfter: "10", ok: `{}`}
		srv := newInMemoryFake(f.serve)
		c, _ := newTestClient(t, srv.URL)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.DeleteIntegration(ctx, "7", nil)
		var rl *api.RateLimitError
		if !errors.As(err, &rl) || !rl.Deadline || errors.Is(err, context.DeadlineExceeded) || !hasStatus(err, 429) {
			t.Fatalf("got %T %v", err, err)
		}
		for _, want := range []string{"DELETE /integrations/7", "Immuta's rate limit", "come back in 10s", "past the operation's timeout (3s left)", "raise timeouts.delete or lower -parallelism"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("failed after %v, want at the deadline (3s)", d)
		}
		if n := len(f.arrivals()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

// Without a deadline, refusals are waited out for api.RefusalBudget in all, not forever.
func TestImmutaRateLimitWithoutDeadlineHasABudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &refuseThen{n: 1000, retryAfter: "240", status: 503, ok: `{}`}
		srv := newInMemoryFake(f.serve)
		c, _ := newTestClient(t, srv.URL)
		start := time.Now()
		_, err := c.GetIntegration(context.Background(), "7")
		var rl *api.RateLimitError
		if !errors.As(err, &rl) || rl.Deadline || errors.Is(err, context.DeadlineExceeded) ||
			!strings.Contains(err.Error(), "Immuta, unavailable,") || !strings.Contains(err.Error(), "without a timeout") {
			t.Fatalf("got %T %v", err, err)
		}
		if d := time.Since(start); d != api.RefusalBudget {
			t.Errorf("failed after %v, want %v", d, api.RefusalBudget)
		}
		if n := len(f.arrivals()); n < 3 {
			t.Errorf("%d requests, want the refusals waited out until the budget ran out", n)
		}
	})
}

// A gateway's 429 (an HTML page) says neither who refused nor that nothing was done:
// it keeps the backoff bounded by RetryMax.
func TestGateway429StillGivesUpAfterRetryMax(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &refuseThen{n: 100, retryAfter: "1", html: true, ok: `{}`}
		srv := newInMemoryFake(f.serve)
		c, _ := newTestClient(t, srv.URL, func(c *Config) { c.RetryMax = 3 })
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := c.DeleteIntegration(ctx, "7", nil)
		var rl *api.RateLimitError
		if err == nil || errors.As(err, &rl) || !hasStatus(err, 429) || !strings.Contains(err.Error(), "gave up after 4 attempts") {
			t.Fatalf("got %v", err)
		}
		if n := len(f.arrivals()); n != 4 {
			t.Errorf("%d requests, want 4", n)
		}
	})
}

// The create POST refused by Immuta (it did not act) is sent again, more often than
// RetryMax, and creates once.
func TestCreateWaitsOutImmutaRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var posts atomic.Int32
		srv := newInMemoryFake(func(w http.ResponseWriter, r *http.Request, _ []byte) {
			if r.Method == http.MethodGet {
				reply(w, 200, `[]`)
				return
			}
			if posts.Add(1) <= 6 {
				w.Header().Set("Retry-After", "1")
				replyErr(w, 429, "Rate limit exceeded")
				return
			}
			reply(w, 200, `{"id": "42", "status": "creating"}`)
		})
		c, _ := newTestClient(t, srv.URL, func(c *Config) { c.RetryMax = 2 })
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		in, err := c.CreateIntegration(ctx, docPayload())
		if err != nil || in.ID != "42" {
			t.Fatalf("got %+v, %v", in, err)
		}
		if n := posts.Load(); n != 7 {
			t.Errorf("%d POSTs, want 7", n)
		}
	})
}
