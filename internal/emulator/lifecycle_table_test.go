package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// The emulator's status table, through its API: for each status set out of band,
// what PUT and DELETE answer and whether the host stays taken. The expectations are
// the contract's, written out again here rather than read from lifecycle.go.
func TestLifecycleTable(t *testing.T) {
	rows := []struct {
		status    string
		put, del  int
		holdsHost bool
	}{
		{StatusCreating, 409, 409, true},
		{StatusCreateError, 409, 200, true},
		{StatusEnabled, 200, 200, true},
		{StatusEditing, 409, 409, true},
		{StatusEditError, 200, 200, true},
		{StatusDeleting, 409, 409, true},
		{StatusDeleteError, 200, 200, true},
		{StatusDisabled, 409, 200, true},
		{StatusMigrating, 409, 409, true},
		{StatusMigrateError, 409, 200, true},
		{StatusRecurringValidationError, 200, 200, true},
	}
	if len(rows)+1 != len(lifecycle) { // deleted: below
		t.Fatalf("lifecycle has %d rows", len(lifecycle))
	}
	for _, r := range rows {
		t.Run(r.status, func(t *testing.T) {
			s := start(t, WithTransition(time.Hour))
			host := fmt.Sprintf("%s.example", r.status)
			s.SetOutcome(host, Outcome{})
			id := create(t, s, payloadFor(t, host))
			s.SetStatus(id, r.status)
			wantCode(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: payloadFor(t, host)}), r.put)
			s.SetStatus(id, r.status)
			wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), r.del)
			s.SetStatus(id, r.status)
			a := do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, host)})
			if taken := a.code == http.StatusConflict; taken != r.holdsHost {
				t.Errorf("a create on its host answers %d", a.code)
			}
		})
	}
	t.Run(StatusDeleted, func(t *testing.T) {
		s := start(t, WithDeletedRetention(time.Hour))
		id := create(t, s, payloadFor(t, "deleted.example"))
		s.SetStatus(id, StatusDeleted)
		wantCode(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: payloadFor(t, "deleted.example")}), 409)
		wantCode(t, do(t, s, req{method: "DELETE", path: "/integrations/" + id}), 409)
		wantCode(t, do(t, s, req{method: "POST", path: "/integrations", body: payloadFor(t, "deleted.example")}), 200)
	})
}
