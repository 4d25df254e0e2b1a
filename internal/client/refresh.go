package client

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Refreshes share their reads, as waits share their looks (watch.go).
//
// A plan reads every integration in state, -parallelism at a time, and each read
// would be its own GET /integrations/{id}. RefreshIntegration instead gathers the
// reads that arrive within refreshGather of each other (for refreshGatherMax at most)
// and, when there are several, answers them all from one GET /integrations.
//
// An answer is evidence, not fact. A list answers a refresh only when:
//   - it left after the refresh began (the batch is sent after its last read joined),
//     so it is at least as fresh as a GET by id sent at the refresh's start would be;
//   - it holds the refresh's id, as a complete Redshift integration (status, host and
//     database: a summary without its config is not enough);
//   - the integration is in use (the status table's InUse): "deleted" takes it out of
//     state and "disabled" makes the plan replace it, so only a GET by id may say so.
//
// Anything else, a missing id included, sends that refresh to GET /integrations/{id}:
// an id missing from a list proves nothing. A lone read, a tenant whose list holds
// more than listPerReader integrations per read in the batch, and every read for
// listCooldown after a list failed, go by id too: the Client's one lister decides
// (lister.go), and what any of its rounds learned (the waits', a create's snapshot)
// counts; a round already in flight serves the batch when it left after the batch's
// last read joined, else the batch waits for it to end and takes the next. A list
// that has not answered refreshPatience after the batch closed does not hold its
// reads: they go by id, and so do later ones for listCooldown.

const (
	// refreshGather: a batch is sent once no read has joined it for this long.
	// Terraform starts a plan's reads together (the next -parallelism as the last
	// answer comes), so they arrive within a few milliseconds, more on a loaded machine.
	refreshGather = 25 * time.Millisecond
	// refreshGatherMax bounds how long the first read of a batch waits for others.
	refreshGatherMax = 100 * time.Millisecond
	// refreshPatience: a read whose list has not answered this long after its batch
	// closed reads by id instead; a slow list (a tenant with many integrations) must
	// not hold a plan.
	refreshPatience = 2 * time.Second
)

type refresher struct {
	c *Client
	// gathered returns the channel that ends a batch's gathering; tests replace it.
	gathered func() <-chan time.Time
	patience time.Duration // see refreshPatience; tests shorten it

	mu   sync.Mutex
	next *readBatch // gathering, not sent yet
}

type readBatch struct {
	ctx    context.Context // the first read's, for its values (the logger)
	closed chan struct{}   // closed when the batch is sent
	first  time.Time       // when the first read joined
	latest time.Time       // when the latest read joined
	reads  []*pendingRead
	cancel context.CancelFunc
	left   int // reads still waiting for the answer
}

type pendingRead struct {
	id  string
	ans chan *Integration // capacity 1; nil: read by id
}

func newRefresher(c *Client) *refresher {
	m := &refresher{c: c, patience: refreshPatience}
	m.gathered = m.quiet
	return m
}

// quiet fires when the batch being gathered has had no new read for refreshGather,
// or refreshGatherMax after its first read.
func (m *refresher) quiet() <-chan time.Time {
	ch := make(chan time.Time, 1)
	go func() {
		for {
			m.mu.Lock()
			b := m.next
			wait := time.Duration(0)
			if b != nil {
				now := time.Now()
				wait = min(b.latest.Add(refreshGather).Sub(now), b.first.Add(refreshGatherMax).Sub(now))
			}
			m.mu.Unlock()
			if wait <= 0 {
				ch <- time.Now()
				return
			}
			time.Sleep(wait)
		}
	}()
	return ch
}

// RefreshIntegration reads one integration for a refresh: like GetIntegration, but
// concurrent refreshes may be answered by one shared GET /integrations (see above).
// A missing integration is an *Error with IsNotFound, from a GET by id only.
func (c *Client) RefreshIntegration(ctx context.Context, id string) (*Integration, error) {
	if id == "" || c.reads == nil {
		return c.GetIntegration(ctx, id)
	}
	m := c.reads
	r := &pendingRead{id: id, ans: make(chan *Integration, 1)}
	b := m.join(ctx, r)
	if b == nil {
		return c.GetIntegration(ctx, id)
	}
	closed, slow := b.closed, (<-chan time.Time)(nil)
	for {
		select {
		case in := <-r.ans:
			if in != nil {
				return in, nil
			}
			return c.GetIntegration(ctx, id)
		case <-closed:
			// The batch is sent: from now on its list has m.patience to answer.
			closed, slow = nil, time.After(m.patience)
		case <-slow:
			m.tooSlow()
			m.leave(b)
			return c.GetIntegration(ctx, id)
		case <-ctx.Done():
			m.leave(b)
			return nil, fmt.Errorf("get integration %s: %w", id, ctx.Err())
		}
	}
}

// join adds r to the batch being gathered, starting one if none is; nil means that
// lists are off and r reads by id at once.
func (m *refresher) join(ctx context.Context, r *pendingRead) *readBatch {
	if m.c.lists.cooling() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.next
	if b == nil {
		b = &readBatch{ctx: ctx, first: time.Now(), closed: make(chan struct{})}
		m.next = b
		done := m.gathered()
		go func() {
			<-done
			m.send(b)
		}()
	}
	b.reads = append(b.reads, r)
	b.left++
	b.latest = time.Now()
	return b
}

// tooSlow notes that a list kept a read waiting past its patience: reads go by id
// for listCooldown, as after a failed list.
func (m *refresher) tooSlow() { m.c.lists.failed() }

// leave is a read that gave up; the list is cancelled when nobody waits for it.
func (m *refresher) leave(b *readBatch) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.left--
	if b.left == 0 && b.cancel != nil {
		b.cancel()
	}
}

// send closes b to new reads and answers them: from one list when it is worth it,
// else each by id.
func (m *refresher) send(b *readBatch) {
	m.mu.Lock()
	if m.next == b {
		m.next = nil
	}
	close(b.closed)
	reads := b.reads
	useList := len(reads) >= 2 && b.left > 0 && m.c.lists.worth(len(reads))
	var lctx context.Context
	if useList {
		// The list serves every read of the batch, so no one read's cancellation ends
		// it; it ends when all of them have gone.
		lctx, b.cancel = context.WithCancel(context.WithoutCancel(b.ctx))
		defer b.cancel()
	}
	m.mu.Unlock()
	if !useList {
		for _, r := range reads {
			r.ans <- nil
		}
		return
	}
	// Every read joined by b.latest: a round sent at or after it left after each
	// began.
	r, err := m.c.lists.fresh(lctx, b.latest)
	for _, rd := range reads {
		var in *Integration
		if err == nil {
			if p := r.entry(rd.id); p != nil && usableForRefresh(p) {
				in = p
			}
		}
		rd.ans <- in
	}
}

// usableForRefresh says whether a list's entry may stand for a GET by id: a Redshift
// integration with its status, host and database (a summary without its config would
// read as drift), in a status the status table says is in use.
func usableForRefresh(in *Integration) bool {
	return in.ID != "" && isRedshift(in) && in.Status != "" && inUse(in.Status) &&
		in.Config.Host != "" && in.Config.Database != ""
}
