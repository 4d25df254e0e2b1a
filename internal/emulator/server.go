// Package emulator emulates Immuta's Integrations API for Amazon Redshift,
// in the spirit of net/http/httptest, for acceptance tests, benchmarks and
// chaos tests of the provider. It follows the project's API contract
// (CONTRACT.md, beside this file) and shares no code with the client, so
// that a misreading of the contract in one does not hide in the other.
package emulator

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is a running emulator.
type Server struct {
	// URL is the base URL of the tenant, e.g. http://127.0.0.1:41234.
	URL string

	cfg     config
	store   *store
	stats   *statsBook
	faults  *faultInjector
	limiter atomic.Pointer[rateLimiter] // nil: no rate limit
	api     *http.ServeMux
	admin   http.Handler
	handler http.Handler

	// received is what reached the API (record.go).
	received *receivedBook
	// rivals is what a second creator racing a create made (rival.go).
	rivals rivals

	httpSrv   *http.Server
	serveDone chan struct{}
	closing   chan struct{}
	closeOnce sync.Once
	// Close waits for handlers; mu orders their registration with it.
	mu       sync.RWMutex
	closed   bool
	handlers sync.WaitGroup

	elsewhereMu sync.Mutex
	elsewhere   *otherOriginServer
}

// New starts a Server on a loopback port, like httptest.NewServer. It
// panics if no port is free.
func New(opts ...Option) *Server {
	s, err := Listen("127.0.0.1:0", opts...)
	if err != nil {
		panic(fmt.Sprintf("emulator: failed to listen on a port: %v", err))
	}
	return s
}

// Listen starts a Server on addr.
func Listen(addr string, opts ...Option) (*Server, error) {
	s := newServer(opts...)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.URL = "http://" + ln.Addr().String()
	errLog := log.New(io.Discard, "", 0)
	if s.cfg.logger != nil {
		errLog = s.cfg.logger
	}
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
	s.serveDone = make(chan struct{})
	go func() {
		defer close(s.serveDone)
		_ = s.httpSrv.Serve(ln)
	}()
	return s, nil
}

func newServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:     cfg,
		store:   newStore(cfg.transition, cfg.deletedRetention),
		stats:   newStatsBook(),
		faults:  newFaultInjector(cfg.faultSequence, cfg.faultPolicies, cfg.omission),
		closing: make(chan struct{}),

		received: &receivedBook{},
	}
	s.limiter.Store(newRateLimiter(cfg.ratePerSecond, cfg.rateBurst))
	if cfg.foreign {
		s.seedForeign()
	}
	s.seedForeignCount(cfg.foreignCount)
	s.seed(cfg.seeds)
	s.api = s.apiRoutes()
	s.admin = s.adminRoutes()
	s.handler = http.HandlerFunc(s.serve)
	return s
}

func (s *Server) seedForeign() {
	for _, in := range foreignIntegrations() {
		s.store.records[in.ID] = &record{
			id:            in.ID,
			typ:           in.Type,
			autoBootstrap: in.AutoBootstrap,
			config:        in.Config,
			status:        in.Status,
			validation:    in.ValidationResults,
		}
		if n, err := strconv.Atoi(in.ID); err == nil && n >= s.store.nextID {
			s.store.nextID = n + 1
		}
	}
}

// Handler returns the emulator's handler, for use without its listener.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server at once, dropping the requests in progress, and
// waits for their handlers to return.
func (s *Server) Close() {
	s.shutdown(func() {
		close(s.closing)
		if s.httpSrv != nil {
			_ = s.httpSrv.Close()
		}
	})
}

// Shutdown stops accepting requests and lets those in progress finish; when
// ctx ends first it drops them as Close does.
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	s.shutdown(func() {
		if s.httpSrv != nil {
			err = s.httpSrv.Shutdown(ctx)
		}
		close(s.closing)
		if err != nil {
			_ = s.httpSrv.Close()
		}
	})
	return err
}

func (s *Server) shutdown(stop func()) {
	s.closeOnce.Do(func() {
		stop()
		if s.serveDone != nil {
			<-s.serveDone
		}
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.handlers.Wait()
		s.elsewhereMu.Lock()
		if s.elsewhere != nil {
			s.elsewhere.close()
		}
		s.elsewhereMu.Unlock()
	})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_emulator" || strings.HasPrefix(r.URL.Path, "/_emulator/") {
		s.admin.ServeHTTP(w, r)
		return
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		panic(http.ErrAbortHandler)
	}
	s.handlers.Add(1)
	s.mu.RUnlock()
	defer s.handlers.Done()

	_, pattern := s.api.Handler(r)
	s.stats.request(routeKey(r, pattern))
	sw := &statusWriter{ResponseWriter: w}
	fault := FaultNone
	body := peekBody(r)
	defer func() {
		s.logRequest(r, sw, fault)
		s.recordRequest(r, routeKey(r, pattern), body, sw, fault)
	}()

	if !s.pause(r, s.cfg.latency) {
		panic(http.ErrAbortHandler)
	}
	if s.rateLimited(sw) {
		return
	}
	fault = s.faults.next(r, pattern)
	if fault == FaultNone {
		s.handleAPI(sw, r)
		return
	}
	s.stats.fault(fault)
	s.inject(fault, sw, r)
}

// pause waits d unless the client leaves or the server closes first; then
// the request is dropped rather than answered half-handled.
func (s *Server) pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	if e := s.authorize(r); e != nil {
		writeError(w, e)
		return
	}
	s.api.ServeHTTP(w, r)
}

func routeKey(r *http.Request, pattern string) string {
	if pattern == "" || pattern == "/" {
		return r.Method + " (unmatched)"
	}
	return pattern
}

func (s *Server) logRequest(r *http.Request, sw *statusWriter, fault Fault) {
	if s.cfg.logger == nil {
		return
	}
	status := "-"
	switch {
	case sw.reset:
		status = "reset"
	case sw.code != 0:
		status = strconv.Itoa(sw.code)
	}
	line := fmt.Sprintf("%s %s %s", r.Method, r.URL.Path, status)
	if fault != FaultNone {
		line += " fault=" + string(fault)
	}
	s.cfg.logger.Print(line)
}

// statusWriter remembers the status for the log; Unwrap lets
// http.ResponseController reach the connection to hijack.
type statusWriter struct {
	http.ResponseWriter
	code  int
	reset bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recorder holds an answer that a fault will spoil.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(b)
}
