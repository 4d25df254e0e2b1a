package emulator

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStatsByRoute(t *testing.T) {
	s := start(t)
	id := createEnabled(t, s, readJSON(t, "payload.json"))
	s.ResetStats()
	requests := []req{
		{method: "GET", path: "/integrations"},
		{method: "GET", path: "/integrations/" + id},
		{method: "GET", path: "/integrations/" + id + "/status"},
		{method: "GET", path: "/integrations/" + id + "/status"},
		{method: "POST", path: "/integrations/scripts/create", body: readJSON(t, "payload.json")},
		{method: "POST", path: "/integrations/" + id + "/scripts/delete"},
		{method: "GET", path: "/integrations", auth: strp("")},
		{method: "GET", path: "/_emulator/stats"},
	}
	for _, r := range requests {
		do(t, s, r)
	}
	st := s.Stats()
	want := map[string]int{
		"GET /integrations":                      2,
		"GET /integrations/{id}":                 1,
		"GET /integrations/{id}/status":          2,
		"POST /integrations/scripts/create":      1,
		"POST /integrations/{id}/scripts/delete": 1,
	}
	if st.Requests != 7 || mustJSON(t, st.ByRoute) != mustJSON(t, want) || st.Creations != 0 || len(st.Faults) != 0 {
		t.Errorf("stats %+v, want 7 requests by %v", st, want)
	}
	s.ResetStats()
	if st := s.Stats(); st.Requests != 0 || len(st.ByRoute) != 0 || len(s.Settlements()) != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
}

func TestSettlements(t *testing.T) {
	s := start(t)
	began := time.Now()
	id := create(t, s, readJSON(t, "payload.json"))
	time.Sleep(2 * fastTransition)

	sts := s.Settlements()
	if len(sts) != 1 {
		t.Fatalf("settlements %+v", sts)
	}
	st := sts[0]
	if st.ID != id || st.Op != opCreate || st.Status != StatusEnabled || !st.FirstSeenAt.IsZero() {
		t.Errorf("before any GET: %+v", st)
	}
	if lag := st.SettledAt.Sub(began); lag < fastTransition || lag > fastTransition+5*time.Second {
		t.Errorf("settled %v after the POST", lag)
	}
	// Test controls do not count as observation; a client GET does.
	s.Integrations()
	if s.Settlements()[0].FirstSeenAt.IsZero() == false {
		t.Error("Integrations() observed the settlement")
	}
	seenBefore := time.Now()
	getStatus(t, s, id)
	st = s.Settlements()[0]
	if st.FirstSeenAt.Before(seenBefore) || !st.FirstSeenAt.After(st.SettledAt) {
		t.Errorf("after GET: %+v", st)
	}
	first := st.FirstSeenAt
	getFull(t, s, id)
	if s.Settlements()[0].FirstSeenAt != first {
		t.Error("a second GET moved FirstSeenAt")
	}

	// An edit the client never looked at before deleting stays unseen; the
	// deletion is seen by the 404 of the list.
	wantCode(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}), http.StatusOK)
	time.Sleep(2 * fastTransition)
	wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
	time.Sleep(2 * fastTransition)
	do(t, s, req{method: "GET", path: "/integrations"})
	sts = s.Settlements()
	if len(sts) != 3 || sts[1].Op != opUpdate || !sts[1].FirstSeenAt.IsZero() || sts[2].Op != opDelete || sts[2].Status != StatusDeleted || sts[2].FirstSeenAt.IsZero() {
		t.Errorf("settlements %+v", sts)
	}
	sum := Summarize(sts)
	if sum.Count != 3 || sum.Seen != 2 || sum.Unseen != 1 || sum.LagMs.Max < sum.LagMs.Min || sum.ByOp["delete:deleted"] != 1 {
		t.Errorf("summary %+v", sum)
	}
}

