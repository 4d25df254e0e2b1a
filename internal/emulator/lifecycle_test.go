package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// Each in-progress status is held with a stuck outcome while it is checked,
// so that a slow machine cannot let it settle early.
func TestLifecycle(t *testing.T) {
	s := start(t)
	hold := func() { s.SetOutcome(docHost, Outcome{Stuck: true}) }
	release := func() { s.SetOutcome(docHost, Outcome{}) }

	hold()
	id := create(t, s, readJSON(t, "payload.json"))
	if _, st := getStatus(t, s, id); st != StatusCreating {
		t.Errorf("right after POST: %s", st)
	}
	wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}),
		http.StatusConflict, "Unable to edit integration with ID "+id+" in current state creating.")
	wantMessage(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}),
		http.StatusConflict, "Unable to delete integration with ID "+id+" in current state creating.")
	release()
	waitStatus(t, s, id, StatusEnabled)

	hold()
	newPort := docPayload(t, func(_, c map[string]any) { c["port"] = 5440 })
	a := do(t, s, req{method: "PUT", path: "/integrations/" + id, body: newPort})
	wantCode(t, a, http.StatusOK)
	if st := a.json(t)["status"]; st != StatusEditing {
		t.Errorf("PUT answer status %v", st)
	}
	wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: newPort}),
		http.StatusConflict, "Unable to edit integration with ID "+id+" in current state editing.")
	wantMessage(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}),
		http.StatusConflict, "Unable to delete integration with ID "+id+" in current state editing.")
	release()
	waitStatus(t, s, id, StatusEnabled)
	if port := getFull(t, s, id)["config"].(map[string]any)["port"]; port != 5440.0 {
		t.Errorf("port after the edit: %v", port)
	}

	hold()
	a = do(t, s, req{method: "DELETE", path: "/integrations/" + id})
	wantCode(t, a, http.StatusOK)
	if st := a.json(t)["status"]; st != StatusDeleting {
		t.Errorf("DELETE answer status %v", st)
	}
	if _, st := getStatus(t, s, id); st != StatusDeleting {
		t.Errorf("right after DELETE: %s", st)
	}
	wantMessage(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}),
		http.StatusConflict, "Unable to delete integration with ID "+id+" in current state deleting.")
	wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: newPort}),
		http.StatusConflict, "Unable to edit integration with ID "+id+" in current state deleting.")
	release()
	waitStatus(t, s, id, "404")
	wantMessage(t, do(t, s, req{method: "GET", path: "/integrations/" + id}), http.StatusNotFound, "No Integration found with ID "+id+".")
	if n := len(s.Integrations()); n != 0 {
		t.Errorf("%d integrations left", n)
	}
}

