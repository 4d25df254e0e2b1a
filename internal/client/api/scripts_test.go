package api

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

const sampleSQL = "-- Immuta bootstrap\nCREATE USER immuta_system PASSWORD 'x';\nGRANT TEMP ON DATABASE immuta TO immuta_system;\n"

func TestScriptRepresentations(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		want                    string
		wantErr                 string
	}{
		{"text/plain", "text/plain; charset=utf-8", sampleSQL, sampleSQL, ""},
		{"JSON string", "application/json", `"` + strings.ReplaceAll(sampleSQL, "\n", `\n`) + `"`, sampleSQL, ""},
		{"JSON object", "application/json", `{"script": "` + strings.ReplaceAll(sampleSQL, "\n", `\n`) + `", "type": "Redshift"}`, sampleSQL, ""},
		{"SQL labeled JSON", "application/json", sampleSQL, sampleSQL, ""},
		{"JSON string labeled text", "text/plain", `  "SELECT 1;"`, "SELECT 1;", ""},
		{"JSON object labeled text", "text/plain", `{"script": "SELECT 1;"}`, "SELECT 1;", ""},
		{"no content type", "", `{"script": "SELECT 1;"}`, "SELECT 1;", ""},
		{"empty", "text/plain", "", "", ""},
		{"null script", "application/json", `{"script": null}`, "", ""},
		{"HTML login page", "text/html", "<html><title>Sign in</title></html>", "", "HTML page (Sign in)"},
		{"HTML labeled text", "text/plain", "<!doctype html><p>hi", "", "HTML page"},
		{"truncated JSON object", "application/json", `{"script": "SELECT`, "", "not valid JSON"},
		{"truncated JSON string", "application/json", `"SELECT`, "", "not valid JSON"},
		{"object without script", "application/json", `{"sql": "SELECT 1;"}`, "", `without a "script" field`},
		{"script not a string", "application/json", `{"script": 12}`, "", "not a string"},
		{"JSON array", "application/json", `["SELECT 1;"]`, "", "JSON array"},
		{"brace in text", "text/plain", `{ not json`, `{ not json`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeScript(tc.contentType, []byte(tc.body))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %q, %v; want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestScriptOverHTTP(t *testing.T) {
	for _, tc := range []struct{ ct, body string }{
		{"text/plain", sampleSQL},
		{"application/json", `{"script": "` + strings.ReplaceAll(sampleSQL, "\n", `\n`) + `"}`},
		{"application/json", `"` + strings.ReplaceAll(sampleSQL, "\n", `\n`) + `"`},
		{"application/json", sampleSQL}, // mislabeled
	} {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.Header().Set("Content-Type", tc.ct)
			_, _ = w.Write([]byte(tc.body))
		})
		c, _ := newTestClient(t, f.URL)
		got, err := c.Script(context.Background(), ScriptEdit, "12", ptr(docPayload()))
		if err != nil || got != sampleSQL {
			t.Errorf("%s %.20q: got %q, %v", tc.ct, tc.body, got, err)
		}
	}
	// A login page is never taken for a script: it is asked again (it may be a
	// proxy's passing page), then refused.
	var pages atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if pages.Add(1) > 4 {
			reply(w, 200, `{"script": "-- fine"}`)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><title>Okta</title></html>"))
	})
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 2 })
	if _, err := c.Script(context.Background(), ScriptCreate, "", ptr(docPayload())); err == nil ||
		!strings.HasPrefix(err.Error(), "get create script: POST /integrations/scripts/create: a bad answer, not believed: the answer is an HTML page (Okta), not a script") {
		t.Errorf("got %v", err)
	}
	if got, err := c.Script(context.Background(), ScriptCreate, "", ptr(docPayload())); err != nil || got != "-- fine" {
		t.Errorf("after a passing login page: %q, %v", got, err)
	}
}

func TestScriptActions(t *testing.T) {
	want := map[ScriptAction][2]bool{ // NeedsIntegrationID, NeedsPayload
		ScriptCreate:        {false, true},
		ScriptInitialCreate: {false, true},
		ScriptEdit:          {true, true},
		ScriptDelete:        {true, false},
		ScriptCleanup:       {false, true},
	}
	if len(ScriptActions()) != len(want) {
		t.Fatalf("ScriptActions() = %v", ScriptActions())
	}
	for _, a := range ScriptActions() {
		w, ok := want[a]
		if !ok || a.NeedsIntegrationID() != w[0] || a.NeedsPayload() != w[1] || !a.Valid() {
			t.Errorf("%s: id %v payload %v", a, a.NeedsIntegrationID(), a.NeedsPayload())
		}
	}
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	ctx := context.Background()
	for _, tc := range []struct {
		action  ScriptAction
		id      string
		p       *Payload
		wantErr string
	}{
		{ScriptEdit, "", ptr(docPayload()), "needs an integration id"},
		{ScriptDelete, "", nil, "needs an integration id"},
		{ScriptCreate, "", nil, "needs a payload"},
		{ScriptEdit, "12", nil, "needs a payload"},
		{"teardown", "", nil, `unknown script action "teardown"`},
	} {
		if _, err := c.Script(ctx, tc.action, tc.id, tc.p); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: got %v, want %q", tc.action, err, tc.wantErr)
		}
	}
}
