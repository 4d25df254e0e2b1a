package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	s := start(t, WithAPIKey("s3cret"))
	tests := []struct {
		name string
		auth string
		code int
		msg  string
	}{
		{"bare key", "s3cret", http.StatusOK, ""},
		{"bearer key", "Bearer s3cret", http.StatusOK, ""},
		{"lower-case bearer", "bearer s3cret", http.StatusOK, ""},
		{"missing", "", http.StatusUnauthorized, "Missing authentication"},
		{"wrong bare key", "nope", http.StatusUnauthorized, "Invalid API key"},
		{"wrong bearer key", "Bearer nope", http.StatusUnauthorized, "Invalid API key"},
		{"default key", DefaultAPIKey, http.StatusUnauthorized, "Invalid API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, s, req{method: "GET", path: "/integrations", auth: strp(tt.auth)})
			if tt.msg == "" {
				wantCode(t, a, tt.code)
				return
			}
			wantMessage(t, a, tt.code, tt.msg)
		})
	}
	// An unauthorized write is not carried out.
	a := do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "h.example.com"), auth: strp("nope")})
	wantCode(t, a, http.StatusUnauthorized)
	if n := len(s.Integrations()); n != 0 {
		t.Errorf("%d integrations after an unauthorized POST", n)
	}
}

func TestUnprivilegedKey(t *testing.T) {
	s := start(t, WithUnprivilegedKey("viewer"))
	wantMessage(t, do(t, s, req{method: "GET", path: "/integrations", auth: strp("Bearer viewer")}),
		http.StatusForbidden, "User does not have the APPLICATION_ADMIN permission")
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations"}), http.StatusOK)
}

func TestDefaultAPIKey(t *testing.T) {
	s := start(t)
	wantCode(t, do(t, s, req{method: "GET", path: "/integrations", auth: strp("emulator-api-key")}), http.StatusOK)
}

