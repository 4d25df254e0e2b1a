package emulator

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// A second creator racing a create: when the POST arrives, a rival creates the
// integration on its host (with the same configuration), then the POST meets its
// fault. The POST itself creates nothing, and the next POST on the host meets
// Immuta's 409 naming the rival's integration.
func TestRivalFaults(t *testing.T) {
	for _, tc := range []struct {
		fault Fault
		check func(t *testing.T, a answer, err error)
	}{
		{FaultRivalImmuta503, func(t *testing.T, a answer, err error) {
			wantMessage(t, mustAnswer(t, a, err), http.StatusServiceUnavailable, "Service temporarily unavailable, please try again later")
		}},
		{FaultRival503, proxyPage(http.StatusServiceUnavailable)},
		{FaultRivalReset, transportError},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			s := start(t, WithFaultSequence(tc.fault))
			a, err := try(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "race.example")})
			tc.check(t, a, err)
			rivals := s.RivalIDs()
			all := s.Integrations()
			if len(rivals) != 1 || len(all) != 1 || all[0].ID != rivals[0] || all[0].Config["host"] != "race.example" {
				t.Fatalf("rivals %v, integrations %+v: want the rival's one on race.example", rivals, all)
			}
			if st := s.Stats(); st.Creations != 0 || st.Faults[tc.fault] != 1 {
				t.Errorf("stats %+v: the POST itself must create nothing", st)
			}
			again := do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "race.example")})
			if msg := again.message(t); again.code != http.StatusConflict || !strings.Contains(msg, "(id = "+rivals[0]+")") {
				t.Errorf("the next POST: %d %s", again.code, msg)
			}
		})
	}
	// Random policies draw rivals only for the create POST, and never by default.
	if slices.ContainsFunc(RaceFaults, func(f Fault) bool { return slices.Contains(AllFaults, f) }) {
		t.Error("a rival kind is in AllFaults")
	}
	for _, f := range RaceFaults {
		if applies(f, "GET /integrations") || !applies(f, "POST /integrations") {
			t.Errorf("%s applies to the wrong routes", f)
		}
	}
}
