package emulator

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// A tenant's rate limit (WithRateLimit): a token bucket shared by every API request,
// whoever sends it, as a tenant's limit is shared by every pipeline that talks to it.
// A request beyond the rate is answered 429 in Immuta's error shape with a Retry-After
// in whole seconds (as servers send it: the time until the bucket holds a token again,
// rounded up, at least 1) and is not acted on. Refused requests take no token, so a
// client that comes back when asked is served.

type rateLimiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newRateLimiter(perSecond float64, burst int) *rateLimiter {
	if perSecond <= 0 {
		return nil
	}
	b := float64(max(burst, 1))
	return &rateLimiter{rate: perSecond, burst: b, tokens: b}
}

// take spends a token at now, or says in how many whole seconds one will be there.
func (l *rateLimiter) take(now time.Time) (ok bool, retryAfter int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() {
		l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	if l.tokens >= 1 {
		l.tokens--
		return true, 0
	}
	secs := int(math.Ceil((1 - l.tokens) / l.rate))
	return false, max(secs, 1)
}

// rateLimited answers a request beyond the tenant's rate, or reports false when the
// request may go on.
func (s *Server) rateLimited(w http.ResponseWriter) bool {
	l := s.limiter.Load()
	if l == nil {
		return false
	}
	ok, after := l.take(time.Now())
	if ok {
		return false
	}
	s.stats.rateLimited()
	w.Header().Set("Retry-After", strconv.Itoa(after))
	writeError(w, newErr(http.StatusTooManyRequests, "Rate limit exceeded"))
	return true
}
