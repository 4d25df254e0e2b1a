package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostsFake is a small Immuta that keeps one Redshift integration per host and
// spoils the answers of chosen create POSTs after acting on them, as gateways do.
type hostsFake struct {
	*httptest.Server
	mu        sync.Mutex
	hosts     map[string]string // host -> id
	next      int
	spoil     []string // per create POST in turn: "", "reset", "500", "502", "503", "504", "404", "empty-404", "truncated", "null", "{}", "hang", ...
	posts     int      // create POSTs that reached the server
	creations int
	lists     int
	omit      bool // lists leave every integration out
	// rival: when the first create POST arrives, another pipeline creates the
	// integration on its host first, with the same configuration (rivalID).
	rival   bool
	rivalID string
	// sameConfig: the integrations the test seeds have this create's configuration.
	sameConfig bool
}

func newHostsFake(t *testing.T, spoil ...string) *hostsFake {
	f := &hostsFake{hosts: map[string]string{}, next: 100, spoil: spoil}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *hostsFake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if r.Method == "GET" && r.URL.Path == "/integrations" {
		f.lists++
		var out []any
		for h, id := range f.hosts {
			if f.omit {
				break
			}
			out = append(out, map[string]any{"id": id, "status": "creating", "type": "Redshift", "config": map[string]any{"host": h, "database": f.db(id)}})
		}
		f.mu.Unlock()
		b, _ := json.Marshal(out)
		if out == nil {
			b = []byte(`[]`)
		}
		reply(w, 200, string(b))
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/integrations/"); ok && r.Method == "GET" {
		host := ""
		for h, i := range f.hosts {
			if i == id {
				host = h
			}
		}
		if host == "" {
			f.mu.Unlock()
			replyErr(w, 404, "No Integration found with ID "+id+".")
			return
		}
		b, _ := json.Marshal(map[string]any{"id": id, "status": "enabled", "type": "Redshift", "config": map[string]any{"host": host, "database": f.db(id)}})
		f.mu.Unlock()
		reply(w, 200, string(b))
		return
	}
	if r.Method != "POST" || r.URL.Path != "/integrations" {
		f.mu.Unlock()
		replyErr(w, 404, "not here")
		return
	}
	var p Payload
	_ = json.NewDecoder(r.Body).Decode(&p)
	f.posts++
	spoil := ""
	if len(f.spoil) > 0 {
		spoil, f.spoil = f.spoil[0], f.spoil[1:]
	}
	host := p.Config.Host
	if f.rival && f.posts == 1 {
		f.next++
		f.rivalID = fmt.Sprint(f.next)
		f.hosts[host] = f.rivalID
	}
	id, taken := f.hosts[host]
	if taken && spoil == "" {
		f.mu.Unlock()
		replyErr(w, 409, fmt.Sprintf("Redshift integration already exists on host %s (id = %s)", host, id))
		return
	}
	if !taken && spoil != "json-503" && spoil != "json-429" { // Immuta's own refusals do not act
		f.next++
		id = fmt.Sprint(f.next)
		f.hosts[host] = id
		f.creations++
	}
	f.mu.Unlock()
	switch spoil {
	case "":
		reply(w, 200, `{"id": "`+id+`", "status": "creating"}`)
	case "reset":
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	case "truncated":
		reply(w, 200, `{"id": "`+id[:1])
	case "null", "{}":
		reply(w, 200, spoil) // a gateway's 200 with a shapeless body
	case "wrong-id":
		reply(w, 200, `{"id": "7", "status": "creating"}`)
	case "hang":
		<-r.Context().Done()
	case "json-503", "json-429", "json-500":
		// Immuta's own error object.
		var code int
		_, _ = fmt.Sscan(strings.TrimPrefix(spoil, "json-"), &code)
		replyErr(w, code, "Service unavailable, try again")
	case "redirect":
		http.Redirect(w, r, "http://127.0.0.2:1/integrations", http.StatusTemporaryRedirect)
	case "empty-404":
		w.WriteHeader(http.StatusNotFound) // a gateway's 404 with no body
	default:
		var code int
		_, _ = fmt.Sscan(spoil, &code)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		_, _ = w.Write([]byte("<html><title>gateway</title></html>"))
	}
}

