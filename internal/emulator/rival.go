package emulator

import (
	"bytes"
	"net/http"
	"slices"
	"sync"
	"time"
)

// A second creator racing a create: another pipeline, with another state, creates
// the integration on the same host at the moment this POST arrives. Immuta allows
// one Redshift integration per host, so the POST itself can then create nothing;
// what its client sees is the fault that follows. The rival sends the same
// configuration (the case a client cannot tell from its own creation by looking).
const (
	// FaultRivalImmuta503: the rival creates on the POST's host, then the POST is
	// refused with Immuta's own 503 error object (Immuta did not act on it).
	FaultRivalImmuta503 Fault = "rival-immuta-503"
	// FaultRival503: the rival creates, then the POST gets a proxy's HTML 503 page
	// (as Envoy answers after the upstream reset mid-request).
	FaultRival503 Fault = "rival-503"
	// FaultRivalReset: the rival creates, then the POST's connection is reset.
	FaultRivalReset Fault = "rival-reset"
)

// RaceFaults lists the rival kinds. They are not in AllFaults: a policy without
// Kinds injects what gateways do, and a rival changes what Immuta holds. They apply
// to POST /integrations only.
var RaceFaults = []Fault{FaultRivalImmuta503, FaultRival503, FaultRivalReset}

func init() {
	spoilers[FaultRivalImmuta503] = spoiling{false, rivalThen(func(x *exchange) { writeImmutaUnavailable(x.w) })}
	spoilers[FaultRival503] = spoiling{false, rivalThen(proxyError(http.StatusServiceUnavailable))}
	spoilers[FaultRivalReset] = spoiling{false, rivalThen(resetExchange)}
}

// writeImmutaUnavailable is Immuta's own 503: its error object, JSON.
func writeImmutaUnavailable(w http.ResponseWriter) {
	writeError(w, newErr(http.StatusServiceUnavailable, "Service temporarily unavailable, please try again later"))
}

// rivals records the integrations the rival created, by id.
type rivals struct {
	mu  sync.Mutex
	ids []string
}

func rivalThen(then func(x *exchange)) func(x *exchange) {
	return func(x *exchange) {
		if x.r.Method == http.MethodPost && x.r.URL.Path == "/integrations" {
			x.s.rivalCreate(x.r, x.body)
		}
		then(x)
	}
}

// rivalCreate creates what body asks for, as another client would, when the host
// is free; nothing when it is not, or the payload is not valid.
func (s *Server) rivalCreate(r *http.Request, body []byte) {
	req := r.Clone(r.Context())
	req.Body = readCloser{bytes.NewReader(body)}
	p, e := readPayload(&recorder{header: http.Header{}}, req)
	if e != nil {
		return
	}
	in, e := s.store.create(p, time.Now())
	if e != nil {
		return
	}
	s.rivals.mu.Lock()
	defer s.rivals.mu.Unlock()
	s.rivals.ids = append(s.rivals.ids, in.ID)
}

// RivalIDs returns the ids of the integrations a racing rival created (someone
// else's: a client must never adopt, change or delete them).
func (s *Server) RivalIDs() []string {
	s.rivals.mu.Lock()
	defer s.rivals.mu.Unlock()
	return slices.Clone(s.rivals.ids)
}
