package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The recorder keeps every POST, PUT and DELETE, accepted or refused, with the
// credentials as sent, although every answer redacts them.
func TestRecorderKeepsWhatWasSent(t *testing.T) {
	s := start(t, WithFaultSequence(FaultNone, Fault502))
	host := "rec.example"
	p := payloadFor(t, host)
	cfg := p["config"].(map[string]any)
	cfg["username"], cfg["password"] = "sys-user", "S3nt-password"
	id := create(t, s, p) // FaultNone
	// The second request meets a 502 before anything is acted on.
	if a := do(t, s, req{method: http.MethodPost, path: "/integrations", body: p}); a.code != http.StatusBadGateway {
		t.Fatalf("faulted create: %d", a.code)
	}
	// A refused request (wrong key) is kept too.
	if a := do(t, s, req{method: http.MethodPost, path: "/integrations", body: p, auth: strp("wrong")}); a.code != http.StatusUnauthorized {
		t.Fatalf("unauthorized create: %d", a.code)
	}
	// YAML, and a DELETE body's credentials at the top level.
	yamlBody := "type: Redshift\nautoBootstrap: false\nconfig:\n  host: yaml.example\n  database: immuta\n  username: y-user\n  password: Y4ml-password\n"
	if a := do(t, s, req{method: http.MethodPost, path: "/integrations", body: yamlBody, contentType: "application/yaml"}); a.code != http.StatusOK {
		t.Fatalf("YAML create: %d %s", a.code, a.body)
	}
	do(t, s, req{method: http.MethodDelete, path: "/integrations/" + id, body: `{"authenticationType":"userPassword","username":"priv","password":"Pr1v-password"}`})
	// GETs are not kept.
	do(t, s, req{method: http.MethodGet, path: "/integrations"})

	got := s.Received()
	want := []struct {
		route    string
		code     int
		fault    Fault
		host     string
		password string
	}{
		{"POST /integrations", 200, FaultNone, host, "S3nt-password"},
		{"POST /integrations", 502, Fault502, host, "S3nt-password"},
		{"POST /integrations", 401, FaultNone, host, "S3nt-password"},
		{"POST /integrations", 200, FaultNone, "yaml.example", "Y4ml-password"},
		{"DELETE /integrations/{id}", 409, FaultNone, "", "Pr1v-password"}, // still creating: refused
	}
	if len(got) != len(want) {
		t.Fatalf("received %d requests, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Route != w.route || g.Code != w.code || g.Fault != w.fault || g.Host != w.host || g.Credentials.Password != w.password {
			t.Errorf("request %d: %+v, want %+v", i, g, w)
		}
	}
	if got[0].Credentials.Username != "sys-user" || !got[0].Accepted() || got[1].Accepted() {
		t.Errorf("first: %+v, second accepted %v", got[0], got[1].Accepted())
	}
	if c, ok := s.CredentialsReceived(host); !ok || c.Password != "S3nt-password" {
		t.Errorf("credentials received for %s: %+v %v", host, c, ok)
	}
	if _, ok := s.CredentialsReceived("never.example"); ok {
		t.Error("credentials for a host nothing was sent for")
	}
	if n := len(s.ReceivedFor("POST /integrations", host)); n != 3 {
		t.Errorf("%d create POSTs for %s, want 3", n, host)
	}

	// The admin surface shows the same.
	var admin []Received
	decodeInto(t, do(t, s, req{method: http.MethodGet, path: "/_emulator/received"}).body, &admin)
	if len(admin) != len(got) || admin[3].Credentials.Password != "Y4ml-password" {
		t.Errorf("admin surface: %+v", admin)
	}
}

// An edit's credentials replace the create's in CredentialsReceived, but only
// once accepted.
func TestRecorderCredentialsFollowAcceptedEdits(t *testing.T) {
	s := start(t)
	host := "edit.example"
	p := payloadFor(t, host)
	p["config"].(map[string]any)["password"] = "first"
	id := createEnabled(t, s, p)
	p["config"].(map[string]any)["password"] = "second"
	if a := do(t, s, req{method: http.MethodPut, path: "/integrations/" + id, body: p}); a.code != http.StatusOK {
		t.Fatalf("edit: %d %s", a.code, a.body)
	}
	p["config"].(map[string]any)["password"] = "refused"
	// Still editing: 409, not accepted.
	if a := do(t, s, req{method: http.MethodPut, path: "/integrations/" + id, body: p}); a.code != http.StatusConflict {
		t.Fatalf("edit while editing: %d %s", a.code, a.body)
	}
	if c, _ := s.CredentialsReceived(host); c.Password != "second" {
		t.Errorf("password received %q, want the accepted edit's", c.Password)
	}
}

// EndStatus ends an operation after a number of looks, whatever the time.
func TestOutcomeEndStatusAfterLooks(t *testing.T) {
	s := start(t, WithTransition(time.Hour))
	host := "end.example"
	s.SetOutcome(host, Outcome{EndStatus: "hibernating", AfterLooks: 2})
	id := create(t, s, payloadFor(t, host))
	// Snapshots are not looks.
	if in, _ := find(s.Integrations(), id); in.Status != StatusCreating {
		t.Fatalf("snapshot: %s", in.Status)
	}
	if _, st := getStatus(t, s, id); st != StatusCreating {
		t.Fatalf("look 1: %s", st)
	}
	do(t, s, req{method: http.MethodGet, path: "/integrations"}) // look 2, by list
	if _, st := getStatus(t, s, id); st != "hibernating" {
		t.Fatalf("look 3: %s, want hibernating", st)
	}
	if in, _ := find(s.Integrations(), id); in.Status != "hibernating" {
		t.Errorf("afterwards: %s", in.Status)
	}
	// It was spent by that operation: the next one ends as usual.
	if !s.SetStatus(id, StatusEnabled) {
		t.Fatal("set status")
	}
	s.store.mu.Lock()
	s.store.transition = 0
	s.store.mu.Unlock()
	if a := do(t, s, req{method: http.MethodDelete, path: "/integrations/" + id}); a.code != http.StatusOK {
		t.Fatalf("delete: %d %s", a.code, a.body)
	}
	if code, _ := getStatus(t, s, id); code != http.StatusNotFound {
		t.Errorf("after the delete: %d, want 404", code)
	}
}

// WithListDelay answers a list with the store as it was when the list came in.
func TestListDelayAnswersStale(t *testing.T) {
	s := start(t, WithListDelay(time.Second))
	host := "stale.example"
	id := createEnabled(t, s, payloadFor(t, host))
	done := make(chan []map[string]any, 1)
	go func() {
		a, err := try(t, s, req{method: http.MethodGet, path: "/integrations"})
		var list []map[string]any
		if err == nil {
			decodeInto(t, a.body, &list)
		}
		done <- list
	}()
	// Wait until the list has read the store: then it holds "enabled".
	deadline := time.Now().Add(5 * time.Second)
	for s.Stats().ByRoute["GET /integrations"] == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if a := do(t, s, req{method: http.MethodPut, path: "/integrations/" + id, body: payloadFor(t, host)}); a.code != http.StatusOK {
		t.Fatalf("edit: %d %s", a.code, a.body)
	}
	list := <-done
	if len(list) != 1 || list[0]["status"] != StatusEnabled {
		t.Errorf("stale list %v, want the integration still enabled", list)
	}
}

func decodeInto(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
}
