package client

import (
	"context"
	"sync"
	"time"
)

// The waits of one Client share their looks.
//
// All of an apply's operations run in one provider process, and with -parallelism=10
// ten integrations settle side by side. Rather than each wait sending its own
// GET /integrations/{id}, a wait that comes due while another is due too takes a
// round of the Client's one lister (lister.go): one GET /integrations whose answer
// counts as a look for every wait in progress, due or not. So the waits fall into
// step and one request per tick serves them all. A wait due alone still looks by id,
// since a list holds every integration of the tenant; a list that fails sends the
// waits concerned to look by id. An id missing from a list is never believed, for
// any operation: only a GET by id that says 404 (or "deleted") ends a deletion.
//
// How long each operation takes is learned and predicted by the one estimator
// (estimate.go); a wait begins with its prediction (waiter.typical).
//
// The lock is never held across a request: the list runs in its own goroutine and
// its answer is left with each wait, waking it; each wait keeps its own context,
// deadline and GETs.

type watcher struct {
	c *Client

	mu    sync.Mutex
	waits map[*waiter]struct{}
	// following: the rounds of the lister (lister.go) whose answer the waits take as
	// a look, each held until it answers or the last wait is gone.
	following map[*round]bool
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

func newWatcher(c *Client) *watcher {
	return &watcher{c: c, waits: map[*waiter]struct{}{}, following: map[*round]bool{}}
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
	if len(m.waits) == 0 {
		for r := range m.following {
			delete(m.following, r)
			m.c.lists.release(r) // nobody is left to read it (another reader may be)
		}
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
		// predicted moment itself (nextDeletionLook) about half are still deleting,
		// and one list tells which, without a GET each.
		return false
	}
	// A list in flight answers for w as well if it left after w began and after w's
	// last look, and just now; w does not wait for an older one, which may be slow.
	// None in flight: w starts one when another wait is due with it and a list is
	// worth it.
	accept := func(sent time.Time) bool {
		return sent.After(last) && !sent.Before(w.start) && now.Sub(sent) <= window
	}
	start := m.c.lists.worth(len(m.waits)) && m.otherDue(w, now, window)
	r := m.c.lists.current(ctx, accept, start)
	if r == nil {
		return false
	}
	m.follow(r)
	return true
}

// otherDue says whether a wait other than w is due within window of now. Callers
// hold mu.
func (m *watcher) otherDue(w *waiter, now time.Time, window time.Duration) bool {
	for o := range m.waits {
		if o != w && !o.due.IsZero() && o.due.Sub(now) <= window {
			return true
		}
	}
	return false
}

// follow hands r's answer, when it comes, to every wait that began before r was sent.
// r is held for the waits (the caller's hold); callers hold mu.
func (m *watcher) follow(r *round) {
	if m.following[r] {
		m.c.lists.release(r) // already held for the waits
		return
	}
	m.following[r] = true
	go func() {
		<-r.done
		m.mu.Lock()
		held := m.following[r]
		delete(m.following, r)
		m.deliver(r)
		m.mu.Unlock()
		if held {
			m.c.lists.release(r)
		}
	}()
}

// deliver leaves r's answer with each wait as news, waking it. Callers hold mu.
func (m *watcher) deliver(r *round) {
	for w := range m.waits {
		// A list that left before a wait began may predate its operation: an update
		// would still look enabled.
		if w.start.After(r.sent) {
			continue
		}
		lk := look{at: r.sent, err: r.err, shared: true}
		// An entry without a status is shapeless, not a look: the wait asks by id. A
		// wait's id is a Redshift integration's; one the list skipped reads as
		// missing, which sends it by id.
		if in := r.entry(w.id); r.err == nil && in != nil && in.Status != "" {
			lk.in = in
		} else if r.err == nil {
			lk.missing = true
		}
		w.news = &lk
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

func (m *watcher) byID(ctx context.Context, w *waiter) look {
	at := time.Now()
	in, err := m.c.GetIntegration(ctx, w.id)
	return look{at: at, in: in, err: err}
}
