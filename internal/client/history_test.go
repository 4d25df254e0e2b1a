package client

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// An integration's own history predicts waits of its kind only: an update's wait
// does not look later because creates took long.
func TestHistoryPredictsOnlyItsKind(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Poll = DefaultPollSchedule })
	h := &History{}
	h.add(OpCreate, 31*time.Second)
	hist := h
	if got := c.typicalFor(hist, OpCreate); got != 31*time.Second {
		t.Errorf("create: typical %v, want 31s", got)
	}
	for _, op := range []Operation{OpUpdate, OpDelete, ""} {
		if got := c.typicalFor(hist, op); got != 0 {
			t.Errorf("%q: typical %v from a create's history, want 0 (the schedule)", op, got)
		}
		// Every look of such a wait is where the schedule puts it.
		last := time.Duration(0)
		for attempt := 0; attempt < 60; attempt++ {
			got := c.poll.nextLook(c.typicalFor(hist, op), attempt, last, 0)
			if want := last + c.poll.delay(attempt, last, 0); got != want {
				t.Fatalf("%q look %d: at %v, the schedule says %v", op, attempt, got, want)
			}
			last = got
		}
	}
	// The integration's own update history wins over nothing learned, and a 31 s update
	// then costs about one look on a fake clock instead of the schedule's 42.
	h.add(OpUpdate, 31*time.Second)
	typical := c.typicalFor(hist, OpUpdate)
	if typical != 31*time.Second {
		t.Fatalf("update: typical %v, want 31s", typical)
	}
	n, lag := simulateLooks(c.poll, typical, 31*time.Second+200*time.Millisecond, simLatency, func() float64 { return 0 })
	plain, _ := simulateLooks(c.poll, 0, 31*time.Second+200*time.Millisecond, simLatency, func() float64 { return 0 })
	if n > 2 || lag > allowedLag(31*time.Second) {
		t.Errorf("predicted 31s update: %d looks, lag %v; want at most 2 looks within %v (the schedule: %d)", n, lag, allowedLag(31*time.Second), plain)
	}
}

// A wait under WithHistory records its operation's end there, and only its own.
func TestHistoryRecordsTheWait(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, `{"id":"42","status":"enabled","type":"Redshift","config":{"host":"h"}}`)
	})
	c, _ := newTestClient(t, f.URL)
	h := &History{}
	if _, err := c.WaitForIntegration(context.Background(), "42", OpUpdate, WithHistory(h)); err != nil {
		t.Fatal(err)
	}
	if got := h.typical(OpUpdate); got <= 0 {
		t.Errorf("update: nothing recorded")
	}
	if got := h.typical(OpCreate); got != 0 {
		t.Errorf("create: %v recorded by an update's wait", got)
	}
}

func TestHistoryJSON(t *testing.T) {
	h := &History{}
	for i := 1; i <= 7; i++ {
		h.add(OpUpdate, time.Duration(i)*time.Second)
	}
	h.add(OpCreate, 2300*time.Millisecond)
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"create":[2300],"update":[3000,4000,5000,6000,7000]}`; string(b) != want {
		t.Errorf("stored %s, want %s", b, want)
	}
	var back History
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got := back.typical(OpUpdate); got != 5*time.Second {
		t.Errorf("update after a round trip: %v, want the median 5s", got)
	}
	// A spoiled record predicts nothing rather than something wrong.
	var spoiled History
	if err := json.Unmarshal([]byte(`{"update":[-5,0,999999999999],"migrate":[1000]}`), &spoiled); err != nil {
		t.Fatal(err)
	}
	if got := spoiled.typical(OpUpdate); got != 0 {
		t.Errorf("spoiled: %v, want 0", got)
	}
}

// The one estimator records the same cut span in this process and in the
// integration's history: the history's end is the middle of the span the watcher
// keeps.
func TestLearnEndFeedsBothSources(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Poll = DefaultPollSchedule })
	h := &History{}
	c.learnEnd(h, OpUpdate, 0, 10*time.Second)
	got := c.learned.spans[OpUpdate]
	if len(got) != 1 || got[0].lo != 7500*time.Millisecond || got[0].hi != 10*time.Second {
		t.Fatalf("the watcher learned %+v, want the span cut to 7.5s..10s", got)
	}
	if end := h.typical(OpUpdate); end != 8750*time.Millisecond {
		t.Errorf("the history recorded %v, want the cut span's middle 8.75s", end)
	}
}
