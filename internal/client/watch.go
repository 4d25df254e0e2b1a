package client

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// The waits of one Client share their looks, and learn from each other.
//
// Sharing: all of an apply's operations run in one provider process, and with
// -parallelism=10 ten integrations settle side by side. Rather than each wait sending
// its own GET /integrations/{id}, a wait that comes due while another is due too sends
// one GET /integrations, and that answer counts as a look for every wait in progress,
// due or not. So the waits fall into step and one request per tick serves them all. A
// wait due alone still looks by id, since a list holds every integration of the
// tenant; a list that fails sends the waits concerned to look by id. An id missing
// from a list is never believed, for any operation: only a GET by id that says 404
// (or "deleted") ends a deletion.
//
// Learning: Immuta takes about as long for one integration's create as for the next.
// Each wait that saw its integration settle records when that happened, and once a
// few have, later waits of the same operation look first just after the typical
// moment instead of following the schedule (PollSchedule.NextLook), which brings them
// to about one look each without adding lag. The typical moment comes from the last
// learnKeep waits (typicalEnd), so an odd quick failure or a slow outlier does not
// move it, and the schedule takes over again when an integration is late.
//
// The lock is never held across a request: the list runs in its own goroutine and
// leaves its answer with each wait, waking it; each wait keeps its own context,
// deadline and GETs.

const (
	learnKeep = 32 // how many recent durations make the typical one
	learnMin  = 3  // how many before they are trusted
)

type watcher struct {
	c *Client

	mu      sync.Mutex
	waits   map[*waiter]struct{}
	listing *listing  // the GET /integrations in flight, if any
	gate    *listGate // whether a list is worth it (list_gate.go), shared with the refreshes
	learned map[Operation][]span
	snap    *hostSnapshot   // the latest snapshot of hosts taken before creates (hosts.go)
	gone    map[string]bool // ids whose deletion a GET by id confirmed (hosts.go)
	// snapWait is snapWait (hosts.go); tests shorten it.
	snapWait time.Duration
}

// waiter is one WaitForIntegration (or a settling wait inside an update or delete).
type waiter struct {
	id    string
	op    Operation // "" for waits that neither learn nor predict
	start time.Time
	// typical is the prediction the wait began with (0: none). It stays fixed for the
	// wait: the others of its wave end and learn while it is due, and a prediction
	// that moved under it would split the wave's shared looks.
	typical time.Duration
	due     time.Time     // when it wants its next look; zero while it is looking
	news    *look         // the latest list answer that covered it, unread
	wake    chan struct{} // capacity 1: news came
}

// look is one observation of an integration.
type look struct {
	at      time.Time // when the request left
	in      *Integration
	err     error
	missing bool // a list answered without this id
	shared  bool // a list's answer
}

type listing struct {
	sent   time.Time
	cancel context.CancelFunc
	// snap is what the list says about the Redshift hosts: every list is a snapshot
	// that creates starting soon after may use (hosts.go).
	snap *hostSnapshot
	// forCreate: a create waits for this list as its snapshot, so it must not be
	// cancelled when the last wait leaves.
	forCreate bool
}

func newWatcher(c *Client) *watcher {
	return &watcher{c: c, gate: newListGate(), waits: map[*waiter]struct{}{}, learned: map[Operation][]span{}, gone: map[string]bool{}, snapWait: snapWait}
}

func (m *watcher) add(id string, op Operation, typical time.Duration) *waiter {
	w := &waiter{id: id, op: op, typical: typical, start: time.Now(), wake: make(chan struct{}, 1)}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waits[w] = struct{}{}
	return w
}

func (m *watcher) remove(w *waiter) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.waits, w)
	if len(m.waits) == 0 && m.listing != nil && !m.listing.forCreate {
		m.listing.cancel() // nobody is left to read it
	}
}

