package emulator

import (
	"net/http"
	"testing"
	"time"
)

// The admin surface steers the emulator from outside the process: outcomes
// per host and changes behind the client's back, as the test controls do.
func TestAdminSteering(t *testing.T) {
	s := start(t)
	create := func(host string) string {
		a := do(t, s, req{method: http.MethodPost, path: "/integrations", body: docPayload(t, func(_, c map[string]any) { c["host"] = host })})
		if a.code != http.StatusOK {
			t.Fatalf("create on %s: %d %s", host, a.code, a.body)
		}
		return a.json(t)["id"].(string)
	}
	status := func(id string) string {
		return do(t, s, req{method: http.MethodGet, path: "/integrations/" + id}).json(t)["status"].(string)
	}
	settle := func() { time.Sleep(3 * fastTransition) }

	if a := do(t, s, req{method: http.MethodPut, path: "/_emulator/outcomes/bad.example", body: `{"createError": true, "failedTests": ["Validate Automatic: User Grants"]}`}); a.code != http.StatusNoContent {
		t.Fatalf("set outcome: %d %s", a.code, a.body)
	}
	bad, good := create("bad.example"), create("good.example")
	settle()
	if got := status(bad); got != StatusCreateError {
		t.Errorf("integration on bad.example is %s, want createError", got)
	}

	for _, tc := range []struct {
		name, method, path, body string
		want                     int
		check                    func() bool
	}{
		{"status change", http.MethodPut, "/_emulator/integrations/" + good + "/status", `{"status": "recurringValidationError"}`, http.StatusNoContent,
			func() bool { return status(good) == StatusRecurringValidationError }},
		{"config change", http.MethodPatch, "/_emulator/integrations/" + good + "/config", `{"port": 6000}`, http.StatusNoContent,
			func() bool {
				return do(t, s, req{method: http.MethodGet, path: "/integrations/" + good}).json(t)["config"].(map[string]any)["port"] == float64(6000)
			}},
		{"removal", http.MethodDelete, "/_emulator/integrations/" + good, "", http.StatusNoContent,
			func() bool {
				return do(t, s, req{method: http.MethodGet, path: "/integrations/" + good}).code == http.StatusNotFound
			}},
		{"unknown id", http.MethodDelete, "/_emulator/integrations/999", "", http.StatusNotFound, func() bool { return true }},
		{"bad body", http.MethodPut, "/_emulator/outcomes/x.example", `{"stuck": "yes"}`, http.StatusBadRequest, func() bool { return true }},
	} {
		var body any
		if tc.body != "" {
			body = tc.body
		}
		if a := do(t, s, req{method: tc.method, path: tc.path, body: body}); a.code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, a.code, a.body, tc.want)
			continue
		}
		if !tc.check() {
			t.Errorf("%s: no effect", tc.name)
		}
	}
	if st := s.Stats(); st.ByRoute["PUT /_emulator/outcomes/{host}"] != 0 {
		t.Errorf("admin requests were counted as API requests: %v", st.ByRoute)
	}
}
