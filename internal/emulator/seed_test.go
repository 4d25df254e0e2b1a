package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestWithIntegrations(t *testing.T) {
	s := start(t, WithForeignIntegrations(), WithIntegrations(
		Seed{Config: map[string]any{"host": "a.example", "database": "immuta", "username": "u", "password": "p-secret"}},
		Seed{Status: StatusDisabled, Config: map[string]any{"host": "b.example", "database": "immuta", "port": 5440, "username": "u", "password": "p"}},
		Seed{Status: StatusCreateError, Config: map[string]any{"host": "c.example", "database": "immuta", "username": "u", "password": "p"}},
		Seed{Type: "Snowflake", Config: map[string]any{"host": "x.snowflakecomputing.com"}},
	))
	a := do(t, s, req{method: "GET", path: "/integrations"})
	wantCode(t, a, http.StatusOK)
	var list []Integration
	if err := json.Unmarshal(a.body, &list); err != nil {
		t.Fatal(err)
	}
	type row struct{ id, typ, status, host, password string }
	got := map[string]row{}
	for _, in := range list {
		h, _ := in.Config["host"].(string)
		pw, _ := in.Config["password"].(string)
		got[in.ID] = row{in.ID, in.Type, in.Status, h, pw}
	}
	// Ids 1 and 2 are the foreign ones; the seeds follow in order.
	for _, want := range []row{
		{"3", "Redshift", "enabled", "a.example", Redacted},
		{"4", "Redshift", "disabled", "b.example", Redacted},
		{"5", "Redshift", "createError", "c.example", Redacted},
		{"6", "Snowflake", "enabled", "x.snowflakecomputing.com", ""},
	} {
		if got[want.id] != want {
			t.Errorf("integration %s: got %+v, want %+v", want.id, got[want.id], want)
		}
	}
	// A POST's normalization applies: default port, authenticationType and impersonation.
	full := getFull(t, s, "3")
	cfg := full["config"].(map[string]any)
	if cfg["port"] != float64(5439) || cfg["authenticationType"] != "userPassword" || cfg["impersonation"] == nil {
		t.Errorf("seeded config not normalized: %v", cfg)
	}
	if full["validationResults"].(map[string]any)["status"] != "passed" {
		t.Errorf("enabled seed: validation %v", full["validationResults"])
	}
	if v := getFull(t, s, "5")["validationResults"].(map[string]any)["status"]; v != "failed" {
		t.Errorf("createError seed: validation status %v, want failed", v)
	}
	// The next POST gets the next id, and the seeded hosts are taken.
	if id := create(t, s, payloadFor(t, "d.example")); id != "7" {
		t.Errorf("first created id = %s, want 7", id)
	}
	a = do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "a.example")})
	wantCode(t, a, http.StatusConflict)
	// Test controls see the credentials in clear.
	for _, in := range s.Integrations() {
		if in.ID == "3" && in.Config["password"] != "p-secret" {
			t.Errorf("Integrations() password = %v", in.Config["password"])
		}
	}
}

func TestWithIntegrationsRefusesInvalidSeeds(t *testing.T) {
	for name, sd := range map[string][]Seed{
		"no database": {{Config: map[string]any{"host": "a.example", "username": "u", "password": "p"}}},
		"same host":   {{Config: map[string]any{"host": "a.example", "database": "d", "username": "u", "password": "p"}}, {Config: map[string]any{"host": "A.example", "database": "d", "username": "u", "password": "p"}}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("New accepted the seeds %v", sd)
				}
			}()
			New(WithIntegrations(sd...)).Close()
		})
	}
}

func TestWithForeignCount(t *testing.T) {
	s := start(t, WithForeignCount(1000), WithIntegrations(
		Seed{Config: map[string]any{"host": "a.example", "database": "immuta", "username": "u", "password": "p"}}))
	a := do(t, s, req{method: "GET", path: "/integrations"})
	wantCode(t, a, http.StatusOK)
	var list []Integration
	if err := json.Unmarshal(a.body, &list); err != nil {
		t.Fatal(err)
	}
	ids, types := map[string]bool{}, map[string]int{}
	for _, in := range list {
		ids[in.ID] = true
		types[in.Type]++
		if in.Type != "Redshift" && (in.Config["password"] != nil && in.Config["password"] != Redacted || in.Config["token"] != nil && in.Config["token"] != "REDACTED") {
			t.Errorf("integration %s answers a credential: %v", in.ID, in.Config)
		}
	}
	if len(list) != 1001 || len(ids) != 1001 {
		t.Fatalf("listed %d integrations with %d distinct ids, want 1001", len(list), len(ids))
	}
	if types["Snowflake"] != 500 || types["Databricks"] != 500 || types["Redshift"] != 1 {
		t.Errorf("types %v", types)
	}
	// The Redshift seed follows the foreign ones, and a POST still finds its host taken.
	if getFull(t, s, "1001")["type"] != "Redshift" {
		t.Errorf("integration 1001 is not the Redshift seed")
	}
	wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "a.example")}), http.StatusConflict)
	if id := create(t, s, payloadFor(t, "b.example")); id != "1002" {
		t.Errorf("created id %s, want 1002", id)
	}
}
