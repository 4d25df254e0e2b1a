package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Defect 1 of issue 9: an answer about another integration (a cached or misrouted
// answer) is a bad answer, retried, and never believed.
func TestAnswerAboutAnotherIDIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(c *Client) (*Integration, error)
		path string
	}{
		{"get", func(c *Client) (*Integration, error) { return c.GetIntegration(context.Background(), "20") }, "/integrations/20"},
		{"update", func(c *Client) (*Integration, error) {
			return c.UpdateIntegration(context.Background(), "20", docPayload())
		}, "/integrations/20"},
		{"delete", func(c *Client) (*Integration, error) { return c.DeleteIntegration(context.Background(), "20", nil) }, "/integrations/20"},
	} {
		t.Run(tc.name+" once", func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				id := "20"
				if n.Add(1) == 1 {
					id = "5"
				}
				reply(w, 200, `{"id": "`+id+`", "status": "enabled", "type": "Redshift", "config": {"host": "h"}}`)
			})
			c, _ := newTestClient(t, f.URL)
			in, err := tc.call(c)
			if err != nil || in.ID != "20" || n.Load() != 2 {
				t.Fatalf("got %+v, %v after %d requests; want integration 20 after a retry", in, err, n.Load())
			}
		})
		t.Run(tc.name+" always", func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				reply(w, 200, `{"id": 5, "status": "enabled"}`)
			})
			c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 2 })
			in, err := tc.call(c)
			if err == nil || in != nil {
				t.Fatalf("got %+v, want an error", in)
			}
			var ba *BadAnswerError
			if !errors.As(err, &ba) || !strings.Contains(err.Error(), "integration 5") || !strings.Contains(err.Error(), "integration 20") {
				t.Errorf("error %q does not name both ids", err)
			}
			if got := f.count(f.requests()[0].Method, tc.path); got != 3 {
				t.Errorf("%d requests, want 3 (retried as a transient fault)", got)
			}
		})
	}
	t.Run("status endpoint", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			reply(w, 200, `{"id": "5", "status": "enabled"}`)
		})
		c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 1 })
		if st, err := c.api.GetIntegrationStatus(context.Background(), "20"); err == nil {
			t.Errorf("status of 20 believed from an answer about 5: %+v", st)
		}
	})
	t.Run("create answer on another host", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			if r.Method == http.MethodPost {
				reply(w, 200, `{"id": "77", "status": "creating", "config": {"host": "elsewhere.example"}}`)
				return
			}
			reply(w, 200, `[]`)
		})
		c, _ := newTestClient(t, f.URL)
		if in, err := c.CreateIntegration(context.Background(), docPayload()); err == nil {
			t.Errorf("a create answer about host elsewhere.example was believed: %+v", in)
		}
	})
}

// Defect 2 of issue 9: a redirect to another origin is refused before anything is
// sent there; same-origin redirects are followed.
func TestRedirectToAnotherOriginIsRefused(t *testing.T) {
	for _, code := range []int{301, 302, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var elsewhere atomic.Int32
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				elsewhere.Add(1)
				reply(w, 200, `{"id": "666", "status": "creating"}`)
			}))
			defer other.Close()
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if r.Method == http.MethodPost {
					http.Redirect(w, r, other.URL+r.URL.Path, code)
					return
				}
				reply(w, 200, `[]`)
			})
			c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 2 })
			in, err := c.CreateIntegration(context.Background(), docPayload())
			if err == nil {
				t.Fatalf("created %+v through a redirect", in)
			}
			var re *RedirectError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), other.URL+"/integrations") {
				t.Errorf("error %q does not name where the redirect pointed", err)
			}
			if elsewhere.Load() != 0 {
				t.Errorf("%d requests reached the other origin", elsewhere.Load())
			}
			// A refused redirect reached nobody: it is not a create that may have been sent.
			// (One GET /integrations is the create's look at the hosts before its POST.)
			if api.MayHaveReachedImmuta(err) || f.count(http.MethodGet, "/integrations") != 1 {
				t.Errorf("a refused redirect counted as a create that may have acted: %v, %v", err, f.sequence())
			}
		})
	}
}

