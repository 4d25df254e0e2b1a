package tenantcheck_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
	"github.com/immuta/terraform-provider-immuta/internal/tenantcheck"
)

const (
	testKey      = "tc-test-api-key-Zq8&<x>"
	seedPassword = "Pässw0rd'Zq&<x>-seed"
	seedSecret   = "aws-secret-key-3f9c2e7d"
	seedSession  = "aws-session-token-81ab"
	seedUser     = "svc_immuta_user"
)

// seeds are a tenant like a real one: Redshift integrations of both
// authentication types next to the documentation's Snowflake and Databricks.
func seeds() []emulator.Option {
	return []emulator.Option{
		emulator.WithAPIKey(testKey),
		emulator.WithForeignIntegrations(),
		emulator.WithIntegrations(
			emulator.Seed{Config: map[string]any{"host": "rs1.example.com", "database": "immuta", "username": seedUser, "password": seedPassword}},
			emulator.Seed{Status: emulator.StatusCreateError, Config: map[string]any{
				"host": "rs2.example.com", "database": "immuta", "authenticationType": "accessKey",
				"databaseUser": "immuta_db_user", "accessKeyId": "AKIAEXAMPLEKEY1", "secretKey": seedSecret, "sessionToken": seedSession,
				"impersonation": map[string]any{"enabled": true, "role": "imp_role"}}},
		),
	}
}

// middleware rewrites what passes between the check and the emulator: a
// gateway, a proxy, or a tenant that answers otherwise than the contract.
type middleware func(w http.ResponseWriter, r *http.Request, next http.Handler)

// recorded is the emulator's answer to r, for a middleware to rewrite.
func recorded(next http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	return rec
}

// replaceBody answers with the emulator's status and headers and body b.
func replaceBody(w http.ResponseWriter, rec *httptest.ResponseRecorder, b []byte) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(b)
}

type tenant struct {
	srv *emulator.Server
	url string
}

// newTenant starts the emulator with opts, behind mw when it is not nil.
func newTenant(t *testing.T, mw middleware, opts ...emulator.Option) *tenant {
	t.Helper()
	srv := emulator.New(opts...)
	t.Cleanup(srv.Close)
	if mw == nil {
		return &tenant{srv: srv, url: srv.URL}
	}
	inner := srv.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { mw(w, r, inner) }))
	t.Cleanup(front.Close)
	return &tenant{srv: srv, url: front.URL}
}

type run struct {
	obs   *tenantcheck.Observations
	facts []tenantcheck.Fact
	out   string
	err   error
}

// check runs the whole check against tn as the command does.
func (tn *tenant) check(t *testing.T, token string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	obs, err := tenantcheck.Probe(ctx, tenantcheck.Target{BaseURL: tn.url, HostTyped: tn.url, Token: token, Timeout: 10 * time.Second})
	r := run{obs: obs, err: err}
	if obs == nil {
		return r
	}
	if err == nil {
		r.facts = tenantcheck.Check(obs)
	}
	var b bytes.Buffer
	if rerr := tenantcheck.Render(&b, obs, r.facts, tenantcheck.NewScrubber(token, tenantcheck.ClearCredentials(obs)...)); rerr != nil {
		t.Fatal(rerr)
	}
	r.out = b.String()
	tn.assertReadOnly(t)
	return r
}

// assertReadOnly fails when anything but a GET reached the emulator.
func (tn *tenant) assertReadOnly(t *testing.T) {
	t.Helper()
	if got := tn.srv.Received(); len(got) > 0 {
		t.Errorf("the check sent %d writes, first %s %s", len(got), got[0].Method, got[0].Path)
	}
	st := tn.srv.Stats()
	for route, n := range st.ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("the check sent %d requests on route %q", n, route)
		}
	}
	if st.Requests == 0 {
		t.Error("the check sent nothing to the emulator")
	}
}

func (r run) fact(t *testing.T, name string) tenantcheck.Fact {
	t.Helper()
	for _, f := range r.facts {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no fact %q in:\n%s", name, r.out)
	return tenantcheck.Fact{}
}

// assertNoSecret fails when out holds a secret in one of its usual forms.
func assertNoSecret(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range []string{s, strings.ReplaceAll(s, "&", `\u0026`), strings.ReplaceAll(strings.ReplaceAll(s, "<", `\u003c`), "&", `\u0026`)} {
			if strings.Contains(out, form) {
				t.Errorf("output holds a secret (%d chars) in the form %q:\n%s", len(s), form[:3]+"…", out)
			}
		}
	}
}

func asStop(err error, stop **tenantcheck.StopError) bool { return errors.As(err, stop) }

// probeOnly runs Probe alone, for a tenant that cannot answer.
func (tn *tenant) probeOnly(t *testing.T) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := tenantcheck.Probe(ctx, tenantcheck.Target{BaseURL: tn.url, Token: testKey, Timeout: 2 * time.Second})
	return err
}
