package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const redshiftListWithHost = `[{"id": "1", "status": "enabled", "type": "Snowflake", "config": {"host": "organization.aws.amazon.com"}},
  {"id": 555, "status": "creating", "type": "Redshift", "config": {"host": "ORGANIZATION.aws.amazon.com", "database": "immuta"}}]`

func TestCreateConflictIsExistingIntegration(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		reply(w, 409, string(testdata(t, "error_409_create.json")))
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.CreateIntegration(context.Background(), docPayload())
	var ex *ExistingIntegrationError
	if !errors.As(err, &ex) || ex.ID != "123456789" || ex.Host != "organization.aws.amazon.com" || ex.Ambiguous {
		t.Fatalf("got %T %v", err, err)
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || !IsConflict(err) {
		t.Errorf("the *Error must stay reachable: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "create integration: ") {
		t.Errorf("not wrapped: %q", err)
	}
	if got := f.sequence(); len(got) != 1 {
		t.Errorf("requests %v, want one POST", got)
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
		{"500 is not retried", []int{500}, 1, true},
		{"502 is not retried", []int{502}, 1, true},
		{"504 is not retried", []int{504}, 1, true},
		{"400 is not retried", []int{400}, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if r.Method != "POST" {
					t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
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
			if got := f.count("POST", "/integrations"); got != tc.wantPOSTs || len(f.requests()) != tc.wantPOSTs {
				t.Errorf("requests %v, want %d POSTs and nothing else", f.sequence(), tc.wantPOSTs)
			}
		})
	}
}

func TestCreateAmbiguous(t *testing.T) {
	cases := []struct {
		name        string
		firstPOSTs  int    // how many POSTs are hung up on before answering normally
		list        string // answer of GET /integrations
		secondPOST  string // "ok" or "exists"
		wantSeq     []string
		wantAmbig   bool
		wantCreated bool
	}{
		{
			name: "none found: re-sent once", firstPOSTs: 1, list: `[]`, secondPOST: "ok",
			wantSeq:     []string{"POST /integrations", "GET /integrations", "POST /integrations"},
			wantCreated: true,
		},
		{
			name: "one found: not re-sent", firstPOSTs: 1, list: redshiftListWithHost,
			wantSeq:   []string{"POST /integrations", "GET /integrations"},
			wantAmbig: true,
		},
		{
			name: "none found, then 409 on the re-send", firstPOSTs: 1, list: `[]`, secondPOST: "exists",
			wantSeq:   []string{"POST /integrations", "GET /integrations", "POST /integrations"},
			wantAmbig: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var posts atomic.Int32
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				switch {
				case r.Method == "GET" && r.URL.Path == "/integrations":
					reply(w, 200, tc.list)
				case r.Method == "POST" && int(posts.Add(1)) <= tc.firstPOSTs:
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
			if tc.wantCreated {
				if err != nil || in.ID != "123456789" {
					t.Fatalf("got %+v, %v", in, err)
				}
				return
			}
			var ex *ExistingIntegrationError
			if !errors.As(err, &ex) || ex.Ambiguous != tc.wantAmbig || ex.ID == "" {
				t.Fatalf("got %T %v", err, err)
			}
			if tc.list != `[]` && ex.ID != "555" {
				t.Errorf("found id %q, want 555", ex.ID)
			}
		})
	}
}

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
	want := "POST /integrations,GET /integrations,POST /integrations,GET /integrations,POST /integrations"
	if got := strings.Join(f.sequence(), ","); got != want {
		t.Errorf("requests\n got %s\nwant %s", got, want)
	}
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), "may exist") {
		t.Errorf("got %v", err)
	}
}

func TestCreateLookupFailure(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method == "GET" {
			replyErr(w, 403, "forbidden")
			return
		}
		hangUp(t, w)
	})
	c, _ := newTestClient(t, f.URL)
	_, err := c.CreateIntegration(context.Background(), docPayload())
	if err == nil || !strings.Contains(err.Error(), "checking whether it was created failed") || f.count("POST", "/integrations") != 1 {
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
	if f.n.Add(1) == 1 {
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
		reply(w, 200, string(testdata(t, "create_response.json")))
	})
	rt := &failFirst{next: http.DefaultTransport}
	c, _ := newTestClient(t, f.URL, func(c *Config) { c.HTTPClient = &http.Client{Transport: rt} })
	in, err := c.CreateIntegration(context.Background(), docPayload())
	if err != nil || in.ID != "123456789" {
		t.Fatalf("got %+v, %v", in, err)
	}
	if got := strings.Join(f.sequence(), ","); got != "POST /integrations" || rt.n.Load() != 2 {
		t.Errorf("server saw %s after %d attempts", got, rt.n.Load())
	}
}

func TestCreateLostAnswer(t *testing.T) {
	cases := []struct {
		name, answer, list string
		wantExisting       bool
	}{
		{"truncated, found", `{"id": "55`, redshiftListWithHost, true},
		{"no id, found", `{"status": "creating"}`, redshiftListWithHost, true},
		{"truncated, not found", `{"id": "55`, `[]`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if r.Method == "GET" {
					reply(w, 200, tc.list)
					return
				}
				reply(w, 200, tc.answer)
			})
			c, _ := newTestClient(t, f.URL)
			_, err := c.CreateIntegration(context.Background(), docPayload())
			var ex *ExistingIntegrationError
			if errors.As(err, &ex) != tc.wantExisting || (tc.wantExisting && (!ex.Ambiguous || ex.ID != "555")) {
				t.Errorf("got %v", err)
			}
			if err == nil || f.count("POST", "/integrations") != 1 {
				t.Errorf("got %v after %v: a 2xx must never be re-sent", err, f.sequence())
			}
		})
	}
}

func TestCreateContextEndsAfterSend(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		<-release
	})
	defer close(release)
	c, _ := newTestClient(t, f.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.CreateIntegration(ctx, docPayload())
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "outcome is unknown") {
		t.Errorf("got %v", err)
	}
	if n := f.count("POST", "/integrations"); n != 1 {
		t.Errorf("%d POSTs", n)
	}
}
