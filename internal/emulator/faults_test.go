package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		fault Fault
		// check inspects the answer (or transport error) of a POST /integrations.
		check func(t *testing.T, a answer, err error)
		acted bool
	}{
		{Fault429, func(t *testing.T, a answer, err error) {
			wantMessage(t, mustAnswer(t, a, err), http.StatusTooManyRequests, "Rate limit exceeded, retry later")
			if ra := a.header.Get("Retry-After"); ra != "1" {
				t.Errorf("Retry-After %q", ra)
			}
		}, false},
		{Fault500, proxyPage(http.StatusInternalServerError), false},
		{Fault502, proxyPage(http.StatusBadGateway), false},
		{Fault503, proxyPage(http.StatusServiceUnavailable), false},
		{Fault504, proxyPage(http.StatusGatewayTimeout), false},
		{FaultReset, transportError, false},
		{FaultLostAnswer, transportError, true},
		{FaultTruncated, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
			var v any
			if json.Unmarshal(a.body, &v) == nil {
				t.Errorf("truncated answer parses: %s", a.body)
			}
			if !strings.HasPrefix(string(a.body), `{"id":"1","status":"creating"`) || a.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("truncated answer is not the real one: %s", a.body)
			}
		}, true},
		{FaultSlow, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
		}, true},
		{FaultNone, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
		}, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			s := start(t, WithFaultSequence(tt.fault), WithSlowDelay(100*time.Millisecond))
			began := time.Now()
			a, err := try(t, s, req{method: "POST", path: "/integrations", body: readJSON(t, "payload.json")})
			tt.check(t, a, err)
			if tt.fault == FaultSlow && time.Since(began) < 100*time.Millisecond {
				t.Errorf("slow fault took %v", time.Since(began))
			}
			created := len(s.Integrations())
			st := s.Stats()
			if tt.acted != (created == 1) || tt.acted != (st.Creations == 1) {
				t.Errorf("acted on: %d integrations, %d creations; want acted=%v", created, st.Creations, tt.acted)
			}
			if st.Requests != 1 || st.ByRoute["POST /integrations"] != 1 {
				t.Errorf("stats %+v", st)
			}
			if wantFaults := map[bool]int{true: 0, false: 1}[tt.fault == FaultNone]; st.Faults[tt.fault] != wantFaults {
				t.Errorf("faults %v", st.Faults)
			}
			// The sequence is spent: the next request is served normally.
			wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
		})
	}
}

func mustAnswer(t *testing.T, a answer, err error) answer {
	t.Helper()
	if err != nil {
		t.Fatalf("transport error %v, want an answer", err)
	}
	return a
}

func transportError(t *testing.T, _ answer, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("the request got an answer, want a transport error")
	}
}

func proxyPage(code int) func(t *testing.T, a answer, err error) {
	return func(t *testing.T, a answer, err error) {
		t.Helper()
		wantCode(t, mustAnswer(t, a, err), code)
		if ct := a.header.Get("Content-Type"); ct != "text/html" {
			t.Errorf("Content-Type %q", ct)
		}
		var v any
		if json.Unmarshal(a.body, &v) == nil || !strings.Contains(string(a.body), "<html>") {
			t.Errorf("body is not an HTML page: %s", a.body)
		}
	}
}

func TestFaultPolicy(t *testing.T) {
	t.Run("methods", func(t *testing.T) {
		s := start(t, WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{Fault503}, Methods: []string{"POST"}}))
		for range 3 {
			wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
			wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: readJSON(t, "payload.json")}), http.StatusServiceUnavailable)
		}
		if st := s.Stats(); st.Faults[Fault503] != 3 || st.Requests != 6 || st.Creations != 0 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("rate and seed", func(t *testing.T) {
		run := func() []int {
			s := start(t, WithFaults(FaultPolicy{Rate: 0.3, Kinds: []Fault{Fault429, Fault502}, Seed: 7}))
			var codes []int
			for range 200 {
				codes = append(codes, do(t, s, req{method: "GET", path: "/integrations"}).code)
			}
			return codes
		}
		first, second := run(), run()
		faulted := 0
		for i := range first {
			if first[i] != second[i] {
				t.Fatalf("request %d: %d then %d with the same seed", i, first[i], second[i])
			}
			if first[i] != http.StatusOK {
				faulted++
			}
		}
		if faulted < 30 || faulted > 90 {
			t.Errorf("%d of 200 requests faulted at rate 0.3", faulted)
		}
	})
	t.Run("sequence then policy", func(t *testing.T) {
		s := start(t, WithFaultSequence(FaultNone, Fault502), WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{Fault504}}))
		for _, want := range []int{200, 502, 504, 504} {
			wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), want)
		}
	})
}

func TestLostAnswerThenRetry(t *testing.T) {
	// The client retries a POST whose answer was lost and meets the 409 it
	// must recognise as its own creation.
	s := start(t, WithFaultSequence(FaultLostAnswer))
	if _, err := try(t, s, req{method: "POST", path: "/integrations", body: readJSON(t, "payload.json")}); err == nil {
		t.Fatal("lost answer arrived")
	}
	a := do(t, s, req{method: "POST", path: "/integrations", body: readJSON(t, "payload.json")})
	wantMessage(t, a, http.StatusConflict, "Redshift integration already exists on host organization.aws.amazon.com (id = 1)")
	if st := s.Stats(); st.Creations != 1 || st.Faults[FaultLostAnswer] != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestLatency(t *testing.T) {
	s := start(t, WithLatency(80*time.Millisecond))
	began := time.Now()
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
	if d := time.Since(began); d < 80*time.Millisecond {
		t.Errorf("request took %v", d)
	}
	// The admin surface is not delayed: with an hour of latency it answers.
	s = start(t, WithLatency(time.Hour))
	wantCode(t, do(t, s, req{method: "GET", path: "/_emulator/stats"}), http.StatusOK)
}

func TestParseFault(t *testing.T) {
	for _, f := range append([]Fault{FaultNone}, AllFaults...) {
		if got, err := ParseFault(" " + string(f)); err != nil || got != f {
			t.Errorf("ParseFault(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFault("418"); err == nil {
		t.Error("ParseFault accepted 418")
	}
}

func TestResetWithoutConnection(t *testing.T) {
	// Through Handler() alone there is no connection to hijack; the handler
	// aborts as net/http expects.
	s := start(t, WithFaultSequence(FaultReset))
	defer func() {
		if err, _ := recover().(error); !errors.Is(err, http.ErrAbortHandler) {
			t.Errorf("recovered %v, want http.ErrAbortHandler", err)
		}
	}()
	r, _ := http.NewRequest("GET", "/integrations", nil)
	s.Handler().ServeHTTP(&recorder{header: http.Header{}}, r)
	t.Error("the handler answered")
}
