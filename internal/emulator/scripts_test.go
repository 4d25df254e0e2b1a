package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// scriptOf reads a script answer in any of the three formats, as clients
// must.
func scriptOf(t *testing.T, a answer) string {
	t.Helper()
	wantCode(t, a, http.StatusOK)
	ct := a.header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/json") {
		return string(a.body)
	}
	var v any
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("script answer: %v", err)
	}
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if sc, ok := x["script"].(string); ok {
			return sc
		}
	}
	t.Fatalf("no script in %s", a.body)
	return ""
}

func TestScripts(t *testing.T) {
	s := start(t)
	payload := readJSON(t, "payload.json")
	id := createEnabled(t, s, payload)
	changed := docPayload(t, func(_, c map[string]any) {
		c["password"] = "n3w-Passw0rd"
		c["database"] = "analytics"
		c["impersonation"] = map[string]any{"enabled": true, "role": "imp_role"}
	})
	tests := []struct {
		name   string
		r      req
		header string
		want   []string
		not    []string
	}{
		{"create", req{method: "POST", path: "/integrations/scripts/create", body: payload},
			"-- Immuta create script for organization.aws.amazon.com/immuta",
			[]string{`CREATE USER "taylor@redshift.com" WITH PASSWORD 'abc1234';`, `GRANT ALL PRIVILEGES ON DATABASE "immuta" TO "taylor@redshift.com";`,
				`GRANT TEMP ON DATABASE "immuta"`, "CREATE SCHEMA IF NOT EXISTS immuta_procedures", "CREATE SCHEMA IF NOT EXISTS immuta_functions"},
			[]string{"CREATE ROLE"}},
		{"create with impersonation", req{method: "POST", path: "/integrations/scripts/create", body: changed},
			"-- Immuta create script for organization.aws.amazon.com/analytics",
			[]string{`CREATE ROLE "imp_role";`, `GRANT ROLE "imp_role" TO "taylor@redshift.com";`}, nil},
		{"initial-create", req{method: "POST", path: "/integrations/scripts/initial-create", body: payload},
			"-- Immuta initial-create script for organization.aws.amazon.com/immuta",
			[]string{`CREATE DATABASE "immuta";`, `REVOKE ALL PRIVILEGES ON DATABASE "immuta" FROM PUBLIC;`}, []string{"abc1234"}},
		{"edit with changes", req{method: "POST", path: "/integrations/" + id + "/scripts/edit", body: changed},
			"-- Immuta edit script for organization.aws.amazon.com/analytics",
			[]string{`ALTER USER "taylor@redshift.com" PASSWORD 'n3w-Passw0rd';`, `GRANT ALL PRIVILEGES ON DATABASE "analytics"`,
				`REVOKE ALL PRIVILEGES ON DATABASE "immuta" FROM "taylor@redshift.com";`, `CREATE ROLE "imp_role";`}, nil},
		{"edit without changes", req{method: "POST", path: "/integrations/" + id + "/scripts/edit", body: payload},
			"-- Immuta edit script for organization.aws.amazon.com/immuta",
			[]string{"-- No change is needed in Redshift."}, []string{"ALTER USER"}},
		{"delete", req{method: "POST", path: "/integrations/" + id + "/scripts/delete"},
			"-- Immuta delete script for organization.aws.amazon.com/immuta",
			[]string{"DROP SCHEMA immuta_procedures CASCADE;", "DROP SCHEMA immuta_functions CASCADE;", `DROP USER "taylor@redshift.com";`}, []string{"abc1234"}},
		{"cleanup", req{method: "POST", path: "/integrations/scripts/cleanup", body: payload},
			"-- Immuta cleanup script for organization.aws.amazon.com/immuta",
			[]string{"DROP SCHEMA IF EXISTS immuta_procedures CASCADE;", `DROP USER IF EXISTS "taylor@redshift.com";`}, []string{"abc1234"}},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, s, tt.r)
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type %q", ct)
			}
			sql := scriptOf(t, a)
			if first, _, _ := strings.Cut(sql, "\n"); first != tt.header {
				t.Errorf("first line %q, want %q", first, tt.header)
			}
			for _, w := range tt.want {
				if !strings.Contains(sql, w) {
					t.Errorf("script lacks %q:\n%s", w, sql)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(sql, n) {
					t.Errorf("script holds %q:\n%s", n, sql)
				}
			}
			if other, dup := seen[sql]; dup {
				t.Errorf("same script as %s", other)
			}
			seen[sql] = tt.name
		})
	}
	if in, _ := find(s.Integrations(), id); in.Status != StatusEnabled || in.Config["database"] != "immuta" {
		t.Errorf("a script request changed the integration: %+v", in)
	}
}

func TestAccessKeyScript(t *testing.T) {
	s := start(t)
	body := docPayload(t, accessKey(""))
	sql := scriptOf(t, do(t, s, req{method: "POST", path: "/integrations/scripts/create", body: body}))
	if !strings.Contains(sql, `CREATE USER "immuta_system" PASSWORD DISABLED;`) || strings.Contains(sql, "AKIAEXAMPLE") {
		t.Errorf("access-key create script:\n%s", sql)
	}
}

func TestScriptFormats(t *testing.T) {
	tests := []struct {
		format ScriptFormat
		ct     string
		decode func([]byte) (string, error)
	}{
		{ScriptPlainText, "text/plain", func(b []byte) (string, error) { return string(b), nil }},
		{ScriptJSONString, "application/json", func(b []byte) (string, error) {
			var s string
			return s, json.Unmarshal(b, &s)
		}},
		{ScriptJSONObject, "application/json", func(b []byte) (string, error) {
			var v ScriptAnswer
			if err := json.Unmarshal(b, &v); err != nil || v.Script == "" {
				return "", fmt.Errorf("not a script object: %v", err)
			}
			return v.Script, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format.String(), func(t *testing.T) {
			s := start(t, WithScriptFormat(tt.format))
			a := do(t, s, req{method: "POST", path: "/integrations/scripts/create", body: readJSON(t, "payload.json")})
			wantCode(t, a, http.StatusOK)
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ct) {
				t.Errorf("Content-Type %q, want %s", ct, tt.ct)
			}
			sql, err := tt.decode(a.body)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(sql, "-- Immuta create script for organization.aws.amazon.com/immuta\n") || !strings.Contains(sql, "'abc1234'") {
				t.Errorf("script %q", sql)
			}
		})
	}
}
