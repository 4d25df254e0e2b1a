package emulator

import (
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// StrayRequest is a request that reached the other origin, where the
// redirect faults point: a client that follows them sends its body (and
// perhaps its key) to a host that is not the tenant.
type StrayRequest struct {
	Method        string `json:"method"`
	Path          string `json:"path"`
	Authorization string `json:"-"` // the header as it arrived; kept out of the admin surface
	HasAuth       bool   `json:"authorization"`
	Body          []byte `json:"-"` // kept out of the admin surface: it may hold secrets
	BodyBytes     int    `json:"bodyBytes"`
}

// otherOriginServer is the second listener, started on the first redirect.
type otherOriginServer struct {
	URL  string
	srv  *http.Server
	done chan struct{}
	mu   sync.Mutex
	seen []StrayRequest
}

// otherOrigin starts the second listener on first use: on 127.0.0.2 where
// the system routes it, else on another port of 127.0.0.1 (another origin
// too). When neither listens, the redirect points at a closed port.
func (s *Server) otherOrigin() *otherOriginServer {
	s.elsewhereMu.Lock()
	defer s.elsewhereMu.Unlock()
	if s.elsewhere != nil {
		return s.elsewhere
	}
	o := &otherOriginServer{URL: "http://127.0.0.2:9", done: make(chan struct{})}
	s.elsewhere = o
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		close(o.done)
		return o
	}
	o.URL = "http://" + ln.Addr().String()
	o.srv = &http.Server{Handler: http.HandlerFunc(o.serve(s)), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		defer close(o.done)
		_ = o.srv.Serve(ln)
	}()
	return o
}

// serve records the request and answers as a tenant would, with an id that
// is none of the tenant's, so that a client believing it is caught.
func (o *otherOriginServer) serve(s *Server) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		auth := r.Header.Get("Authorization")
		o.mu.Lock()
		o.seen = append(o.seen, StrayRequest{Method: r.Method, Path: r.URL.Path, Authorization: auth, HasAuth: auth != "", Body: body, BodyBytes: len(body)})
		o.mu.Unlock()
		s.stats.stray()
		writeJSON(w, http.StatusOK, map[string]any{"id": "666", "status": StatusEnabled, "type": typeRedshift,
			"validationResults": map[string]any{"status": "passed", "validationTests": []any{}}, "config": map[string]any{"host": "elsewhere.example"}})
	}
}

func (o *otherOriginServer) close() {
	if o.srv != nil {
		_ = o.srv.Close()
	}
	<-o.done
}

// OtherOrigin returns the requests that reached the other origin the
// redirect faults point at, in arrival order.
func (s *Server) OtherOrigin() []StrayRequest {
	s.elsewhereMu.Lock()
	o := s.elsewhere
	s.elsewhereMu.Unlock()
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]StrayRequest(nil), o.seen...)
}

// OtherOriginURL is where the redirect faults point, e.g. http://127.0.0.2:40123.
func (s *Server) OtherOriginURL() string { return s.otherOrigin().URL }