// db: ours are made with docPayload's database; the fake's others have another.
func (f *hostsFake) db(id string) string {
	if n, _ := strconv.Atoi(id); n <= 100 && !f.sameConfig {
		return "someone-elses"
	}
	return "immuta"
}

func (f *hostsFake) counts() (posts, creations, lists int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts, f.creations, f.lists
}

func hostPayload(host string) Payload {
	p := docPayload()
	p.Config.Host = host
	return p
}

// Defect 5 of issue 9, in each of its forms: a create POST that Immuta carried out
// but whose answer was lost comes back as the integration it made, with exactly one
// creation, instead of an error that orphans it.
func TestCreateOutcomeResolved(t *testing.T) {
	cases := []struct {
		name  string
		spoil []string
		ctx   time.Duration // > 0: the caller's context ends after this (Ctrl-C, create timeout)
		try   time.Duration // > 0: the per-attempt timeout
	}{
		{name: "answer lost (reset after acting)", spoil: []string{"reset"}},
		{name: "500 after acting", spoil: []string{"500"}},
		{name: "502 after acting", spoil: []string{"502"}},
		{name: "504 after acting", spoil: []string{"504"}},
		{name: "503 after acting, then 409 on the retry", spoil: []string{"503"}},
		{name: "429 after acting, then 409 on the retry", spoil: []string{"429"}},
		{name: "truncated 200", spoil: []string{"truncated"}},
		{name: "200 with null", spoil: []string{"null"}},
		{name: "200 with {}", spoil: []string{"{}"}},
		{name: "a gateway's HTML 404 after acting", spoil: []string{"404"}},
		{name: "a gateway's empty 404 after acting", spoil: []string{"empty-404"}},
		{name: "hang, then the context ends (Ctrl-C)", spoil: []string{"hang"}, ctx: 100 * time.Millisecond},
		{name: "hang past the per-attempt timeout", spoil: []string{"hang"}, try: 100 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newHostsFake(t, tc.spoil...)
			c, _ := newTestClient(t, f.URL, func(cfg *Config) { cfg.AttemptTimeout = tc.try })
			ctx := context.Background()
			if tc.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctx)
				defer cancel()
			}
			in, err := c.CreateIntegration(ctx, hostPayload("ours.example"))
			posts, creations, _ := f.counts()
			if err != nil || in == nil || in.ID.String() != f.hosts["ours.example"] {
				t.Fatalf("got %+v, %v; want integration %s", in, err, f.hosts["ours.example"])
			}
			if creations != 1 || posts > 2 {
				t.Errorf("%d creations after %d POSTs", creations, posts)
			}
		})
	}
}

// An integration that held the host before this apply's POST is never taken for
// ours, whatever happened to the POST's answer: the error names its id. With the
// configuration this create sends ("same configuration"), only the snapshot taken
// before the first POST (the "held before" rule) tells it apart from ours.
func TestCreateOutcomeNeverAdoptsForeign(t *testing.T) {
	for _, same := range []bool{false, true} {
		for _, spoil := range []string{"reset", "500", "502", "503", "json-500", "truncated", "null", "{}", "404", "empty-404", "hang"} {
			name := spoil
			if same {
				name += "/same configuration"
			}
			t.Run(name, func(t *testing.T) {
				// The host is taken, so Immuta acts on nothing; the gateway spoils its 409.
				f := newHostsFake(t, spoil)
				f.hosts["theirs.example"] = "7"
				f.sameConfig = same
				c, _ := newTestClient(t, f.URL)
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				cn, err := c.StartCreate(ctx, hostPayload("theirs.example"))
				var ex *ExistingIntegrationError
				if cn != nil || !errors.As(err, &ex) || ex.ID != "7" || ex.Ambiguous {
					t.Fatalf("got %+v, %v; want someone else's integration 7", cn, err)
				}
				if _, creations, lists := f.counts(); creations != 0 || lists < 2 {
					t.Errorf("%d creations, %d lists (want none, and a look after the lost answer)", creations, lists)
				}
			})
		}
	}
}

