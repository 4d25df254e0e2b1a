package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// TestEndpoints checks, for every endpoint, the request the client sends (method, path,
// headers, body) and how it decodes the documentation's answer.
func TestEndpoints(t *testing.T) {
	ctx := context.Background()
	payload := docPayload()
	creds := &Credentials{AuthenticationType: AuthUserPassword, Username: "admin", Password: "s3cret-pw"}
	cases := []struct {
		name       string
		run        func(c *Client) (any, error)
		method     string
		path       string
		wantBody   []byte // nil: no body
		answer     string
		answerType string
		accept     string
		check      func(t *testing.T, got any)
	}{
		{
			name:     "create",
			run:      func(c *Client) (any, error) { return c.CreateIntegration(ctx, payload) },
			method:   "POST",
			path:     "/integrations",
			wantBody: testdata(t, "create_request.json"),
			answer:   string(testdata(t, "create_response.json")),
			check: func(t *testing.T, got any) {
				in := got.(*Integration)
				if in.ID != "123456789" || in.Status != StatusCreating || len(in.ValidationResults.Tests) != 2 {
					t.Errorf("decoded %+v", in)
				}
				if in.ValidationResults.Tests[0].Name != "Initial Validation: Basic Connection Test" || string(in.ValidationResults.Tests[0].Result) != "[null]" {
					t.Errorf("first test %+v", in.ValidationResults.Tests[0])
				}
			},
		},
		{
			name:   "get",
			run:    func(c *Client) (any, error) { return c.GetIntegration(ctx, "123456789") },
			method: "GET",
			path:   "/integrations/123456789",
			answer: string(testdata(t, "get_response.json")),
			check: func(t *testing.T, got any) {
				in := got.(*Integration)
				want := RedshiftConfig{Host: "organization.aws.amazon.com", Database: "immuta", Port: 5439,
					Impersonation: &Impersonation{}, AuthenticationType: AuthUserPassword, Username: Redacted, Password: Redacted}
				if in.ID != "123456789" || in.Status != StatusEnabled || in.Type != TypeRedshift || in.AutoBootstrap {
					t.Errorf("decoded %+v", in)
				}
				if in.Config.Host != want.Host || in.Config.Port != want.Port || in.Config.Password != Redacted ||
					in.Config.Username != Redacted || in.Config.Impersonation == nil || in.Config.Impersonation.Enabled {
					t.Errorf("config %+v", in.Config)
				}
				if in.ValidationResults.Status != "passed" || len(in.ValidationResults.Failed()) != 0 {
					t.Errorf("validation %+v", in.ValidationResults)
				}
			},
		},
		{
			name:   "list",
			run:    func(c *Client) (any, error) { return c.api.ListIntegrations(ctx) },
			method: "GET",
			path:   "/integrations",
			answer: string(testdata(t, "list_response.json")),
			check: func(t *testing.T, got any) {
				list := got.([]Integration)
				if len(list) != 2 {
					t.Fatalf("got %d integrations", len(list))
				}
				sf, db := list[0], list[1]
				if sf.ID != "1" || sf.Type != "Snowflake" || sf.Config.Port != 443 || !sf.AutoBootstrap ||
					sf.Config.Host != "organization.us-east-1.snowflakecomputing.com" || len(sf.ValidationResults.Tests) != 6 {
					t.Errorf("snowflake %+v", sf)
				}
				if db.ID != "2" || db.Type != "Databricks" || db.Config.Host != "" || string(db.ValidationResults.Tests[1].Result) == "" {
					t.Errorf("databricks %+v", db)
				}
			},
		},
		{
			name:     "update",
			run:      func(c *Client) (any, error) { return c.UpdateIntegration(ctx, "123456789", payload) },
			method:   "PUT",
			path:     "/integrations/123456789",
			wantBody: testdata(t, "create_request.json"),
			answer:   string(testdata(t, "update_response.json")),
			check: func(t *testing.T, got any) {
				if in := got.(*Integration); in.Status != StatusEditing || in.ID != "123456789" {
					t.Errorf("decoded %+v", in)
				}
			},
		},
		{
			name:   "delete without credentials",
			run:    func(c *Client) (any, error) { return c.DeleteIntegration(ctx, "123456789", nil) },
			method: "DELETE",
			path:   "/integrations/123456789",
			answer: string(testdata(t, "delete_response.json")),
			check: func(t *testing.T, got any) {
				if in := got.(*Integration); in.Status != StatusDeleting {
					t.Errorf("decoded %+v", in)
				}
			},
		},
		{
			name:     "delete with credentials",
			run:      func(c *Client) (any, error) { return c.DeleteIntegration(ctx, "123456789", creds) },
			method:   "DELETE",
			path:     "/integrations/123456789",
			wantBody: []byte(`{"authenticationType":"userPassword","username":"admin","password":"s3cret-pw"}`),
			answer:   string(testdata(t, "delete_response.json")),
		},
		{
			name:   "delete answered 204",
			run:    func(c *Client) (any, error) { return c.DeleteIntegration(ctx, "7", nil) },
			method: "DELETE",
			path:   "/integrations/7",
			answer: "",
			check: func(t *testing.T, got any) {
				if in := got.(*Integration); in.Status != StatusDeleting || in.ID != "7" {
					t.Errorf("decoded %+v", in)
				}
			},
		},
		{
			name:   "status object",
			run:    func(c *Client) (any, error) { return c.api.GetIntegrationStatus(ctx, "12") },
			method: "GET",
			path:   "/integrations/12/status",
			answer: `{"id": 12, "status": "editError", "validationResults": {"status": "failed", "validationTests": [{"name": "t1", "status": "failed", "result": ["boom"]}]}}`,
			check: func(t *testing.T, got any) {
				st := got.(*api.IntegrationStatus)
				if st.ID != "12" || st.Status != StatusEditError || len(st.ValidationResults.Failed()) != 1 {
					t.Errorf("decoded %+v", st)
				}
			},
		},
		{
			name:   "status bare string",
			run:    func(c *Client) (any, error) { return c.api.GetIntegrationStatus(ctx, "12") },
			method: "GET",
			path:   "/integrations/12/status",
			answer: `"enabled"`,
			check: func(t *testing.T, got any) {
				if st := got.(*api.IntegrationStatus); st.ID != "12" || st.Status != StatusEnabled {
					t.Errorf("decoded %+v", st)
				}
			},
		},
		{
			name:       "create script",
			run:        func(c *Client) (any, error) { return c.Script(ctx, api.ScriptCreate, "", &payload) },
			method:     "POST",
			path:       "/integrations/scripts/create",
			wantBody:   testdata(t, "create_request.json"),
			answer:     "CREATE USER immuta;",
			answerType: "text/plain",
			accept:     "text/plain",
			check: func(t *testing.T, got any) {
				if got.(string) != "CREATE USER immuta;" {
					t.Errorf("script %q", got)
				}
			},
		},
		{
			name:     "initial-create script",
			run:      func(c *Client) (any, error) { return c.Script(ctx, api.ScriptInitialCreate, "", &payload) },
			method:   "POST",
			path:     "/integrations/scripts/initial-create",
			wantBody: testdata(t, "create_request.json"),
			answer:   `"CREATE DATABASE immuta;"`,
			accept:   "text/plain",
		},
		{
			name:     "edit script",
			run:      func(c *Client) (any, error) { return c.Script(ctx, api.ScriptEdit, "123456789", &payload) },
			method:   "POST",
			path:     "/integrations/123456789/scripts/edit",
			wantBody: testdata(t, "create_request.json"),
			answer:   `{"script": "ALTER USER immuta;"}`,
			accept:   "text/plain",
		},
		{
			name:       "delete script ignores a payload",
			run:        func(c *Client) (any, error) { return c.Script(ctx, api.ScriptDelete, "123456789", &payload) },
			method:     "POST",
			path:       "/integrations/123456789/scripts/delete",
			answer:     "DROP USER immuta;",
			answerType: "text/plain",
			accept:     "text/plain",
		},
		{
			name:       "cleanup script",
			run:        func(c *Client) (any, error) { return c.Script(ctx, api.ScriptCleanup, "", &payload) },
			method:     "POST",
			path:       "/integrations/scripts/cleanup",
			wantBody:   testdata(t, "create_request.json"),
			answer:     "DROP DATABASE immuta;",
			answerType: "text/plain",
			accept:     "text/plain",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if tc.name == "create" && r.Method == "GET" && r.URL.Path == "/integrations" {
					reply(w, 200, `[]`) // the look at the hosts before the POST
					return
				}
				ct := tc.answerType
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				if tc.answer == "" {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				_, _ = w.Write([]byte(tc.answer))
			})
			c, _ := newTestClient(t, f.URL)
			got, err := tc.run(c)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			reqs := f.requests()
			if tc.name == "create" && len(reqs) == 2 && reqs[0].Method == "GET" {
				reqs = reqs[1:]
			}
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1: %v", len(reqs), f.sequence())
			}
			r := reqs[0]
			if r.Method != tc.method || r.Path != tc.path {
				t.Errorf("request %s %s, want %s %s", r.Method, r.Path, tc.method, tc.path)
			}
			if got := r.Header.Get("Authorization"); got != testToken {
				t.Errorf("Authorization %q, want the bare key", got)
			}
			if got := r.Header.Get("User-Agent"); got != "client-test/1.0" {
				t.Errorf("User-Agent %q", got)
			}
			accept := r.Header.Get("Accept")
			if !strings.Contains(accept, "application/json") || strings.Contains(accept, "text/plain") != (tc.accept == "text/plain") {
				t.Errorf("Accept %q: JSON always, text/plain for script calls only", accept)
			}
			if tc.wantBody == nil {
				if len(r.Body) != 0 || r.Header.Get("Content-Type") != "" {
					t.Errorf("want no body and no Content-Type, got %q (%q)", r.Body, r.Header.Get("Content-Type"))
				}
			} else {
				if ct := r.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				jsonEqual(t, r.Body, tc.wantBody)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func TestIDStringOrNumber(t *testing.T) {
	cases := []struct {
		answer  string
		want    api.ID
		wantErr bool
	}{
		{`{"id": "123456789", "status": "enabled"}`, "123456789", false},
		{`{"id": 123456789, "status": "enabled"}`, "123456789", false},
		{`{"id": 98765432109876543210, "status": "enabled"}`, "98765432109876543210", false},
		{`{"id": 1.5, "status": "enabled"}`, "", true},
		{`{"id": true, "status": "enabled"}`, "", true},
		// An answer without an id is shapeless (issue 18): never filled from the path.
		{`{"id": null, "status": "enabled"}`, "", true},
		{`{"status": "enabled"}`, "", true},
		{`{"id": {"value": 12}, "status": "enabled"}`, "", true},
	}
	for _, tc := range cases {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { reply(w, 200, tc.answer) })
		c, _ := newTestClient(t, f.URL)
		// Asked by the id the answer holds: an answer about another id is refused.
		ask := string(tc.want)
		if ask == "" {
			ask = "12"
		}
		in, err := c.GetIntegration(context.Background(), ask)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), "get integration 12") {
				t.Errorf("%s: want an error naming the operation, got %v", tc.answer, err)
			}
			continue
		}
		if err != nil || in.ID != tc.want || in.ID.String() != string(tc.want) {
			t.Errorf("%s: got %v, %v; want id %s", tc.answer, in, err, tc.want)
		}
	}
}

