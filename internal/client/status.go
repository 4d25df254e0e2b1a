package client

// The status table: everything this client knows about Immuta's statuses, in one
// place. Waits (wait.go), the settling conflicts of PUT and DELETE, the host lookup
// before a create, StatusError's words and the provider's refresh and plan all read
// from it, so that they cannot disagree about a status (they once did: a refresh
// dropped a disabled integration from state while the host lookup still counted it
// as the one on its host, so the next create met a 409).
//
// The emulator keeps a table of its own (internal/emulator/lifecycle.go), written
// apart from this one on purpose; the acceptance test that walks every status
// cross-checks the two.

// WaitAction is what a wait does on seeing a status.
type WaitAction int

const (
	// WaitGoOn: Immuta is still working on the integration; look again.
	WaitGoOn WaitAction = iota
	// WaitDone: the operation is over, as it was meant to end.
	WaitDone
	// WaitFail: the operation is over, and not as it was meant to end: a *StatusError.
	WaitFail
)

func (a WaitAction) String() string {
	switch a {
	case WaitGoOn:
		return "go on waiting"
	case WaitDone:
		return "done"
	case WaitFail:
		return "fail"
	}
	return "unknown"
}

// StatusRule is one row of the status table.
type StatusRule struct {
	Status Status
	// Settled: Immuta is not working on the integration. An unsettled one refuses PUT
	// and DELETE with 409 until it leaves the status by itself, so a client waits and
	// sends again; a settled one that refuses them never will.
	Settled bool
	// HoldsHost: the integration is still there in Immuta. It counts as the one on its
	// Redshift host (a create there meets 409 "already exists") and it stays in the
	// provider's state. Only "deleted" (and a 404) does not.
	HoldsHost bool
	// InUse: the contract's "in use" column. A list of the tenant's integrations in
	// use (the list resource without a statuses filter) shows it, and a shared list
	// may answer a refresh with it. Every status but "deleted" and "disabled".
	InUse bool
	// RefreshWaits: Immuta is carrying out a change this provider asked for (creating
	// or editing), so a refresh waits for the outcome instead of reading a
	// configuration Immuta may still undo.
	RefreshWaits bool
	// Replace: the integration cannot serve as configured, and deleting it and
	// creating it again is what fixes it, so a plan proposes that.
	Replace bool
	// What a wait for each operation does on seeing the status.
	Create, Update, Delete WaitAction
	// Means completes "Integration 12 ...": what the status says, in plain words.
	Means string
	// Advice is what the user can do about it; "" when nothing is needed.
	Advice string
}

// On says what a wait for op does on seeing the status.
func (r StatusRule) On(op Operation) WaitAction {
	switch op {
	case OpCreate:
		return r.Create
	case OpUpdate:
		return r.Update
	case OpDelete:
		return r.Delete
	}
	return WaitFail
}

