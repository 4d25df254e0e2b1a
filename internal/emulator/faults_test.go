package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
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
		{FaultImmuta503, func(t *testing.T, a answer, err error) {
			wantMessage(t, mustAnswer(t, a, err), http.StatusServiceUnavailable, "Service temporarily unavailable, please try again later")
			if ct := a.header.Get("Content-Type"); !strings.Contains(ct, "json") {
				t.Errorf("Immuta's 503 is %s, not JSON", ct)
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
		{FaultActed500, proxyPage(http.StatusInternalServerError), true},
		{FaultActed502, proxyPage(http.StatusBadGateway), true},
		{FaultActed503, proxyPage(http.StatusServiceUnavailable), true},
		{FaultActed504, proxyPage(http.StatusGatewayTimeout), true},
		{FaultHang, transportError, false},
		{FaultHangAfter, transportError, true},
		{FaultHTML200, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
			if !strings.Contains(string(a.body), "<html>") || a.header.Get("Content-Type") != "text/html" {
				t.Errorf("not an HTML page: %s", a.body)
			}
		}, true},
		{FaultWrongID, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
			if id := a.json(t)["id"]; id == "1" || id == nil {
				t.Errorf("answer carries id %v, want another than 1: %s", id, a.body)
			}
		}, true},
		// Omission spoils lists only; a create's answer passes unchanged.
		{FaultOmit, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
			if id := a.json(t)["id"]; id != "1" {
				t.Errorf("answer %s", a.body)
			}
		}, true},
		{FaultEcho, echoed(`\"password\":\"p\u003c\u0026\\\"w\u003ed\"`), false},
		{FaultEchoUnescaped, echoed(`\"password\":\"p<&\\\"w>d\"`), false},
		{FaultEchoHTML, echoed(`&#34;password&#34;:&#34;p&lt;&amp;\&#34;w&gt;d&#34;`), false},
		{FaultEchoURL, echoed(`%22password%22%3A%22p%3C%26%5C%22w%3Ed%22`), false},
		// base64 of `"password":"p<&\"w>d"` at the offset rawPayload puts it.
		{FaultEchoBase64, echoedBase64(`"password":"p<&\"w>d"`), false},
		{FaultEchoYAML, echoed(`password: 'p<&\"w>d'`, `host: 'organization.aws.amazon.com'`), false},
		{FaultSlow, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
		}, true},
		{FaultGateway404, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusNotFound)
			if !strings.Contains(string(a.body), "<title>404 Not Found</title>") || a.header.Get("Content-Type") != "text/html" {
				t.Errorf("not a gateway's HTML 404 page: %s", a.body)
			}
		}, false},
		{FaultEmpty404, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusNotFound)
			if len(a.body) != 0 {
				t.Errorf("body %q, want none", a.body)
			}
		}, false},
		{FaultNull200, replaced("null"), true},
		{FaultEmptyObject200, replaced("{}"), true},
		{FaultNone, func(t *testing.T, a answer, err error) {
			wantCode(t, mustAnswer(t, a, err), http.StatusOK)
		}, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			s := start(t, WithFaultSequence(tt.fault), WithSlowDelay(100*time.Millisecond), WithHangLimit(100*time.Millisecond))
			began := time.Now()
			a, err := try(t, s, req{method: "POST", path: "/integrations", body: rawPayload(t, `p<&"w>d`)})
			tt.check(t, a, err)
			if (tt.fault == FaultSlow || tt.fault == FaultHang || tt.fault == FaultHangAfter) && time.Since(began) < 100*time.Millisecond {
				t.Errorf("%s fault took %v", tt.fault, time.Since(began))
			}
			created := len(s.Integrations())
			if tt.fault != FaultNone && tt.fault.Acts() != tt.acted {
				t.Errorf("Acts() = %v, want %v", tt.fault.Acts(), tt.acted)
			}
			st := s.Stats()
			if tt.acted != (created == 1) || tt.acted != (st.Creations == 1) {
				t.Errorf("acted on: %d integrations, %d creations; want acted=%v", created, st.Creations, tt.acted)
			}
			if st.Requests != 1 || st.ByRoute["POST /integrations"] != 1 || st.CreatePosts != map[bool]int{true: 1, false: 0}[tt.acted] {
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

// rawPayload is the documentation's payload with password, encoded without
// HTML escaping so that the echo faults meet < > & as sent.
func rawPayload(t *testing.T, password string) string {
	t.Helper()
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(docPayload(t, func(_, c map[string]any) { c["password"] = password })); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// echoed checks a 400 that echoes rawPayload's password in one encoding.
func echoed(want ...string) func(t *testing.T, a answer, err error) {
	return func(t *testing.T, a answer, err error) {
		t.Helper()
		wantCode(t, mustAnswer(t, a, err), http.StatusBadRequest)
		for _, w := range want {
			if !strings.Contains(string(a.body), w) {
				t.Errorf("echo lacks %s: %s", w, a.body)
			}
		}
	}
}

// replaced checks a 200 whose body is exactly body, as JSON.
func replaced(body string) func(t *testing.T, a answer, err error) {
	return func(t *testing.T, a answer, err error) {
		t.Helper()
		wantCode(t, mustAnswer(t, a, err), http.StatusOK)
		if string(a.body) != body || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
			t.Errorf("answer %q (%s), want %s as JSON", a.body, a.header.Get("Content-Type"), body)
		}
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
	t.Run("rotate", func(t *testing.T) {
		// In turn, skipping a kind that does not apply (wrong-id applies only to
		// one integration's answers, not to the list).
		s := start(t, WithFaults(FaultPolicy{Rate: 1, Rotate: true, Kinds: []Fault{Fault502, FaultWrongID, Fault504, Fault429}}))
		for _, want := range []int{502, 504, 429, 502, 504} {
			wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), want)
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
	for _, f := range append(append([]Fault{FaultNone}, AllFaults...), RaceFaults...) {
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

func TestRedirectFaults(t *testing.T) {
	for _, tc := range []struct {
		fault  Fault
		code   int
		method string // what Go's client sends to the other origin
	}{
		{FaultRedirect301, http.StatusMovedPermanently, "GET"},
		{FaultRedirect302, http.StatusFound, "GET"},
		{FaultRedirect307, http.StatusTemporaryRedirect, "POST"},
		{FaultRedirect308, http.StatusPermanentRedirect, "POST"},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			s := start(t, WithFaultSequence(tc.fault))
			r := req{method: "POST", path: "/integrations", body: rawPayload(t, "secret-pw")}.build(t, s)
			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := noFollow.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			if resp.StatusCode != tc.code || loc != s.OtherOriginURL()+"/integrations" || strings.HasPrefix(loc, s.URL) {
				t.Fatalf("answer %d Location %q, want %d to %s", resp.StatusCode, loc, tc.code, s.OtherOriginURL())
			}
			if len(s.Integrations()) != 0 || s.Stats().CreatePosts != 0 {
				t.Error("the redirect acted")
			}
			// A client that follows the redirect reaches the other origin,
			// which records what it was sent and answers a foreign id.
			s.SetFaults(FaultSettings{Sequence: []Fault{tc.fault}})
			a := do(t, s, req{method: "POST", path: "/integrations", body: rawPayload(t, "secret-pw")})
			if a.code != http.StatusOK || a.json(t)["id"] != "666" {
				t.Errorf("followed redirect answered %d %s", a.code, a.body)
			}
			strays := s.OtherOrigin()
			if len(strays) != 1 || strays[0].Method != tc.method || strays[0].Path != "/integrations" || s.Stats().OtherOrigin != 1 {
				t.Fatalf("other origin saw %+v", strays)
			}
			if leaked := strings.Contains(string(strays[0].Body), "secret-pw"); leaked != (tc.method == "POST") {
				t.Errorf("body at the other origin: %q", strays[0].Body)
			}
			adm := do(t, s, req{method: "GET", path: "/_emulator/other-origin"})
			if adm.code != http.StatusOK || strings.Contains(string(adm.body), "secret-pw") || !strings.Contains(string(adm.body), `"method":"`+tc.method) {
				t.Errorf("admin other-origin: %s", adm.body)
			}
		})
	}
	// Same-origin redirects of every code: nothing is acted on by the redirect;
	// Go's client follows 307 and 308 with the method and body (the create
	// happens on the second visit) and turns a POST into a GET on 301, 302 and
	// 303 (the second visit reads the list, nothing is created).
	for _, tc := range []struct {
		fault   Fault
		code    int
		creates bool
	}{
		{FaultRedirectSame, http.StatusTemporaryRedirect, true},
		{FaultRedirectSame308, http.StatusPermanentRedirect, true},
		{FaultRedirectSame301, http.StatusMovedPermanently, false},
		{FaultRedirectSame302, http.StatusFound, false},
		{FaultRedirectSame303, http.StatusSeeOther, false},
	} {
		t.Run("same origin "+string(tc.fault), func(t *testing.T) {
			s := start(t, WithFaultSequence(tc.fault))
			r := req{method: "POST", path: "/integrations", body: rawPayload(t, "pw")}.build(t, s)
			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := noFollow.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != tc.code || loc != "/integrations?redirected=1" {
				t.Fatalf("answer %d Location %q, want %d to this origin", resp.StatusCode, loc, tc.code)
			}
			if len(s.Integrations()) != 0 {
				t.Fatal("the redirect acted")
			}
			s.SetFaults(FaultSettings{Sequence: []Fault{tc.fault}})
			a := do(t, s, req{method: "POST", path: "/integrations", body: rawPayload(t, "pw")})
			if created := len(s.Integrations()) == 1; a.code != http.StatusOK || created != tc.creates || len(s.OtherOrigin()) != 0 {
				t.Errorf("followed: %d %s, created %v, want %v", a.code, a.body, created, tc.creates)
			}
		})
	}
	t.Run("same origin", func(t *testing.T) {
		s := start(t, WithFaultSequence(FaultRedirectSame))
		a := do(t, s, req{method: "POST", path: "/integrations", body: rawPayload(t, "pw")})
		if a.code != http.StatusOK || len(s.Integrations()) != 1 || len(s.OtherOrigin()) != 0 {
			t.Errorf("same-origin redirect: %d %s, %d integrations", a.code, a.body, len(s.Integrations()))
		}
		if st := s.Stats(); st.Requests != 2 || st.CreatePosts != 1 || st.Faults[FaultRedirectSame] != 1 {
			t.Errorf("stats %+v", st)
		}
	})
}

func TestWrongIDFault(t *testing.T) {
	s := start(t, WithNumericIDs())
	mine, theirs := createEnabled(t, s, payloadFor(t, "a.example")), createEnabled(t, s, payloadFor(t, "b.example"))
	s.SetFaults(FaultSettings{Policies: []FaultPolicy{{Rate: 1, Kinds: []Fault{FaultWrongID}}}})
	for _, r := range []req{
		{method: "GET", path: "/integrations/" + mine},
		{method: "GET", path: "/integrations/" + mine + "/status"},
		{method: "PUT", path: "/integrations/" + mine, body: payloadFor(t, "a.example")},
	} {
		a := do(t, s, r)
		if a.code != http.StatusOK || a.json(t)["id"] != json.Number(theirs) && a.json(t)["id"] != float64(2) {
			t.Errorf("%s %s: %d %s, want id %s (a number)", r.method, r.path, a.code, a.body, theirs)
		}
	}
	// A list is not one integration: the wrong-id fault does not apply to it.
	if a := do(t, s, req{method: "GET", path: "/integrations"}); a.code != http.StatusOK || !strings.Contains(string(a.body), `"id":1,`) {
		t.Errorf("list %s", a.body)
	}
	if st := s.Stats(); st.Faults[FaultWrongID] != 3 {
		t.Errorf("faults %v", st.Faults)
	}
}

func TestOmitFault(t *testing.T) {
	ids := func(a answer) []string {
		var list []map[string]any
		if err := json.Unmarshal(a.body, &list); err != nil {
			t.Fatalf("%s: %v", a.body, err)
		}
		var out []string
		for _, in := range list {
			out = append(out, in["id"].(string))
		}
		return out
	}
	s := start(t, WithForeignIntegrations(), WithOmission(Omission{Hosts: []string{"b.example"}}),
		WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{FaultOmit}, Methods: []string{"GET"}, Paths: []string{"/integrations"}}))
	a, b := create(t, s, payloadFor(t, "a.example")), create(t, s, payloadFor(t, "b.example"))
	if got := ids(do(t, s, req{method: "GET", path: "/integrations"})); strings.Join(got, ",") != "1,2,"+a {
		t.Errorf("list %v, want b.example's %s left out", got, b)
	}
	// The by-id answer is untouched: the integration exists.
	if code, _ := getStatus(t, s, b); code != http.StatusOK {
		t.Errorf("GET %s: %d", b, code)
	}
	s.SetFaults(FaultSettings{Sequence: []Fault{FaultOmit}})
	if got := ids(do(t, s, req{method: "GET", path: "/integrations"})); strings.Join(got, ",") != "1,2" {
		t.Errorf("list %v, want every Redshift integration left out", got)
	}
}

func TestFaultSelectors(t *testing.T) {
	t.Run("count", func(t *testing.T) {
		s := start(t, WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{Fault502}, Count: 2}))
		for _, want := range []int{502, 502, 200, 200} {
			wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), want)
		}
	})
	t.Run("paths and policies in order", func(t *testing.T) {
		s := start(t,
			WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{Fault504}, Paths: []string{"/integrations/{id}/status"}}),
			WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{Fault429}, Methods: []string{"DELETE"}}))
		wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), 200)
		wantCode(t, do(t, s, req{method: "GET", path: "/integrations/7/status"}), 504)
		wantCode(t, do(t, s, req{method: "GET", path: "/integrations/7"}), 404)
		wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/7"}), 429)
	})
	t.Run("only kinds that apply are drawn", func(t *testing.T) {
		s := start(t, WithFaults(FaultPolicy{Rate: 1, Kinds: []Fault{FaultOmit, FaultWrongID}}))
		wantCode(t, do(t, s, req{method: "POST", path: "/integrations/scripts/create", body: payloadFor(t, "x.example")}), 200)
		if st := s.Stats(); len(st.Faults) != 0 {
			t.Errorf("faults %v on a script request", st.Faults)
		}
	})
}

