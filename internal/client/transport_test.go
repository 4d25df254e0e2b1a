package client

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCACertPEM(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		reply(w, 200, `[]`)
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	c, _ := newTestClient(t, srv.URL)
	_, err := c.api.ListIntegrations(context.Background())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without the CA: got %v, want a certificate error", err)
	}
	if strings.Contains(err.Error(), "gave up after") {
		t.Errorf("a certificate error must not be retried: %v", err)
	}

	c, _ = newTestClient(t, srv.URL, func(c *Config) { c.CACertPEM = caPEM })
	if _, err := c.api.ListIntegrations(context.Background()); err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests reached the server", hits.Load())
	}

	if _, err := New(Config{Connection: Connection{BaseURL: srv.URL, APIToken: "k", CACertPEM: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"}}); err == nil {
		t.Error("invalid PEM accepted")
	}
	if _, err := New(Config{Connection: Connection{BaseURL: srv.URL, APIToken: "k", CACertPEM: caPEM, HTTPClient: &http.Client{Transport: roundTripFunc(nil)}}}); err == nil {
		t.Error("CA with a foreign transport accepted")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Same-origin redirects are followed with the key; a redirect to another origin is
// refused before anything is sent there (it used to be followed with Authorization
// stripped, which still sent a 307's body). TestRedirectToAnotherOriginIsRefused
// covers the create POST.
func TestRedirectsKeepTheKeyHome(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{}
	record := func(name string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		v, ok := r.Header["Authorization"]
		if ok {
			seen[name] = v[0]
		} else {
			seen[name] = "<none>"
		}
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record("other", r)
		reply(w, 200, `{"id": "away", "status": "enabled"}`)
	}))
	defer other.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/integrations/away":
			record("home-away", r)
			http.Redirect(w, r, other.URL+"/integrations/away", http.StatusTemporaryRedirect)
		case "/integrations/same":
			record("home-same", r)
			http.Redirect(w, r, "/integrations/final", http.StatusFound)
		case "/integrations/final":
			record("home-final", r)
			reply(w, 200, `{"id": "same", "status": "enabled"}`)
		}
	}))
	defer home.Close()

	c, _ := newTestClient(t, home.URL, func(cfg *Config) { cfg.RetryMax = 1 })
	if _, err := c.GetIntegration(context.Background(), "same"); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetIntegration(context.Background(), "away")
	var re *RedirectError
	if !errors.As(err, &re) || re.StatusCode != http.StatusTemporaryRedirect || re.Location != other.URL+"/integrations/away" {
		t.Errorf("redirect elsewhere: %v", err)
	}
	want := map[string]string{"home-away": testToken, "other": "", "home-same": testToken, "home-final": testToken}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("%s saw Authorization %q, want %q", k, seen[k], v)
		}
	}
}

func TestConcurrentRequests(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, `{"id": "`+strings.TrimPrefix(r.URL.Path, "/integrations/")+`", "status": "enabled"}`)
	})
	c, _ := newTestClient(t, f.URL)
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := string(rune('a' + i%26))
			in, err := c.GetIntegration(context.Background(), id)
			if err != nil || string(in.ID) != id {
				t.Errorf("%s: %+v %v", id, in, err)
			}
		}()
	}
	wg.Wait()
}