// Defect 4 of issue 9: a spoiled answer on a read is transient.
func TestSpoiledAnswersAreRetried(t *testing.T) {
	good := `{"id": "1", "status": "enabled", "type": "Redshift", "config": {"host": "h"}}`
	spoils := map[string]func(w http.ResponseWriter){
		"truncated": func(w http.ResponseWriter) { reply(w, 200, good[:len(good)/2]) },
		"html 200": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><head><title>Sign in</title></head></html>"))
		},
		"500": func(w http.ResponseWriter) { w.WriteHeader(500) },
		"502": func(w http.ResponseWriter) { w.WriteHeader(502) },
		"504": func(w http.ResponseWriter) { w.WriteHeader(504) },
	}
	for name, spoil := range spoils {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if n.Add(1) <= 2 {
					spoil(w)
					return
				}
				if r.URL.Path == "/integrations" {
					reply(w, 200, "["+good+"]")
					return
				}
				reply(w, 200, good)
			})
			c, _ := newTestClient(t, f.URL)
			if _, err := c.GetIntegration(context.Background(), "1"); err != nil {
				t.Errorf("get: %v", err)
			}
			n.Store(0)
			if found, err := c.FindRedshiftIntegrationByHost(context.Background(), "h"); err != nil || found == nil {
				t.Errorf("list: %v, %v", found, err)
			}
		})
	}
}

// Inside a wait, a look that failed even after its retries never ends the wait.
func TestWaitOutlivesFailedLooks(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		switch k := n.Add(1); {
		case k <= 3:
			reply(w, 200, `{"id": "1", "status": "creating"}`)
		case k <= 10:
			if k%2 == 0 {
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte("<html><title>login</title>")) // a proxy's page, status 200
				return
			}
			w.WriteHeader(http.StatusBadGateway)
		default:
			reply(w, 200, `{"id": "1", "status": "enabled"}`)
		}
	})
	c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	in, err := c.WaitForIntegration(ctx, "1", OpCreate)
	if err != nil || in.Status != StatusEnabled {
		t.Fatalf("wait ended with %+v, %v after %d looks: a network fault is not an outcome", in, err, n.Load())
	}
}

// Defect 6 of issue 9: a secret echoed by the server is scrubbed in every encoding it
// may come back in, from errors and from logs.
// echoPassword holds what JSON, HTML, URL and YAML encodings change (non-ASCII
// included), between two runs of plain letters that survive every encoding.
const echoPassword = `Echo9head<&"'>Pä€ss\tail9Secret`

func secretForms(s string) []string {
	forms := []string{s}
	forms = append(forms, jsonEscape(s, true), jsonEscape(s, false), url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s),
		url.QueryEscape(jsonEscape(s, true)))
	for _, h1 := range []bool{true, false} {
		for _, h2 := range []bool{true, false} {
			forms = append(forms, jsonEscape(jsonEscape(s, h1), h2))
		}
		forms = append(forms, html.EscapeString(jsonEscape(s, h1)))
	}
	return forms
}

