package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// gateFake is a tenant of n Redshift integrations, ids 1..n on hosts hN.example.com,
// creating until ready and enabled after, listed among foreign integrations of
// other types. It counts the lists.
type gateFake struct {
	n, foreign int
	mu         sync.Mutex
	ready      time.Time
	lists      int
}

func (f *gateFake) handler(w http.ResponseWriter, r *http.Request, _ []byte) {
	f.mu.Lock()
	st := "creating"
	if !time.Now().Before(f.ready) {
		st = "enabled"
	}
	if r.URL.Path == "/integrations" {
		f.lists++
	}
	f.mu.Unlock()
	obj := func(id string) map[string]any {
		return map[string]any{"id": id, "status": st, "type": "Redshift",
			"config": map[string]any{"host": "h" + id + ".example.com", "database": "immuta", "port": 5439}}
	}
	if r.URL.Path == "/integrations" {
		out := []any{}
		for i := 0; i < f.foreign; i++ {
			out = append(out, map[string]any{"id": fmt.Sprint(100000 + i), "status": "enabled", "type": "Snowflake",
				"config": map[string]any{"host": fmt.Sprintf("org%d.snowflakecomputing.com", i)}})
		}
		for i := 1; i <= f.n; i++ {
			out = append(out, obj(fmt.Sprint(i)))
		}
		b, _ := json.Marshal(out)
		reply(w, 200, string(b))
		return
	}
	b, _ := json.Marshal(obj(strings.TrimPrefix(r.URL.Path, "/integrations/")))
	reply(w, 200, string(b))
}

func (f *gateFake) settleIn(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ready = time.Now().Add(d)
}

func (f *gateFake) listCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

// One gate serves every use of GET /integrations: whatever list taught it that the
// tenant is large compared with what a list would answer (a create's host snapshot,
// the refreshes' shared read, the waits' shared look), the waits then look by id and
// the refreshes read by id. Each row fails if its learner stops asking the gate's size
// rule, or if its teacher's list stops teaching it; the small-tenant rows show that
// the learners do list when a list is worth it.
func TestListGateSizeRuleCoversEveryUse(t *testing.T) {
	const n = 5
	large := listPerReader*n + 1 // more integrations than n readers may cost
	cases := []struct {
		name             string
		foreign          int
		teacher, learner string // "snapshot", "refresh" or "waits"
		wantLearnerLists bool
	}{
		{"snapshot teaches the waits", large, "snapshot", "waits", false},
		{"snapshot teaches the refreshes", large, "snapshot", "refresh", false},
		{"refreshes teach the waits", large, "refresh", "waits", false},
		{"waits teach the refreshes", large, "waits", "refresh", false},
		{"waits teach later waits", large, "waits", "waits", false},
		{"refreshes teach later refreshes", large, "refresh", "refresh", false},
		{"small tenant: waits share a list after a snapshot", 10, "snapshot", "waits", true},
		{"small tenant: refreshes share a list after waits", 10, "waits", "refresh", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &gateFake{n: n, foreign: tc.foreign}
			srv := newFake(t, f.handler)
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Poll = sharePoll })
			gatherUntil(c, n)
			step := func(what string) {
				switch what {
				case "snapshot":
					s, err := c.hostsBefore(context.Background())
					if err != nil || c.lists.holder(s, "h3.example.com") != "3" {
						t.Fatalf("snapshot: %v, holder of h3 %q", err, c.lists.holder(s, "h3.example.com"))
					}
				case "refresh":
					for id, in := range refreshAll(t, c, n) {
						if in == nil || in.ID.String() != id {
							t.Errorf("refresh %s: got %+v", id, in)
						}
					}
				case "waits":
					f.settleIn(200 * time.Millisecond)
					waitAll(t, c, ids(n), OpCreate)
				}
			}
			step(tc.teacher)
			if got := f.listCount(); got < 1 {
				t.Fatalf("the %s sent no list: nothing to learn from", tc.teacher)
			}
			before := f.listCount()
			step(tc.learner)
			lists := f.listCount() - before
			if tc.wantLearnerLists && lists == 0 {
				t.Errorf("the %s sent no list in a tenant of %d integrations: a list was worth it", tc.learner, n+tc.foreign)
			}
			if !tc.wantLearnerLists && lists != 0 {
				t.Errorf("the %s sent %d lists after a list showed %d integrations for %d readers (at most %d each): want none",
					tc.learner, lists, n+tc.foreign, n, listPerReader)
			}
		})
	}
}

// The cool-down is the gate's too: after the refreshes' list failed, the waits do
// not list either.
func TestListGateCooldownIsShared(t *testing.T) {
	const n = 5
	f := &gateFake{n: n}
	fail := true
	var mu sync.Mutex
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		mu.Lock()
		failing := fail && r.URL.Path == "/integrations"
		mu.Unlock()
		if failing {
			f.mu.Lock()
			f.lists++
			f.mu.Unlock()
			replyErr(w, 404, "no such route")
			return
		}
		f.handler(w, r, body)
	})
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	gatherUntil(c, n)
	refreshAll(t, c, n)
	if f.listCount() != 1 {
		t.Fatalf("%d lists for the refreshes, want 1 (that fails)", f.listCount())
	}
	mu.Lock()
	fail = false
	mu.Unlock()
	f.settleIn(200 * time.Millisecond)
	waitAll(t, c, ids(n), OpCreate)
	if got := f.listCount(); got != 1 {
		t.Errorf("the waits sent %d lists within the cool-down of a failed list, want none", got-1)
	}
}

// The lister keeps at most one GET /integrations in flight, whoever asks: the waits'
// shared looks, a batch of refreshes, creates' snapshots and a lookup by host, all at
// once, against a list that takes a while to answer. Each gets a list sent after it
// began (or, for a snapshot, within snapFresh), never a second one beside it.
func TestListerKeepsOneListInFlight(t *testing.T) {
	const n = 4
	f := &gateFake{n: n}
	var mu sync.Mutex
	inFlight, most := 0, 0
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Path == "/integrations" {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			mu.Unlock()
			defer func() {
				mu.Lock()
				inFlight--
				mu.Unlock()
			}()
			time.Sleep(150 * time.Millisecond)
		}
		f.handler(w, r, body)
	})
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	gatherUntil(c, n)
	f.settleIn(time.Second)
	ctx := context.Background()
	var wg sync.WaitGroup
	run := func(after time.Duration, what string, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(after)
			if err := fn(); err != nil {
				t.Errorf("%s: %v", what, err)
			}
		}()
	}
	run(0, "waits", func() error { waitAll(t, c, ids(n), OpCreate); return nil })
	run(100*time.Millisecond, "refreshes", func() error { refreshAll(t, c, n); return nil })
	for i := range 3 {
		run(time.Duration(i)*200*time.Millisecond, "snapshot", func() error {
			r, err := c.hostsBefore(ctx)
			if err == nil && c.lists.holder(r, "h2.example.com") != "2" {
				return fmt.Errorf("holder of h2 %q, want 2", c.lists.holder(r, "h2.example.com"))
			}
			return err
		})
	}
	run(250*time.Millisecond, "lookup", func() error {
		in, err := c.FindRedshiftIntegrationByHost(ctx, "H3.example.com")
		if err == nil && (in == nil || in.ID != "3") {
			return fmt.Errorf("found %+v on h3, want integration 3", in)
		}
		return err
	})
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if f.listCount() < 2 || most != 1 {
		t.Errorf("%d lists, at most %d in flight at once: want several, never two at a time", f.listCount(), most)
	}
}