func TestAdminFaults(t *testing.T) {
	s := start(t)
	body := `{"policies":[{"rate":1,"kinds":["acted-503"],"methods":["POST"],"count":1}],"sequence":["none"],"omission":{"statuses":["deleteError"]}}`
	if a := do(t, s, req{method: "PUT", path: "/_emulator/faults", body: body}); a.code != http.StatusNoContent {
		t.Fatalf("PUT faults: %d %s", a.code, a.body)
	}
	got := do(t, s, req{method: "GET", path: "/_emulator/faults"})
	var f FaultSettings
	if err := json.Unmarshal(got.body, &f); err != nil || len(f.Policies) != 1 || f.Policies[0].Kinds[0] != FaultActed503 || f.Omission.Statuses[0] != StatusDeleteError || len(f.Sequence) != 1 {
		t.Errorf("GET faults: %s", got.body)
	}
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), 200) // the sequence's "none"
	wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "a.example")}), 503)
	wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "a.example")}), 409)
	if st := s.Stats(); st.Creations != 1 || st.CreatePosts != 2 || st.Faults[FaultActed503] != 1 {
		t.Errorf("stats %+v", st)
	}
	if a := do(t, s, req{method: "PUT", path: "/_emulator/faults", body: `{"sequence":["teapot"]}`}); a.code != http.StatusBadRequest {
		t.Errorf("unknown kind: %d %s", a.code, a.body)
	}
}

// Every kind has its row in the fault table: a kind without one would be served
// unspoilt while the stats count it as injected.
func TestEveryFaultHasARow(t *testing.T) {
	for _, f := range append(slices.Clone(AllFaults), RaceFaults...) {
		if _, ok := spoilers[f]; !ok {
			t.Errorf("fault %s has no row in the fault table", f)
		}
	}
}

// echoedBase64 checks a 400 whose message is the request body base64-encoded.
func echoedBase64(want string) func(t *testing.T, a answer, err error) {
	return func(t *testing.T, a answer, err error) {
		t.Helper()
		wantCode(t, mustAnswer(t, a, err), http.StatusBadRequest)
		msg, _ := a.json(t)["message"].(string)
		enc, ok := strings.CutPrefix(msg, echoPrefix)
		if !ok {
			t.Fatalf("message %q", msg)
		}
		body, derr := base64.StdEncoding.DecodeString(enc)
		if derr != nil || !strings.Contains(string(body), want) {
			t.Errorf("echo %q decodes to %q (%v), want it to hold %s", enc, body, derr, want)
		}
	}
}