func TestOutcomes(t *testing.T) {
	t.Run("createError", func(t *testing.T) {
		s := start(t)
		s.SetOutcome(docHost, Outcome{CreateError: true})
		id := create(t, s, readJSON(t, "payload.json"))
		waitStatus(t, s, id, StatusCreateError)
		v := getValidation(t, s, id)
		if v.Status != "failed" || !hasTest(v, testBasicConnection, "failed") {
			t.Errorf("validation %+v", v)
		}
		wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}),
			http.StatusConflict, "Unable to edit integration with ID "+id+" in current state createError.")
		wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
		waitStatus(t, s, id, "404")
	})
	t.Run("editError rolls back", func(t *testing.T) {
		s := start(t)
		id := createEnabled(t, s, readJSON(t, "payload.json"))
		failing := Outcome{EditError: true, FailedTests: []string{"Validate Automatic: User Grants", "Custom Check"}}
		held := failing
		held.Stuck = true
		s.SetOutcome(docHost, held)
		wantCode(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: docPayload(t, func(p, c map[string]any) {
			c["port"] = 5440
			p["autoBootstrap"] = true
		})}), http.StatusOK)
		full := getFull(t, s, id)
		if full["status"] != StatusEditing || full["config"].(map[string]any)["port"] != 5440.0 {
			t.Errorf("while editing: %v", full)
		}
		s.SetOutcome(docHost, failing)
		waitStatus(t, s, id, StatusEditError)
		full = getFull(t, s, id)
		if full["config"].(map[string]any)["port"] != 5439.0 || full["autoBootstrap"] != false {
			t.Errorf("after editError the config is not rolled back: %v", full)
		}
		v := getValidation(t, s, id)
		if v.Status != "failed" || !hasTest(v, "Validate Automatic: User Grants", "failed") || !hasTest(v, "Custom Check", "failed") || !hasTest(v, testBasicConnection, "passed") {
			t.Errorf("validation %+v", v)
		}
		// editError allows another edit.
		s.SetOutcome(docHost, Outcome{})
		wantCode(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}), http.StatusOK)
		waitStatus(t, s, id, StatusEnabled)
	})
	t.Run("deleteError keeps it working", func(t *testing.T) {
		s := start(t)
		id := createEnabled(t, s, readJSON(t, "payload.json"))
		s.SetOutcome(docHost, Outcome{DeleteError: true})
		wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
		waitStatus(t, s, id, StatusDeleteError)
		if c := getFull(t, s, id)["config"].(map[string]any); c["database"] != "immuta" {
			t.Errorf("config after deleteError %v", c)
		}
		s.SetOutcome(docHost, Outcome{})
		wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
		waitStatus(t, s, id, "404")
	})
	t.Run("stuck until released", func(t *testing.T) {
		s := start(t)
		s.SetOutcome(docHost, Outcome{Stuck: true})
		id := create(t, s, readJSON(t, "payload.json"))
		time.Sleep(3 * fastTransition)
		if _, st := getStatus(t, s, id); st != StatusCreating {
			t.Fatalf("stuck integration is %s", st)
		}
		wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusConflict)
		s.SetOutcome(docHost, Outcome{})
		waitStatus(t, s, id, StatusEnabled)
	})
	t.Run("stuck holds a running operation", func(t *testing.T) {
		// A transition of an hour cannot end during the test; the store is
		// inspected directly because the point is what SetOutcome does to it.
		s := start(t, WithTransition(time.Hour))
		id := create(t, s, readJSON(t, "payload.json"))
		op := func() pendingOp {
			s.store.mu.Lock()
			defer s.store.mu.Unlock()
			return *s.store.records[id].op
		}
		s.SetOutcome(docHost, Outcome{Stuck: true})
		if !op().stuck {
			t.Fatal("the running creation is not stuck")
		}
		released := time.Now()
		s.SetOutcome(docHost, Outcome{})
		if o := op(); o.stuck || o.deadline.Before(released.Add(time.Hour)) {
			t.Errorf("released operation %+v: want a full transition from the release", o)
		}
		s.SetOutcome("other.example.com", Outcome{Stuck: true})
		if op().stuck {
			t.Error("an outcome for another host held the operation")
		}
	})
}

func getValidation(t *testing.T, s *Server, id string) ValidationResults {
	t.Helper()
	var st IntegrationStatus
	if err := json.Unmarshal(do(t, s, req{method: "GET", path: "/integrations/" + id + "/status"}).body, &st); err != nil {
		t.Fatal(err)
	}
	return st.ValidationResults
}

func hasTest(v ValidationResults, name, status string) bool {
	for _, vt := range v.ValidationTests {
		if vt.Name == name {
			if status == "failed" && len(vt.Result) == 0 {
				return false
			}
			return vt.Status == status
		}
	}
	return false
}

