package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// The status × operation table, written out by hand from the contract: what a wait
// for each operation does on seeing each status, whether Immuta leaves the status by
// itself, whether the integration is still there (holds its host, stays in state),
// and whether a plan replaces it. Each cell is checked against the table in status.go
// and against what WaitForIntegration, the host lookup and the settling-conflict
// parser actually do.
var wantStatusRows = []struct {
	status                 Status
	create, update, delete WaitAction
	settled, holds, repl   bool
}{
	{StatusCreating, WaitGoOn, WaitGoOn, WaitGoOn, false, true, false},
	{StatusCreateError, WaitFail, WaitFail, WaitFail, true, true, true},
	{StatusEnabled, WaitDone, WaitDone, WaitFail, true, true, false},
	{StatusEditing, WaitGoOn, WaitGoOn, WaitGoOn, false, true, false},
	{StatusEditError, WaitFail, WaitFail, WaitFail, true, true, false},
	{StatusDeleting, WaitFail, WaitFail, WaitGoOn, false, true, true},
	{StatusDeleteError, WaitFail, WaitFail, WaitFail, true, true, false},
	{StatusDeleted, WaitFail, WaitFail, WaitDone, true, false, false},
	{StatusDisabled, WaitFail, WaitFail, WaitFail, true, true, true},
	{StatusMigrating, WaitGoOn, WaitGoOn, WaitGoOn, false, true, false},
	{StatusMigrateError, WaitFail, WaitFail, WaitFail, true, true, false},
	{StatusRecurringValidationError, WaitFail, WaitFail, WaitFail, true, true, false},
}

func TestStatusTableRows(t *testing.T) {
	if got, want := len(StatusTable()), len(wantStatusRows); got != want {
		t.Fatalf("the table has %d rows, want one per documented status (%d)", got, want)
	}
	for _, w := range wantStatusRows {
		r, ok := RuleOf(w.status)
		if !ok {
			t.Errorf("%s: no row", w.status)
			continue
		}
		if r.Create != w.create || r.Update != w.update || r.Delete != w.delete {
			t.Errorf("%s: waits create/update/delete = %s/%s/%s, want %s/%s/%s",
				w.status, r.Create, r.Update, r.Delete, w.create, w.update, w.delete)
		}
		if r.Settled != w.settled || r.HoldsHost != w.holds || r.Replace != w.repl {
			t.Errorf("%s: settled %v holds host %v replace %v, want %v %v %v",
				w.status, r.Settled, r.HoldsHost, r.Replace, w.settled, w.holds, w.repl)
		}
		if r.Means == "" {
			t.Errorf("%s: no words for the user", w.status)
		}
		if w.status != StatusEnabled && r.Advice == "" {
			t.Errorf("%s: no advice for the user", w.status)
		}
		if settled(w.status) != w.settled {
			t.Errorf("%s: settled() = %v", w.status, settled(w.status))
		}
	}
	for _, s := range []Status{"", "Enabled", "hibernating"} {
		if _, ok := RuleOf(s); ok || Known(s) || !settled(s) || !HoldsHost(s) || !inUse(s) || RefreshWaits(s) {
			t.Errorf("%q: an unknown status must be unknown, settled, read as it is, and taken to hold its host and be in use", s)
		}
	}
}

// Each status × operation through a real wait: the first look shows the status;
// a wait that goes on sees the operation's end next (enabled, or 404 for delete).
func TestStatusTableWaits(t *testing.T) {
	for _, w := range wantStatusRows {
		for _, op := range []Operation{OpCreate, OpUpdate, OpDelete} {
			want := map[Operation]WaitAction{OpCreate: w.create, OpUpdate: w.update, OpDelete: w.delete}[op]
			t.Run(fmt.Sprintf("%s/%s", w.status, op), func(t *testing.T) {
				end := "enabled"
				if op == OpDelete {
					end = "404"
				}
				s := &statusSequence{seq: []string{string(w.status), end}}
				f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { s.serve(w, "12") })
				c, _ := newTestClient(t, f.URL)
				_, err := c.WaitForIntegration(context.Background(), "12", op)
				var se *StatusError
				switch want {
				case WaitGoOn:
					if err != nil || s.count() != 2 {
						t.Errorf("want a second look and success: %d looks, %v", s.count(), err)
					}
				case WaitDone:
					if err != nil || s.count() != 1 {
						t.Errorf("want done at the first look: %d looks, %v", s.count(), err)
					}
				case WaitFail:
					if !errors.As(err, &se) || se.Status != w.status || s.count() != 1 {
						t.Errorf("want a StatusError at the first look: %d looks, %v", s.count(), err)
					} else if msg := err.Error(); !strings.Contains(msg, "integration 12 ") || !strings.Contains(msg, string(w.status)) {
						t.Errorf("message %q names neither the integration nor the status", msg)
					}
				}
			})
		}
	}
}

// A 409 "in current state X" is waited out only for a status Immuta leaves by
// itself; the host lookup skips only what no longer holds the host.
func TestStatusTableConflictsAndHosts(t *testing.T) {
	for _, w := range wantStatusRows {
		got, busy := settlingConflict(&Error{StatusCode: 409, Message: "Unable to delete integration with ID 12 in current state " + string(w.status) + "."})
		if got != w.status || busy == w.settled {
			t.Errorf("409 in state %s: got %s, busy %v", w.status, got, busy)
		}
		t.Run("host lookup "+string(w.status), func(t *testing.T) {
			f := newFake(t, func(rw http.ResponseWriter, _ *http.Request, _ []byte) {
				reply(rw, 200, fmt.Sprintf(`[{"id": "7", "status": %q, "type": "Redshift", "config": {"host": "h.example"}}]`, w.status))
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.FindRedshiftIntegrationByHost(context.Background(), "h.example")
			if err != nil || (in != nil) != w.holds {
				t.Errorf("found %v, %v; want found = %v", in, err, w.holds)
			}
		})
	}
}

// A DELETE refused while the integration settles is waited out, and the log says
// what the wait is for and why, at info level (a destroy otherwise shows only "Still
// destroying..." for the whole timeout).
func TestSettlingWaitIsLogged(t *testing.T) {
	s := &statusSequence{seq: []string{"creating", "enabled"}}
	deletes := 0
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "DELETE" {
			deletes++
			if deletes == 1 {
				replyErr(w, 409, "Unable to delete integration with ID 12 in current state creating.")
				return
			}
			reply(w, 200, `{"id": "12", "status": "deleting"}`)
			return
		}
		s.serve(w, "12")
	})
	c, l := newTestClient(t, f.URL)
	if _, err := c.DeleteIntegration(context.Background(), "12", nil); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range l.all() {
		if e.Msg != api.LogMsgWait {
			continue
		}
		found = true
		why, _ := e.Fields["why"].(string)
		waiting, _ := e.Fields["waiting_for"].(string)
		if e.Level != LevelInfo || !strings.Contains(why, "409") || !strings.Contains(why, "still being set up") ||
			!strings.Contains(waiting, "leave status creating") || e.Fields["operation"] != "delete" {
			t.Errorf("wait log %+v", e)
		}
	}
	if !found {
		t.Errorf("no %q entry in\n%s", api.LogMsgWait, l.dump())
	}
}
