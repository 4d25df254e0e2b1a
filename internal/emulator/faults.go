package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Fault is a failure injected into an API request, as proxies, gateways,
// rate limiters and networks inflict them on a real tenant.
type Fault string

const (
	FaultNone Fault = "none"
	// Fault429 answers 429 with Retry-After: 1; the request is not acted on.
	Fault429 Fault = "429"
	// FaultImmuta503 answers with Immuta's own 503 error object (JSON); the
	// request is not acted on.
	FaultImmuta503 Fault = "immuta-503"
	// Fault500 to Fault504 answer with a proxy's HTML error page; the request
	// is not acted on.
	Fault500 Fault = "500"
	Fault502 Fault = "502"
	Fault503 Fault = "503"
	Fault504 Fault = "504"
	// FaultActed500 to FaultActed504 act on the request, then answer with a
	// proxy's HTML error page: the gateway gave up after Immuta acted.
	FaultActed500 Fault = "acted-500"
	FaultActed502 Fault = "acted-502"
	FaultActed503 Fault = "acted-503"
	FaultActed504 Fault = "acted-504"
	// FaultReset closes the connection without an answer before acting.
	FaultReset Fault = "reset"
	// FaultLostAnswer acts on the request, then resets the connection
	// instead of answering: the client cannot know it succeeded.
	FaultLostAnswer Fault = "lost-answer"
	// FaultHang holds the request open without acting until the client
	// leaves (or WithHangLimit passes), then drops the connection.
	FaultHang Fault = "hang"
	// FaultHangAfter acts on the request, then holds it open as FaultHang.
	FaultHangAfter Fault = "hang-after"
	// FaultTruncated acts on the request and sends the first half of the
	// real answer with a 200.
	FaultTruncated Fault = "truncated"
	// FaultHTML200 acts on the request and answers 200 with a proxy's HTML
	// login page instead of the real answer.
	FaultHTML200 Fault = "html-200"
	// FaultWrongID acts on the request and answers with another
	// integration's id (a cached or misrouted answer). It applies to answers
	// that are one integration (create, GET, PUT, DELETE, status).
	FaultWrongID Fault = "wrong-id"
	// FaultOmit acts on GET /integrations and leaves out the integrations
	// chosen by WithOmission (all Redshift ones when none are chosen).
	FaultOmit Fault = "omit"
	// FaultRedirect301 to FaultRedirect308 redirect, without acting, to the
	// same path on another origin: a second listener (127.0.0.2 where the
	// system allows) that records what reaches it (Server.OtherOrigin).
	FaultRedirect301 Fault = "redirect-301"
	FaultRedirect302 Fault = "redirect-302"
	FaultRedirect307 Fault = "redirect-307"
	FaultRedirect308 Fault = "redirect-308"
	// FaultRedirectSame redirects with 307 to the same path on this origin.
	FaultRedirectSame Fault = "redirect-same"
	// FaultRedirectSame301 to FaultRedirectSame308 redirect, without acting, to
	// the same path on this origin with that code, as a gateway that
	// canonicalises URLs does. A client that follows a 301, 302 or 303 the way
	// browsers (and Go's client) do re-sends a POST, PUT or DELETE as a GET, which
	// this origin then answers as a read: the write never happens.
	FaultRedirectSame301 Fault = "redirect-same-301"
	FaultRedirectSame302 Fault = "redirect-same-302"
	FaultRedirectSame303 Fault = "redirect-same-303"
	FaultRedirectSame308 Fault = "redirect-same-308"
	// FaultGateway404 answers, without acting, a gateway's HTML 404 page (a
	// route the gateway does not know, or a backend it lost): a 404 that is not
	// Immuta's, whatever the path.
	FaultGateway404 Fault = "gateway-404"
	// FaultEmpty404 answers, without acting, 404 with an empty body.
	FaultEmpty404 Fault = "empty-404"
	// FaultNull200 acts on the request, then answers 200 with the body null:
	// a gateway or cache that lost the real answer's body. For a read, acting
	// changes nothing; for a write, Immuta did what was asked.
	FaultNull200 Fault = "null-200"
	// FaultEmptyObject200 acts as FaultNull200 but answers {}.
	FaultEmptyObject200 Fault = "empty-object-200"
	// FaultEcho refuses the request with a 400 whose message echoes the
	// request body, JSON-escaped with \u003c, \u0026 and \" (Go's style).
	FaultEcho Fault = "echo"
	// FaultEchoUnescaped echoes as FaultEcho with only \" and \\ escaped
	// (Node's style: < > & stay raw).
	FaultEchoUnescaped Fault = "echo-unescaped"
	// FaultEchoHTML echoes the body inside an HTML error page (&lt; &amp;).
	FaultEchoHTML Fault = "echo-html"
	// FaultEchoURL echoes the body URL-encoded in the JSON message.
	FaultEchoURL Fault = "echo-url"
	// FaultEchoBase64 echoes the body base64-encoded (standard alphabet,
	// padded) in the JSON message.
	FaultEchoBase64 Fault = "echo-base64"
	// FaultEchoYAML echoes the body as YAML in the JSON message, every
	// string single-quoted with ' doubled: password: 'Pässw0rd''Zq&<x>'.
	FaultEchoYAML Fault = "echo-yaml"
	// FaultSlow delays the request (2s unless WithSlowDelay), then handles it.
	FaultSlow Fault = "slow"
)

