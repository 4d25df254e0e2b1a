package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

func attempts(l *recLogger) int {
	n := 0
	for _, e := range l.all() {
		if e.Msg == api.LogMsgAttempt {
			n++
		}
	}
	return n
}

// Failures that retrying cannot fix end at the first attempt (connection refused after
// a few), as a *PermanentError naming the Immuta endpoint. Before, each was retried
// RetryMax times: 31 s of backoff for a refused connection, 15 s for a wrong host name.
func TestPermanentFailuresAreNotRetried(t *testing.T) {
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		return "http://" + addr
	}
	status := func(code int, msg string) string {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyErr(w, code, msg) })
		return f.URL
	}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { reply(w, 200, `{}`) }))
	t.Cleanup(tlsSrv.Close)
	noSuchHost := &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}}

	cases := []struct {
		name     string
		base     string
		hc       *http.Client
		kind     FailureKind
		attempts int
		words    string
	}{
		{"dns", "http://tenant.invalid", noSuchHost, FailureDNS, 1, "does not resolve"},
		{"certificate", tlsSrv.URL, nil, FailureCertificate, 1, "certificate is not trusted"},
		{"refused", refused(), nil, FailureRefused, api.RefusedAttempts, "connection was refused"},
		{"401", status(401, "Invalid API key"), nil, FailureUnauthorized, 1, "refuses the API key"},
		{"403", status(403, "User does not have the APPLICATION_ADMIN permission"), nil, FailureForbidden, 1, "APPLICATION_ADMIN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, l := newTestClient(t, tc.base, func(cfg *Config) { cfg.HTTPClient = tc.hc })
			_, err := c.GetIntegration(context.Background(), "12")
			pe := AsPermanent(err)
			if pe == nil || pe.Kind != tc.kind {
				t.Fatalf("got %v, want a PermanentError of kind %s", err, tc.kind)
			}
			if n := attempts(l); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
			if msg := err.Error(); !strings.Contains(msg, "Immuta at "+c.BaseURL()) || !strings.Contains(msg, tc.words) {
				t.Errorf("%q does not name the endpoint %s and %q", msg, c.BaseURL(), tc.words)
			}
		})
	}
}

// A 401 or 403 stays recognisable as Immuta's answer; a transient failure is no
// PermanentError and is retried as before.
func TestPermanentKeepsImmutaAnswer(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { replyErr(w, 401, "Invalid API key") })
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetIntegration(context.Background(), "12")
	var e *Error
	if !api.IsUnauthorized(err) || !errors.As(err, &e) || e.Message != "Invalid API key" {
		t.Errorf("got %v", err)
	}

	n := 0
	f = newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		n++
		if n < 3 {
			replyErr(w, 503, "busy")
			return
		}
		reply(w, 200, `{"id": "12", "status": "enabled", "type": "Redshift"}`)
	})
	c, _ = newTestClient(t, f.URL)
	if _, err := c.GetIntegration(context.Background(), "12"); err != nil || AsPermanent(err) != nil {
		t.Errorf("503 then 200: %v", err)
	}
}

// Inside a wait, a failure retrying cannot fix ends the wait at once instead of being
// looked at again until the timeout.
func TestPermanentFailureEndsAWait(t *testing.T) {
	noSuchHost := &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: addr, IsNotFound: true}
	}}}
	c, l := newTestClient(t, "http://tenant.invalid", func(cfg *Config) { cfg.HTTPClient = noSuchHost })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.WaitForIntegration(ctx, "12", OpCreate)
	if pe := AsPermanent(err); pe == nil || pe.Kind != FailureDNS || ctx.Err() != nil {
		t.Fatalf("got %v", err)
	}
	if n := attempts(l); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}
