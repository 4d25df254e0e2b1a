package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fastTransition keeps lifecycle tests quick while leaving time to observe
// the in-progress status.
const fastTransition = 50 * time.Millisecond

// docHost is the Redshift host of the documentation's payload.
const docHost = "organization.aws.amazon.com"

func start(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := New(append([]Option{WithTransition(fastTransition)}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

// answer is a completed HTTP exchange.
type answer struct {
	code   int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", a.code, err, a.body)
	}
	return m
}

func (a answer) message(t *testing.T) string {
	t.Helper()
	var e APIError
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("answer %d is not an API error: %v\n%s", a.code, err, a.body)
	}
	if e.StatusCode != a.code || e.Error != http.StatusText(a.code) {
		t.Errorf("error body %+v does not match status %d", e, a.code)
	}
	return e.Message
}

// req describes a request; the zero value of auth sends the default key.
type req struct {
	method, path string
	body         any // string, []byte or a value to encode as JSON
	contentType  string
	auth         *string
}

func encodeBody(t *testing.T, body any) io.Reader {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(b)
	case []byte:
		return bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(data)
	}
}

func (r req) build(t *testing.T, s *Server) *http.Request {
	t.Helper()
	hr, err := http.NewRequest(r.method, s.URL+r.path, encodeBody(t, r.body))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case r.contentType != "":
		hr.Header.Set("Content-Type", r.contentType)
	case r.body != nil:
		hr.Header.Set("Content-Type", "application/json")
	}
	key := s.cfg.apiKey
	if r.auth != nil {
		key = *r.auth
	}
	if key != "" {
		hr.Header.Set("Authorization", key)
	}
	return hr
}

// try sends r on a connection of its own, so that Go's transport never
// retries a request whose connection a fault reset.
func try(t *testing.T, s *Server, r req) (answer, error) {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(r.build(t, s))
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{code: resp.StatusCode, header: resp.Header, body: body}, nil
}

func do(t *testing.T, s *Server, r req) answer {
	t.Helper()
	a, err := try(t, s, r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	return a
}

func strp(s string) *string { return &s }

// docPayload returns the documentation's payload, adjusted by edit.
func docPayload(t *testing.T, edit func(p map[string]any, c map[string]any)) map[string]any {
	t.Helper()
	p := readJSON(t, "payload.json").(map[string]any)
	if edit != nil {
		edit(p, p["config"].(map[string]any))
	}
	return p
}

func payloadFor(t *testing.T, host string) map[string]any {
	return docPayload(t, func(_, c map[string]any) { c["host"] = host })
}

func readJSON(t *testing.T, name string) any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func create(t *testing.T, s *Server, payload any) string {
	t.Helper()
	a := do(t, s, req{method: "POST", path: "/integrations", body: payload})
	if a.code != http.StatusOK {
		t.Fatalf("POST /integrations: %d %s", a.code, a.body)
	}
	var st IntegrationStatus
	if err := json.Unmarshal(a.body, &st); err != nil {
		t.Fatal(err)
	}
	return st.ID
}

func getStatus(t *testing.T, s *Server, id string) (int, string) {
	t.Helper()
	a := do(t, s, req{method: "GET", path: "/integrations/" + id + "/status"})
	if a.code != http.StatusOK {
		return a.code, ""
	}
	return a.code, a.json(t)["status"].(string)
}

// waitStatus polls the status endpoint until it answers want ("404" for
// gone), failing after 5s: generous, for machines under load.
func waitStatus(t *testing.T, s *Server, id, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, got := getStatus(t, s, id)
		if got == want || (want == "404" && code == http.StatusNotFound) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("integration %s: status %d %q, want %q", id, code, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func createEnabled(t *testing.T, s *Server, payload any) string {
	t.Helper()
	id := create(t, s, payload)
	waitStatus(t, s, id, StatusEnabled)
	return id
}

func getFull(t *testing.T, s *Server, id string) map[string]any {
	t.Helper()
	a := do(t, s, req{method: "GET", path: "/integrations/" + id})
	if a.code != http.StatusOK {
		t.Fatalf("GET /integrations/%s: %d %s", id, a.code, a.body)
	}
	return a.json(t)
}

func wantCode(t *testing.T, a answer, code int) {
	t.Helper()
	if a.code != code {
		t.Fatalf("status %d, want %d: %s", a.code, code, a.body)
	}
}

func wantMessage(t *testing.T, a answer, code int, msg string) {
	t.Helper()
	wantCode(t, a, code)
	if got := a.message(t); got != msg {
		t.Errorf("message %q, want %q", got, msg)
	}
}

func find(list []Integration, id string) (Integration, bool) {
	for _, in := range list {
		if in.ID == id {
			return in, true
		}
	}
	return Integration{}, false
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
