package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// refuseFirstPOST refuses the first create POST's connection (nothing is sent), after
// calling before: the rival creates on the host at that moment.
type refuseFirstPOST struct {
	n      atomic.Int32
	before func()
	next   http.RoundTripper
}

func (rt *refuseFirstPOST) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && rt.n.Add(1) == 1 {
		rt.before()
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	}
	return rt.next.RoundTrip(r)
}

// Issue 18, item 1: while this create's first POST fails, another pipeline creates
// the integration on the same host, with the same configuration; the snapshot before
// the POST showed the host free. What happens next depends only on what the failed
// attempt's answer proves. When it proves Immuta did not act, the integration on the
// host is someone else's: reported with its id, never adopted. When it proves
// nothing, the integration may be ours or the rival's and the API cannot tell: it is
// adopted, and the result says so (Adopted, with the cause) for the user's warning.
func TestCreateEvidenceDecidesAdoption(t *testing.T) {
	cases := []struct {
		name    string
		spoil   string // the hostsFake's answer to the first POST
		refused bool   // a connection refused instead (nothing sent)
		attempt time.Duration
		adopt   bool
	}{
		{name: "Immuta's own 503", spoil: "json-503"},
		{name: "Immuta's own 429", spoil: "json-429"},
		{name: "refused redirect", spoil: "redirect"},
		{name: "connection refused", refused: true},
		{name: "gateway's HTML 503", spoil: "503", adopt: true},
		{name: "gateway's HTML 502", spoil: "502", adopt: true},
		{name: "reset after sending", spoil: "reset", adopt: true},
		{name: "Immuta's own 500", spoil: "json-500", adopt: true},
		{name: "per-attempt timeout", spoil: "hang", attempt: 100 * time.Millisecond, adopt: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newHostsFake(t)
			if tc.spoil != "" {
				f.spoil = []string{tc.spoil}
			}
			f.rival = !tc.refused
			var hc *http.Client
			if tc.refused {
				hc = &http.Client{Transport: &refuseFirstPOST{next: http.DefaultTransport, before: func() {
					f.mu.Lock()
					defer f.mu.Unlock()
					f.next++
					f.rivalID = "101"
					f.hosts["race.example"] = f.rivalID
				}}}
			}
			c, _ := newTestClient(t, f.URL, func(cfg *Config) {
				cfg.AttemptTimeout = tc.attempt
				cfg.HTTPClient = hc
			})
			cn, err := c.StartCreate(context.Background(), hostPayload("race.example"))
			posts, creations, _ := f.counts()
			if creations != 0 || f.rivalID == "" {
				t.Fatalf("the fake made %d creations of ours, rival %q: the test proves nothing", creations, f.rivalID)
			}
			if !tc.adopt {
				var ex *ExistingIntegrationError
				if cn != nil || !errors.As(err, &ex) || ex.ID != f.rivalID || ex.Ambiguous {
					t.Fatalf("got %+v, %v; want the rival's integration %s reported as someone else's", cn, err, f.rivalID)
				}
				if posts > 2 {
					t.Errorf("%d POSTs reached Immuta", posts)
				}
				return
			}
			if err != nil || cn.Integration.ID.String() != f.rivalID {
				t.Fatalf("got %+v, %v; want integration %s, adopted", cn, err, f.rivalID)
			}
			defer cn.Done()
			if !cn.Adopted || cn.Cause == "" {
				t.Errorf("adopted %v, cause %q: the caller is not told that the answer was lost", cn.Adopted, cn.Cause)
			}
		})
	}
}

// A create whose answer came back is not "adopted", even when it was re-sent after
// Immuta's own 503: the user is warned only when the API cannot tell.
func TestCreateAnsweredIsNotAdopted(t *testing.T) {
	f := newHostsFake(t, "json-503")
	c, _ := newTestClient(t, f.URL)
	cn, err := c.StartCreate(context.Background(), hostPayload("ours.example"))
	if err != nil || cn.Adopted || cn.Integration.ID.String() != f.hosts["ours.example"] {
		t.Fatalf("got %+v, %v", cn, err)
	}
	cn.Done()
}

// Issue 18, item 1, inside one apply: a second create on a host that another create
// of the same Client is creating on is refused before any request, naming the host
// and the other create's database; once the first ends (Done), the host is free
// again, as for a replacement.
func TestCreateClaimsItsHost(t *testing.T) {
	f := newHostsFake(t)
	c, _ := newTestClient(t, f.URL)
	first, err := c.StartCreate(context.Background(), hostPayload("one.example"))
	if err != nil {
		t.Fatal(err)
	}
	other := hostPayload("ONE.example.")
	other.Config.Database = "analytics"
	_, err = c.StartCreate(context.Background(), other)
	var busy *HostBusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), `"ONE.example."`) || busy.OtherDatabase != "immuta" {
		t.Fatalf("got %v; want the host refused as busy", err)
	}
	if posts, _, lists := f.counts(); posts != 1 || lists != 1 {
		t.Errorf("%d POSTs and %d lists: the refused create sent requests", posts, lists)
	}
	// Another host is not held up.
	if cn, err := c.StartCreate(context.Background(), hostPayload("two.example")); err != nil {
		t.Errorf("another host: %v", err)
	} else {
		cn.Done()
	}
	first.Done()
	first.Done() // twice is harmless
	// Run one after the other (-parallelism=1), the second create meets the first's
	// integration in Immuta's 409: it is named as this run's, not someone else's to
	// import.
	again := hostPayload("one.example")
	again.Config.Database = "analytics"
	_, err = c.StartCreate(context.Background(), again)
	if !errors.As(err, &busy) || busy.ID != first.Integration.ID.String() {
		t.Fatalf("got %v; want the first create's integration %s named as this run's", err, first.Integration.ID)
	}
	// A replacement: once the first's integration is gone, a create on the same host
	// is sent and succeeds.
	f.mu.Lock()
	delete(f.hosts, "one.example")
	f.mu.Unlock()
	cn, err := c.StartCreate(context.Background(), hostPayload("one.example"))
	if err != nil {
		t.Fatalf("the replacement's create: %v", err)
	}
	cn.Done()
	if posts, _, _ := f.counts(); posts != 4 {
		t.Errorf("%d POSTs, want 4", posts)
	}
}
