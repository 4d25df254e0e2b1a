package client

import (
	"context"
	"errors"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Before its first POST a create learns which Redshift hosts already have an
// integration, so that when the POST's outcome is lost (an answer cut short, a 5xx
// after Immuta acted, a hang, an interrupt) the integration found on the host
// afterwards can be told apart: one that was not there before this POST is this
// apply's, and is recorded; one that was there is someone else's, and is never
// adopted.
//
// It costs at most one GET /integrations per wave of creates, not one per create:
// creates that start within snapFresh of each other share one snapshot, and the
// snapshot is the watcher's shared list (watch.go) both ways: the waits in progress
// read it as a look, and a list the waits sent just before a create starts (as when
// the previous wave's waits end and the next wave's creates begin) is its snapshot. A snapshot older than snapFresh is not reused: the longer the gap between the
// snapshot and the POST, the likelier someone else created an integration in it.
//
// The list gate's size rule (list_gate.go) does not stop a snapshot: the API has no
// filter, so the only evidence of which hosts were held before a POST is a full list,
// and a create without it could not prove a lost outcome its own. In a large tenant
// (100 000 integrations of other types) a snapshot is therefore the one list an apply
// pays for, once per wave; it is made cheap instead (only Redshift entries are
// decoded, api/list_skim.go), and it teaches the gate the tenant's size, so that the
// waits that follow look by id rather than list again.

// snapFresh is how old a snapshot may be, from when its request left, for a create
// starting now to rely on it. Terraform starts a wave's creates within milliseconds.
const snapFresh = 2 * time.Second

// snapWait bounds how long a create waits for its snapshot: a list that hangs must
// not hold every create. Past it the create is sent without one, and an outcome it
// then loses cannot be proven its own (errSnapshotSlow).
const snapWait = 10 * time.Second

var errSnapshotSlow = errors.New("the list of integrations is slow to answer")

// snapTries is how many snapshots a create tries before it gives up without sending
// anything (each list is itself retried by do).
const snapTries = 3

// hostSnapshot is what one GET /integrations said about the Redshift hosts.
type hostSnapshot struct {
	sent  time.Time
	done  chan struct{} // closed when hosts or err is set
	hosts map[string]string
	err   error
}

// noteHost records in hosts the Redshift integration in, by its host: one per host,
// so a tenant with many integrations of other types costs nothing here.
func noteHost(hosts map[string]string, in *Integration) {
	if isRedshift(in) && HoldsHost(in.Status) && in.Config.Host != "" {
		hosts[api.NormalizeHost(in.Config.Host)] = in.ID.String()
	}
}

// fill records the list's answer. Callers hold the watcher's mu.
func (s *hostSnapshot) fill(hosts map[string]string, err error) {
	s.err = err
	if err == nil {
		s.hosts = hosts
	}
	close(s.done)
}

// hostsBefore returns the Redshift host holders as a snapshot taken no more than
// snapFresh before now: one in flight or just answered, or a new one.
func (m *watcher) hostsBefore(ctx context.Context) (*hostSnapshot, error) {
	var err error
	timer := time.NewTimer(m.snapWait)
	defer timer.Stop()
	for try := 0; try < snapTries; try++ {
		s := m.snapshot(ctx)
		select {
		case <-s.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			return nil, errSnapshotSlow
		}
		if s.err == nil {
			return s, nil
		}
		err = s.err
		if serr := m.c.api.Sleep(ctx, m.c.api.Backoff(try+1)); serr != nil {
			return nil, errors.Join(err, serr)
		}
	}
	return nil, err
}

func (m *watcher) snapshot(ctx context.Context) *hostSnapshot {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.snap; s != nil && now.Sub(s.sent) <= snapFresh {
		select {
		case <-s.done:
			if s.err == nil {
				return s
			}
		default:
			return s
		}
	}
	l := m.listing
	switch {
	case l == nil:
		l = m.startList(ctx, now)
	case now.Sub(l.sent) > snapFresh:
		// The waits' list in flight is slow and too old: this snapshot gets its own.
		s := &hostSnapshot{sent: now, done: make(chan struct{})}
		m.snap = s
		go func() {
			// Shared: one create's cancellation must not spoil it for the others.
			var hosts map[string]string
			total, err := m.c.api.EachRedshift(context.WithoutCancel(ctx), func() { hosts = map[string]string{} }, func(in *Integration) { noteHost(hosts, in) })
			if err == nil {
				m.gate.learned(total) // what a snapshot shows of the tenant's size holds for the waits and refreshes
			}
			m.mu.Lock()
			defer m.mu.Unlock()
			s.fill(hosts, err)
		}()
		return s
	}
	l.forCreate = true
	m.snap = l.snap
	return l.snap
}

// holder is the id of the integration that held host when s was taken, "" when none
// did. An integration whose deletion this Client has since seen confirmed no longer
// counts: a replacement's create may share a snapshot taken just before.
func (m *watcher) holder(s *hostSnapshot, host string) string {
	id := s.hosts[api.NormalizeHost(host)]
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone[id] {
		return ""
	}
	return id
}

func (m *watcher) markGone(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gone[id] = true
}
