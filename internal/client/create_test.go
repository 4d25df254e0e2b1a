package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

const redshiftListWithHost = `[{"id": "1", "status": "enabled", "type": "Snowflake", "config": {"host": "organization.aws.amazon.com"}},
  {"id": 555, "status": "creating", "type": "Redshift", "config": {"host": "ORGANIZATION.aws.amazon.com", "database": "immuta"}}]`

func TestCreateConflictIsExistingIntegration(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			reply(w, 200, `[]`)
			return
		}
		reply(w, 409, string(testdata(t, "error_409_create.json")))
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.CreateIntegration(context.Background(), docPayload())
	var ex *ExistingIntegrationError
	if !errors.As(err, &ex) || ex.ID != "123456789" || ex.Host != "organization.aws.amazon.com" || ex.Ambiguous {
		t.Fatalf("got %T %v", err, err)
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || !api.IsConflict(err) {
		t.Errorf("the *Error must stay reachable: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "create integration: ") {
		t.Errorf("not wrapped: %q", err)
	}
	if got := strings.Join(f.sequence(), ","); got != "GET /integrations,POST /integrations" {
		t.Errorf("requests %v, want the look at the hosts and one POST", got)
	}
}

// A 409 on the first POST is someone else's, even when the look before the POST
// did not see it (created in between): it is never adopted.
func TestCreateConflictOnFirstPOSTIsNeverAdopted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			reply(w, 200, `[]`)
			return
		}
		reply(w, 409, string(testdata(t, "error_409_create.json")))
	})
	c, _ := newTestClient(t, f.URL)
	in, err := c.CreateIntegration(context.Background(), docPayload())
	var ex *ExistingIntegrationError
	if in != nil || !errors.As(err, &ex) || ex.Ambiguous {
		t.Fatalf("got %+v, %v", in, err)
	}
}

func TestCreateRetries(t *testing.T) {
	cases := []struct {
		name      string
		statuses  []int // answers before a 200
		wantPOSTs int
		wantErr   bool
	}{
		{"429 then 503 are retried", []int{429, 503}, 3, false},
		// 500, 502 and 504 may come after Immuta acted: a look at the host first, and
		// only when it is empty a re-send.
		{"500 is looked up, then re-sent", []int{500}, 2, false},
		{"502 is looked up, then re-sent", []int{502}, 2, false},
		{"504 is looked up, then re-sent", []int{504}, 2, false},
		{"400 is not retried", []int{400}, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if r.Method == "GET" && r.URL.Path == "/integrations" {
					reply(w, 200, `[]`)
					return
				}
				i := int(n.Add(1)) - 1
				if i < len(tc.statuses) {
					replyErr(w, tc.statuses[i], "nope")
					return
				}
				reply(w, 200, string(testdata(t, "create_response.json")))
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.CreateIntegration(context.Background(), docPayload())
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v", err)
			}
			if !tc.wantErr && in.ID != "123456789" {
				t.Errorf("got %+v", in)
			}
			if got := f.count("POST", "/integrations"); got != tc.wantPOSTs {
				t.Errorf("requests %v, want %d POSTs", f.sequence(), tc.wantPOSTs)
			}
		})
	}
}

