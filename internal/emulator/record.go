package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
)

// The recorder keeps what the emulator received, so that tests can prove what
// a client sent rather than what it meant to send: every POST, PUT and DELETE
// that reached the API, accepted or refused (faulted, unauthorized, invalid), and
// the credentials each carried, exactly as they arrived. Answers redact
// credentials, so without it a client that sends a wrong password would look
// exactly like one that sends the right one.

// Received is one POST, PUT or DELETE that reached the API.
type Received struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Route  string    `json:"route"` // the route pattern, e.g. "PUT /integrations/{id}"
	At     time.Time `json:"at"`
	// Code is the status answered; 0 when the connection was reset instead.
	Code int `json:"code"`
	// Fault is the fault injected into the request, "none" for none.
	Fault Fault `json:"fault"`
	// Host is the Redshift host the body names ("" when it names none).
	Host string `json:"host,omitempty"`
	// Credentials are the body's credentials as sent, unredacted.
	Credentials Credentials `json:"credentials"`
}

// Accepted reports whether the emulator answered with a 2xx.
func (r Received) Accepted() bool { return r.Code >= 200 && r.Code < 300 }

// Credentials are the credential fields of a body, as sent. An absent field
// is "".
type Credentials struct {
	AuthenticationType string `json:"authenticationType,omitempty"`
	Username           string `json:"username,omitempty"`
	Password           string `json:"password,omitempty"`
	DatabaseUser       string `json:"databaseUser,omitempty"`
	AccessKeyID        string `json:"accessKeyId,omitempty"`
	SecretKey          string `json:"secretKey,omitempty"`
	SessionToken       string `json:"sessionToken,omitempty"`
}

type receivedBook struct {
	mu   sync.Mutex
	list []Received
}

func (b *receivedBook) add(r Received) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.list = append(b.list, r)
}

func (b *receivedBook) snapshot() []Received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.list)
}

// recordable reports whether r is a request the recorder keeps.
func recordable(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// peekBody reads r's body for the recorder and puts it back for the handler.
// It reads at most maxBodyBytes+1, so the handler still sees an oversized body
// as oversized.
func peekBody(r *http.Request) []byte {
	if !recordable(r) || r.Body == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	rest := r.Body
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(data), rest), rest}
	if err != nil {
		return nil
	}
	return data
}

// recordRequest keeps one request once it was answered (or dropped).
func (s *Server) recordRequest(r *http.Request, route string, body []byte, sw *statusWriter, fault Fault) {
	if !recordable(r) {
		return
	}
	rec := Received{Method: r.Method, Path: r.URL.Path, Route: route, At: time.Now(), Fault: fault}
	if !sw.reset {
		rec.Code = sw.code
	}
	rec.Host, rec.Credentials = credentialsOf(r.Header.Get("Content-Type"), body)
	s.received.add(rec)
}

// credentialsOf reads the credentials of a payload ({"config": {...}}) or of a
// DELETE body (the fields at the top level), JSON or YAML. A body that is
// neither yields nothing.
func credentialsOf(contentType string, body []byte) (host string, c Credentials) {
	if len(bytes.TrimSpace(body)) == 0 {
		return "", c
	}
	if isYAML(contentType) {
		j, err := yaml.YAMLToJSON(body)
		if err != nil {
			return "", c
		}
		body = j
	}
	var top map[string]any
	if json.Unmarshal(body, &top) != nil {
		return "", c
	}
	fields := top
	if cfg, ok := top["config"].(map[string]any); ok {
		fields = cfg
	}
	str := func(k string) string { v, _ := fields[k].(string); return v }
	c = Credentials{
		AuthenticationType: str("authenticationType"),
		Username:           str("username"),
		Password:           str("password"),
		DatabaseUser:       str("databaseUser"),
		AccessKeyID:        str("accessKeyId"),
		SecretKey:          str("secretKey"),
		SessionToken:       str("sessionToken"),
	}
	return str("host"), c
}

// Received returns every POST, PUT and DELETE that reached the API, in the
// order they were answered, with the credentials they carried as sent.
func (s *Server) Received() []Received { return s.received.snapshot() }

// ReceivedFor returns the requests whose route is route (e.g.
// "POST /integrations"), and whose body names host when host is not "".
func (s *Server) ReceivedFor(route, host string) []Received {
	var out []Received
	for _, r := range s.received.snapshot() {
		if r.Route == route && (host == "" || strings.EqualFold(r.Host, host)) {
			out = append(out, r)
		}
	}
	return out
}

// CredentialsReceived returns the credentials of the last accepted create
// (POST /integrations) or edit (PUT /integrations/{id}) whose body names host:
// what Immuta would hold for that integration. ok is false when none was
// accepted.
func (s *Server) CredentialsReceived(host string) (c Credentials, ok bool) {
	for _, r := range s.received.snapshot() {
		if (r.Route == routeCreate || r.Route == routeUpdate) && r.Accepted() && strings.EqualFold(r.Host, host) {
			c, ok = r.Credentials, true
		}
	}
	return c, ok
}

const (
	routeCreate = "POST /integrations"
	routeUpdate = "PUT /integrations/{id}"
)
