package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// recordSleeps replaces the client's sleep so that waits are observed, not spent.
func recordSleeps(c *Client) func() []time.Duration {
	var mu sync.Mutex
	var got []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
		return ctx.Err()
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), got...)
	}
}

// A gateway's 429 (not in Immuta's error shape) has its Retry-After honoured but capped
// at 3×RetryWaitMax, and counts against RetryMax (ratelimit_test.go has Immuta's own).
func TestRetryAfterIsHonoredAndCapped(t *testing.T) {
	cases := []struct {
		name       string
		retryAfter string
		waitMax    time.Duration
		want       time.Duration
	}{
		{"seconds, capped at 3×RetryWaitMax", "1", 100 * time.Millisecond, 300 * time.Millisecond},
		{"seconds under the cap", "2", time.Second, 2 * time.Second},
		{"zero", "0", 100 * time.Millisecond, 0},
		{"HTTP date in the past", "Mon, 02 Jan 2006 15:04:05 GMT", 100 * time.Millisecond, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if n.Add(1) == 1 {
					w.Header().Set("Retry-After", tc.retryAfter)
					replyHTML(w, 429)
					return
				}
				reply(w, 200, `{"id": "1", "status": "enabled"}`)
			})
			c, _ := newTestClient(t, f.URL, func(c *Config) { c.RetryWaitMax = tc.waitMax })
			sleeps := recordSleeps(c)
			if _, err := c.GetIntegration(context.Background(), "1"); err != nil {
				t.Fatal(err)
			}
			if got := sleeps(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("slept %v, want [%v]", got, tc.want)
			}
		})
	}
	// The real timer path, on the fake clock: a capped Retry-After of 1s costs exactly
	// 3×RetryWaitMax.
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		f := newInMemoryFake(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				replyHTML(w, 429)
				return
			}
			reply(w, 200, `{"id": "1", "status": "enabled"}`)
		})
		c, _ := newTestClient(t, f.URL, func(c *Config) { c.RetryWaitMax = 20 * time.Millisecond })
		start := time.Now()
		if _, err := c.GetIntegration(context.Background(), "1"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 60*time.Millisecond {
			t.Errorf("took %v, want 60ms", d)
		}
	})
}

// replyHTML answers a gateway's HTML error page: not Immuta's error shape.
func replyHTML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body>nginx</body></html>", status, http.StatusText(status))
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]struct {
		want time.Duration
		ok   bool
	}{
		"":                              {0, false},
		"7":                             {7 * time.Second, true},
		" 2 ":                           {2 * time.Second, true},
		"-1":                            {0, false},
		"soon":                          {0, false},
		"Fri, 02 Jan 2026 03:04:15 GMT": {10 * time.Second, true},
		"99999999":                      {24 * time.Hour, true},
	}
	for in, tc := range cases {
		got, ok := parseRetryAfter(in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %v %v, want %v %v", in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetry502HTMLThenSuccess(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write(testdata(t, "error_502.html"))
			return
		}
		reply(w, 200, string(testdata(t, "get_response.json")))
	})
	c, logs := newTestClient(t, f.URL)
	in, err := c.GetIntegration(context.Background(), "123456789")
	if err != nil || in.Status != StatusEnabled {
		t.Fatalf("got %+v, %v", in, err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests", n.Load())
	}
	var attempts []logEntry
	for _, e := range logs.all() {
		if e.Msg == LogMsgAttempt {
			attempts = append(attempts, e)
		}
	}
	if len(attempts) != 2 || attempts[0].Level != LevelWarn || attempts[0].Fields["status"] != 502 ||
		attempts[0].Fields["retry_in_ms"] == nil || attempts[1].Fields["attempt"] != 2 || attempts[1].Level != LevelDebug {
		t.Errorf("log entries: %s", logs.dump())
	}
}