// AllFaults lists every fault kind; a FaultPolicy without Kinds uses them all.
var AllFaults = []Fault{
	Fault429, FaultImmuta503, Fault500, Fault502, Fault503, Fault504,
	FaultActed500, FaultActed502, FaultActed503, FaultActed504,
	FaultReset, FaultLostAnswer, FaultHang, FaultHangAfter,
	FaultTruncated, FaultHTML200, FaultWrongID, FaultOmit,
	FaultRedirect301, FaultRedirect302, FaultRedirect307, FaultRedirect308, FaultRedirectSame,
	FaultRedirectSame301, FaultRedirectSame302, FaultRedirectSame303, FaultRedirectSame308,
	FaultGateway404, FaultEmpty404, FaultNull200, FaultEmptyObject200,
	FaultEcho, FaultEchoUnescaped, FaultEchoHTML, FaultEchoURL, FaultEchoBase64, FaultEchoYAML,
	FaultSlow,
}

// ParseFault accepts the fault names above and RaceFaults', as the command's -faults
// flag does.
func ParseFault(s string) (Fault, error) {
	f := Fault(strings.TrimSpace(s))
	if f == FaultNone || slices.Contains(AllFaults, f) || slices.Contains(RaceFaults, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown fault %q", s)
}

// Acts reports whether the server acts on a request before the fault spoils
// its answer (the request may have taken effect although the client sees a
// failure). FaultSlow acts too, late.
func (f Fault) Acts() bool {
	row, ok := spoilers[f]
	return f == FaultSlow || (ok && row.acts)
}

// FaultPolicy injects random faults.
type FaultPolicy struct {
	Rate    float64  `json:"rate"`              // 0..1, the fraction of eligible API requests faulted
	Kinds   []Fault  `json:"kinds,omitempty"`   // chosen uniformly among those that apply; empty means AllFaults
	Seed    int64    `json:"seed,omitempty"`    // makes a run reproducible
	Count   int      `json:"count,omitempty"`   // when > 0, the policy injects at most Count faults
	Methods []string `json:"methods,omitempty"` // when set, only requests with these methods are eligible
	// Paths, when set, makes only requests to these paths eligible: a URL
	// path ("/integrations") or a route ("/integrations/{id}/status").
	Paths []string `json:"paths,omitempty"`
	// Rotate chooses the kinds in turn (the next one in Kinds that applies to the
	// request) instead of at random, so that a test mixing many kinds sees every
	// one of them within a bounded number of faults.
	Rotate bool `json:"rotate,omitempty"`
}

// Omission chooses the integrations FaultOmit leaves out of lists; an
// integration matching any field is left out. The zero value leaves out
// every Redshift integration.
type Omission struct {
	IDs      []string `json:"ids,omitempty"`
	Hosts    []string `json:"hosts,omitempty"`
	Statuses []string `json:"statuses,omitempty"`
}

func (o Omission) omits(id, typ, host, status string) bool {
	if len(o.IDs) == 0 && len(o.Hosts) == 0 && len(o.Statuses) == 0 {
		return typ == typeRedshift
	}
	return slices.Contains(o.IDs, id) || slices.Contains(o.Hosts, host) || slices.Contains(o.Statuses, status)
}

// FaultSettings are the injector's settings as the admin surface reads and
// replaces them (GET and PUT /_emulator/faults).
type FaultSettings struct {
	Policies []FaultPolicy `json:"policies"`
	Sequence []Fault       `json:"sequence"`
	Omission Omission      `json:"omission"`
}

type policyState struct {
	FaultPolicy
	rng   *rand.Rand
	fired int
	next  int // the kind Rotate tries first
}

type faultInjector struct {
	mu       sync.Mutex
	seq      []Fault
	policies []*policyState
	omission Omission
}

func newFaultInjector(seq []Fault, ps []FaultPolicy, o Omission) *faultInjector {
	f := &faultInjector{}
	f.set(FaultSettings{Policies: ps, Sequence: seq, Omission: o})
	return f
}

// set replaces the settings; the random choices start again from the seeds.
func (f *faultInjector) set(s FaultSettings) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq = append([]Fault(nil), s.Sequence...)
	f.omission = s.Omission
	f.policies = nil
	for _, p := range s.Policies {
		p.Kinds = append([]Fault(nil), p.Kinds...)
		if len(p.Kinds) == 0 {
			p.Kinds = AllFaults
		}
		f.policies = append(f.policies, &policyState{
			FaultPolicy: p,
			rng:         rand.New(rand.NewPCG(uint64(p.Seed), uint64(p.Seed)^0x9e3779b97f4a7c15)),
		})
	}
}