func TestCreateAmbiguous(t *testing.T) {
	cases := []struct {
		name       string
		lists      []string // answers of GET /integrations in turn; the last repeats
		secondPOST string   // "ok" or "exists"
		wantSeq    []string
		wantID     string // the integration returned ("" for an error)
		wantAmbig  bool
	}{
		{
			name: "none found: re-sent once", lists: []string{`[]`}, secondPOST: "ok",
			wantSeq: []string{"GET /integrations", "POST /integrations", "GET /integrations", "POST /integrations"},
			wantID:  "123456789",
		},
		{
			name: "found, and the host had none before: this apply's, not re-sent", lists: []string{`[]`, redshiftListWithHost},
			wantSeq: []string{"GET /integrations", "POST /integrations", "GET /integrations"},
			wantID:  "555",
		},
		{
			name: "found, but it was there before: someone else's", lists: []string{redshiftListWithHost},
			wantSeq: []string{"GET /integrations", "POST /integrations", "GET /integrations"},
		},
		{
			name: "none found, then 409 on the re-send: this apply's", lists: []string{`[]`}, secondPOST: "exists",
			wantSeq: []string{"GET /integrations", "POST /integrations", "GET /integrations", "POST /integrations", "GET /integrations/123456789"},
			wantID:  "123456789",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var posts, lists atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				switch {
				case r.Method == "GET" && r.URL.Path == "/integrations":
					i := min(int(lists.Add(1))-1, len(tc.lists)-1)
					reply(w, 200, tc.lists[i])
				case r.Method == "GET" && r.URL.Path == "/integrations/123456789":
					reply(w, 200, string(testdata(t, "get_response.json")))
				case r.Method == "POST" && posts.Add(1) == 1:
					hangUp(t, w)
				case r.Method == "POST" && tc.secondPOST == "exists":
					reply(w, 409, string(testdata(t, "error_409_create.json")))
				case r.Method == "POST":
					reply(w, 200, string(testdata(t, "create_response.json")))
				default:
					t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
				}
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.CreateIntegration(context.Background(), docPayload())
			if got := f.sequence(); strings.Join(got, ",") != strings.Join(tc.wantSeq, ",") {
				t.Errorf("requests %v, want %v", got, tc.wantSeq)
			}
			if tc.wantID != "" {
				if err != nil || in.ID.String() != tc.wantID {
					t.Fatalf("got %+v, %v; want integration %s", in, err, tc.wantID)
				}
				return
			}
			var ex *ExistingIntegrationError
			if !errors.As(err, &ex) || ex.Ambiguous != tc.wantAmbig || ex.ID != "555" {
				t.Fatalf("got %T %v", err, err)
			}
		})
	}
}

// Out of attempts, a create that may have acted is looked for again (a list may
// leave it out) before the outcome is called unknown; it is never re-sent blindly.
func TestCreateAmbiguousBudget(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			reply(w, 200, `[]`)
			return
		}
		hangUp(t, w)
	})
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.RetryMax = 2 })
	_, err := c.CreateIntegration(context.Background(), docPayload())
	want := "GET /integrations,POST /integrations,GET /integrations,POST /integrations,GET /integrations,POST /integrations" +
		strings.Repeat(",GET /integrations", lookupTries)
	if got := strings.Join(f.sequence(), ","); got != want {
		t.Errorf("requests\n got %s\nwant %s", got, want)
	}
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), "outcome is unknown") {
		t.Errorf("got %v", err)
	}
}

// When the look at the hosts before the POST fails, nothing is sent: a create whose
// outcome is lost could not be told apart from someone else's.
func TestCreateHostsUnknownSendsNothing(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			replyErr(w, 403, "forbidden")
			return
		}
		reply(w, 200, string(testdata(t, "create_response.json")))
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.CreateIntegration(context.Background(), docPayload())
	if err == nil || !strings.Contains(err.Error(), "nothing was sent") || f.count("POST", "/integrations") != 0 {
		t.Errorf("got %v after %v", err, f.sequence())
	}
}

func TestCreateLookupFailure(t *testing.T) {
	var lists atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			if lists.Add(1) == 1 {
				reply(w, 200, `[]`)
				return
			}
			replyErr(w, 403, "forbidden")
			return
		}
		hangUp(t, w)
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.CreateIntegration(context.Background(), docPayload())
	if err == nil || !strings.Contains(err.Error(), "looking for it failed") || f.count("POST", "/integrations") != 1 {
		t.Errorf("got %v after %v", err, f.sequence())
	}
}