func TestFindRedshiftIntegrationByHost(t *testing.T) {
	list := `[
	  {"id": "1", "status": "enabled", "type": "Snowflake", "config": {"host": "cluster.example.com", "port": 443}},
	  {"id": 7, "status": "deleted", "type": "Redshift", "config": {"host": "cluster.example.com"}},
	  {"id": 8, "status": "enabled", "type": "Redshift", "config": {"host": "Cluster.Example.COM", "port": "5439", "database": "immuta"}},
	  {"id": "9", "status": "enabled", "type": "Databricks", "config": {"port": {"weird": true}, "workspaceUrl": "x"}}
	]`
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { reply(w, 200, list) })
	c, _ := newTestClient(t, f.URL)
	ctx := context.Background()
	in, err := c.FindRedshiftIntegrationByHost(ctx, "cluster.example.com")
	if err != nil || in == nil || in.ID != "8" || in.Config.Port != 5439 {
		t.Fatalf("got %+v, %v; want integration 8", in, err)
	}
	in, err = c.FindRedshiftIntegrationByHost(ctx, "other.example.com")
	if err != nil || in != nil {
		t.Fatalf("got %+v, %v; want nil, nil", in, err)
	}
}

func TestDecodeTolerance(t *testing.T) {
	cases := []struct {
		name, body string
		wantErr    string
		check      func(*Integration) bool
	}{
		{"unknown fields", `{"id": "1", "status": "enabled", "type": "Redshift", "future": {"x": 1}, "config": {"host": "h", "newThing": [1]}}`, "",
			func(in *Integration) bool { return in.Config.Host == "h" }},
		{"port as string", `{"id": "1", "status": "enabled", "type": "Redshift", "config": {"port": "5440"}}`, "",
			func(in *Integration) bool { return in.Config.Port == 5440 }},
		{"null validation and config", `{"id": "1", "status": "enabled", "validationResults": null, "config": null}`, "",
			func(in *Integration) bool { return in.ValidationResults == nil && in.Config.Host == "" }},
		{"foreign type with clashing config", `{"id": "3", "status": "enabled", "type": "Other", "autoBootstrap": true, "config": {"host": "h", "port": [1], "impersonation": true}}`, "",
			func(in *Integration) bool { return in.Type == "Other" && in.Config.Host == "h" && in.AutoBootstrap }},
		{"Redshift with clashing config", `{"id": "3", "status": "enabled", "type": "Redshift", "config": {"port": [1]}}`, "port", nil},
		{"truncated", `{"id": "3", "status": "enab`, "not valid JSON", nil},
		{"not JSON", `Service is starting`, "not valid JSON", nil},
		{"HTML", `<html><head><title>Sign in to Acme SSO</title></head></html>`, "Sign in to Acme SSO", nil},
		{"empty", ``, "empty answer", nil},
		{"array", `[1,2]`, "unexpected shape", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := &api.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(tc.body)}
			in, err := api.DecodeIntegration(res, "GET /integrations/3")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "GET /integrations/3") {
					t.Fatalf("want an error with %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil || !tc.check(in) {
				t.Fatalf("got %+v, %v", in, err)
			}
		})
	}
}

