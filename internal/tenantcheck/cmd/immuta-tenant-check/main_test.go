package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
	"github.com/immuta/terraform-provider-immuta/internal/provider"
)

const key = "cmd-test-key-9f3a"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func runCmd(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, env(vars), &out, &errb)
	if strings.Contains(out.String()+errb.String(), key) {
		t.Errorf("the output holds the API key:\n%s\n%s", out.String(), errb.String())
	}
	return code, out.String(), errb.String()
}

// The command reads the provider's variables, under the provider's names.
func TestEnvNamesAreTheProviders(t *testing.T) {
	if envHost != provider.EnvHost || envToken != provider.EnvAPIToken || envCACert != provider.EnvCACertificate {
		t.Errorf("names differ from the provider's: %s %s %s", envHost, envToken, envCACert)
	}
}

func TestExitCodes(t *testing.T) {
	srv := emulator.New(emulator.WithAPIKey(key), emulator.WithForeignIntegrations(),
		emulator.WithIntegrations(emulator.Seed{Config: map[string]any{"host": "rs.example.com", "database": "immuta", "username": "u", "password": "pw-secret-1"}}))
	defer srv.Close()
	inner := srv.Handler()
	wrapped := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/integrations/2147483647" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<html><title>404 Not Found</title></html>"))
			return
		}
		inner.ServeHTTP(w, r)
	}))
	defer wrapped.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	for _, tc := range []struct {
		name   string
		vars   map[string]string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "unset", vars: nil, code: 2, stderr: "set IMMUTA_HOST (the URL of your Immuta tenant, such as https://acme.immuta.com) and IMMUTA_API_TOKEN"},
		{name: "no token", vars: map[string]string{envHost: srv.URL}, code: 2, stderr: "set IMMUTA_API_TOKEN"},
		{name: "a path in the host", vars: map[string]string{envHost: srv.URL + "/api", envToken: key}, code: 2, stderr: "IMMUTA_HOST: "},
		{name: "a token with a newline", vars: map[string]string{envHost: srv.URL, envToken: key + "\n" + key}, code: 2, stderr: "control character"},
		{name: "a CA that is a path", vars: map[string]string{envHost: srv.URL, envToken: key, envCACert: "/etc/ssl/ca.pem"}, code: 2, stderr: "IMMUTA_CA_CERTIFICATE holds no PEM certificate"},
		{name: "a CA file that is not there", vars: map[string]string{envHost: srv.URL, envToken: key}, args: []string{"-ca-cert-file", "/nonexistent/ca.pem"}, code: 2, stderr: "-ca-cert-file"},
		{name: "extra arguments", vars: map[string]string{envHost: srv.URL, envToken: key}, args: []string{"now"}, code: 2, stderr: "unexpected arguments"},
		{name: "nothing listens", vars: map[string]string{envHost: closed.URL, envToken: key}, code: 2, stderr: "no answer from " + closed.URL},
		{name: "a wrong key", vars: map[string]string{envHost: srv.URL, envToken: "wrong-" + key}, code: 2, stderr: "set IMMUTA_API_TOKEN to a valid Immuta API key"},
		{name: "the emulator", vars: map[string]string{envHost: srv.URL, envToken: key}, code: 0, stdout: "exit 0. The tenant answers as the provider assumes."},
		{name: "a gateway's 404", vars: map[string]string{envHost: wrapped.URL, envToken: key}, code: 1, stdout: "MISMATCH    404 of a missing id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tc.vars, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s\nwant stdout %q, stderr %q", code, tc.code, stdout, stderr, tc.stdout, tc.stderr)
			}
			if strings.Contains(stderr, "wrong-"+key) {
				t.Error("stderr holds the wrong key that was sent")
			}
		})
	}
	if got := srv.Received(); len(got) > 0 {
		t.Errorf("the command sent %d writes", len(got))
	}
}
