package emulator

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Settlement records when an operation reached its final status and when a
// client first saw it, so that benchmarks can measure how quickly a client
// notices.
type Settlement struct {
	ID          string    `json:"id"`
	Op          string    `json:"op"`     // create, update or delete
	Status      string    `json:"status"` // final status
	SettledAt   time.Time `json:"settledAt"`
	FirstSeenAt time.Time `json:"firstSeenAt"` // zero until a client GET observed the settled state
}

type store struct {
	mu         sync.Mutex
	transition time.Duration
	retention  time.Duration
	records    map[string]*record
	nextID     int
	outcomes   map[string]Outcome

	settlements []Settlement
	// unseen maps an id to its latest settlement not yet observed. A newer
	// operation supersedes it: that settled state was never seen.
	unseen map[string]int
}

func newStore(transition, retention time.Duration) *store {
	return &store{
		transition: transition,
		retention:  retention,
		records:    map[string]*record{},
		nextID:     1,
		outcomes:   map[string]Outcome{},
		unseen:     map[string]int{},
	}
}

// advance settles rec's operation if its deadline passed and drops expired
// tombstones. It returns nil when the record is gone. Callers hold mu.
func (s *store) advance(rec *record, now time.Time) *record {
	if rec.op != nil && !rec.op.stuck && rec.op.endStatus == "" && !now.Before(rec.op.deadline) {
		kind, at := rec.op.kind, rec.op.deadline
		final, gone := rec.settle(s.retention > 0)
		s.settlements = append(s.settlements, Settlement{ID: rec.id, Op: kind, Status: final, SettledAt: at})
		s.unseen[rec.id] = len(s.settlements) - 1
		if gone {
			delete(s.records, rec.id)
			return nil
		}
	}
	if rec.tombstone() && !now.Before(rec.deletedAt.Add(s.retention)) {
		delete(s.records, rec.id)
		return nil
	}
	return rec
}

func (s *store) advanceAll(now time.Time) {
	for _, rec := range s.records {
		s.advance(rec, now)
	}
}

func (s *store) lookup(id string, now time.Time) *record {
	rec, ok := s.records[id]
	if !ok {
		return nil
	}
	return s.advance(rec, now)
}

// observe notes that a client saw id's current state; only a settled state
// counts as seeing the settlement.
func (s *store) observe(id string, rec *record, now time.Time) {
	i, ok := s.unseen[id]
	if !ok || (rec != nil && rec.op != nil) {
		return
	}
	s.settlements[i].FirstSeenAt = now
	delete(s.unseen, id)
}

func (s *store) sortedRecords() []*record {
	out := make([]*record, 0, len(s.records))
	for _, r := range s.records {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *record) int { return compareIDs(a.id, b.id) })
	return out
}

func compareIDs(a, b string) int {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return x - y
	}
	return strings.Compare(a, b)
}

func (s *store) outcomeFor(host string) Outcome {
	return s.outcomes[strings.ToLower(host)]
}

// hostOwner returns the id of another live Redshift integration on host, the
// lowest if several. It scans without sorting: a tenant seeded with 100 000
// integrations of other types (WithForeignCount) must not pay a sort per POST.
func (s *store) hostOwner(host, except string) string {
	owner := ""
	for _, r := range s.records {
		if r.id != except && r.typ == typeRedshift && !r.tombstone() && strings.EqualFold(r.host(), host) &&
			(owner == "" || compareIDs(r.id, owner) < 0) {
			owner = r.id
		}
	}
	return owner
}

func view(r *record) Integration {
	return Integration{
		ID:                r.id,
		Status:            r.status,
		Type:              r.typ,
		AutoBootstrap:     r.autoBootstrap,
		ValidationResults: copyValidation(r.validation),
		Config:            deepCopyMap(r.config),
	}
}

func (s *store) create(p *payload, now time.Time) (Integration, *apiErr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAll(now)
	host, _ := p.config["host"].(string)
	if owner := s.hostOwner(host, ""); owner != "" {
		return Integration{}, errHostTaken(host, owner)
	}
	rec := &record{
		id:            strconv.Itoa(s.nextID),
		typ:           p.typ,
		autoBootstrap: p.autoBootstrap,
		config:        p.config,
		status:        StatusCreating,
	}
	s.nextID++
	rec.validation = passedValidation(rec)
	rec.op = s.startOp(opCreate, host, now)
	s.records[rec.id] = rec
	return view(rec), nil
}

// startOp begins an operation on host under its outcome; an EndStatus is spent
// by it. Callers hold mu.
func (s *store) startOp(kind, host string, now time.Time) *pendingOp {
	o := s.outcomeFor(host)
	if o.EndStatus != "" {
		spent := o
		spent.EndStatus, spent.AfterLooks = "", 0
		s.outcomes[strings.ToLower(host)] = spent
	}
	return newOp(kind, now, s.transition, o)
}

