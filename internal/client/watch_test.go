package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// settling is a fake Immuta whose integrations leave a busy status at their deadline,
// answering both GET /integrations and GET /integrations/{id}, counting each. It is
// served in memory: the tests using it run on the fake clock (fakeclock_test.go).
type settling struct {
	URL       string
	mu        sync.Mutex
	ints      map[string]*fakeInt
	lists     int
	gets      int
	listFails bool            // GET /integrations answers 500
	unlisted  map[string]bool // ids GET /integrations leaves out
	listDelay time.Duration
}

type fakeInt struct {
	busy, final string // final "404": gone
	deadline    time.Time
	firstSeen   time.Time // first answer that showed the final state
}

func newSettling(t *testing.T) *settling {
	s := &settling{ints: map[string]*fakeInt{}, unlisted: map[string]bool{}}
	s.URL = serveInMemory(http.HandlerFunc(s.serve))
	return s
}

// add makes integration id busy for d from now.
func (s *settling) add(id, busy, final string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ints[id] = &fakeInt{busy: busy, final: final, deadline: time.Now().Add(d)}
}

// status is id's status now ("" when absent), noting when the final one is first seen.
func (s *settling) status(id string, now time.Time) string {
	in := s.ints[id]
	if in == nil {
		return ""
	}
	if now.Before(in.deadline) {
		return in.busy
	}
	if in.firstSeen.IsZero() {
		in.firstSeen = now
	}
	if in.final == "404" {
		return ""
	}
	return in.final
}

func (s *settling) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/integrations" && s.listDelay > 0 {
		select {
		case <-time.After(s.listDelay):
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	obj := func(id, st string) map[string]any {
		return map[string]any{"id": id, "status": st, "type": "Redshift", "config": map[string]any{"host": "h" + id}}
	}
	if r.URL.Path == "/integrations" {
		s.lists++
		if s.listFails {
			replyErr(w, 500, "boom")
			return
		}
		out := []any{obj("9999", "enabled")} // someone else's
		for id := range s.ints {
			if st := s.status(id, now); st != "" && !s.unlisted[id] {
				out = append(out, obj(id, st))
			}
		}
		b, _ := json.Marshal(out)
		reply(w, 200, string(b))
		return
	}
	s.gets++
	id := strings.TrimPrefix(r.URL.Path, "/integrations/")
	st := s.status(id, now)
	if st == "" {
		replyErr(w, 404, "No Integration found with ID "+id+".")
		return
	}
	b, _ := json.Marshal(obj(id, st))
	reply(w, 200, string(b))
}

func (s *settling) counts() (lists, gets int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists, s.gets
}

func (s *settling) lag(id string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.ints[id]
	if in.firstSeen.IsZero() {
		return -1
	}
	return in.firstSeen.Sub(in.deadline)
}

var sharePoll = PollSchedule{Initial: 40 * time.Millisecond, FastFor: 2 * time.Second, Max: 200 * time.Millisecond, Jitter: 0.1}

func waitAll(t *testing.T, c *Client, ids []string, op Operation) {
	t.Helper()
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.WaitForIntegration(context.Background(), id, op); err != nil {
				t.Errorf("wait %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
}

func ids(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprint(i))
	}
	return out
}

// Ten waits in progress together cost about one request per tick, not ten.
func TestWaitsShareOneListPerTick(t *testing.T) { synctest.Test(t, testWaitsShareOneListPerTick) }

func testWaitsShareOneListPerTick(t *testing.T) {
	s := newSettling(t)
	for _, id := range ids(10) {
		s.add(id, "creating", "enabled", 400*time.Millisecond)
	}
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	waitAll(t, c, ids(10), OpCreate)
	lists, gets := s.counts()
	// Alone, each wait would look about 400/40 = 10 times: 100 requests.
	t.Logf("%d lists, %d GETs by id for 10 waits", lists, gets)
	if lists < 5 || lists+gets > 25 {
		t.Errorf("%d lists and %d GETs by id: want about one list per 40ms tick and hardly any GET", lists, gets)
	}
	// On the fake clock answers take no time, so the lag is the schedule's alone:
	// within one tick.
	for _, id := range ids(10) {
		if lag := s.lag(id); lag < 0 || lag > sharePoll.Initial {
			t.Errorf("integration %s: seen %v after it settled, want within one %v tick", id, lag, sharePoll.Initial)
		}
	}
}

// A wait alone looks by id: a list holds every integration of the tenant.
func TestWaitAloneLooksByID(t *testing.T) { synctest.Test(t, testWaitAloneLooksByID) }

func testWaitAloneLooksByID(t *testing.T) {
	s := newSettling(t)
	s.add("1", "creating", "enabled", 200*time.Millisecond)
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	waitAll(t, c, []string{"1"}, OpCreate)
	if lists, gets := s.counts(); lists != 0 || gets < 3 {
		t.Errorf("%d lists, %d GETs by id; want GETs by id only", lists, gets)
	}
}

