package emulator

import (
	"net"
	"net/http"
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
	mux.HandleFunc("POST /_emulator/reset-stats", func(w http.ResponseWriter, r *http.Request) {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	return loopbackOnly(mux)
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
