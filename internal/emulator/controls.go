package emulator

import "time"

// The test controls below are safe for concurrent use with requests.

// SetOutcome decides what happens to integrations on a Redshift host from
// now on (see Outcome).
func (s *Server) SetOutcome(host string, o Outcome) {
	s.store.setOutcome(host, o, time.Now())
}

// RemoveIntegration deletes an integration behind the client's back, as
// someone using Immuta's UI would.
func (s *Server) RemoveIntegration(id string) bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	rec := s.store.lookup(id, time.Now())
	if rec == nil {
		return false
	}
	delete(s.store.records, id)
	delete(s.store.unseen, id)
	return !rec.tombstone()
}

// SetStatus changes an integration's status out of band (e.g. "disabled",
// "recurringValidationError"), ending any operation in progress.
func (s *Server) SetStatus(id, status string) bool {
	now := time.Now()
	return s.store.mutate(id, now, func(r *record) {
		r.op = nil
		r.status = status
		if status == StatusDeleted {
			r.deletedAt = now
		}
	})
}

// ModifyConfig changes an integration's stored (unredacted) config out of
// band, as drift in Immuta would.
func (s *Server) ModifyConfig(id string, f func(c map[string]any)) bool {
	return s.store.mutate(id, time.Now(), func(r *record) {
		c := deepCopyMap(r.config)
		if c == nil {
			c = map[string]any{}
		}
		f(c)
		r.config = c
	})
}

// Integrations returns the integrations that exist, with their current
// status and unredacted config, sorted by id.
func (s *Server) Integrations() []Integration {
	return s.store.snapshot(time.Now())
}

// SetFaults replaces the fault policies, sequence and omission, as
// PUT /_emulator/faults does; the random choices start again from the seeds.
func (s *Server) SetFaults(f FaultSettings) { s.faults.set(f) }

// Faults returns the fault settings in force (the sequence still to come).
func (s *Server) Faults() FaultSettings { return s.faults.settings() }

// Stats returns the request counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// Settlements returns the settled operations in the order they settled.
func (s *Server) Settlements() []Settlement { return s.store.settlementsCopy(time.Now()) }

// ResetStats clears the counters and the settlements, e.g. after a warm-up.
func (s *Server) ResetStats() {
	s.stats.reset()
	s.store.resetSettlements()
}

// SetRateLimit replaces the tenant's rate limit (WithRateLimit) with a full bucket;
// perSecond <= 0 lifts it.
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	s.limiter.Store(newRateLimiter(perSecond, burst))
}