func TestTruncatedAnswerNamesOperation(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, `{"id": "12", "status": "enabled", "config": {"host": "h`)
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetIntegration(context.Background(), "12")
	if err == nil || !strings.HasPrefix(err.Error(), "get integration 12: GET /integrations/12: a bad answer, not believed: the answer is not valid JSON") {
		t.Fatalf("got %v", err)
	}
	_, err = c.api.ListIntegrations(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "list integrations: GET /integrations:") {
		t.Fatalf("got %v", err)
	}
}

func TestEmptyIDIsRefused(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	ctx := context.Background()
	for name, err := range map[string]error{
		"get":    second(c.GetIntegration(ctx, "")),
		"update": second(c.UpdateIntegration(ctx, "", Payload{})),
		"delete": second(c.DeleteIntegration(ctx, "", nil)),
		"status": second(c.api.GetIntegrationStatus(ctx, "")),
		"wait":   second(c.WaitForIntegration(ctx, "", OpCreate)),
	} {
		if err == nil || !strings.Contains(err.Error(), "empty id") {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestIDIsEscapedInPaths(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		reply(w, 200, `{"id":"a/b","status":"enabled"}`)
	})
	c, _ := newTestClient(t, f.URL)
	if _, err := c.GetIntegration(context.Background(), "a/b"); err != nil {
		t.Fatal(err)
	}
	if got := f.requests()[0].Path; got != "/integrations/a%2Fb" {
		t.Errorf("path %q", got)
	}
}

var _ = errors.New
