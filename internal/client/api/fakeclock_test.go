package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
)

// Timing tests run on a fake clock: inside a testing/synctest bubble, time
// stands still while any goroutine of the test runs and jumps to the next
// timer when all of them wait. A fake served in memory (no network, which the
// bubble's clock cannot wait on) then answers in zero time, so a lag, a
// deadline or a retry wait is measured exactly, whatever the load on the
// machine, and a bound on it is a property of the code, not of the machine.

// inMemory maps the base URL of each in-memory fake to its handler.
var (
	inMemory    sync.Map // string -> http.Handler
	inMemorySeq atomic.Int64
)

// serveInMemory registers h and returns the base URL that reaches it.
func serveInMemory(h http.Handler) string {
	u := fmt.Sprintf("http://immuta-%d.test", inMemorySeq.Add(1))
	inMemory.Store(u, h)
	return u
}

// inMemoryClient is the HTTP client of a Client whose base URL is an in-memory fake's.
func inMemoryClient(baseURL string) (*http.Client, bool) {
	h, ok := inMemory.Load(baseURL)
	if !ok {
		return nil, false
	}
	return &http.Client{Transport: handlerTransport{h.(http.Handler)}}, true
}

// handlerTransport serves each request with h in the caller's goroutine.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	if r.Body == nil {
		r.Body = http.NoBody // as a server sees a request without a body
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err // the caller gave up while the fake was answering
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// newInMemoryFake is newFake without a network, for tests on the fake clock.
func newInMemoryFake(h func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeImmuta {
	f := &fakeImmuta{}
	f.Server = &httptest.Server{URL: serveInMemory(f.handler(h))}
	return f
}