func (f *faultInjector) settings() FaultSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := FaultSettings{Policies: []FaultPolicy{}, Sequence: append([]Fault{}, f.seq...), Omission: f.omission}
	for _, p := range f.policies {
		s.Policies = append(s.Policies, p.FaultPolicy)
	}
	return s
}

func (f *faultInjector) omits() Omission {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.omission
}

// next picks the fault of a request: the sequence first, then the policies
// in order, the first that faults deciding. route is the mux pattern.
func (f *faultInjector) next(r *http.Request, route string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seq) > 0 {
		k := f.seq[0]
		f.seq = f.seq[1:]
		return k
	}
	for _, p := range f.policies {
		if k := p.pick(r, route); k != FaultNone {
			return k
		}
	}
	return FaultNone
}

func (p *policyState) pick(r *http.Request, route string) Fault {
	if p.Rate <= 0 || (p.Count > 0 && p.fired >= p.Count) {
		return FaultNone
	}
	if len(p.Methods) > 0 && !slices.ContainsFunc(p.Methods, func(m string) bool { return strings.EqualFold(m, r.Method) }) {
		return FaultNone
	}
	_, routePath, _ := strings.Cut(route, " ")
	if len(p.Paths) > 0 && !slices.ContainsFunc(p.Paths, func(x string) bool { return x == r.URL.Path || x == routePath }) {
		return FaultNone
	}
	kinds := slices.DeleteFunc(slices.Clone(p.Kinds), func(k Fault) bool { return !applies(k, route) })
	// The draw happens whatever applies, so that a seed gives the same
	// choices for the same sequence of requests.
	if p.rng.Float64() >= p.Rate || len(kinds) == 0 {
		return FaultNone
	}
	p.fired++
	if p.Rotate {
		for i := range p.Kinds {
			k := p.Kinds[(p.next+i)%len(p.Kinds)]
			if applies(k, route) {
				p.next = (p.next + i + 1) % len(p.Kinds)
				return k
			}
		}
	}
	return kinds[p.rng.IntN(len(kinds))]
}

// applies says whether a randomly chosen fault can spoil a route's answer.
func applies(k Fault, route string) bool {
	switch k {
	case FaultOmit:
		return route == "GET /integrations"
	case FaultWrongID:
		return slices.Contains(oneIntegrationRoutes, route)
	case FaultRivalImmuta503, FaultRival503, FaultRivalReset:
		return route == "POST /integrations"
	}
	return true
}

var oneIntegrationRoutes = []string{
	"POST /integrations", "GET /integrations/{id}", "PUT /integrations/{id}",
	"DELETE /integrations/{id}", "GET /integrations/{id}/status",
}