func TestInvalidPayloads(t *testing.T) {
	edit := func(f func(p, c map[string]any)) func(t *testing.T) any {
		return func(t *testing.T) any { return docPayload(t, f) }
	}
	raw := func(s string) func(*testing.T) any { return func(*testing.T) any { return s } }
	tests := []struct {
		name        string
		body        func(t *testing.T) any
		contentType string
		msg         string
	}{
		{"empty body", raw(""), "", `"value" must be of type object`},
		{"array body", raw(`[1]`), "", `"value" must be of type object`},
		{"malformed JSON", raw(`{"type":`), "", msgBadJSON},
		{"trailing garbage", raw(`{"type":"Redshift"} x`), "", msgBadJSON},
		{"malformed YAML", raw("type: [Redshift\n"), "application/yaml", msgBadYAML},
		{"missing type", edit(func(p, _ map[string]any) { delete(p, "type") }), "", `"type" is required`},
		{"type not Redshift", edit(func(p, _ map[string]any) { p["type"] = "Snowflake" }), "", `"type" must be [Redshift]`},
		{"type not a string", edit(func(p, _ map[string]any) { p["type"] = 3 }), "", `"type" must be a string`},
		{"autoBootstrap not a boolean", edit(func(p, _ map[string]any) { p["autoBootstrap"] = "yes" }), "", `"autoBootstrap" must be a boolean`},
		{"missing config", edit(func(p, _ map[string]any) { delete(p, "config") }), "", `"config" is required`},
		{"config not an object", edit(func(p, _ map[string]any) { p["config"] = "x" }), "", `"config" must be of type object`},
		{"unknown top-level field", edit(func(p, _ map[string]any) { p["name"] = "x" }), "", `"name" is not allowed`},
		{"missing host", edit(func(_, c map[string]any) { delete(c, "host") }), "", `"config.host" is required`},
		{"empty host", edit(func(_, c map[string]any) { c["host"] = "" }), "", `"config.host" is not allowed to be empty`},
		{"missing database", edit(func(_, c map[string]any) { delete(c, "database") }), "", `"config.database" is required`},
		{"bad authenticationType", edit(func(_, c map[string]any) { c["authenticationType"] = "oAuth" }), "", `"config.authenticationType" must be one of [userPassword, accessKey]`},
		{"userPassword without username", edit(func(_, c map[string]any) { delete(c, "username") }), "", `"config.username" is required`},
		{"userPassword without password", edit(func(_, c map[string]any) { delete(c, "password") }), "", `"config.password" is required`},
		{"userPassword with an access key", edit(func(_, c map[string]any) { c["accessKeyId"] = "AKIA" }), "", `"config.accessKeyId" is not allowed`},
		{"accessKey without databaseUser", edit(accessKey("databaseUser")), "", `"config.databaseUser" is required`},
		{"accessKey without accessKeyId", edit(accessKey("accessKeyId")), "", `"config.accessKeyId" is required`},
		{"accessKey without secretKey", edit(accessKey("secretKey")), "", `"config.secretKey" is required`},
		{"port zero", edit(func(_, c map[string]any) { c["port"] = 0 }), "", `"config.port" must be greater than or equal to 1`},
		{"port too big", edit(func(_, c map[string]any) { c["port"] = 65536 }), "", `"config.port" must be less than or equal to 65535`},
		{"port not an integer", edit(func(_, c map[string]any) { c["port"] = 5439.5 }), "", `"config.port" must be an integer`},
		{"port a string", edit(func(_, c map[string]any) { c["port"] = "5439" }), "", `"config.port" must be a number`},
		{"password not a string", edit(func(_, c map[string]any) { c["password"] = 1234 }), "", `"config.password" must be a string`},
		{"unknown config field", edit(func(_, c map[string]any) { c["warehouse"] = "w" }), "", `"config.warehouse" is not allowed`},
		{"impersonation without enabled", edit(func(_, c map[string]any) { c["impersonation"] = map[string]any{"role": "r"} }), "", `"config.impersonation.enabled" is required`},
		{"impersonation with unknown field", edit(func(_, c map[string]any) { c["impersonation"] = map[string]any{"enabled": true, "x": 1} }), "", `"config.impersonation.x" is not allowed`},
	}
	s := start(t)
	id := createEnabled(t, s, payloadFor(t, "existing.example.com"))
	paths := []req{
		{method: "POST", path: "/integrations"},
		{method: "PUT", path: "/integrations/" + id},
		{method: "POST", path: "/integrations/scripts/create"},
		{method: "POST", path: "/integrations/scripts/initial-create"},
		{method: "POST", path: "/integrations/scripts/cleanup"},
		{method: "POST", path: "/integrations/" + id + "/scripts/edit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range paths {
				p.body, p.contentType = tt.body(t), tt.contentType
				if p.contentType == "" {
					p.contentType = "application/json"
				}
				a := do(t, s, p)
				if a.code != http.StatusBadRequest || a.message(t) != tt.msg {
					t.Errorf("%s %s: %d %s, want 400 %q", p.method, p.path, a.code, a.body, tt.msg)
				}
			}
		})
	}
	if n := len(s.Integrations()); n != 1 {
		t.Errorf("%d integrations after invalid requests, want 1", n)
	}
	if in := s.Integrations()[0]; in.Status != StatusEnabled {
		t.Errorf("status after invalid PUTs: %s", in.Status)
	}
}

// accessKey switches the payload to access-key authentication without one
// of its required fields.
func accessKey(missing string) func(p, c map[string]any) {
	return func(_, c map[string]any) {
		delete(c, "username")
		delete(c, "password")
		c["authenticationType"] = authAccessKey
		c["databaseUser"], c["accessKeyId"], c["secretKey"] = "immuta_system", "AKIAEXAMPLE", "secret"
		delete(c, missing)
	}
}

