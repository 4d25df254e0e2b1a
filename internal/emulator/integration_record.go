package emulator

import (
	"fmt"
	"slices"
	"time"
)

// Outcome says what happens to integrations on one Redshift host. Error
// outcomes and FailedTests are fixed when an operation starts; Stuck also
// applies to operations already in progress, so that a test can hold an
// operation and later release it.
type Outcome struct {
	CreateError bool     `json:"createError,omitempty"` // creation ends in createError instead of enabled
	EditError   bool     `json:"editError,omitempty"`   // an edit ends in editError, the previous config restored
	DeleteError bool     `json:"deleteError,omitempty"` // a deletion ends in deleteError, the integration still working
	Stuck       bool     `json:"stuck,omitempty"`       // stays in creating / editing / deleting until un-stuck
	FailedTests []string `json:"failedTests,omitempty"` // failing validation tests; default "Initial Validation: Basic Connection Test"
	// EndStatus ends an operation in this status (e.g. "recurringValidationError",
	// "disabled", or one the contract does not know) instead of its usual end, as Immuta
	// may while a client waits: the first AfterLooks looks at the integration (GET by id,
	// GET .../status, a GET /integrations that lists it) see it in progress, the next one
	// sees EndStatus. The transition time does not apply, so a test needs no timing.
	// It applies to the next operation on the host only (then it is spent), so that
	// a destroy after it ends as usual.
	EndStatus  string `json:"endStatus,omitempty"`
	AfterLooks int    `json:"afterLooks,omitempty"`
}

const (
	opCreate = "create"
	opUpdate = "update"
	opDelete = "delete"
)

const testBasicConnection = "Initial Validation: Basic Connection Test"

// record is one integration. Its status is computed lazily from timestamps:
// an operation in progress settles when the record is next looked at after
// its deadline, and the settlement is dated at the deadline, so the emulator
// needs no goroutines and its answers do not depend on when it is observed.
type record struct {
	id            string
	typ           string
	autoBootstrap bool
	config        map[string]any
	status        string
	validation    ValidationResults
	op            *pendingOp
	deletedAt     time.Time
}

type pendingOp struct {
	kind     string
	deadline time.Time
	stuck    bool
	fail     bool
	failed   []string
	// endStatus and looksLeft: see Outcome.EndStatus.
	endStatus string
	looksLeft int
	// The configuration an edit rolls back to.
	prevConfig        map[string]any
	prevAutoBootstrap bool
}

func (r *record) host() string {
	h, _ := r.config["host"].(string)
	return h
}

func (r *record) tombstone() bool { return r.status == StatusDeleted }

func newOp(kind string, now time.Time, transition time.Duration, o Outcome) *pendingOp {
	op := &pendingOp{kind: kind, deadline: now.Add(transition), stuck: o.Stuck, endStatus: o.EndStatus, looksLeft: o.AfterLooks}
	switch kind {
	case opCreate:
		op.fail = o.CreateError
	case opUpdate:
		op.fail = o.EditError
	case opDelete:
		op.fail = o.DeleteError
	}
	if op.fail {
		op.failed = slices.Clone(o.FailedTests)
		if len(op.failed) == 0 {
			op.failed = []string{testBasicConnection}
		}
	}
	return op
}

// settle ends the operation and returns the final status and whether the
// record is gone.
func (r *record) settle(retained bool) (final string, gone bool) {
	op := r.op
	r.op = nil
	switch {
	case op.kind == opCreate && op.fail:
		r.status = StatusCreateError
	case op.kind == opUpdate && op.fail:
		r.status = StatusEditError
		r.config = op.prevConfig
		r.autoBootstrap = op.prevAutoBootstrap
	case op.kind == opDelete && op.fail:
		r.status = StatusDeleteError
	case op.kind == opDelete:
		r.status = StatusDeleted
		r.deletedAt = op.deadline
		return StatusDeleted, !retained
	default:
		r.status = StatusEnabled
	}
	if op.fail {
		r.validation = failedValidation(r, op.kind, op.failed)
	} else {
		r.validation = passedValidation(r)
	}
	return r.status, false
}

// passedValidation lists plausible Redshift tests, all passing, with the
// result shapes of the documentation ([null], [], or none).
func passedValidation(r *record) ValidationResults {
	impStatus := "skipped"
	if imp, _ := r.config["impersonation"].(map[string]any); imp != nil && imp["enabled"] == true {
		impStatus = "passed"
	}
	return ValidationResults{Status: "passed", ValidationTests: []ValidationTest{
		{Name: testBasicConnection, Status: "passed", Result: []any{nil}},
		{Name: "Validate Automatic: Immuta Database Does Not Exist", Status: "passed", Result: []any{}},
		{Name: "Validate Automatic: Impersonation Role Does Not Exist", Status: impStatus},
		{Name: "Validate Automatic: User Grants", Status: "passed", Result: []any{}},
	}}
}

func failedValidation(r *record, kind string, failed []string) ValidationResults {
	v := passedValidation(r)
	v.Status = "failed"
	for _, name := range failed {
		t := ValidationTest{Name: name, Status: "failed", Result: []any{failureMessage(r, kind, name)}}
		if i := slices.IndexFunc(v.ValidationTests, func(x ValidationTest) bool { return x.Name == name }); i >= 0 {
			v.ValidationTests[i] = t
		} else {
			v.ValidationTests = append(v.ValidationTests, t)
		}
	}
	return v
}

func failureMessage(r *record, kind, name string) string {
	if name == testBasicConnection {
		return fmt.Sprintf("Unable to connect to Redshift at %s:%v: connection timed out", r.host(), r.config["port"])
	}
	return fmt.Sprintf("%s failed during %s", name, kind)
}

// redactedConfig is the config as answers show it.
func redactedConfig(c map[string]any) map[string]any {
	out := deepCopyMap(c)
	for _, k := range credentialKeys {
		if _, ok := out[k]; ok {
			out[k] = Redacted
		}
	}
	return out
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return deepCopyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}

func copyValidation(v ValidationResults) ValidationResults {
	out := ValidationResults{Status: v.Status, ValidationTests: make([]ValidationTest, len(v.ValidationTests))}
	for i, t := range v.ValidationTests {
		out.ValidationTests[i] = t
		if t.Result != nil {
			out.ValidationTests[i].Result = deepCopy(t.Result).([]any)
		}
	}
	return out
}
