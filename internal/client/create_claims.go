package client

import (
	"sync"
)

// Immuta allows one Redshift integration per host. Two creates of one Client on one
// host (two resources of one apply: the provider serves an apply from one process and
// one Client) would race each other, and the loser's lookup would find the winner's
// integration with the same configuration: two resources with one id, and one
// resource's credentials never sent. So a create claims its host, by its DNS name
// (normalizeHost), from before its first request until it ends (Creation.Done, after
// its wait), and a second create on a claimed host is refused before any request.
// A replacement is not refused: its delete and its create never overlap (Terraform
// deletes first), and with create_before_destroy the old integration is not being
// created.

// hostClaims is the hosts this Client's creates are creating on.
type hostClaims struct {
	mu   sync.Mutex
	held map[string]string // normalized host -> the database of the create holding it
}

// claim takes host for a create of database, or returns a *HostBusyError naming the
// create that holds it. release frees the host; it may be called more than once.
func (h *hostClaims) claim(host, database string) (release func(), err error) {
	key := normalizeHost(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.held == nil {
		h.held = map[string]string{}
	}
	if other, busy := h.held[key]; busy {
		return nil, &HostBusyError{Host: host, Database: database, OtherDatabase: other}
	}
	h.held[key] = database
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.held, key)
		})
	}, nil
}
