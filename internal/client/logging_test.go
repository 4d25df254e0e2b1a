package client

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// TestLogsNeverHoldSecrets drives every kind of call with secrets in the payload and
// checks that none of them, the token or a script reaches any logged field or error.
func TestLogsNeverHoldSecrets(t *testing.T) {
	const (
		password     = "pw-Sup3rSecret!"
		secretKey    = "AKsecretKEY/abcdefghijklmnop"
		sessionToken = "FwoGZXIvYXdzEBaaSESSION"
		accessKeyID  = "AKIAIOSFODNN7EXAMPLE"
		username     = "taylor@redshift.com"
		scriptMarker = "GRANT-ALL-TO-IMMUTA-7731"
	)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case r.Method == "GET" && r.URL.Path == "/integrations":
			reply(w, 200, `[]`) // the create's look at the hosts before it sends
		case strings.Contains(r.URL.Path, "/scripts/create"):
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("CREATE USER x; " + scriptMarker))
		case strings.Contains(r.URL.Path, "/scripts/edit"):
			reply(w, 200, `{"script": "`+scriptMarker+`"}`)
		case r.Method == "POST":
			// A server that echoes the request in its error must not leak it.
			replyErr(w, 400, `"config.password" with value "`+password+`" fails; key `+testToken+`; secret `+secretKey)
		case r.Method == "PUT":
			reply(w, 200, `{"id": "12", "status": "editing", "config": {"host": "h", "password": "<REDACTED>", "secretKey": "`+secretKey+`", "nested": [{"sessionToken": "`+sessionToken+`"}]}}`)
		case r.Method == "DELETE":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html><title>Bad gateway</title>" + strings.Repeat("<p>filler</p>", 500) + "</html>"))
		}
	})
	c, logs := newTestClient(t, f.URL, func(c *Config) { c.RetryMax = 1 })
	ctx := context.Background()
	p := Payload{Type: TypeRedshift, Config: RedshiftConfig{
		Host: "h", Database: "immuta", AuthenticationType: AuthAccessKey, Username: username, Password: password,
		DatabaseUser: "dbuser-xyz", AccessKeyID: accessKeyID, SecretKey: secretKey, SessionToken: sessionToken,
	}}
	var errs []string
	if _, err := c.CreateIntegration(ctx, p); err != nil {
		errs = append(errs, err.Error())
	} else {
		t.Error("create should fail")
	}
	if _, err := c.UpdateIntegration(ctx, "12", p); err != nil {
		t.Fatal(err)
	}
	for _, a := range []ScriptAction{api.ScriptCreate, api.ScriptEdit} {
		s, err := c.Script(ctx, a, "12", &p)
		if err != nil || !strings.Contains(s, scriptMarker) {
			t.Fatalf("%s: %q %v", a, s, err)
		}
	}
	if _, err := c.DeleteIntegration(ctx, "12", &Credentials{AuthenticationType: AuthUserPassword, Username: username, Password: password}); err != nil {
		errs = append(errs, err.Error())
	}

	dump := logs.dump()
	for _, secret := range []string{testToken, password, secretKey, sessionToken, accessKeyID, username, "dbuser-xyz", scriptMarker} {
		if strings.Contains(dump, secret) {
			t.Errorf("logs hold %q:\n%s", secret, dump)
		}
		for _, e := range errs {
			if strings.Contains(e, secret) && secret != scriptMarker {
				t.Errorf("error holds %q: %s", secret, e)
			}
		}
	}
	for _, want := range []string{`"password":"***"`, `"secretKey":"***"`, `"sessionToken":"***"`, "<script: ", "Bad gateway", "method=PUT", "path=/integrations/12", "status=200", "duration_ms=", "attempt=1", "attempt=2"} {
		if !strings.Contains(dump, want) {
			t.Errorf("logs lack %q", want)
		}
	}
	// One summary entry per attempt: create 2 (the list of hosts before it, the POST),
	// update 1, two scripts, delete 2.
	n := 0
	for _, e := range logs.all() {
		if e.Msg == api.LogMsgAttempt {
			n++
			for _, k := range []string{"method", "path", "status", "duration_ms", "attempt"} {
				if _, ok := e.Fields[k]; !ok {
					t.Errorf("entry lacks %s: %v", k, e.Fields)
				}
			}
		} else if e.Level != LevelTrace {
			t.Errorf("bodies logged at %s", e.Level)
		}
	}
	if n != 7 {
		t.Errorf("%d attempt entries, want 7:\n%s", n, dump)
	}
	if strings.Contains(dump, strings.Repeat("<p>filler</p>", 100)) {
		t.Error("HTML body not truncated")
	}
}

func TestNilLoggerIsFine(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { reply(w, 200, `[]`) })
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.Logger = nil })
	if _, err := c.api.ListIntegrations(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLevelString(t *testing.T) {
	for l, want := range map[Level]string{LevelTrace: "trace", api.LevelDebug: "debug", LevelWarn: "warn", Level(42): "unknown"} {
		if l.String() != want {
			t.Errorf("%d: %s", l, l.String())
		}
	}
}
