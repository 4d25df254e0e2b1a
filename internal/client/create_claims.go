package client

import (
	"sync"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Immuta allows one Redshift integration per host. Two creates of one Client on one
// host (two resources of one apply: the provider serves an apply from one process and
// one Client) would race each other, and the loser's lookup would find the winner's
// integration with the same configuration: two resources with one id, and one
// resource's credentials never sent. So a create claims its host, by its DNS name
// (api.NormalizeHost), from before its first request until it ends (Creation.Done, after
// its wait), and a second create on a claimed host is refused before any request.
// A replacement is not refused: its delete and its create never overlap (Terraform
// deletes first), and with create_before_destroy the old integration is not being
// created.

//
// A create that ends leaves its integration's id behind (made): when Terraform runs
// the two resources one after the other (-parallelism=1), the second meets the
// first's integration in Immuta's 409, and is told it is another resource's of this
// run rather than advised to import it (which would give two resources one id).

// hostClaims is the hosts this Client's creates are creating on, and the
// integrations its ended creates made.
type hostClaims struct {
	mu   sync.Mutex
	held map[string]string // normalized host -> the database of the create holding it
	made map[string]string // id of an integration a create of this Client made -> its database
}

// claim takes host for a create of database, or returns a *HostBusyError naming the
// create that holds it. release frees the host, noting the id the create made ("" for
// none); it may be called more than once.
func (h *hostClaims) claim(host, database string) (release func(id string), err error) {
	key := api.NormalizeHost(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.held == nil {
		h.held, h.made = map[string]string{}, map[string]string{}
	}
	if other, busy := h.held[key]; busy {
		return nil, &HostBusyError{Host: host, Database: database, OtherDatabase: other}
	}
	h.held[key] = database
	var once sync.Once
	return func(id string) {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.held, key)
			if id != "" {
				h.made[id] = database
			}
		})
	}, nil
}

// madeHere returns the database of the create of this Client that made integration
// id, if one did.
func (h *hostClaims) madeHere(id string) (database string, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	database, ok = h.made[id]
	return database, ok
}