// look returns w's next look: a list's answer that arrives first, or at due either a
// list it starts or rides on, or its own GET by id. last is w's
// previous look; older news is dropped.
func (m *watcher) look(ctx context.Context, w *waiter, due, last time.Time) (look, error) {
	m.setDue(w, due)
	defer m.setDue(w, time.Time{})
	timer := time.NewTimer(time.Until(due))
	defer timer.Stop()
	fired, riding := false, false
	for {
		if lk, ok := m.takeNews(w, last); ok {
			switch {
			case lk.missing, lk.err != nil && fired:
				// Only a GET by id can tell: gone, or a list that left it out (a list
				// proves nothing by omission: a gateway or Immuta itself may leave
				// an integration out, e.g. one in deleteError), or one that failed.
				return m.byID(ctx, w), nil
			case lk.err == nil:
				return lk, nil
			}
		}
		if fired && !riding {
			if riding = m.due(ctx, w, last); !riding {
				return m.byID(ctx, w), nil
			}
			// A slow list must not hold w past its own next look: then w looks by id.
			timer.Reset(max(due.Sub(last), m.c.poll.normalized().Initial))
		}
		select {
		case <-ctx.Done():
			return look{}, ctx.Err()
		case <-w.wake:
		case <-timer.C:
			if riding {
				return m.byID(ctx, w), nil
			}
			fired = true
		}
	}
}

// takeNews returns w's unread list answer if it is newer than last.
func (m *watcher) takeNews(w *waiter, last time.Time) (look, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lk := w.news
	w.news = nil
	if lk == nil || !lk.at.After(last) {
		return look{}, false
	}
	return *lk, true
}

func (m *watcher) setDue(w *waiter, due time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.due = due
}

// due is called when w's time has come. It reports whether w rides on a list, whose
// answer comes as news, or must look by id itself.
func (m *watcher) due(ctx context.Context, w *waiter, last time.Time) bool {
	now := time.Now()
	// Waits due within half the schedule's interval count as due together: looking a
	// little early costs them nothing when the request is shared.
	window := m.c.poll.normalized().Initial / 2
	typical := w.typical
	m.mu.Lock()
	defer m.mu.Unlock()
	w.due = time.Time{}
	if w.news != nil && w.news.at.After(last) {
		return true // a list answered in the meantime
	}
	if w.op == OpDelete && typical > 0 && now.Sub(w.start) >= typical+m.c.poll.normalized().dense(typical) {
		// A deletion that should be over by now: a list cannot end it (only a GET by
		// id that says 404 can), so looking by id at once saves the list. At the
		// predicted moment itself (NextDeletionLook) about half are still deleting,
		// and one list tells which, without a GET each.
		return false
	}
	if l := m.listing; l != nil {
		// A list sent just now answers for w as well, if it left after w began and after
		// w's last look; w does not wait for an older one, which may be slow.
		return l.sent.After(last) && !l.sent.Before(w.start) && now.Sub(l.sent) <= window
	}
	if !m.gate.worth(len(m.waits)) {
		return false
	}
	for o := range m.waits {
		if o != w && !o.due.IsZero() && o.due.Sub(now) <= window {
			m.startList(ctx, now)
			return true
		}
	}
	return false
}