func TestYAMLBodies(t *testing.T) {
	s := start(t)
	for i, ct := range []string{"application/yaml", "application/x-yaml", "text/yaml; charset=utf-8"} {
		host := []string{"a.example.com", "b.example.com", "c.example.com"}[i]
		body := "type: Redshift\nautoBootstrap: false\nconfig:\n  host: " + host +
			"\n  port: 5440\n  database: immuta\n  username: taylor@redshift.com\n  password: abc1234\n  impersonation:\n    enabled: true\n    role: imp\n"
		a := do(t, s, req{method: "POST", path: "/integrations", body: body, contentType: ct})
		wantCode(t, a, http.StatusOK)
		got := getFull(t, s, a.json(t)["id"].(string))
		c := got["config"].(map[string]any)
		if c["host"] != host || c["port"] != 5440.0 || c["password"] != Redacted || c["authenticationType"] != authUserPassword {
			t.Errorf("%s: config %v", ct, c)
		}
		if imp := c["impersonation"].(map[string]any); imp["enabled"] != true || imp["role"] != "imp" {
			t.Errorf("%s: impersonation %v", ct, imp)
		}
	}
}

func TestRedactionAndDefaults(t *testing.T) {
	s := start(t)
	up := docPayload(t, func(_, c map[string]any) {
		c["host"] = "up.example.com"
		c["initialDatabase"] = "dev"
		delete(c, "impersonation")
		delete(c, "authenticationType")
	})
	ak := docPayload(t, func(p, c map[string]any) {
		accessKey("")(p, c)
		c["host"] = "ak.example.com"
		c["port"] = 5441
		c["sessionToken"] = "token"
	})
	upID, akID := create(t, s, up), create(t, s, ak)

	c := getFull(t, s, upID)["config"].(map[string]any)
	want := map[string]any{
		"host": "up.example.com", "database": "immuta", "initialDatabase": "dev", "port": 5439.0,
		"impersonation": map[string]any{"enabled": false}, "authenticationType": authUserPassword,
		"username": Redacted, "password": Redacted,
	}
	if mustJSON(t, c) != mustJSON(t, want) {
		t.Errorf("userPassword config %v, want %v", c, want)
	}
	c = getFull(t, s, akID)["config"].(map[string]any)
	for _, k := range []string{"databaseUser", "accessKeyId", "secretKey", "sessionToken"} {
		if c[k] != Redacted {
			t.Errorf("%s = %v, want redacted", k, c[k])
		}
	}
	if c["port"] != 5441.0 || c["authenticationType"] != authAccessKey {
		t.Errorf("accessKey config %v", c)
	}
	// The list redacts too, and the raw answers never hold a secret.
	a := do(t, s, req{method: "GET", path: "/integrations"})
	for _, secret := range []string{"abc1234", "AKIAEXAMPLE", "\"secret\"", "token\"", "taylor@redshift.com"} {
		if strings.Contains(string(a.body), secret) {
			t.Errorf("list answer holds %s", secret)
		}
	}
	if !strings.Contains(string(a.body), `"<REDACTED>"`) {
		t.Errorf("list answer escapes the redaction marker: %s", a.body)
	}
	// Integrations() is unredacted.
	in, _ := find(s.Integrations(), akID)
	if in.Config["secretKey"] != "secret" || in.Config["sessionToken"] != "token" {
		t.Errorf("snapshot config %v", in.Config)
	}
}

func TestNotFound(t *testing.T) {
	s := start(t)
	valid := readJSON(t, "payload.json")
	tests := []struct {
		r   req
		msg string
	}{
		{req{method: "GET", path: "/integrations/42"}, "No Integration found with ID 42."},
		{req{method: "GET", path: "/integrations/42/status"}, "No Integration found with ID 42."},
		{req{method: "PUT", path: "/integrations/42", body: valid}, "No Integration found with ID 42."},
		{req{method: "DELETE", path: "/integrations/42"}, "No integration found with ID 42."},
		{req{method: "POST", path: "/integrations/42/scripts/edit", body: valid}, "No Integration found with ID 42."},
		{req{method: "POST", path: "/integrations/42/scripts/delete"}, "No Integration found with ID 42."},
	}
	for _, tt := range tests {
		t.Run(tt.r.method+" "+tt.r.path, func(t *testing.T) {
			wantMessage(t, do(t, s, tt.r), http.StatusNotFound, tt.msg)
		})
	}
}

