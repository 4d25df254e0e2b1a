package api

import (
	"sync"
	"time"
)

// slowDown is one Client's memory of the tenant's last "come back in N seconds": the
// Retry-After of a 429 or 503 in Immuta's own error shape. A rate limit is the
// tenant's, not one request's: when one of the provider's requests (up to
// -parallelism of them at once) is refused, the others would meet the same refusal,
// each spending a request of the tenant's budget on it. So every request of the Client
// waits until the time the tenant named before it is sent, plus a random share of the
// Retry-After, so that the requests held back do not all come back at the same instant.
type slowDown struct {
	mu     sync.Mutex
	until  time.Time
	spread time.Duration // the random share's upper bound
	cause  *Error        // the refusal that set until, for the error when it outlasts a deadline
}

// hold records that the tenant asked, at now, to come back after d.
func (g *slowDown) hold(now time.Time, d time.Duration, cause *Error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t := now.Add(d); t.After(g.until) {
		g.until, g.spread, g.cause = t, jitterShare(d), cause
	}
}

// delay is how long a request about to be sent at now should wait: until the time the
// tenant named plus rnd (in [0, 1)) of the spread, or 0 when it has passed. left is
// the part the tenant asked for, without the random share.
func (g *slowDown) delay(now time.Time, rnd float64) (wait, left time.Duration, cause *Error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	left = g.until.Sub(now)
	if left <= 0 {
		return 0, 0, nil
	}
	return left + time.Duration(rnd*float64(g.spread)), left, g.cause
}

// jitterShare is the upper bound of the random share added to a Retry-After of d: half
// of it. A rate limiter that answers in whole seconds sends the same Retry-After to
// every request it refuses within a second; half a Retry-After spreads them over a
// window as long as the pause itself asked for, so they come back at about the rate
// they are allowed.
func jitterShare(d time.Duration) time.Duration { return d / 2 }