// statusTable has one row per status Immuta documents, in the contract's order.
var statusTable = []StatusRule{
	{
		Status: StatusCreating, HoldsHost: true, InUse: true, RefreshWaits: true,
		Create: WaitGoOn, Update: WaitGoOn, Delete: WaitGoOn,
		Means:  "is still being set up by Immuta",
		Advice: "Wait: Immuta ends it by itself, in enabled or createError, and refuses changes and deletion until then.",
	},
	{
		Status: StatusCreateError, Settled: true, HoldsHost: true, InUse: true, Replace: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitFail,
		Means: "failed to be created",
		Advice: "Fix what the failed validation tests name (with auto_bootstrap = false, run the cleanup script in Redshift), " +
			"then apply: it deletes the integration and creates it again.",
	},
	{
		Status: StatusEnabled, Settled: true, HoldsHost: true, InUse: true,
		Create: WaitDone, Update: WaitDone, Delete: WaitFail,
		Means: "is working",
	},
	{
		Status: StatusEditing, HoldsHost: true, InUse: true, RefreshWaits: true,
		Create: WaitGoOn, Update: WaitGoOn, Delete: WaitGoOn,
		Means:  "is being changed by Immuta",
		Advice: "Wait: Immuta ends the edit by itself, in enabled or editError, and refuses other changes and deletion until then.",
	},
	{
		Status: StatusEditError, Settled: true, HoldsHost: true, InUse: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitFail,
		Means: "was not changed: the edit failed and Immuta rolled back to the previous configuration, which still works",
		Advice: "Fix what the failed validation tests name (with auto_bootstrap = false, run the edit script in Redshift), " +
			"then apply: the plan proposes the change again.",
	},
	{
		Status: StatusDeleting, HoldsHost: true, InUse: true, Replace: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitGoOn,
		Means:  "is being deleted by Immuta",
		Advice: "Apply to create it again once Immuta has deleted it, or remove the resource from the configuration.",
	},
	{
		Status: StatusDeleteError, Settled: true, HoldsHost: true, InUse: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitFail,
		Means:  "was not deleted: the deletion failed and the integration is still there and working",
		Advice: "Fix what the failed validation tests name (with auto_bootstrap = false, run the delete script in Redshift), then destroy again.",
	},
	{
		Status: StatusDeleted, Settled: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitDone,
		Means:  "is deleted",
		Advice: "Nothing is left in Immuta: apply creates it again.",
	},
	{
		Status: StatusDisabled, Settled: true, HoldsHost: true, Replace: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitFail,
		Means:  "is disabled (force-disabled in Immuta; nothing was cleaned up in Redshift)",
		Advice: "Apply replaces it: the provider deletes the disabled integration and creates it again with this configuration.",
	},
	{
		Status: StatusMigrating, HoldsHost: true, InUse: true,
		Create: WaitGoOn, Update: WaitGoOn, Delete: WaitGoOn,
		Means:  "is being upgraded by Immuta (migrating its objects in Redshift)",
		Advice: "Wait: Immuta returns it to enabled by itself, and refuses changes and deletion until then.",
	},
	{
		Status: StatusMigrateError, Settled: true, HoldsHost: true, InUse: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitFail,
		Means: "failed Immuta's migration of its objects in Redshift",
		Advice: "Fix what the failed validation tests name, or ask Immuta support to run the migration again; " +
			"to start afresh, apply with -replace on this resource.",
	},
	{
		Status: StatusRecurringValidationError, Settled: true, HoldsHost: true, InUse: true,
		Create: WaitFail, Update: WaitFail, Delete: WaitFail,
		Means: "failed Immuta's periodic validation",
		Advice: "Fix what the failed validation tests name in Redshift: Immuta validates again by itself, " +
			"and any update of the integration validates it too.",
	},
}

var statusIndex = func() map[Status]StatusRule {
	m := make(map[Status]StatusRule, len(statusTable))
	for _, r := range statusTable {
		m[r.Status] = r
	}
	return m
}()

// StatusTable returns the rows of the status table, one per documented status.
func StatusTable() []StatusRule { return append([]StatusRule(nil), statusTable...) }

// RuleOf returns s's row of the status table; ok is false for a status Immuta does not
// document.
func RuleOf(s Status) (rule StatusRule, ok bool) {
	rule, ok = statusIndex[s]
	return rule, ok
}

// Known reports whether s is one of the documented statuses; callers must treat an
// unknown one as an error rather than guess whether to keep waiting.
func Known(s Status) bool {
	_, ok := statusIndex[s]
	return ok
}

// Settled reports whether Immuta has stopped working on the integration: an
// unsettled one refuses PUT and DELETE with 409 until it settles. A status this
// client does not know counts as settled, so that a wait for it to settle ends (and
// the caller reports the unknown status) rather than waiting forever.
func settled(s Status) bool {
	r, ok := statusIndex[s]
	return !ok || r.Settled
}

// InUse reports whether an integration in status s is in use (the contract's column):
// every documented status but deleted and disabled. A status this client does not
// know is taken to be in use, as HoldsHost takes it to hold its host.
func inUse(s Status) bool {
	r, ok := statusIndex[s]
	return !ok || r.InUse
}

// RefreshWaits reports whether a refresh that finds an integration in status s waits
// for it to settle (creating, editing). A status this client does not know is read
// as it is.
func RefreshWaits(s Status) bool {
	r, ok := statusIndex[s]
	return ok && r.RefreshWaits
}

// Listable returns the statuses a list of integrations can be filtered by: every
// documented status in which the integration is still there (HoldsHost).
func Listable() []Status {
	var out []Status
	for _, r := range statusTable {
		if r.HoldsHost {
			out = append(out, r.Status)
		}
	}
	return out
}

// HoldsHost reports whether an integration in status s is still there: it counts as
// the one on its host, and it stays in state. A status this client does not know is
// taken to hold the host: it is listed, so assuming it gone could create a duplicate.
func HoldsHost(s Status) bool {
	r, ok := statusIndex[s]
	return !ok || r.HoldsHost
}