func TestEchoedSecretsAreScrubbed(t *testing.T) {
	encodings := map[string]func(body []byte) (string, string){
		"json \\u003c": func(b []byte) (string, string) {
			return "application/json", `{"statusCode":400,"error":"Bad Request","message":"Invalid payload: ` + jsonEscape(string(b), true) + `"}`
		},
		"json \\\"": func(b []byte) (string, string) {
			return "application/json", `{"statusCode":400,"error":"Bad Request","message":"Invalid payload: ` + jsonEscape(string(b), false) + `"}`
		},
		"url": func(b []byte) (string, string) {
			return "application/json", `{"statusCode":400,"message":"Invalid payload: ` + url.QueryEscape(string(b)) + `"}`
		},
		"html": func(b []byte) (string, string) {
			return "text/html", "<html><title>400 " + html.EscapeString(string(b)) + "</title><pre>" + html.EscapeString(string(b)) + "</pre></html>"
		},
		"plain": func(b []byte) (string, string) { return "text/plain", "bad input: " + string(b) },
		// The whole body base64-encoded, in both alphabets, padded or not, and shifted by
		// one and two bytes, so that the secret sits at each of the 3 offsets of a group.
		"base64 std":          base64Echo(base64.StdEncoding, ""),
		"base64 std shift 1":  base64Echo(base64.StdEncoding, "x"),
		"base64 std shift 2":  base64Echo(base64.StdEncoding, "xy"),
		"base64 url":          base64Echo(base64.URLEncoding, ""),
		"base64 url shift 1":  base64Echo(base64.RawURLEncoding, "x"),
		"base64 url shift 2":  base64Echo(base64.RawURLEncoding, "xy"),
		"base64 raw std":      base64Echo(base64.RawStdEncoding, "x"),
		"base64 of the field": base64Field,
		// The secrets quoted as YAML: single-quoted, and double-quoted in the styles of
		// Go's emitters and of libyaml.
		"yaml single":       yamlEcho(func(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }),
		"yaml double":       yamlEcho(strconv.Quote),
		"yaml double ascii": yamlEcho(strconv.QuoteToASCII),
		"yaml double libyaml": yamlEcho(func(v string) string {
			var b strings.Builder
			for _, r := range v {
				switch {
				case r == '"' || r == '\\':
					b.WriteString(`\` + string(r))
				case r < 0x7f:
					b.WriteRune(r)
				case r <= 0xff:
					fmt.Fprintf(&b, `\x%02X`, r)
				default:
					fmt.Fprintf(&b, `\u%04X`, r)
				}
			}
			return `"` + b.String() + `"`
		}),
		// A message that puts the secret across the length limit of error texts.
		"straddling": func(b []byte) (string, string) {
			return "application/json", `{"statusCode":400,"message":"` + strings.Repeat("x", api.MaxMessage-8) + jsonEscape(echoPassword, true) + `"}`
		},
	}
	for name, enc := range encodings {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if r.Method == http.MethodGet && r.URL.Path == "/integrations" {
					reply(w, 200, `[]`) // the create's look at the hosts before its POST
					return
				}
				ct, text := enc(append(body, []byte(" "+r.Header.Get("Authorization"))...))
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(400)
				_, _ = w.Write([]byte(text))
			})
			c, logs := newTestClient(t, f.URL)
			p := docPayload()
			p.Config.Password = echoPassword
			_, err := c.CreateIntegration(context.Background(), p)
			if err == nil {
				t.Fatal("no error")
			}
			all := err.Error() + "\n" + logs.dump()
			for _, secret := range []string{echoPassword, testToken} {
				for _, form := range secretForms(secret) {
					if strings.Contains(all, form) {
						t.Errorf("the secret appears as %q in:\n%s", form, all)
					}
				}
				// Nor a fragment of it, cut by a length limit.
				if frag := secret[:8]; strings.Contains(all, frag) {
					t.Errorf("a fragment %q of a secret appears in:\n%s", frag, all)
				}
			}
			// Plain letters survive every encoding: a leak in a form not listed shows them,
			// as text or inside any base64 run, decoded at each of its alignments.
			for _, frag := range []string{"Echo9head", "tail9Secret", testToken[:8]} {
				if strings.Contains(all, frag) {
					t.Errorf("a fragment %q of the password appears in:\n%s", frag, all)
				}
				if run, ok := inBase64(all, frag); ok {
					t.Errorf("a fragment %q of a secret decodes from %q in:\n%s", frag, run, all)
				}
			}
		})
	}
}

// base64Echo answers a 400 whose message is prefix+body, encoded.
func base64Echo(enc *base64.Encoding, prefix string) func(b []byte) (string, string) {
	return func(b []byte) (string, string) {
		return "application/json", `{"statusCode":400,"error":"Bad Request","message":"Invalid payload: ` + enc.EncodeToString(append([]byte(prefix), b...)) + `"}`
	}
}

// base64Field echoes the password and the token alone, base64-encoded.
func base64Field(b []byte) (string, string) {
	var p struct {
		Config struct{ Password string } `json:"config"`
	}
	_ = json.Unmarshal(b, &p)
	return "application/json", `{"statusCode":400,"message":"bad password ` + base64.StdEncoding.EncodeToString([]byte(p.Config.Password)) +
		` or ` + base64.RawURLEncoding.EncodeToString([]byte(p.Config.Password)) + ` key ` + base64.StdEncoding.EncodeToString([]byte(testToken)) + `"}`
}

// yamlEcho echoes the password and the token YAML-quoted by quote, inside Immuta's
// JSON error object.
func yamlEcho(quote func(string) string) func(b []byte) (string, string) {
	return func(b []byte) (string, string) {
		var p struct {
			Config struct{ Password string } `json:"config"`
		}
		_ = json.Unmarshal(bytes.TrimSuffix(b, []byte(" "+testToken)), &p)
		yaml := "config:\n  password: " + quote(p.Config.Password) + "\n  token: " + quote(testToken)
		return "application/json", `{"statusCode":400,"error":"Bad Request","message":"Invalid payload: ` + jsonEscape(yaml, true) + `"}`
	}
}

var base64RunRe = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}`)

// inBase64 decodes every run of base64 characters in text, from each of its 4
// alignments and in both alphabets, and reports the first that holds frag.
func inBase64(text, frag string) (string, bool) {
	for _, run := range base64RunRe.FindAllString(text, -1) {
		for skip := range 4 {
			r := run[min(skip, len(run)):]
			r = r[:len(r)/4*4]
			std := strings.NewReplacer("-", "+", "_", "/").Replace(r)
			if d, err := base64.StdEncoding.DecodeString(std); err == nil && strings.Contains(string(d), frag) {
				return run, true
			}
		}
	}
	return "", false
}

// Defect 7 of issue 9: a list far bigger than anything kept in memory is streamed.
func TestHugeListIsStreamed(t *testing.T) {
	// 150 000 integrations of other types: about 35 MB, more than the 32 MB that any
	// answer read whole may hold. Under the race detector, a tenth of that.
	others := 150_000
	if raceEnabled {
		others = 15_000
	}
	var heap, sent atomic.Uint64
	f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("["))
		pad := strings.Repeat("p", 150)
		for i := range others {
			n, _ := fmt.Fprintf(w, `{"id":"%d","status":"enabled","type":"Snowflake","config":{"host":"sf%d.example","warehouse":"%s"}},`, i+10, i, pad)
			sent.Add(uint64(n))
		}
		// Nearly all of the list is sent: a client that keeps it holds it now.
		w.(http.Flusher).Flush()
		time.Sleep(50 * time.Millisecond)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap.Store(ms.HeapAlloc)
		_, _ = w.Write([]byte(`{"id":"7","status":"enabled","type":"Redshift","config":{"host":"mine.example","database":"immuta"}}]`))
	}))
	defer f.Close()
	c, _ := newTestClient(t, f.URL)
	found, err := c.FindRedshiftIntegrationByHost(context.Background(), "mine.example")
	if err != nil || found == nil || found.ID != "7" {
		t.Fatalf("lookup in a list of %d integrations: %+v, %v", others+1, found, err)
	}
	// What the process holds near the end of the list (after a GC) is far less than
	// the list: the client kept none of it.
	size := sent.Load()
	t.Logf("heap in use near the end of a %d MB list: %d MB", size>>20, heap.Load()>>20)
	if !raceEnabled && heap.Load() > size/2 {
		t.Errorf("%d MB in use near the end of a %d MB list: the list is kept in memory", heap.Load()>>20, size>>20)
	}
}

// A slow shared list never holds a wait past its own next look.
func TestSlowListDoesNotHoldWaits(t *testing.T) {
	s := newSettling(t)
	s.listDelay = time.Minute
	for _, id := range ids(4) {
		s.add(id, "creating", "enabled", 300*time.Millisecond)
	}
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	errs := make(chan error, 4)
	for _, id := range ids(4) {
		go func() {
			_, err := c.WaitForIntegration(ctx, id, OpCreate)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("wait held by a hung list: %v", err)
		}
	}
}