// exchange is a faulted request on its way: the body the server read, and,
// for faults that act, the real answer recorded before it is spoilt.
type exchange struct {
	s    *Server
	w    *statusWriter
	r    *http.Request
	body []byte
	rec  *recorder
}

// spoiling is one row of the fault table: whether the server acts on the
// request first, and what the client is sent instead of (or made of) the
// real answer. The server reads the request, acts (when acts), then spoils.
type spoiling struct {
	acts  bool
	spoil func(x *exchange)
}

var spoilers = map[Fault]spoiling{
	Fault429:        {false, func(x *exchange) { writeTooManyRequests(x.w) }},
	FaultImmuta503:  {false, func(x *exchange) { writeImmutaUnavailable(x.w) }},
	Fault500:        {false, proxyError(http.StatusInternalServerError)},
	Fault502:        {false, proxyError(http.StatusBadGateway)},
	Fault503:        {false, proxyError(http.StatusServiceUnavailable)},
	Fault504:        {false, proxyError(http.StatusGatewayTimeout)},
	FaultActed500:   {true, proxyError(http.StatusInternalServerError)},
	FaultActed502:   {true, proxyError(http.StatusBadGateway)},
	FaultActed503:   {true, proxyError(http.StatusServiceUnavailable)},
	FaultActed504:   {true, proxyError(http.StatusGatewayTimeout)},
	FaultReset:      {false, resetExchange},
	FaultLostAnswer: {true, resetExchange},
	FaultHang:       {false, hang},
	FaultHangAfter:  {true, hang},
	FaultTruncated:  {true, func(x *exchange) { writeTruncated(x.w, x.rec) }},
	FaultHTML200: {true, func(x *exchange) {
		writeHTMLPage(x.w, http.StatusOK, "Sign in", "<form action=\"/login\" method=\"post\"><input name=\"user\"></form>")
	}},
	FaultWrongID:         {true, writeWrongID},
	FaultOmit:            {true, writeOmitted},
	FaultRedirect301:     {false, redirectElsewhere(http.StatusMovedPermanently)},
	FaultRedirect302:     {false, redirectElsewhere(http.StatusFound)},
	FaultRedirect307:     {false, redirectElsewhere(http.StatusTemporaryRedirect)},
	FaultRedirect308:     {false, redirectElsewhere(http.StatusPermanentRedirect)},
	FaultRedirectSame:    {false, redirectSame(http.StatusTemporaryRedirect)},
	FaultRedirectSame301: {false, redirectSame(http.StatusMovedPermanently)},
	FaultRedirectSame302: {false, redirectSame(http.StatusFound)},
	FaultRedirectSame303: {false, redirectSame(http.StatusSeeOther)},
	FaultRedirectSame308: {false, redirectSame(http.StatusPermanentRedirect)},
	FaultGateway404: {false, func(x *exchange) {
		writeHTMLPage(x.w, http.StatusNotFound, "404 Not Found", "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>")
	}},
	FaultEmpty404:       {false, func(x *exchange) { x.w.WriteHeader(http.StatusNotFound) }},
	FaultNull200:        {true, replaceBody("null")},
	FaultEmptyObject200: {true, replaceBody("{}")},
	FaultEcho:           {false, echo(FaultEcho)},
	FaultEchoUnescaped:  {false, echo(FaultEchoUnescaped)},
	FaultEchoHTML:       {false, echo(FaultEchoHTML)},
	FaultEchoURL:        {false, echo(FaultEchoURL)},
	FaultEchoBase64:     {false, echo(FaultEchoBase64)},
	FaultEchoYAML:       {false, echo(FaultEchoYAML)},
	FaultSlow: {false, func(x *exchange) {
		if !x.s.pause(x.r, x.s.cfg.slowDelay) {
			panic(http.ErrAbortHandler)
		}
		x.s.handleAPI(x.w, x.r)
	}},
}