// startList sends GET /integrations in its own goroutine and hands the answer to every
// wait that began before it left. Callers hold mu.
func (m *watcher) startList(ctx context.Context, now time.Time) *listing {
	// The list serves every wait, so the caller's cancellation must not end it; it keeps
	// the caller's values (the logger) and ends when the last wait is gone.
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l := &listing{sent: now, cancel: cancel, snap: &hostSnapshot{sent: now, done: make(chan struct{})}}
	m.listing = l
	// Only the waits' integrations are kept of the streamed list, however many the
	// tenant holds; a wait that begins later does not take this list's answer anyway.
	wanted := make(map[string]bool, len(m.waits))
	for w := range m.waits {
		wanted[w.id] = true
	}
	go func() {
		defer cancel()
		var byID map[string]*Integration
		var hosts map[string]string // Redshift hosts, for creates' snapshots (hosts.go)
		// Only Redshift entries are decoded (api/list_skim.go): a wait's id is a Redshift
		// integration's, and one skipped reads as missing, which sends it by id.
		total, err := m.c.api.EachRedshift(lctx, func() { byID, hosts = map[string]*Integration{}, map[string]string{} }, func(in *Integration) {
			// An entry without a status is shapeless, not a look: the wait asks by id.
			if id := in.ID.String(); wanted[id] && in.Status != "" {
				cp := *in
				byID[id] = &cp
			}
			noteHost(hosts, in)
		})
		m.mu.Lock()
		defer m.mu.Unlock()
		m.listing = nil
		l.snap.fill(hosts, err)
		if err == nil && (m.snap == nil || m.snap.sent.Before(l.sent)) {
			m.snap = l.snap
		}
		if err != nil && lctx.Err() == nil {
			m.gate.failed()
		}
		if err == nil {
			m.gate.learned(total)
		}
		for w := range m.waits {
			// A list that left before a wait began may predate its operation: an update
			// would still look enabled.
			if w.start.After(l.sent) {
				continue
			}
			lk := look{at: l.sent, err: err, shared: true}
			if in := byID[w.id]; err == nil && in != nil && wanted[w.id] {
				cp := *in
				lk.in = &cp
			} else if err == nil {
				lk.missing = true
			}
			w.news = &lk
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}()
	return l
}

func (m *watcher) byID(ctx context.Context, w *waiter) look {
	at := time.Now()
	in, err := m.c.GetIntegration(ctx, w.id)
	return look{at: at, in: in, err: err}
}

// span says that an operation ended after lo and by hi, measured from its wait's start.
type span struct{ lo, hi time.Duration }

// learn records that an op ended after lo and by hi, a span already cut by
// settledSpan (estimate.go, the one place that learns).
func (m *watcher) learn(op Operation, lo, hi time.Duration) {
	if op == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := append(m.learned[op], span{lo, hi})
	if len(d) > learnKeep {
		d = d[len(d)-learnKeep:]
	}
	m.learned[op] = d
}

// typical is the learned duration of op, or 0 while fewer than learnMin are known.
func (m *watcher) typical(op Operation) time.Duration {
	m.mu.Lock()
	d := slices.Clone(m.learned[op])
	m.mu.Unlock()
	if op == "" || len(d) < learnMin {
		return 0
	}
	return typicalEnd(d)
}

// typicalEnd estimates when an operation ends from the spans of recent ones. When
// most spans overlap (the operations take about equally long), it is the middle of
// their overlap: waits that began at different moments but looked at the same moment
// bound the end from both sides, so the overlap narrows with every round. Otherwise
// (durations vary) it is the median of the spans' middles. Either way an odd quick
// failure or a slow outlier is outvoted.
func typicalEnd(spans []span) time.Duration {
	type edge struct {
		at time.Duration
		d  int
	}
	edges := make([]edge, 0, 2*len(spans))
	for _, s := range spans {
		edges = append(edges, edge{s.lo, +1}, edge{s.hi, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.at, b.at) })
	// After the edges at edges[i].at, cover is the number of spans holding the
	// segment from there to the next edge.
	cover, best, from, to := 0, 0, time.Duration(0), time.Duration(0)
	for i, e := range edges {
		cover += e.d
		if i+1 < len(edges) && edges[i+1].at > e.at && cover > best {
			best, from, to = cover, e.at, edges[i+1].at
		}
	}
	if 2*best > len(spans) {
		return (from + to) / 2
	}
	mids := make([]time.Duration, len(spans))
	for i, s := range spans {
		mids[i] = (s.lo + s.hi) / 2
	}
	slices.Sort(mids)
	return mids[len(mids)/2]
}