func TestUnmatchedRoutes(t *testing.T) {
	s := start(t)
	a := do(t, s, req{method: "PATCH", path: "/integrations/1"})
	wantMessage(t, a, http.StatusMethodNotAllowed, "Method Not Allowed")
	if allow := a.header.Get("Allow"); allow != "GET, PUT, DELETE" {
		t.Errorf("Allow %q", allow)
	}
	wantMessage(t, do(t, s, req{method: "GET", path: "/api/integrations"}), http.StatusNotFound, "Not Found")
	wantCode(t, do(t, s, req{method: "GET", path: "/nothing", auth: strp("")}), http.StatusUnauthorized)
}

func TestOneRedshiftIntegrationPerHost(t *testing.T) {
	s := start(t)
	first := createEnabled(t, s, payloadFor(t, "one.example.com"))
	second := createEnabled(t, s, payloadFor(t, "two.example.com"))

	a := do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "ONE.example.com")})
	wantMessage(t, a, http.StatusConflict, "Redshift integration already exists on host ONE.example.com (id = "+first+")")

	a = do(t, s, req{method: "PUT", path: "/integrations/" + second, body: payloadFor(t, "one.example.com")})
	wantMessage(t, a, http.StatusConflict, "Redshift integration already exists on host one.example.com (id = "+first+")")

	// Once the first is gone, and not before, its host is free again.
	s.SetOutcome("one.example.com", Outcome{Stuck: true})
	wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + first}), http.StatusOK)
	wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "one.example.com")}), http.StatusConflict)
	s.SetOutcome("one.example.com", Outcome{})
	waitStatus(t, s, first, "404")
	create(t, s, payloadFor(t, "one.example.com"))
}

func TestDeleteBody(t *testing.T) {
	creds := map[string]any{"authenticationType": authUserPassword, "username": "admin", "password": "pw"}
	keys := map[string]any{"authenticationType": authAccessKey, "databaseUser": "admin", "accessKeyId": "AKIA", "secretKey": "s"}
	tests := []struct {
		name          string
		autoBootstrap bool
		body          any
		code          int
		msg           string
	}{
		{"manual, no body", false, nil, http.StatusOK, ""},
		{"manual, empty object", false, "{}", http.StatusOK, ""},
		{"manual, credentials", false, creds, http.StatusBadRequest, msgDeleteNoCredentials},
		{"manual, a username alone", false, map[string]any{"username": "admin"}, http.StatusBadRequest, msgDeleteNoCredentials},
		{"auto, no body", true, nil, http.StatusBadRequest, msgDeleteNeedsCredentials},
		{"auto, empty object", true, "{}", http.StatusBadRequest, msgDeleteNeedsCredentials},
		{"auto, no password", true, map[string]any{"username": "admin"}, http.StatusBadRequest, msgDeleteNeedsCredentials},
		{"auto, incomplete access key", true, map[string]any{"authenticationType": authAccessKey, "databaseUser": "admin"}, http.StatusBadRequest, msgDeleteNeedsCredentials},
		{"auto, user and password", true, creds, http.StatusOK, ""},
		{"auto, password without type", true, map[string]any{"username": "admin", "password": "pw"}, http.StatusOK, ""},
		{"auto, access key", true, keys, http.StatusOK, ""},
		{"auto, unknown field", true, map[string]any{"username": "admin", "password": "pw", "role": "x"}, http.StatusBadRequest, `"role" is not allowed`},
		{"auto, malformed", true, `{"username"`, http.StatusBadRequest, msgBadJSON},
	}
	s := start(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := strings.ReplaceAll(tt.name, " ", "-") + ".example.com"
			id := createEnabled(t, s, docPayload(t, func(p, c map[string]any) {
				c["host"] = host
				p["autoBootstrap"] = tt.autoBootstrap
			}))
			a := do(t, s, req{method: "DELETE", path: "/integrations/" + id, body: tt.body})
			if tt.msg == "" {
				wantCode(t, a, tt.code)
				if st := a.json(t)["status"]; st != StatusDeleting {
					t.Errorf("status %v", st)
				}
				return
			}
			wantMessage(t, a, tt.code, tt.msg)
			if _, ok := find(s.Integrations(), id); !ok {
				t.Errorf("a refused DELETE removed the integration")
			}
		})
	}
}