// A list may leave an integration out, so a snapshot showing the host free is not
// the whole proof: someone else's integration, with another configuration, is never
// adopted even when the snapshot missed it and a retried POST met its 409. A 200
// whose body is unusable (a gateway's, hiding Immuta's 409) is no proof that Immuta
// created anything: with the lists leaving the host out, the POST is sent again and
// its 409 names the integration.
func TestCreateOutcomeNeverAdoptsForeignMissingFromList(t *testing.T) {
	for _, spoil := range []string{"503", "reset", "500", "truncated", "null", "{}", "404", "empty-404"} {
		t.Run(spoil, func(t *testing.T) {
			f := newHostsFake(t, spoil)
			f.hosts["theirs.example"] = "7"
			f.omit = true
			c, _ := newTestClient(t, f.URL)
			in, err := c.CreateIntegration(context.Background(), hostPayload("theirs.example"))
			var ex *ExistingIntegrationError
			if in != nil || !errors.As(err, &ex) || ex.ID != "7" {
				t.Fatalf("got %+v, %v; want someone else's integration 7", in, err)
			}
		})
	}
}

// A create answer that names another integration (a cached or misrouted answer,
// here someone else's 7) is caught by the wait, which checks the host of what it
// sees, and the wait moves to the integration this create made.
func TestCreateWrongIDAnswerIsCorrected(t *testing.T) {
	for _, other := range []string{"7", "404"} {
		t.Run(other, func(t *testing.T) {
			f := newHostsFake(t, "wrong-id")
			if other == "7" {
				f.hosts["theirs.example"] = "7"
			}
			c, _ := newTestClient(t, f.URL)
			p := hostPayload("ours.example")
			in, err := c.CreateIntegration(context.Background(), p)
			if err != nil || in.ID != "7" {
				t.Fatalf("got %+v, %v", in, err)
			}
			id, got, err := c.WaitForCreated(context.Background(), in.ID.String(), p)
			if err != nil || id != f.hosts["ours.example"] || got.ID.String() != id {
				t.Fatalf("ended with %q, %+v, %v; want integration %s", id, got, err, f.hosts["ours.example"])
			}
		})
	}
}

// A list that hangs does not hold creates: past the snapshot's bound the POST is sent
// without it, and succeeds; an outcome then lost would be reported, not adopted.
func TestCreateDoesNotWaitForAHungList(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == http.MethodGet {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		reply(w, 200, string(testdata(t, "create_response.json")))
	})
	c, _ := newTestClient(t, f.URL)
	c.snapWait = 50 * time.Millisecond
	in, err := c.CreateIntegration(context.Background(), docPayload())
	if err != nil || in.ID != "123456789" {
		t.Fatalf("got %+v, %v", in, err)
	}
	if _, known := c.priorFor(docPayload().Config.Host); known {
		t.Error("the host's holder counts as known without a snapshot")
	}
}

// Creates that start together share one look at the hosts: ten creates cost one
// GET /integrations before their POSTs, not ten.
func TestCreatesShareOneHostSnapshot(t *testing.T) {
	f := newHostsFake(t)
	c, _ := newTestClient(t, f.URL)
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.CreateIntegration(context.Background(), hostPayload(fmt.Sprintf("h%d.example", i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	posts, creations, lists := f.counts()
	if posts != 10 || creations != 10 || lists != 1 {
		t.Errorf("%d POSTs, %d creations, %d lists; want 10, 10 and one shared list", posts, creations, lists)
	}
}

// A replacement's create may share a snapshot taken while its predecessor on the same
// host was still being deleted; once the deletion is confirmed, the host counts as free.
func TestCreateAfterOwnDeletionCountsHostFree(t *testing.T) {
	f := newHostsFake(t, "reset")
	c, _ := newTestClient(t, f.URL)
	f.hosts["ours.example"] = "50"
	snap, err := c.hostsBefore(context.Background())
	if err != nil || c.lists.holder(snap, "OURS.example.") != "50" {
		t.Fatalf("snapshot %+v, %v", snap, err)
	}
	c.lists.markGone("50")
	if h := c.lists.holder(snap, "ours.example"); h != "" {
		t.Errorf("holder %q after the deletion was confirmed", h)
	}
	if !strings.Contains(fmt.Sprint(snap.hosts), "ours.example") {
		t.Errorf("hosts %v", snap.hosts)
	}
}
