package client

import (
	"context"
	"testing"
	"time"
)

// A refresh that meets an integration still creating or editing waits for what it
// settles in, including Immuta's failures, and a 404 stays recognisable.
func TestWaitUntilSettled(t *testing.T) {
	s := newSettling(t)
	s.add("1", "editing", "editError", 100*time.Millisecond)
	s.add("2", "creating", "enabled", 100*time.Millisecond)
	s.add("3", "deleting", "404", 100*time.Millisecond)
	c, _ := newTestClient(t, s.URL)
	for id, want := range map[string]Status{"1": StatusEditError, "2": StatusEnabled} {
		in, err := c.WaitUntilSettled(context.Background(), id)
		if err != nil || in.Status != want {
			t.Errorf("integration %s: got %+v, %v; want %s", id, in, err, want)
		}
	}
	if _, err := c.WaitUntilSettled(context.Background(), "3"); !IsNotFound(err) {
		t.Errorf("gone while busy: got %v, want a 404", err)
	}
}