// inject plays fault on a request: read, act when the row says so, spoil.
func (s *Server) inject(fault Fault, w *statusWriter, r *http.Request) {
	row, ok := spoilers[fault]
	if !ok {
		s.handleAPI(w, r)
		return
	}
	body, _ := readAllLimited(w, r)
	r.Body = readCloser{bytes.NewReader(body)}
	x := &exchange{s: s, w: w, r: r, body: body}
	if row.acts {
		x.rec = &recorder{header: http.Header{}}
		s.handleAPI(x.rec, r)
	}
	row.spoil(x)
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func readAllLimited(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	return buf.Bytes(), err
}

func proxyError(code int) func(x *exchange) {
	return func(x *exchange) { writeProxyError(x.w, code) }
}

func resetExchange(x *exchange) {
	x.w.reset = true
	resetConnection(x.w)
}

// hang holds the request until the client leaves, the server closes or the
// hang limit passes, then drops it without an answer.
func hang(x *exchange) {
	x.s.pause(x.r, x.s.cfg.hangLimit)
	x.w.reset = true
	panic(http.ErrAbortHandler)
}

// writeProxyError imitates the HTML page of a load balancer in front of the
// tenant, so that clients must survive a non-JSON error body.
func writeProxyError(w http.ResponseWriter, code int) {
	title := fmt.Sprintf("%d %s", code, http.StatusText(code))
	writeHTMLPage(w, code, title, "<center><h1>"+title+"</h1></center>\r\n<hr><center>nginx</center>")
}

func writeHTMLPage(w http.ResponseWriter, code int, title, body string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n%s\r\n</body>\r\n</html>\r\n", title, body)
}

func writeTooManyRequests(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	writeError(w, newErr(http.StatusTooManyRequests, "Rate limit exceeded, retry later"))
}

// resetConnection drops the connection with a TCP reset so that the client
// sees a transport error, not an answer.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Without a connection to hijack (e.g. a recorder), aborting the
		// handler is how net/http drops an answer.
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// copyRecorded sends the recorded answer with body instead of its own.
func copyRecorded(w http.ResponseWriter, rec *recorder, body []byte) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	code := rec.code
	if code == 0 {
		code = http.StatusOK
	}
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

// writeTruncated sends the first half of the recorded answer as a complete
// 200 answer, so the client reads a well-framed but unparsable body.
func writeTruncated(w http.ResponseWriter, rec *recorder) {
	body := rec.body.Bytes()
	rec.code = http.StatusOK
	copyRecorded(w, rec, body[:len(body)/2])
}

// writeWrongID puts another integration's id into a one-integration answer:
// one that exists when there is one, as a misrouted answer would.
func writeWrongID(x *exchange) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(x.rec.body.Bytes()))
	dec.UseNumber()
	if dec.Decode(&obj) != nil || obj["id"] == nil {
		copyRecorded(x.w, x.rec, x.rec.body.Bytes())
		return
	}
	var own string
	if err := json.Unmarshal(obj["id"], &own); err != nil {
		own = string(obj["id"])
	}
	other := x.s.otherID(own, x.r.PathValue("id"))
	if bytes.HasPrefix(obj["id"], []byte(`"`)) || !json.Valid([]byte(other)) {
		obj["id"], _ = json.Marshal(other)
	} else {
		obj["id"] = json.RawMessage(other)
	}
	body, _ := json.Marshal(obj)
	copyRecorded(x.w, x.rec, body)
}

// otherID is an id that is neither of the given ones: an existing
// integration's when there is one.
func (s *Server) otherID(not ...string) string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for _, r := range s.store.sortedRecords() {
		if !slices.Contains(not, r.id) {
			return r.id
		}
	}
	for n := 424242; ; n++ {
		if id := strconv.Itoa(n); !slices.Contains(not, id) {
			return id
		}
	}
}

// writeOmitted sends the recorded list without the integrations the
// omission chooses.
func writeOmitted(x *exchange) {
	var list []map[string]any
	dec := json.NewDecoder(bytes.NewReader(x.rec.body.Bytes()))
	dec.UseNumber()
	if x.rec.code != http.StatusOK || dec.Decode(&list) != nil {
		copyRecorded(x.w, x.rec, x.rec.body.Bytes())
		return
	}
	o := x.s.faults.omits()
	kept := make([]map[string]any, 0, len(list))
	for _, in := range list {
		cfg, _ := in["config"].(map[string]any)
		host, _ := cfg["host"].(string)
		typ, _ := in["type"].(string)
		status, _ := in["status"].(string)
		if !o.omits(fmt.Sprint(in["id"]), typ, host, status) {
			kept = append(kept, in)
		}
	}
	writeJSON(x.w, http.StatusOK, kept)
}