func (s *store) get(id string, now time.Time, observe bool) (Integration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(id, now)
	if observe {
		s.looked(rec, now)
		s.observe(id, rec, now)
	}
	if rec == nil {
		return Integration{}, false
	}
	return view(rec), true
}

// looked counts a client's look at rec for an Outcome.EndStatus: it ends the
// operation once AfterLooks looks have seen it in progress. Callers hold mu.
func (s *store) looked(rec *record, now time.Time) {
	if rec == nil || rec.op == nil || rec.op.endStatus == "" {
		return
	}
	if rec.op.looksLeft > 0 {
		rec.op.looksLeft--
		return
	}
	kind, status := rec.op.kind, rec.op.endStatus
	rec.op, rec.status = nil, status
	if status == StatusDeleted {
		rec.deletedAt = now
	}
	s.settlements = append(s.settlements, Settlement{ID: rec.id, Op: kind, Status: status, SettledAt: now})
	s.unseen[rec.id] = len(s.settlements) - 1
}

// list includes deleted integrations during their retention, as GET by id
// shows them.
func (s *store) list(now time.Time, observe bool) []Integration {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAll(now)
	if observe {
		for _, rec := range s.records {
			s.looked(rec, now)
		}
		for id := range s.unseen {
			s.observe(id, s.records[id], now)
		}
	}
	recs := s.sortedRecords()
	out := make([]Integration, 0, len(recs))
	for _, r := range recs {
		out = append(out, view(r))
	}
	return out
}

func (s *store) update(id string, p *payload, now time.Time) (Integration, *apiErr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAll(now)
	rec := s.records[id]
	if rec == nil {
		return Integration{}, errNotFoundGet(id)
	}
	if rec.typ != p.typ {
		return Integration{}, badRequest(`"type" must be [%s]`, rec.typ)
	}
	if !editable(rec.status) {
		return Integration{}, errCannotEdit(id, rec.status)
	}
	host, _ := p.config["host"].(string)
	if owner := s.hostOwner(host, id); owner != "" {
		return Integration{}, errHostTaken(host, owner)
	}
	op := s.startOp(opUpdate, host, now)
	op.prevConfig, op.prevAutoBootstrap = rec.config, rec.autoBootstrap
	rec.config, rec.autoBootstrap = p.config, p.autoBootstrap
	rec.status, rec.op = StatusEditing, op
	rec.validation = passedValidation(rec)
	delete(s.unseen, id)
	return view(rec), nil
}

func (s *store) remove(id string, body any, present bool, now time.Time) (Integration, *apiErr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(id, now)
	if rec == nil {
		return Integration{}, errNotFoundDelete(id)
	}
	if !deletable(rec.status) {
		return Integration{}, errCannotDelete(id, rec.status)
	}
	if e := validateDeleteBody(body, present, rec.autoBootstrap); e != nil {
		return Integration{}, e
	}
	rec.op = s.startOp(opDelete, rec.host(), now)
	rec.status = StatusDeleting
	delete(s.unseen, id)
	return view(rec), nil
}

// live returns a record that exists and is not deleted, for the script
// endpoints.
func (s *store) live(id string, now time.Time) (Integration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(id, now)
	if rec == nil || rec.tombstone() {
		return Integration{}, false
	}
	return view(rec), true
}

func (s *store) setOutcome(host string, o Outcome, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAll(now)
	o.FailedTests = slices.Clone(o.FailedTests)
	s.outcomes[strings.ToLower(host)] = o
	for _, rec := range s.records {
		if rec.op == nil || !strings.EqualFold(rec.host(), host) {
			continue
		}
		switch {
		case o.Stuck:
			rec.op.stuck = true
		case rec.op.stuck:
			// Released: the operation runs one full transition from now.
			rec.op.stuck = false
			rec.op.deadline = now.Add(s.transition)
		}
	}
}

// mutate applies an out-of-band change to a live record. Such changes are
// not settlements, so a pending unseen settlement is forgotten.
func (s *store) mutate(id string, now time.Time, f func(*record)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(id, now)
	if rec == nil || rec.tombstone() {
		return false
	}
	delete(s.unseen, id)
	f(rec)
	if rec.tombstone() {
		s.advance(rec, now)
	}
	return true
}

func (s *store) snapshot(now time.Time) []Integration {
	all := s.list(now, false)
	return slices.DeleteFunc(all, func(i Integration) bool { return i.Status == StatusDeleted })
}

func (s *store) settlementsCopy(now time.Time) []Settlement {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAll(now)
	out := slices.Clone(s.settlements)
	slices.SortStableFunc(out, func(a, b Settlement) int { return a.SettledAt.Compare(b.SettledAt) })
	return out
}

func (s *store) resetSettlements() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settlements = nil
	s.unseen = map[string]int{}
}