func TestDeletedRetention(t *testing.T) {
	// An hour of retention keeps the deleted state for the whole test.
	s := start(t, WithDeletedRetention(time.Hour))
	id := createEnabled(t, s, readJSON(t, "payload.json"))
	wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
	waitStatus(t, s, id, StatusDeleted)
	if full := getFull(t, s, id); full["status"] != StatusDeleted {
		t.Errorf("GET %v", full)
	}
	var list []Integration
	_ = json.Unmarshal(do(t, s, req{method: "GET", path: "/integrations"}).body, &list)
	if in, ok := find(list, id); !ok || in.Status != StatusDeleted {
		t.Errorf("list during retention: %+v", list)
	}
	if _, ok := find(s.Integrations(), id); ok {
		t.Errorf("Integrations() shows the deleted integration")
	}
	wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}),
		http.StatusConflict, "Unable to edit integration with ID "+id+" in current state deleted.")
	wantMessage(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}),
		http.StatusConflict, "Unable to delete integration with ID "+id+" in current state deleted.")
	wantCode(t, do(t, s, req{method: "POST", path: "/integrations/" + id + "/scripts/delete"}), http.StatusNotFound)
	// The host is free while the deleted one lingers.
	create(t, s, readJSON(t, "payload.json"))

	// After the retention, 404.
	s = start(t, WithDeletedRetention(100*time.Millisecond))
	id = createEnabled(t, s, readJSON(t, "payload.json"))
	wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), http.StatusOK)
	waitStatus(t, s, id, "404")
	if sts := s.Settlements(); len(sts) != 2 || sts[1].Status != StatusDeleted {
		t.Errorf("settlements %+v", sts)
	}
}

func TestNumericIDs(t *testing.T) {
	s := start(t, WithNumericIDs(), WithForeignIntegrations(), WithTransition(time.Hour))
	a := do(t, s, req{method: "POST", path: "/integrations", body: readJSON(t, "payload.json")})
	wantCode(t, a, http.StatusOK)
	if id, ok := a.json(t)["id"].(float64); !ok || id != 3 {
		t.Fatalf("POST id %#v, want the number 3", a.json(t)["id"])
	}
	for _, path := range []string{"/integrations/3", "/integrations/3/status"} {
		if id := do(t, s, req{method: "GET", path: path}).json(t)["id"]; id != 3.0 {
			t.Errorf("%s id %#v", path, id)
		}
	}
	var list []map[string]any
	_ = json.Unmarshal(do(t, s, req{method: "GET", path: "/integrations"}).body, &list)
	for i, in := range list {
		if in["id"] != float64(i+1) {
			t.Errorf("list[%d].id = %#v", i, in["id"])
		}
	}
	// The types decode either form.
	var st IntegrationStatus
	if err := json.Unmarshal(a.body, &st); err != nil || st.ID != "3" {
		t.Errorf("decoding a numeric id: %v %q", err, st.ID)
	}
	wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/3", body: readJSON(t, "payload.json")}),
		http.StatusConflict, "Unable to edit integration with ID 3 in current state creating.")
}

func TestOutOfBandChanges(t *testing.T) {
	s := start(t)
	id := createEnabled(t, s, readJSON(t, "payload.json"))

	if !s.ModifyConfig(id, func(c map[string]any) { c["port"] = 5999; c["database"] = "other" }) {
		t.Fatal("ModifyConfig failed")
	}
	c := getFull(t, s, id)["config"].(map[string]any)
	if c["port"] != 5999.0 || c["database"] != "other" {
		t.Errorf("config after ModifyConfig %v", c)
	}

	s.SetStatus(id, StatusDisabled)
	wantMessage(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}),
		http.StatusConflict, "Unable to edit integration with ID "+id+" in current state disabled.")
	s.SetStatus(id, StatusMigrating)
	wantMessage(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}),
		http.StatusConflict, "Unable to delete integration with ID "+id+" in current state migrating.")
	s.SetStatus(id, StatusRecurringValidationError)
	if _, st := getStatus(t, s, id); st != StatusRecurringValidationError {
		t.Errorf("status %s", st)
	}
	wantCode(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: readJSON(t, "payload.json")}), http.StatusOK)
	waitStatus(t, s, id, StatusEnabled)

	if !s.RemoveIntegration(id) {
		t.Fatal("RemoveIntegration failed")
	}
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations/" + id}), http.StatusNotFound)
	if s.RemoveIntegration(id) || s.SetStatus(id, StatusEnabled) || s.ModifyConfig(id, func(map[string]any) {}) {
		t.Error("controls succeeded on a removed integration")
	}
}
