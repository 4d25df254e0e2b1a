package api

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// A same-origin redirect is followed, with the API token.
func TestRedirectSameOrigin(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path == "/integrations/away" {
			http.Redirect(w, r, "/integrations/1", http.StatusTemporaryRedirect)
			return
		}
		reply(w, 200, `{"id": "1", "status": "enabled"}`)
	})
	c, _ := newTestClient(t, f.URL)
	if _, err := c.do(context.Background(), call{method: http.MethodGet, path: "/integrations/away"}); err != nil {
		t.Fatal(err)
	}
	if got := f.requests(); len(got) != 2 || got[1].Header.Get("Authorization") != testToken {
		t.Errorf("requests %v", f.sequence())
	}
}

// The create POST has a per-attempt timeout too; its expiry may have reached Immuta.
func TestCreateAttemptTimeout(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == http.MethodPost {
			<-r.Context().Done() // hangs
			return
		}
		reply(w, 200, `[]`)
	})
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.AttemptTimeout = 50 * time.Millisecond; cfg.RetryMax = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/integrations", body: []byte(`{}`), create: true})
	if err == nil || ctx.Err() != nil || !MayHaveReachedImmuta(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hung POST: %v (ctx %v); want a per-attempt timeout that may have reached Immuta", err, ctx.Err())
	}
}
