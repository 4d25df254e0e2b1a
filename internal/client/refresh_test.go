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

// refreshFake answers GET /integrations and GET /integrations/{id} for ids 1..n
// (enabled), leaving out of the list the ids in unlisted, with listStatus overriding
// what the list says, and failing the list with listCode when set.
type refreshFake struct {
	n          int
	unlisted   map[string]bool
	listStatus map[string]string
	listCode   int
	foreign    int             // integrations of other types in the list
	summary    map[string]bool // ids the list shows without their config
}

func (f *refreshFake) handler(w http.ResponseWriter, r *http.Request, _ []byte) {
	obj := func(id, st string) map[string]any {
		return map[string]any{"id": id, "status": st, "type": "Redshift",
			"config": map[string]any{"host": "h" + id + ".example.com", "database": "immuta", "port": 5439}}
	}
	if r.URL.Path == "/integrations" {
		if f.listCode != 0 {
			replyErr(w, f.listCode, "boom")
			return
		}
		out := []any{}
		for i := 0; i < f.foreign; i++ {
			out = append(out, map[string]any{"id": fmt.Sprint(100000 + i), "status": "enabled", "type": "Snowflake"})
		}
		for i := 1; i <= f.n; i++ {
			id := fmt.Sprint(i)
			if f.unlisted[id] {
				continue
			}
			st := "enabled"
			if s, ok := f.listStatus[id]; ok {
				st = s
			}
			if f.summary[id] {
				out = append(out, map[string]any{"id": id, "status": st, "type": "Redshift"})
				continue
			}
			out = append(out, obj(id, st))
		}
		b, _ := json.Marshal(out)
		reply(w, 200, string(b))
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/integrations/")
	b, _ := json.Marshal(obj(id, "enabled"))
	reply(w, 200, string(b))
}

// gatherUntil makes c's refresh batches close when want reads have joined, not after
// a time, so that the test does not depend on how fast goroutines start.
func gatherUntil(c *Client, want int) {
	c.reads.gathered = func() <-chan time.Time {
		ch := make(chan time.Time, 1)
		go func() {
			for {
				c.reads.mu.Lock()
				n := 0
				if c.reads.next != nil {
					n = len(c.reads.next.reads)
				}
				c.reads.mu.Unlock()
				if n >= want {
					ch <- time.Time{}
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
		return ch
	}
}

func refreshAll(t *testing.T, c *Client, n int) map[string]*Integration {
	t.Helper()
	var mu sync.Mutex
	got := map[string]*Integration{}
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint(i)
			in, err := c.RefreshIntegration(context.Background(), id)
			if err != nil {
				t.Errorf("refresh %s: %v", id, err)
				return
			}
			mu.Lock()
			got[id] = in
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

func TestRefreshShared(t *testing.T) {
	cases := []struct {
		name       string
		fake       refreshFake
		wantLists  int
		wantByID   int
		wantStatus map[string]Status // what the refresh returns, when not enabled
	}{
		{name: "twenty refreshes, one list", fake: refreshFake{n: 20}, wantLists: 1},
		{name: "an id missing from the list is read by id, never gone",
			fake: refreshFake{n: 20, unlisted: map[string]bool{"7": true}}, wantLists: 1, wantByID: 1},
		{name: "a deleted or disabled entry is confirmed by id",
			fake: refreshFake{n: 20, listStatus: map[string]string{"3": "deleted", "4": "disabled"}}, wantLists: 1, wantByID: 2},
		{name: "a listed status other than the end is believed",
			fake: refreshFake{n: 20, listStatus: map[string]string{"5": "editError"}}, wantLists: 1,
			wantStatus: map[string]Status{"5": StatusEditError}},
		{name: "an entry without its config is read by id",
			fake: refreshFake{n: 20, summary: map[string]bool{"9": true}}, wantLists: 1, wantByID: 1},
		{name: "integrations of other types in the list change nothing",
			fake: refreshFake{n: 20, foreign: 30}, wantLists: 1},
		{name: "a failed list sends every refresh by id",
			fake: refreshFake{n: 20, listCode: 404}, wantLists: 1, wantByID: 20},
		{name: "a list too large to be worth it is not sent",
			fake: refreshFake{n: 3}, wantLists: 0, wantByID: 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.fake.handler)
			c, _ := newTestClient(t, f.URL)
			if tc.wantLists == 0 {
				c.lists.learned(listPerReader*tc.fake.n + 1) // as learned from an earlier list
			}
			gatherUntil(c, tc.fake.n)
			got := refreshAll(t, c, tc.fake.n)
			if lists := f.count("GET", "/integrations"); lists != tc.wantLists {
				t.Errorf("%d lists, want %d", lists, tc.wantLists)
			}
			byID := len(f.requests()) - f.count("GET", "/integrations")
			if byID != tc.wantByID {
				t.Errorf("%d reads by id, want %d", byID, tc.wantByID)
			}
			for i := 1; i <= tc.fake.n; i++ {
				id := fmt.Sprint(i)
				in := got[id]
				want := StatusEnabled
				if s, ok := tc.wantStatus[id]; ok {
					want = s
				}
				if in == nil || in.ID.String() != id || in.Status != want || in.Config.Host != "h"+id+".example.com" {
					t.Errorf("refresh %s: got %+v, want integration %s, %s", id, in, id, want)
				}
			}
		})
	}
}

// A lone refresh reads by id: a list holds every integration of the tenant.
func TestRefreshAloneByID(t *testing.T) {
	f := newFake(t, (&refreshFake{n: 1}).handler)
	c, _ := newTestClient(t, f.URL)
	gatherUntil(c, 1)
	if in, err := c.RefreshIntegration(context.Background(), "1"); err != nil || in.Status != StatusEnabled {
		t.Fatalf("got %+v, %v", in, err)
	}
	if n := f.count("GET", "/integrations/1"); n != 1 || len(f.requests()) != 1 {
		t.Errorf("requests %+v, want one GET by id", f.requests())
	}
}

// A list that left before a refresh began never answers it: refreshes that arrive
// while a list is in flight form the next batch, which waits for the older list to end
// (at most one in flight, lister.go) and takes a list of its own.
func TestRefreshNeverAnsweredByAnOlderList(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	listSent := []time.Time{}
	inner := &refreshFake{n: 3}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Path == "/integrations" {
			mu.Lock()
			listSent = append(listSent, time.Now())
			first := len(listSent) == 1
			mu.Unlock()
			if first {
				<-release
			}
		}
		inner.handler(w, r, body)
	})
	c, _ := newTestClient(t, f.URL)
	gatherUntil(c, 2)
	var wg sync.WaitGroup
	for _, id := range []string{"1", "2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.RefreshIntegration(context.Background(), id); err != nil {
				t.Errorf("refresh %s: %v", id, err)
			}
		}()
	}
	for f.count("GET", "/integrations") == 0 {
		time.Sleep(time.Millisecond)
	}
	// Two more refreshes begin while the first list is held.
	began := time.Now()
	done := make(chan *Integration, 2)
	for _, id := range []string{"2", "3"} {
		go func() {
			in, err := c.RefreshIntegration(context.Background(), id)
			if err != nil {
				t.Errorf("late refresh %s: %v", id, err)
			}
			done <- in
		}()
	}
	// They are not answered by the older list, and no second list goes out while it
	// is in flight (the lister keeps at most one): they wait for it to end, then take
	// a list of their own.
	time.Sleep(50 * time.Millisecond)
	select {
	case in := <-done:
		t.Fatalf("a late refresh was answered (%+v) while only the older list was out", in)
	default:
	}
	if n := f.count("GET", "/integrations"); n != 1 {
		t.Errorf("%d lists in flight at once, want 1", n)
	}
	released := time.Now()
	close(release)
	<-done
	<-done
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(listSent) != 2 || !listSent[1].After(began) || !listSent[1].After(released) {
		t.Errorf("lists sent at %v, want a second one after the late refreshes began at %v and the first ended at %v", listSent, began, released)
	}
}

// A slow list does not hold a plan: its reads go by id after their patience, and so do
// the next ones, without waiting for the list.
func TestRefreshSlowListFallsBackByID(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	inner := &refreshFake{n: 3}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Path == "/integrations" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		inner.handler(w, r, body)
	})
	c, _ := newTestClient(t, f.URL)
	c.reads.patience = 10 * time.Millisecond
	gatherUntil(c, 3)
	got := refreshAll(t, c, 3) // returns only if the held list did not hold them
	if len(got) != 3 {
		t.Fatalf("got %d answers", len(got))
	}
	if lists, gets := f.count("GET", "/integrations"), len(f.requests())-f.count("GET", "/integrations"); lists != 1 || gets != 3 {
		t.Errorf("%d lists and %d reads by id, want 1 and 3", lists, gets)
	}
	// Within the cooldown, reads go by id at once.
	gatherUntil(c, 2)
	refreshAll(t, c, 2)
	if lists := f.count("GET", "/integrations"); lists != 1 {
		t.Errorf("%d lists after a slow one, want no new list", lists)
	}
}