func redirectElsewhere(code int) func(x *exchange) {
	return func(x *exchange) {
		x.w.Header().Set("Location", x.s.otherOrigin().URL+x.r.URL.RequestURI())
		x.w.WriteHeader(code)
	}
}

// redirectSame sends the client to the same path on this origin with code,
// marked so that the log shows the second visit.
func redirectSame(code int) func(x *exchange) {
	return func(x *exchange) {
		u := *x.r.URL
		q := u.Query()
		q.Set("redirected", "1")
		u.RawQuery = q.Encode()
		x.w.Header().Set("Location", u.RequestURI())
		x.w.WriteHeader(code)
	}
}

// replaceBody answers 200 with body, as JSON, in place of the real answer
// (which the server produced: the request was acted on).
func replaceBody(body string) func(x *exchange) {
	return func(x *exchange) {
		x.w.Header().Set("Content-Type", "application/json; charset=utf-8")
		x.w.WriteHeader(http.StatusOK)
		_, _ = x.w.Write([]byte(body))
	}
}

const echoPrefix = "Invalid request payload: "

// echo refuses the request with its body echoed, as servers that quote the
// offending input do, secrets included.
func echo(style Fault) func(x *exchange) {
	return func(x *exchange) {
		body := string(x.body)
		switch style {
		case FaultEchoHTML:
			writeHTMLPage(x.w, http.StatusBadRequest, "400 Bad Request", "<pre>"+html.EscapeString(echoPrefix+body)+"</pre>")
		case FaultEchoURL:
			writeError(x.w, badRequest("%s%s", echoPrefix, url.QueryEscape(body)))
		case FaultEchoUnescaped:
			writeError(x.w, badRequest("%s%s", echoPrefix, body))
		case FaultEchoBase64:
			writeError(x.w, badRequest("%s%s", echoPrefix, base64.StdEncoding.EncodeToString(x.body)))
		case FaultEchoYAML:
			writeError(x.w, badRequest("%s%s", echoPrefix, singleQuotedYAML(x.body)))
		default:
			data, _ := json.Marshal(APIError{StatusCode: http.StatusBadRequest, Error: http.StatusText(http.StatusBadRequest), Message: echoPrefix + body})
			x.w.Header().Set("Content-Type", "application/json; charset=utf-8")
			x.w.WriteHeader(http.StatusBadRequest)
			_, _ = x.w.Write(data)
		}
	}
}

// singleQuotedYAML renders a JSON body as YAML with every string
// single-quoted (' doubled), as a server that quotes its input as YAML
// does. The library's marshaller quotes only where YAML needs it, so the
// parsed document's string tokens are switched to single quotes; the
// result parses back to the same value. A body that is not JSON is quoted
// as one string.
func singleQuotedYAML(body []byte) string {
	doc, err := yaml.JSONToYAML(body)
	if err != nil {
		doc, _ = yaml.Marshal(string(body))
	}
	f, err := parser.ParseBytes(doc, 0)
	if err != nil {
		return string(doc)
	}
	for _, d := range f.Docs {
		if s, ok := d.Body.(*ast.StringNode); ok {
			s.Token.Type = token.SingleQuoteType // a document that is one string
		}
		ast.Walk(singleQuoter{}, d)
	}
	return strings.TrimSpace(f.String())
}

type singleQuoter struct{}

// Visit quotes values (of mappings and sequences), not keys.
func (q singleQuoter) Visit(n ast.Node) ast.Visitor {
	quote := func(v ast.Node) {
		if s, ok := v.(*ast.StringNode); ok {
			s.Token.Type = token.SingleQuoteType
		}
	}
	switch t := n.(type) {
	case *ast.MappingValueNode:
		quote(t.Value)
	case *ast.SequenceNode:
		for _, v := range t.Values {
			quote(v)
		}
	}
	return q
}

// hangLimitDefault bounds a hang when no client ever gives up.
const hangLimitDefault = time.Minute
