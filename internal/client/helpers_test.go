package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "tok-846e9e43c86a4ct1be14290d95127d13f"

type recordedRequest struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// fakeImmuta is an httptest server whose handler the test writes; it records every
// request it sees.
type fakeImmuta struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recordedRequest
}

func newFake(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeImmuta {
	t.Helper()
	f := &fakeImmuta{}
	f.Server = httptest.NewServer(f.handler(h))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeImmuta) handler(h func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recordedRequest{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: body})
		f.mu.Unlock()
		h(w, r, body)
	})
}

func (f *fakeImmuta) requests() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.reqs...)
}

func (f *fakeImmuta) count(method, path string) int {
	n := 0
	for _, r := range f.requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func (f *fakeImmuta) sequence() []string {
	var out []string
	for _, r := range f.requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

type logEntry struct {
	Level  Level
	Msg    string
	Fields map[string]any
}

type recLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *recLogger) Log(_ context.Context, level Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, fields})
}

func (l *recLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// dump renders every entry, fields sorted, for "never appears" checks.
func (l *recLogger) dump() string {
	var b strings.Builder
	for _, e := range l.all() {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "%s %s", e.Level, e.Msg)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%v", k, e.Fields[k])
		}
		b.WriteString("\n")
	}
	return b.String()
}

var fastPoll = PollSchedule{Initial: 2 * time.Millisecond, FastFor: 20 * time.Millisecond, Max: 10 * time.Millisecond, Factor: 1.5}

func newTestClient(t *testing.T, baseURL string, mods ...func(*Config)) (*Client, *recLogger) {
	t.Helper()
	l := &recLogger{}
	cfg := Config{Connection: Connection{
		BaseURL:      baseURL,
		APIToken:     testToken,
		UserAgent:    "client-test/1.0",
		Logger:       l,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 4 * time.Millisecond,
	}, Poll: fastPoll}
	if hc, ok := inMemoryClient(baseURL); ok {
		cfg.HTTPClient = hc // on the fake clock: fakeclock_test.go
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, l
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body) //nolint:gosec // G705: a test server answering canned JSON
}

func replyErr(w http.ResponseWriter, status int, message string) {
	b, _ := json.Marshal(map[string]any{"statusCode": status, "error": http.StatusText(status), "message": message})
	reply(w, status, string(b))
}

// hangUp closes the connection without an answer, after the request was read: to the
// client the request may have been acted on.
func hangUp(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("server cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close()
}

func jsonEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs:\n got: %s\nwant: %s", got, want)
	}
}

// docPayload is the payload of the documentation's curl examples.
func docPayload() Payload {
	return Payload{
		Type: TypeRedshift,
		Config: RedshiftConfig{
			Host:               "organization.aws.amazon.com",
			Database:           "immuta",
			Impersonation:      &Impersonation{Enabled: false},
			AuthenticationType: AuthUserPassword,
			Username:           "taylor@redshift.com",
			Password:           "abc1234",
		},
	}
}

// hasStatus: err is, or wraps, an *Error with status code.
func hasStatus(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == code
}

// jsonEscape is s as it appears inside a JSON string (what an echo of it holds),
// without the quotes.
func jsonEscape(s string, escapeHTML bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// replyHTML answers a gateway's HTML error page: not Immuta's error shape.
func replyHTML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body>nginx</body></html>", status, http.StatusText(status))
}