func TestOutcomeIsFixedWhenTheOperationStarts(t *testing.T) {
	s := start(t)
	id := create(t, s, readJSON(t, "payload.json"))
	s.SetOutcome(docHost, Outcome{CreateError: true})
	waitStatus(t, s, id, StatusEnabled)
	st := s.Settlements()[0]
	if st.Status != StatusEnabled || st.FirstSeenAt.Before(st.SettledAt) {
		t.Errorf("%+v", st)
	}
}

func TestAdminSurface(t *testing.T) {
	s := start(t, WithFaultSequence(Fault503))
	a := do(t, s, req{method: "GET", path: "/_emulator/stats", auth: strp("")})
	wantCode(t, a, http.StatusOK)
	var stats struct {
		Stats
		Settlements SettlementSummary `json:"settlements"`
	}
	if err := json.Unmarshal(a.body, &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Requests != 0 || stats.ByRoute == nil {
		t.Errorf("stats %s", a.body)
	}
	for _, k := range []string{`"requests"`, `"byRoute"`, `"faults"`, `"creations"`, `"settlements"`, `"lagMs"`} {
		if !strings.Contains(string(a.body), k) {
			t.Errorf("stats lack %s: %s", k, a.body)
		}
	}
	// The fault sequence waited for the first API request.
	wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: readJSON(t, "payload.json")}), http.StatusServiceUnavailable)
	create(t, s, readJSON(t, "payload.json"))

	a = do(t, s, req{method: "GET", path: "/_emulator/integrations", auth: strp("")})
	var list []Integration
	if err := json.Unmarshal(a.body, &list); err != nil || len(list) != 1 || list[0].Config["password"] != "abc1234" {
		t.Errorf("admin integrations %s", a.body)
	}
	wantCode(t, do(t, s, req{method: "POST", path: "/_emulator/reset-stats", auth: strp("")}), http.StatusNoContent)
	if st := s.Stats(); st.Requests != 0 || st.Creations != 0 {
		t.Errorf("after reset-stats %+v", st)
	}
	wantCode(t, do(t, s, req{method: "GET", path: "/_emulator/nothing"}), http.StatusNotFound)
	wantCode(t, do(t, s, req{method: "DELETE", path: "/_emulator/stats"}), http.StatusMethodNotAllowed)

	// Only loopback callers reach it.
	r := httptest.NewRequest("GET", "/_emulator/stats", nil)
	r.RemoteAddr = "192.0.2.7:4321"
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("remote admin call: %d", w.Code)
	}
}

// syncBuffer lets the server's goroutines log while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestLogger(t *testing.T) {
	var buf syncBuffer
	s := start(t, WithLogger(log.New(&buf, "", 0)), WithAPIKey("k3y-value"), WithFaultSequence(FaultNone, FaultReset))
	create(t, s, readJSON(t, "payload.json"))
	_, _ = try(t, s, req{method: "DELETE", path: "/integrations/1"})
	do(t, s, req{method: "GET", path: "/integrations/9"})
	s.Close()
	got := buf.String()
	want := "POST /integrations 200\nDELETE /integrations/1 reset fault=reset\nGET /integrations/9 404\n"
	if got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
	for _, secret := range []string{"k3y-value", "abc1234", "taylor"} {
		if strings.Contains(got, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := start(t, WithTransition(5*time.Millisecond))
	// Parallel subtests rather than goroutines, so that helpers may fail them.
	t.Run("clients", func(t *testing.T) {
		for i := range 8 {
			t.Run(strconv.Itoa(i), func(t *testing.T) {
				t.Parallel()
				host := strings.Repeat("x", i+1) + ".example.com"
				id := createEnabled(t, s, payloadFor(t, host))
				s.SetOutcome(host, Outcome{})
				s.ModifyConfig(id, func(c map[string]any) { c["port"] = 6000 + i })
				wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
				waitStatus(t, s, id, "404")
				_ = s.Stats()
				_ = s.Settlements()
			})
		}
	})
	if n := len(s.Integrations()); n != 0 {
		t.Errorf("%d integrations left", n)
	}
	if st := s.Stats(); st.Creations != 8 {
		t.Errorf("creations %d", st.Creations)
	}
}
