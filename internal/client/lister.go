package client

import (
	"context"
	"sync"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// The one lister: every GET /integrations this Client sends goes through it, and at
// most one is in flight at a time. Its readers are the waits' shared looks
// (watch.go), the refreshes' shared reads (refresh.go), a create's snapshot of the
// hosts before its POST (create.go) and the lookups by host after a lost answer
// (FindRedshiftIntegrationByHost). Each round keeps every Redshift entry of the list
// (the others are skimmed, api/list_skim.go) and which host each holds, so one round
// answers any mix of them.
//
// A round answers a reader only when it was sent at or after the moment the reader
// names (each reader's own rule: after its wait began, after its last read joined,
// within snapFresh of a create, after a lost answer): an older answer could predate
// what the reader asks about. When the round in flight is too old, the reader waits
// for it to end and starts a fresh one, so there is never a second list in flight.
//
// Whether an optional list is worth sending at all (the waits and refreshes could
// each ask by id instead) is one rule, so that what one list shows about the tenant
// holds for every reader:
//
//   - cool-down: after a list failed, or kept its readers waiting too long, no
//     optional list is worth it for listCooldown; the readers ask by id.
//   - size: a list is worth it while the tenant holds at most listPerReader
//     integrations per reader it would answer. A list is streamed and only the
//     Redshift entries are decoded, but its length is still downloaded: in a tenant
//     whose list also holds 100 000 integrations of other types one list costs
//     seconds, against a few milliseconds for a GET by id each. So once any round
//     has shown the tenant to be large, waits look by id and refreshes read by id.
//     A create's snapshot and a lookup by host list anyway: the API has no filter,
//     so only a full list shows which hosts are held; and that round teaches the
//     size to the others.
//
// Before any list has answered, the size is unknown and a list is worth it: the first
// one teaches the size.
type lister struct {
	api *api.Client

	mu     sync.Mutex
	flight *round          // the GET /integrations in flight, if any
	last   *round          // the latest round that answered in full
	size   int             // integrations in the last complete list, -1 before any
	off    time.Time       // no optional lists before this (listCooldown)
	gone   map[string]bool // ids whose deletion a GET by id confirmed (holder)
}

const (
	// listCooldown: after a failed or too slow list, readers go by id for this long.
	listCooldown = time.Minute
	// listPerReader: a list is not worth it when the tenant holds more than this many
	// integrations per reader it would answer; the readers then go by id.
	listPerReader = 50
)

// round is one GET /integrations and what it said.
type round struct {
	sent time.Time
	done chan struct{} // closed when the fields below are set; read-only after

	entries []*Integration          // the Redshift entries, in the list's order
	byID    map[string]*Integration // the same, by id
	hosts   map[string]string       // normalized host -> id of the integration holding it
	err     error

	// Guarded by lister.mu: a round ends early (cancel) when its last holder lets go.
	holders   int
	cancel    context.CancelFunc
	cancelled bool
}

func newLister(a *api.Client) *lister {
	return &lister{api: a, size: -1, gone: map[string]bool{}}
}

// worth says whether one optional list for readers readers is worth sending now.
func (l *lister) worth(readers int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !time.Now().Before(l.off) && l.size <= listPerReader*readers
}

// cooling says whether optional lists are off for now (the cool-down alone).
func (l *lister) cooling() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Now().Before(l.off)
}

// learned records the length of a list that answered in full (tests teach it too).
func (l *lister) learned(total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.size = total
}

// failed starts the cool-down: a list failed, or made its readers wait too long.
func (l *lister) failed() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.off = time.Now().Add(listCooldown)
}

// current returns, held for the caller, the round in flight when accept says its
// send time may serve the caller, or a new round when none is in flight and start is
// set; nil otherwise (the caller then asks by id). It never waits.
func (l *lister) current(ctx context.Context, accept func(sent time.Time) bool, start bool) *round {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.flight; r != nil {
		if r.cancelled || !accept(r.sent) {
			return nil
		}
		r.holders++
		return r
	}
	if !start {
		return nil
	}
	return l.begin(ctx)
}

// join returns, held for the caller, a round sent at or after since: the latest
// complete one, the one in flight, or a new one when none is in flight. When the one
// in flight is older (or ending early), it is returned as older instead, unheld: the
// caller waits for it to end and joins again, so that only one list is ever in flight.
func (l *lister) join(ctx context.Context, since time.Time) (r, older *round) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.last; r != nil && !r.sent.Before(since) {
		r.holders++
		return r, nil
	}
	if r := l.flight; r != nil {
		if r.cancelled || r.sent.Before(since) {
			return nil, r
		}
		r.holders++
		return r, nil
	}
	return l.begin(ctx), nil
}

// fresh returns a round sent at or after since that has answered in full, waiting for
// it within ctx; a list that failed is its error.
func (l *lister) fresh(ctx context.Context, since time.Time) (*round, error) {
	for {
		r, older := l.join(ctx, since)
		if older != nil {
			select {
			case <-older.done:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		select {
		case <-r.done:
			l.release(r)
			return r, r.err
		case <-ctx.Done():
			l.release(r)
			return nil, ctx.Err()
		}
	}
}

// release lets go of r; a round nobody holds any more is ended early.
func (l *lister) release(r *round) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r.holders--
	if r.holders <= 0 && r.cancel != nil && l.flight == r && !r.cancelled {
		r.cancelled = true
		r.cancel()
	}
}

// begin sends a new round, held once for the caller. Callers hold mu and have checked
// that none is in flight.
func (l *lister) begin(ctx context.Context) *round {
	// The round serves every reader, so no one reader's cancellation ends it (release
	// does, when the last one lets go); it keeps the caller's values (the logger).
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r := &round{sent: time.Now(), done: make(chan struct{}), holders: 1, cancel: cancel}
	l.flight = r
	go func() {
		defer cancel()
		var entries []*Integration
		total, err := l.api.EachRedshift(rctx, func() { entries = nil }, func(in *Integration) {
			cp := *in
			entries = append(entries, &cp)
		})
		byID, hosts := map[string]*Integration{}, map[string]string{}
		for _, in := range entries {
			if id := in.ID.String(); id != "" {
				byID[id] = in
			}
			if isRedshift(in) && HoldsHost(in.Status) && in.Config.Host != "" {
				hosts[api.NormalizeHost(in.Config.Host)] = in.ID.String()
			}
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		if err == nil {
			r.entries, r.byID, r.hosts = entries, byID, hosts
			l.size = total
			l.last = r
		} else if rctx.Err() == nil {
			l.off = time.Now().Add(listCooldown)
		}
		r.err = err
		l.flight = nil
		close(r.done)
	}()
	return r
}

// entry returns a copy of the list's entry for id, nil when the list left it out.
func (r *round) entry(id string) *Integration {
	if in := r.byID[id]; in != nil {
		cp := *in
		return &cp
	}
	return nil
}

// holder is the id of the integration that held host when r was sent, "" when none
// did. An integration whose deletion this Client has since seen confirmed no longer
// counts: a replacement's create may share a round sent just before.
func (l *lister) holder(r *round, host string) string {
	id := r.hosts[api.NormalizeHost(host)]
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gone[id] {
		return ""
	}
	return id
}

// markGone records that a GET by id confirmed id's deletion.
func (l *lister) markGone(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gone[id] = true
}
