package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Issue 18: an answer is believed only when it has the shape Immuta gives.

func gateway404(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<html><head><title>404 Not Found</title></head><body>nginx</body></html>")
}

func TestOnlyImmutas404IsBelieved(t *testing.T) {
	spoilers := map[string]func(w http.ResponseWriter){
		"html":       gateway404,
		"empty":      func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) },
		"other json": func(w http.ResponseWriter) { reply(w, 404, `{"detail": "not found"}`) },
	}
	for name, spoil := range spoilers {
		t.Run(name+" once", func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if n.Add(1) == 1 {
					spoil(w)
					return
				}
				reply(w, 200, `{"id": "7", "status": "enabled"}`)
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.GetIntegration(context.Background(), "7")
			if err != nil || in.Status != StatusEnabled || n.Load() != 2 {
				t.Fatalf("got %+v, %v after %d requests; want the integration after a retry", in, err, n.Load())
			}
		})
		t.Run(name+" always", func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { spoil(w) })
			c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 2 })
			_, err := c.GetIntegration(context.Background(), "7")
			if err == nil || IsNotFound(err) || !api.IsTransient(err) {
				t.Fatalf("err %v: want a spoiled answer (not IsNotFound, api.IsTransient)", err)
			}
			if !strings.Contains(err.Error(), "GET /integrations/7: 404 from something other than Immuta") || !strings.Contains(err.Error(), "not believed") {
				t.Errorf("error %q does not say the 404 is not Immuta's", err)
			}
			if f.count("GET", "/integrations/7") != 3 {
				t.Errorf("%d GETs, want 3 (retried)", f.count("GET", "/integrations/7"))
			}
		})
	}
	t.Run("DELETE", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { gateway404(w) })
		c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 1 })
		if _, err := c.DeleteIntegration(context.Background(), "7", nil); err == nil || IsNotFound(err) {
			t.Errorf("a gateway's 404 on DELETE: %v; want an error that is not a 404", err)
		}
	})
}

// A deletion ends on Immuta's 404 only: a gateway's 404 during the wait is a failed look.
func TestDeletionWaitOutlivesGateway404(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		switch n.Add(1) {
		case 1:
			reply(w, 200, `{"id": "7", "status": "deleting"}`)
		case 2, 3, 4:
			gateway404(w)
		case 5:
			reply(w, 200, `{"id": "7", "status": "deleting"}`)
		default:
			replyErr(w, 404, "No Integration found with ID 7.")
		}
	})
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 1 })
	if _, err := c.WaitForIntegration(context.Background(), "7", OpDelete); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 6 {
		t.Errorf("the wait ended after %d looks, want 6 (it ended on a gateway's 404)", got)
	}
}

// Shapeless 2xx answers are spoiled: asked again, never an outcome.
func TestShapelessAnswersAreSpoiled(t *testing.T) {
	for _, body := range []string{`null`, `{}`, `[]`, `"enabled"`, `{"id": "7"}`, `{"status": "enabled"}`, `{"id": true, "status": "enabled"}`, `{"id": {}, "status": "enabled"}`} {
		t.Run("GET "+body, func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if n.Add(1) == 1 {
					reply(w, 200, body)
					return
				}
				reply(w, 200, `{"id": "7", "status": "creating"}`)
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.GetIntegration(context.Background(), "7")
			if err != nil || in.ID != "7" || in.Status != StatusCreating || n.Load() != 2 {
				t.Fatalf("got %+v, %v after %d requests; want the second answer", in, err, n.Load())
			}
		})
		t.Run("PUT "+body, func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if n.Add(1) == 1 {
					reply(w, 200, body)
					return
				}
				reply(w, 200, `{"id": "7", "status": "editing"}`)
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.UpdateIntegration(context.Background(), "7", docPayload())
			if err != nil || in.Status != StatusEditing || n.Load() != 2 {
				t.Fatalf("got %+v, %v after %d requests; want the second answer", in, err, n.Load())
			}
		})
	}
	t.Run("PUT empty body is still allowed", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { w.WriteHeader(http.StatusNoContent) })
		c, _ := newTestClient(t, f.URL)
		if in, err := c.UpdateIntegration(context.Background(), "7", docPayload()); err != nil || in.ID != "7" || in.Status != StatusEditing {
			t.Fatalf("got %+v, %v", in, err)
		}
	})
	t.Run("create wait", func(t *testing.T) {
		s := &statusSequence{seq: []string{"creating", "creating", "creating", "enabled"}}
		var n atomic.Int32
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			switch n.Add(1) {
			case 2:
				reply(w, 200, `null`)
			case 3:
				reply(w, 200, `{}`)
			default:
				s.serve(w, "12")
			}
		})
		c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 0 })
		in, err := c.WaitForIntegration(context.Background(), "12", OpCreate)
		if err != nil || in.Status != StatusEnabled {
			t.Fatalf("got %+v, %v; want enabled (null and {} are failed looks)", in, err)
		}
	})
}

// No method is ever rewritten: a same-origin 301/302/303 to a PUT is refused (and
// retried), a 307/308 is followed with the same method and body, and a 301 to a GET
// is followed.
func TestRedirectNeverChangesTheMethod(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint("PUT ", code), func(t *testing.T) {
			var n atomic.Int32
			var gets, puts atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if r.Method == http.MethodGet {
					gets.Add(1)
					reply(w, 200, `{"id": "7", "status": "enabled"}`)
					return
				}
				if n.Add(1) == 1 {
					http.Redirect(w, r, "/integrations/7?moved=1", code)
					return
				}
				if !strings.Contains(string(body), `"host"`) {
					t.Errorf("%s without its body: %q", r.Method, body)
				}
				puts.Add(1)
				reply(w, 200, `{"id": "7", "status": "editing"}`)
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.UpdateIntegration(context.Background(), "7", docPayload())
			if err != nil || in.Status != StatusEditing || gets.Load() != 0 || puts.Load() != 1 {
				t.Fatalf("got %+v, %v; %d GETs and %d PUTs, want the PUT's answer and no GET", in, err, gets.Load(), puts.Load())
			}
		})
	}
	t.Run("PUT 301 always", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			if r.Method == http.MethodGet {
				t.Errorf("the PUT was re-sent as a GET")
			}
			http.Redirect(w, r, "/integrations/7?moved=1", http.StatusMovedPermanently)
		})
		c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 2 })
		_, err := c.UpdateIntegration(context.Background(), "7", docPayload())
		var re *RedirectError
		if !errors.As(err, &re) || !re.SameOrigin || !api.IsTransient(err) ||
			!strings.Contains(err.Error(), "PUT /integrations/7: the server answered 301 to the PUT") || !strings.Contains(err.Error(), "turn the PUT into a GET") {
			t.Fatalf("err %v: want a refused same-origin redirect that names the PUT", err)
		}
		if n := f.count("PUT", "/integrations/7"); n != 3 {
			t.Errorf("%d PUTs, want 3 (retried)", n)
		}
	})
	t.Run("GET 301 is followed", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			if r.URL.Query().Get("moved") == "" {
				http.Redirect(w, r, "/integrations/7?moved=1", http.StatusMovedPermanently)
				return
			}
			reply(w, 200, `{"id": "7", "status": "enabled"}`)
		})
		c, _ := newTestClient(t, f.URL)
		if in, err := c.GetIntegration(context.Background(), "7"); err != nil || in.Status != StatusEnabled {
			t.Fatalf("got %+v, %v", in, err)
		}
	})
}