// A list missing an id proves nothing, for any operation: deletions whose ids have
// left the list are each confirmed by a GET by id (404) before they end, and a create
// missing from the list (a list lagging behind) keeps waiting until a GET by id tells.
// (Until issue 9 a deletion missing from a list was over without a GET by id.)
func TestListMissingID(t *testing.T) { synctest.Test(t, testListMissingID) }

func testListMissingID(t *testing.T) {
	s := newSettling(t)
	for _, id := range ids(5) {
		s.add(id, "deleting", "404", 300*time.Millisecond)
	}
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	waitAll(t, c, ids(5), OpDelete)
	lists, gets := s.counts()
	t.Logf("deletes: %d lists, %d GETs by id", lists, gets)
	if lists < 3 {
		t.Errorf("%d lists: the waits did not share", lists)
	}
	if gets < 5 {
		t.Errorf("%d GETs by id for 5 deletions: each must be confirmed by id", gets)
	}

	s.add("6", "creating", "enabled", 300*time.Millisecond)
	s.add("7", "creating", "enabled", 300*time.Millisecond)
	s.unlisted["6"] = true // the list lags behind
	waitAll(t, c, []string{"6", "7"}, OpCreate)
	lists2, gets2 := s.counts()
	t.Logf("creates: %d lists, %d GETs by id", lists2-lists, gets2-gets)
	if gets2 == gets {
		t.Errorf("the create missing from the list was never confirmed by id")
	}
}

// Defect 3 of issue 9: deletions that end in deleteError, which the shared list
// leaves out, are not "gone": the GET by id shows deleteError, and each wait fails
// with a *StatusError carrying it, so the resource stays in state.
func TestDeletionMissingFromListIsNotGone(t *testing.T) {
	s := newSettling(t)
	for _, id := range ids(4) {
		s.add(id, "deleting", "deleteError", 200*time.Millisecond)
		s.unlisted[id] = true // e.g. a gateway's list that leaves failed deletions out
	}
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	var wg sync.WaitGroup
	for _, id := range ids(4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.WaitForIntegration(context.Background(), id, OpDelete)
			var se *StatusError
			if !errors.As(err, &se) || se.Status != StatusDeleteError || se.ID != id {
				t.Errorf("wait %s: got %v, want a deleteError *StatusError", id, err)
			}
		}()
	}
	wg.Wait()
	if lists, gets := s.counts(); lists == 0 || gets < 4 {
		t.Errorf("%d lists, %d GETs by id: want shared lists and a GET by id for each", lists, gets)
	}
}

// A failed list sends the waits to GET by id, and lists stay off for a while.
func TestListFailureFallsBackToGetByID(t *testing.T) {
	synctest.Test(t, testListFailureFallsBackToGetByID)
}

func testListFailureFallsBackToGetByID(t *testing.T) {
	s := newSettling(t)
	s.listFails = true
	for _, id := range ids(5) {
		s.add(id, "editing", "enabled", 300*time.Millisecond)
	}
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	waitAll(t, c, ids(5), OpUpdate)
	lists, gets := s.counts()
	if lists > 1+c.api.RetryMax() || gets < 5*5 {
		t.Errorf("%d lists (retries included), %d GETs by id", lists, gets)
	}
}

// A wait riding on a slow list still ends with its own context.
func TestRidingWaitHonoursItsContext(t *testing.T) { synctest.Test(t, testRidingWaitHonoursItsContext) }

func testRidingWaitHonoursItsContext(t *testing.T) {
	s := newSettling(t)
	s.listDelay = 400 * time.Millisecond
	for _, id := range ids(3) {
		s.add(id, "creating", "enabled", time.Hour)
	}
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = sharePoll })
	var wg sync.WaitGroup
	for i, id := range ids(3) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := time.Duration(i+1) * 100 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			start := time.Now()
			_, err := c.WaitForIntegration(ctx, id, OpCreate)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("wait %s: %v", id, err)
			}
			// On the fake clock nothing else takes time: it returns at its deadline.
			if late := time.Since(start) - d; late != 0 {
				t.Errorf("wait %s returned %v after its deadline", id, late)
			}
		}()
	}
	wg.Wait()
}

// Once a few waits of an operation have seen it end, later ones look about once, just
// after the typical moment, and still see it quickly.
func TestPredictionCutsLooks(t *testing.T) { synctest.Test(t, testPredictionCutsLooks) }

func testPredictionCutsLooks(t *testing.T) {
	s := newSettling(t)
	// Max bounds how long a prediction may leave an integration unobserved.
	p := sharePoll
	p.Max = time.Second
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = p })
	const d = 500 * time.Millisecond
	run := func(id string) int {
		_, before := s.counts()
		s.add(id, "creating", "enabled", d)
		if _, err := c.WaitForIntegration(context.Background(), id, OpCreate); err != nil {
			t.Fatal(err)
		}
		_, after := s.counts()
		return after - before
	}
	for i := range learnMin {
		if n := run(fmt.Sprint("learn", i)); n < 10 {
			t.Errorf("learning wait %d: %d looks; want the schedule's (about 500/40)", i, n)
		}
	}
	total := 0
	for i := range 5 {
		id := fmt.Sprint("predicted", i)
		n := run(id)
		total += n
		// The look comes one dense interval (Initial/2) after the learned moment, which
		// the learning waits pinned to within a tick: on the fake clock, within one
		// Initial of the end.
		if lag := s.lag(id); n > 4 || lag < 0 || lag > p.Initial {
			t.Errorf("predicted wait %d: %d looks, lag %v", i, n, lag)
		}
	}
	if total > 10 {
		t.Errorf("5 predicted waits took %d looks; want about one each", total)
	}
}

