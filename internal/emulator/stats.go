package emulator

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Stats counts API requests; the /_emulator surface is not counted.
type Stats struct {
	Requests  int            `json:"requests"`  // all API requests, faulted ones included
	ByRoute   map[string]int `json:"byRoute"`   // by "METHOD /integrations/{id}/status" route pattern
	Faults    map[Fault]int  `json:"faults"`    // faults injected, by kind
	Creations int            `json:"creations"` // integrations actually created
	// CreatePosts counts every POST /integrations that reached the create
	// handler, accepted or refused (409, 400): a test can prove from it that
	// a create was never blindly re-sent.
	CreatePosts int `json:"createPosts"`
	// OtherOrigin counts requests that reached the other origin the
	// redirect faults point at (Server.OtherOrigin has them).
	OtherOrigin int `json:"otherOrigin"`
	// RateLimited counts the requests refused with 429 by the tenant's rate limit
	// (WithRateLimit); they are in Requests too, and not in Faults.
	RateLimited int `json:"rateLimited"`
}

type statsBook struct {
	mu sync.Mutex
	s  Stats
}

func newStatsBook() *statsBook {
	b := &statsBook{}
	b.reset()
	return b
}

func (b *statsBook) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s = Stats{ByRoute: map[string]int{}, Faults: map[Fault]int{}}
}

func (b *statsBook) request(route string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.Requests++
	b.s.ByRoute[route]++
}

func (b *statsBook) fault(f Fault) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.Faults[f]++
}

func (b *statsBook) creation() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.Creations++
}

func (b *statsBook) createPost() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.CreatePosts++
}

func (b *statsBook) rateLimited() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.RateLimited++
}

func (b *statsBook) stray() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.OtherOrigin++
}

func (b *statsBook) snapshot() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.s
	s.ByRoute = maps.Clone(b.s.ByRoute)
	s.Faults = maps.Clone(b.s.Faults)
	return s
}

// SettlementSummary condenses settlements: Lag is the time from settling to
// the first client GET that saw it, over the seen settlements.
type SettlementSummary struct {
	Count  int     `json:"count"`
	Seen   int     `json:"seen"`
	Unseen int     `json:"unseen"`
	LagMs  LagsMs  `json:"lagMs"`
	ByOp   ByOpMap `json:"byOp"`
}

// ByOpMap counts settlements by "op:status", e.g. "create:enabled".
type ByOpMap map[string]int

// LagsMs are lag statistics in milliseconds.
type LagsMs struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// Summarize computes the lag summary of settlements.
func Summarize(settlements []Settlement) SettlementSummary {
	sum := SettlementSummary{Count: len(settlements), ByOp: ByOpMap{}}
	var lags []float64
	for _, st := range settlements {
		sum.ByOp[st.Op+":"+st.Status]++
		if st.FirstSeenAt.IsZero() {
			sum.Unseen++
			continue
		}
		sum.Seen++
		lags = append(lags, float64(st.FirstSeenAt.Sub(st.SettledAt))/float64(time.Millisecond))
	}
	if len(lags) == 0 {
		return sum
	}
	slices.Sort(lags)
	total := 0.0
	for _, l := range lags {
		total += l
	}
	pct := func(p float64) float64 { return lags[int(p*float64(len(lags)-1)+0.5)] }
	sum.LagMs = LagsMs{Min: lags[0], Mean: total / float64(len(lags)), P50: pct(0.5), P90: pct(0.9), P99: pct(0.99), Max: lags[len(lags)-1]}
	return sum
}
