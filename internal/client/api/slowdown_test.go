package api

import (
	"testing"
	"time"
)

func TestSlowDown(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cause := &Error{StatusCode: 429}
	var g slowDown
	if w, l, _ := g.delay(t0, 0.5); w != 0 || l != 0 {
		t.Fatalf("an unset gate holds %v (%v)", w, l)
	}
	g.hold(t0, 2*time.Second, cause)
	g.hold(t0.Add(500*time.Millisecond), time.Second, &Error{StatusCode: 503}) // ends earlier: ignored
	cases := []struct {
		at       time.Duration
		rnd      float64
		wantWait time.Duration
		wantLeft time.Duration
	}{
		{0, 0, 2 * time.Second, 2 * time.Second},
		{0, 0.5, 2500 * time.Millisecond, 2 * time.Second}, // plus up to half of the Retry-After
		{time.Second, 0.999, time.Second + 999*time.Millisecond, time.Second},
		{2 * time.Second, 0.5, 0, 0},
		{3 * time.Second, 0.5, 0, 0},
	}
	for _, tc := range cases {
		w, l, c := g.delay(t0.Add(tc.at), tc.rnd)
		if w != tc.wantWait || l != tc.wantLeft || (w > 0 && c != cause) {
			t.Errorf("at +%v rnd %v: wait %v left %v cause %v, want %v %v", tc.at, tc.rnd, w, l, c, tc.wantWait, tc.wantLeft)
		}
	}
	g.hold(t0.Add(time.Second), 4*time.Second, &Error{StatusCode: 503}) // ends later: extends
	if w, l, c := g.delay(t0.Add(time.Second), 0); w != 4*time.Second || l != 4*time.Second || c.StatusCode != 503 {
		t.Errorf("after a later hold: wait %v left %v cause %v", w, l, c)
	}
}
