package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// StatusError reports that an integration settled in a state that is not what the
// operation wanted.
type StatusError struct {
	ID          string
	Op          Operation
	Status      Status
	FailedTests []api.ValidationTest
}

func (e *StatusError) Error() string {
	var b strings.Builder
	rule, ok := RuleOf(e.Status)
	switch {
	case !ok:
		fmt.Fprintf(&b, "integration %s is in status %q, not what %s expects", e.ID, e.Status, e.Op)
	case rule.Create == WaitFail && rule.Update == WaitFail && rule.Delete == WaitFail:
		// A failure whatever the operation: createError, disabled and the like.
		fmt.Fprintf(&b, "integration %s (status %s) %s", e.ID, e.Status, rule.Means)
	default:
		// A status that is no failure in itself, e.g. enabled after a DELETE was accepted.
		fmt.Fprintf(&b, "integration %s %s (status %q) during its %s", e.ID, rule.Means, e.Status, opNoun(e.Op))
	}
	if len(e.FailedTests) > 0 {
		b.WriteString("; failed validation tests: ")
		for i, t := range e.FailedTests {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%q", t.Name)
			if r := resultExcerpt(t.Result); r != "" {
				b.WriteString(" (" + r + ")")
			}
		}
	}
	return b.String()
}

// resultExcerpt keeps a test's result when it says something; [null] and [] do not.
func resultExcerpt(raw json.RawMessage) string {
	var c bytes.Buffer
	if json.Compact(&c, raw) != nil {
		return ""
	}
	s := c.String()
	switch s {
	case "", "null", "[]", "[null]", "{}", `""`:
		return ""
	}
	return api.Truncate(s, 200)
}

// ExistingIntegrationError reports that the Redshift host already has an integration,
// so none was created.
type ExistingIntegrationError struct {
	ID   string
	Host string
	// Ambiguous is true when the answer to our own POST was lost and this integration
	// appeared: it is most likely the one that POST created.
	Ambiguous bool
	// Err is Immuta's 409 when there was one.
	Err error
}

func (e *ExistingIntegrationError) Error() string {
	if e.Ambiguous {
		return fmt.Sprintf("the answer to the create request was lost and Redshift host %q now has integration %s; it was most likely created by that request: adopt it or delete it", e.Host, e.ID)
	}
	return fmt.Sprintf("Redshift host %q already has integration %s; Immuta allows one per host", e.Host, e.ID)
}

func (e *ExistingIntegrationError) Unwrap() error { return e.Err }

// HostBusyError reports that another create of this Client (another resource of the
// same apply) is creating, or made, the integration on the host: Immuta allows one
// per host.
type HostBusyError struct {
	Host     string
	Database string // this create's database
	// OtherDatabase is the database of the create that holds the host.
	OtherDatabase string
	// ID, when set, is the integration the other create already made on the host (it
	// ended before this one began); this create's POST met it in Immuta's 409.
	ID string
}

func (e *HostBusyError) Error() string {
	if e.ID != "" {
		return fmt.Sprintf("another create in this run made integration %s on Redshift host %q (database %q), and Immuta allows one per host", e.ID, e.Host, e.OtherDatabase)
	}
	return fmt.Sprintf("another create in this run is creating the Redshift integration on host %q (database %q), and Immuta allows one per host; nothing was sent", e.Host, e.OtherDatabase)
}

var (
	existsRe       = regexp.MustCompile(`(?i)already exists on host\s+"?(.*?)"?\s*\(\s*id\s*[=:]\s*"?([^)"\s]+)"?\s*\)`)
	currentStateRe = regexp.MustCompile(`(?i)in current state\s+"?([A-Za-z]+)`)
)

// existingFromConflict recognizes the 409 of a create on a host that already has one.
func existingFromConflict(err error, host string) *ExistingIntegrationError {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusConflict {
		return nil
	}
	m := existsRe.FindStringSubmatch(e.Message)
	if m == nil {
		return nil
	}
	if m[1] != "" {
		host = m[1]
	}
	return &ExistingIntegrationError{ID: m[2], Host: host, Err: e}
}

// settlingConflict recognizes "409 ... in current state editing." and returns the
// state when it is one Immuta will leave by itself.
func settlingConflict(err error) (Status, bool) {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusConflict {
		return "", false
	}
	m := currentStateRe.FindStringSubmatch(e.Message)
	if m == nil {
		return "", false
	}
	for _, r := range statusTable {
		if strings.EqualFold(m[1], string(r.Status)) {
			return r.Status, !r.Settled
		}
	}
	return Status(m[1]), false
}

// TimeoutError reports a wait that ended because its context did: the operation's
// timeout ran out (Err is context.DeadlineExceeded) or the caller gave up, say on
// Ctrl-C (context.Canceled). It is terraform-provider-aws's retry.TimeoutError for
// this client: the caller learns what Immuta last showed, so it can say in plain words
// what is left in Immuta, instead of "context canceled".
type TimeoutError struct {
	ID string
	// Op is what the wait was for.
	Op Operation
	// LastStatus is the status of the latest look; "" if no look answered.
	LastStatus Status
	// Refused: Immuta had refused the request itself (409: the integration was still
	// settling), and the wait was for it to settle so that the request could be sent
	// again. Immuta has not accepted the operation.
	Refused bool
	// Err is the context's error.
	Err error
}

func (e *TimeoutError) Error() string {
	ended := "timed out"
	if e.Interrupted() {
		ended = "was interrupted"
	}
	wait := fmt.Sprintf("the wait for the %s", opNoun(e.Op))
	if e.Refused {
		wait = fmt.Sprintf("the wait for Immuta to accept the %s", opNoun(e.Op))
	}
	if e.LastStatus == "" {
		return fmt.Sprintf("%s of integration %s %s before Immuta reported its status", wait, e.ID, ended)
	}
	return fmt.Sprintf("%s of integration %s %s; Immuta last reported it %q", wait, e.ID, ended, e.LastStatus)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Interrupted reports a wait the caller cancelled, rather than one whose deadline
// passed.
func (e *TimeoutError) Interrupted() bool {
	return errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded)
}

func opNoun(op Operation) string {
	switch op {
	case OpCreate:
		return "creation"
	case OpUpdate:
		return "update"
	case OpDelete:
		return "deletion"
	}
	return "operation"
}