func TestRetryPolicyIdempotent(t *testing.T) {
	cases := []struct {
		status    int
		wantCalls int
	}{
		{429, 2}, {500, 2}, {502, 2}, {503, 2}, {504, 2},
		{400, 1}, {401, 1}, {403, 1}, {404, 1}, {409, 1}, {422, 1},
	}
	for _, tc := range cases {
		for _, method := range []string{"GET", "PUT", "DELETE", "SCRIPT"} {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if n.Add(1) == 1 {
					replyErr(w, tc.status, "first")
					return
				}
				if strings.Contains(r.URL.Path, "scripts") {
					w.Header().Set("Content-Type", "text/plain")
					_, _ = w.Write([]byte("SELECT 1;"))
					return
				}
				reply(w, 200, `{"id": "1", "status": "enabled"}`)
			})
			c, _ := newTestClient(t, f.URL)
			ctx := context.Background()
			var err error
			switch method {
			case "GET":
				_, err = c.GetIntegration(ctx, "1")
			case "PUT":
				body, _ := json.Marshal(docPayload())
				_, err = c.Put(ctx, "1", body)
			case "DELETE":
				_, err = c.Delete(ctx, "1", nil)
			case "SCRIPT":
				_, err = c.Script(ctx, ScriptCreate, "", ptr(docPayload()))
			}
			if int(n.Load()) != tc.wantCalls || (err != nil) != (tc.wantCalls == 1) {
				t.Errorf("%s answered %d: %d calls, err %v", method, tc.status, n.Load(), err)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestRetryGivesUp(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		n.Add(1)
		replyErr(w, 503, "maintenance")
	})
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.RetryMax = 3 })
	_, err := c.GetIntegration(context.Background(), "1")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 503 || n.Load() != 4 || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("got %v after %d calls", err, n.Load())
	}
	// RetryMax < 0: one attempt only.
	n.Store(0)
	c, _ = newTestClient(t, f.URL, func(c *Config) { c.RetryMax = -1 })
	if _, err := c.GetIntegration(context.Background(), "1"); err == nil || n.Load() != 1 {
		t.Errorf("got %v after %d calls", err, n.Load())
	}
}

func TestRetryTransportErrorOnGET(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if n.Add(1) == 1 {
			hangUp(t, w)
			return
		}
		reply(w, 200, `{"id": "1", "status": "enabled"}`)
	})
	c, logs := newTestClient(t, f.URL)
	if _, err := c.GetIntegration(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 || !strings.Contains(logs.dump(), "error=GET /integrations/1: ") {
		t.Errorf("%d calls; logs:\n%s", n.Load(), logs.dump())
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		reply(w, 200, `{"id": "1", "status": "enabled"}`)
	})
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.AttemptTimeout = 30 * time.Millisecond })
	if _, err := c.GetIntegration(context.Background(), "1"); err != nil || n.Load() != 2 {
		t.Fatalf("got %v after %d calls", err, n.Load())
	}
}

// On the fake clock: the retry's 5s wait ends with the context, at its deadline.
func TestRetryStopsWithContext(t *testing.T) { synctest.Test(t, testRetryStopsWithContext) }

func testRetryStopsWithContext(t *testing.T) {
	f := newInMemoryFake(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "5")
		replyHTML(w, 503) // a gateway's: Immuta's own is TestImmutaRateLimitPastDeadline
	})
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.RetryWaitMax = 10 * time.Second })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetIntegration(ctx, "1")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "503") || time.Since(start) != 50*time.Millisecond {
		t.Errorf("got %v after %v", err, time.Since(start))
	}
}

func TestBackoffBounds(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", func(c *Config) {
		c.RetryWaitMin = 100 * time.Millisecond
		c.RetryWaitMax = time.Second
	})
	for _, rnd := range []float64{0, 0.5, 0.999} {
		c.rand = func() float64 { return rnd }
		for attempt := 1; attempt <= 70; attempt++ {
			ceiling := min(time.Second, 100*time.Millisecond<<min(attempt-1, 20))
			got := c.Backoff(attempt)
			if got < 100*time.Millisecond || got > ceiling {
				t.Errorf("backoff(%d) with rnd %v = %v, want within [100ms, %v]", attempt, rnd, got, ceiling)
			}
		}
	}
	c.rand = func() float64 { return 0.999 }
	if got := c.Backoff(3); got < 390*time.Millisecond {
		t.Errorf("backoff(3) = %v, want near 400ms", got)
	}
}
