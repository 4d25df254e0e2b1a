package emulator

import (
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"slices"
)

// adminStats is the answer of GET /_emulator/stats.
type adminStats struct {
	Stats
	Settlements SettlementSummary `json:"settlements"`
}

// adminRoutes serve the harness, not the client: they are never faulted or
// counted and need no key, hence loopback callers only.
func (s *Server) adminRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, adminStats{Stats: s.Stats(), Settlements: Summarize(s.Settlements())})
	})
	mux.HandleFunc("GET /_emulator/settlements", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Settlements())
	})
	mux.HandleFunc("GET /_emulator/integrations", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Integrations())
	})
	mux.HandleFunc("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Faults())
	})
	mux.HandleFunc("PUT /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f FaultSettings
		if decodeAdmin(w, r, &f) {
			for _, k := range append(slices.Clone(f.Sequence), policyKinds(f.Policies)...) {
				if _, err := ParseFault(string(k)); err != nil {
					writeError(w, badRequest("%v", err))
					return
				}
			}
			s.SetFaults(f)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("GET /_emulator/other-origin", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, append([]StrayRequest{}, s.OtherOrigin()...))
	})
	mux.HandleFunc("POST /_emulator/reset-stats", func(w http.ResponseWriter, r *http.Request) {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	// Steering, for the command as the test controls are for tests: outcomes per
	// host, and changes behind the client's back.
	mux.HandleFunc("PUT /_emulator/outcomes/{host}", func(w http.ResponseWriter, r *http.Request) {
		var o Outcome
		if decodeAdmin(w, r, &o) {
			s.SetOutcome(r.PathValue("host"), o)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("DELETE /_emulator/integrations/{id}", func(w http.ResponseWriter, r *http.Request) {
		adminDone(w, r, s.RemoveIntegration(r.PathValue("id")))
	})
	mux.HandleFunc("PUT /_emulator/integrations/{id}/status", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Status string `json:"status"`
		}
		if decodeAdmin(w, r, &body) {
			adminDone(w, r, s.SetStatus(r.PathValue("id"), body.Status))
		}
	})
	mux.HandleFunc("PATCH /_emulator/integrations/{id}/config", func(w http.ResponseWriter, r *http.Request) {
		var patch map[string]any
		if decodeAdmin(w, r, &patch) {
			adminDone(w, r, s.ModifyConfig(r.PathValue("id"), func(c map[string]any) { maps.Copy(c, patch) }))
		}
	})
	return loopbackOnly(mux)
}

func policyKinds(ps []FaultPolicy) []Fault {
	var out []Fault
	for _, p := range ps {
		out = append(out, p.Kinds...)
	}
	return out
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, newErr(http.StatusBadRequest, "Invalid admin request: %v", err))
		return false
	}
	return true
}

func adminDone(w http.ResponseWriter, r *http.Request, found bool) {
	if !found {
		writeError(w, newErr(http.StatusNotFound, "No Integration found with ID %s.", r.PathValue("id")))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			writeError(w, newErr(http.StatusForbidden, "The emulator's admin surface answers loopback callers only"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