// failFirst fails its first round trip before anything is written, as a refused
// connection does.
type failFirst struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (f *failFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == "POST" && f.n.Add(1) == 1 {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		return nil, errors.New("dial tcp: connection refused")
	}
	return f.next.RoundTrip(r)
}

func TestCreateNotSentIsRetriedWithoutLookup(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			reply(w, 200, `[]`)
			return
		}
		reply(w, 200, string(testdata(t, "create_response.json")))
	})
	rt := &failFirst{next: http.DefaultTransport}
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.HTTPClient = &http.Client{Transport: rt} })
	in, err := c.CreateIntegration(context.Background(), docPayload())
	if err != nil || in.ID != "123456789" {
		t.Fatalf("got %+v, %v", in, err)
	}
	if got := strings.Join(f.sequence(), ","); got != "GET /integrations,POST /integrations" || rt.n.Load() != 2 {
		t.Errorf("server saw %s after %d POST attempts", got, rt.n.Load())
	}
}

func TestCreateLostAnswer(t *testing.T) {
	cases := []struct {
		name, answer, list string
		wantID             string
	}{
		{"truncated, found", `{"id": "55`, redshiftListWithHost, "555"},
		{"no id, found", `{"status": "creating"}`, redshiftListWithHost, "555"},
		{"truncated, not found", `{"id": "55`, `[]`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var lists atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if r.Method == "GET" {
					if lists.Add(1) == 1 {
						reply(w, 200, `[]`) // before the POST: the host is free
						return
					}
					reply(w, 200, tc.list)
					return
				}
				reply(w, 200, tc.answer)
			})
			c, _ := newTestClient(t, f.URL)
			in, err := c.CreateIntegration(context.Background(), docPayload())
			if tc.wantID != "" && (err != nil || in.ID.String() != tc.wantID) {
				t.Errorf("got %+v, %v; want integration %s", in, err, tc.wantID)
			}
			if tc.wantID == "" && (err == nil || !strings.Contains(err.Error(), "outcome is unknown")) {
				t.Errorf("got %+v, %v", in, err)
			}
			// Found: never re-sent. Not found: a 2xx we cannot read is no proof that
			// Immuta acted (a gateway answers 200 null or {} over Immuta's 409), so it
			// is sent again, a bounded number of times; Immuta's 409 would then name it.
			posts := f.count("POST", "/integrations")
			if tc.wantID != "" && posts != 1 {
				t.Errorf("%v: a 2xx whose integration is found must never be re-sent", f.sequence())
			}
			if tc.wantID == "" && (posts < 2 || posts > c.api.RetryMax()+1) {
				t.Errorf("%v: %d POSTs, want it re-sent at most %d times", f.sequence(), posts, c.api.RetryMax())
			}
		})
	}
}

// The caller's context ends after the POST left (Ctrl-C, the create timeout): the
// lookup runs on a fresh bounded context and finds what the POST made.
func TestCreateContextEndsAfterSend(t *testing.T) {
	for _, found := range []bool{false, true} {
		t.Run(fmt.Sprintf("found=%v", found), func(t *testing.T) {
			release := make(chan struct{})
			var lists atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if r.Method == "GET" {
					if lists.Add(1) > 1 && found {
						reply(w, 200, redshiftListWithHost)
						return
					}
					reply(w, 200, `[]`)
					return
				}
				<-release
			})
			defer close(release)
			c, _ := newTestClient(t, f.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			in, err := c.CreateIntegration(ctx, docPayload())
			switch {
			case found && (err != nil || in.ID != "555"):
				t.Errorf("got %+v, %v; want integration 555", in, err)
			case !found && (!errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "outcome is unknown")):
				t.Errorf("got %v", err)
			}
			if n := f.count("POST", "/integrations"); n != 1 {
				t.Errorf("%d POSTs", n)
			}
			if lists.Load() < 2 {
				t.Errorf("%v: no lookup after the context ended", f.sequence())
			}
		})
	}
}
