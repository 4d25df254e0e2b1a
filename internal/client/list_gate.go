package client

import (
	"sync"
	"time"
)

// listGate is the one rule by which a Client decides whether a GET /integrations is
// worth sending for readers that could each ask by id instead: the waits' shared
// looks (watch.go) and the refreshes' shared reads (refresh.go) ask it, and every
// list this Client completes, a create's host snapshot included (hosts.go), teaches
// it. One gate, so that what one list shows about the tenant holds for all of them:
//
//   - cool-down: after a list failed, or kept its readers waiting too long, no list
//     is worth it for listCooldown; the readers ask by id.
//   - size: a list is worth it while the tenant holds at most listPerReader
//     integrations per reader it would answer. A list is streamed and only the
//     readers' entries are kept (api/list.go), but its length is still downloaded and
//     decoded: in a tenant whose list also holds 100 000 integrations of other types
//     one list costs seconds, against a few milliseconds for a GET by id each. So
//     once any list has shown the tenant to be large, waits look by id and
//     refreshes read by id; a create's host snapshot lists anyway (it exists only
//     as a full list, see hosts.go), and that list is what teaches the others.
//
// Before any list has answered, the size is unknown and a list is worth it: the
// first one teaches the size. ("Sent after the reader began", the third part of
// whether a list may answer a reader, is each reader's own check of the list's send
// time: watcher.due and refresher.send.)
type listGate struct {
	mu   sync.Mutex
	size int       // integrations in the last complete list, -1 before any
	off  time.Time // no lists before this (listCooldown)
}

const (
	// listCooldown: after a failed or too slow list, readers go by id for this long.
	listCooldown = time.Minute
	// listPerReader: a list is not worth it when the tenant holds more than this many
	// integrations per reader it would answer; the readers then go by id.
	listPerReader = 50
)

func newListGate() *listGate { return &listGate{size: -1} }

// worth says whether one list for readers readers is worth sending now.
func (g *listGate) worth(readers int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !time.Now().Before(g.off) && g.size <= listPerReader*readers
}

// cooling says whether lists are off for now (the cool-down alone).
func (g *listGate) cooling() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return time.Now().Before(g.off)
}

// learned records the length of a list that answered in full.
func (g *listGate) learned(total int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.size = total
}

// failed starts the cool-down: a list failed, or made its readers wait too long.
func (g *listGate) failed() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.off = time.Now().Add(listCooldown)
}
