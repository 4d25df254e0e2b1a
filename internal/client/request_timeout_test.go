package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Issue 18, defect 7: a read held open by a gateway ends with an error that names
// the request, the wait and the attempts, and that tells running out of time from
// the caller's interruption.
func TestReadThatRunsOutOfTime(t *testing.T) {
	hang := func(w http.ResponseWriter, r *http.Request, _ []byte) { <-r.Context().Done() }
	cases := []struct {
		name       string
		attemptMax time.Duration
		retryMax   int
		ctx        func() (context.Context, context.CancelFunc)
		attempts   int
		deadline   bool
		want       []string
	}{
		{"the operation's deadline", time.Minute, 8,
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 300*time.Millisecond)
			},
			1, true, []string{"GET /integrations/7", "no answer within", "this operation allows", "(1 attempt)"}},
		{"every attempt timed out", 50 * time.Millisecond, 2,
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), time.Minute)
			},
			3, false, []string{"GET /integrations/7", "no answer to any of 3 attempts", "each given up after 50ms"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, hang)
			c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.AttemptTimeout, cfg.RetryMax = tc.attemptMax, tc.retryMax })
			ctx, cancel := tc.ctx()
			defer cancel()
			began := time.Now()
			_, err := c.GetIntegration(ctx, "7")
			var rte *RequestTimeoutError
			if !errors.As(err, &rte) {
				t.Fatalf("error %T %v, want a *RequestTimeoutError", err, err)
			}
			if rte.Method != "GET" || rte.Path != "/integrations/7" || rte.Attempts != tc.attempts || rte.Deadline != tc.deadline {
				t.Errorf("%+v", rte)
			}
			if rte.Waited <= 0 || rte.Waited > time.Since(began) {
				t.Errorf("waited %v, the call took %v", rte.Waited, time.Since(began))
			}
			if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				t.Errorf("error chain: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			for _, bad := range []string{"interrupted", "deadline exceeded"} {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("%q says %q", err, bad)
				}
			}
		})
	}
	// The caller's cancellation (Ctrl-C) is not running out of time.
	t.Run("cancelled", func(t *testing.T) {
		f := newFake(t, hang)
		c, _ := newTestClient(t, f.URL)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := c.GetIntegration(ctx, "7")
		var rte *RequestTimeoutError
		if errors.As(err, &rte) || !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled read: %T %v", err, err)
		}
	})
}
