package tenantcheck_test

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
	"github.com/immuta/terraform-provider-immuta/internal/tenantcheck"
)

// The emulator follows the contract: against it every fact matches.
func TestEmulatorMatchesEveryFact(t *testing.T) {
	for name, extra := range map[string][]emulator.Option{
		"string ids":  nil,
		"numeric ids": {emulator.WithNumericIDs()},
	} {
		t.Run(name, func(t *testing.T) {
			tn := newTenant(t, nil, append(seeds(), extra...)...)
			r := tn.check(t, testKey)
			if r.err != nil {
				t.Fatalf("Probe: %v\n%s", r.err, r.out)
			}
			for _, f := range r.facts {
				if f.Verdict != tenantcheck.Match && f.Verdict != tenantcheck.Note {
					t.Errorf("%s: %s: %s", f.Name, f.Verdict, f.Seen)
				}
			}
			if code := tenantcheck.ExitCode(r.facts); code != tenantcheck.ExitMatch {
				t.Errorf("exit code %d, want 0\n%s", code, r.out)
			}
			// The first Redshift integration is the one read back (ids 1 and 2 are foreign).
			if r.obs.ExistingID != "3" {
				t.Errorf("read back integration %q, want the first Redshift one, 3", r.obs.ExistingID)
			}
			wantType := "JSON strings of digits"
			if name == "numeric ids" {
				wantType = "JSON numbers"
			}
			if f := r.fact(t, tenantcheck.FactIDType); !strings.Contains(f.Seen, wantType) {
				t.Errorf("id type: %q, want %q", f.Seen, wantType)
			}
			if f := r.fact(t, tenantcheck.FactListSize); !strings.Contains(f.Seen, "4 integrations (Redshift 2, ") {
				t.Errorf("list size: %q", f.Seen)
			}
			if f := r.fact(t, tenantcheck.FactStatuses); f.Seen != "enabled 3, createError 1" {
				t.Errorf("statuses: %q", f.Seen)
			}
			for _, want := range []string{"GET /integrations/3 ", "GET /integrations/2147483647 ", "(no API key)", "(a wrong API key)", "exit 0"} {
				if !strings.Contains(r.out, want) {
					t.Errorf("report lacks %q:\n%s", want, r.out)
				}
			}
			assertNoSecret(t, r.out, testKey, seedPassword, seedSecret, seedSession, seedUser)
		})
	}
}

// With no integration at all, the reads by id of one that exists cannot be
// checked, and the report says so instead of inventing a verdict.
func TestEmptyTenant(t *testing.T) {
	tn := newTenant(t, nil, emulator.WithAPIKey(testKey))
	r := tn.check(t, testKey)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.obs.Existing != nil {
		t.Error("read an integration of an empty list")
	}
	for _, name := range []string{tenantcheck.FactRead, tenantcheck.FactFields, tenantcheck.FactRedaction} {
		if f := r.fact(t, name); f.Verdict != tenantcheck.Unchecked {
			t.Errorf("%s: %s, want not checked", name, f.Verdict)
		}
	}
	if f := r.fact(t, tenantcheck.FactNotFound); f.Verdict != tenantcheck.Match {
		t.Errorf("404: %s %s", f.Verdict, f.Seen)
	}
	if code := tenantcheck.ExitCode(r.facts); code != tenantcheck.ExitMatch {
		t.Errorf("exit %d", code)
	}
}

// A wrong API key ends the run at once (exit 2 in the command), naming the
// variable, before anything but the list was sent.
func TestWrongKeyStops(t *testing.T) {
	tn := newTenant(t, nil, seeds()...)
	r := tn.check(t, "not-the-key")
	var stop *tenantcheck.StopError
	if r.err == nil || !asStop(r.err, &stop) || !stop.Usage || !strings.Contains(stop.Error(), "IMMUTA_API_TOKEN") {
		t.Fatalf("err = %v, want a usage StopError naming IMMUTA_API_TOKEN", r.err)
	}
	if n := tn.srv.Stats().Requests; n != 1 {
		t.Errorf("%d requests after a refused key, want 1", n)
	}
}

// No answer at all is a StopError too, not a fact.
func TestUnreachableStops(t *testing.T) {
	tn := newTenant(t, nil, seeds()...)
	tn.srv.Close()
	r := (&tenant{srv: tn.srv, url: tn.url}).probeOnly(t)
	var stop *tenantcheck.StopError
	if !asStop(r, &stop) || stop.Usage || !strings.Contains(stop.Error(), "no answer from "+tn.url) {
		t.Fatalf("err = %v", r)
	}
}

// Behind a private CA the check needs the CA as the provider does
// (IMMUTA_CA_CERTIFICATE), and says so when it is missing.
func TestPrivateCA(t *testing.T) {
	srv := emulator.New(seeds()...)
	defer srv.Close()
	front := httptest.NewUnstartedServer(srv.Handler())
	front.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	front.StartTLS()
	defer front.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: front.Certificate().Raw}))
	ctx := context.Background()

	_, err := tenantcheck.Probe(ctx, tenantcheck.Target{BaseURL: front.URL, Token: testKey, Timeout: 5 * time.Second})
	var stop *tenantcheck.StopError
	if !asStop(err, &stop) || !strings.Contains(stop.Error(), "set IMMUTA_CA_CERTIFICATE") {
		t.Fatalf("without the CA: %v", err)
	}
	obs, err := tenantcheck.Probe(ctx, tenantcheck.Target{BaseURL: front.URL, Token: testKey, CACertPEM: caPEM, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	if code := tenantcheck.ExitCode(tenantcheck.Check(obs)); code != tenantcheck.ExitMatch {
		t.Errorf("exit %d", code)
	}
	if _, err := tenantcheck.Probe(ctx, tenantcheck.Target{BaseURL: front.URL, Token: testKey, CACertPEM: "/etc/ssl/ca.pem"}); !asStop(err, &stop) || !stop.Usage {
		t.Errorf("a CA that is a path: %v", err)
	}
}