func TestTypicalEnd(t *testing.T) {
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	sp := func(lo, hi int) span { return span{ms(lo), ms(hi)} }
	cases := []struct {
		name   string
		spans  []span
		lo, hi int // the estimate must fall within
	}{
		{"one wave looked at together: the middle of the overlap",
			[]span{sp(2150, 2300), sp(2140, 2290), sp(2200, 2350), sp(2180, 2330)}, 2200, 2290},
		{"a quick failure and a slow one are outvoted",
			[]span{sp(2150, 2300), sp(900, 1000), sp(2200, 2350), sp(29900, 30000), sp(2180, 2330)}, 2200, 2300},
		{"hits bound the end from above, misses from below",
			[]span{sp(2100, 2400), sp(2000, 2300), sp(2260, 2335), sp(2250, 2325)}, 2260, 2300},
		{"durations that vary: the median of the middles",
			[]span{sp(1000, 1100), sp(5000, 5100), sp(3000, 3100), sp(9000, 9100), sp(2000, 2100)}, 3050, 3050},
		{"mostly quick failures now: the estimate follows",
			[]span{sp(2150, 2300), sp(900, 1000), sp(950, 1050), sp(920, 1020)}, 950, 1000},
	}
	for _, tc := range cases {
		if got := typicalEnd(tc.spans); got < ms(tc.lo) || got > ms(tc.hi) {
			t.Errorf("%s: %v, want within %dms..%dms", tc.name, got, tc.lo, tc.hi)
		}
	}
}

// Only the last learnKeep waits count, so a run of quick failures is forgotten.
func TestLearnForgets(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Poll = DefaultPollSchedule })
	w := c.learned
	if w.typical(OpCreate) != 0 {
		t.Fatal("typical before anything was learned")
	}
	for range learnKeep {
		w.learn(OpCreate, 900*time.Millisecond, time.Second)
	}
	for range learnKeep/2 + 1 {
		w.learn(OpCreate, 2250*time.Millisecond, 2300*time.Millisecond)
	}
	if got := w.typical(OpCreate); got < 2250*time.Millisecond || got > 2300*time.Millisecond {
		t.Errorf("typical %v, want the recent 2.25s..2.3s", got)
	}
	if w.typical(OpDelete) != 0 || w.typical("") != 0 {
		t.Error("other operations learned nothing")
	}
	// A first look that already saw the end bounds it from above only (the one
	// estimator cuts the span before either source learns it).
	c.learnEnd(nil, OpUpdate, 0, 10*time.Second)
	if got := w.spans[OpUpdate][0]; got.lo != 7500*time.Millisecond {
		t.Errorf("wide span kept as %+v, want cut to its last quarter", got)
	}
}

// A predicted wave of deletions looks first at the middle of the estimate, with one
// shared list: those already gone are seen there, each then confirmed by one GET by
// id; those still deleting are looked at by id a dense interval later. (Before, the
// first look came a dense interval after the middle, by id: never a list, but every
// deletion seen at least that late.)
func TestPredictedDeletionsLookByListAtTheMiddle(t *testing.T) {
	synctest.Test(t, testPredictedDeletionsLookByListAtTheMiddle)
}

func testPredictedDeletionsLookByListAtTheMiddle(t *testing.T) {
	s := newSettling(t)
	p := sharePoll
	p.Jitter = 0
	p.Max = time.Second // so that the prediction, not Max, times the first look
	c, _ := newTestClient(t, s.URL, func(cfg *Config) { cfg.Poll = p })
	wave := func(prefix string, d time.Duration) []string {
		var out []string
		for i := range 5 {
			id := fmt.Sprint(prefix, i)
			s.add(id, "deleting", "404", d)
			out = append(out, id)
		}
		waitAll(t, c, out, OpDelete)
		return out
	}
	wave("learn", 500*time.Millisecond)
	typical := c.learned.typical(OpDelete)
	dense := p.normalized().dense(typical)
	if typical == 0 {
		t.Fatal("nothing learned from 5 deletions")
	}
	for _, tc := range []struct {
		name string
		end  time.Duration
	}{
		{"gone before the middle", typical - dense/2},
		{"gone after the middle", typical + dense/2},
	} {
		lists, gets := s.counts()
		ids := wave(tc.name, tc.end)
		l, g := s.counts()
		if l-lists != 1 || g-gets != len(ids) {
			t.Errorf("%s: %d lists and %d GETs by id; want one list, and one GET by id per deletion", tc.name, l-lists, g-gets)
		}
		for _, id := range ids {
			if lag := s.lag(id); lag < 0 || lag > dense/2 {
				t.Errorf("%s: %s seen %v after it was gone, want within half a dense interval (%v)", tc.name, id, lag, dense/2)
			}
		}
	}
}
