package emulator

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Fault is a failure injected into an API request, as proxies, rate limiters
// and networks inflict them on a real tenant.
type Fault string

const (
	FaultNone Fault = "none"
	// Fault429 answers 429 with Retry-After: 1; the request is not acted on.
	Fault429 Fault = "429"
	// Fault500 to Fault504 answer with a proxy's HTML error page; the request
	// is not acted on.
	Fault500 Fault = "500"
	Fault502 Fault = "502"
	Fault503 Fault = "503"
	Fault504 Fault = "504"
	// FaultReset closes the connection without an answer before acting.
	FaultReset Fault = "reset"
	// FaultLostAnswer acts on the request, then resets the connection
	// instead of answering: the client cannot know it succeeded.
	FaultLostAnswer Fault = "lost-answer"
	// FaultTruncated acts on the request and sends the first half of the
	// real answer with a 200.
	FaultTruncated Fault = "truncated"
	// FaultSlow delays the request (2s unless WithSlowDelay), then handles it.
	FaultSlow Fault = "slow"
)

// AllFaults lists every fault kind; a FaultPolicy without Kinds uses them all.
var AllFaults = []Fault{Fault429, Fault500, Fault502, Fault503, Fault504, FaultReset, FaultLostAnswer, FaultTruncated, FaultSlow}

// ParseFault accepts the fault names above, as the command's -faults flag does.
func ParseFault(s string) (Fault, error) {
	f := Fault(strings.TrimSpace(s))
	if f == FaultNone || slices.Contains(AllFaults, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown fault %q", s)
}

// FaultPolicy injects random faults.
type FaultPolicy struct {
	Rate    float64  // 0..1, the fraction of eligible API requests faulted
	Kinds   []Fault  // chosen uniformly; empty means AllFaults
	Seed    int64    // makes a run reproducible
	Methods []string // when set, only requests with these methods are eligible
}

type faultInjector struct {
	mu     sync.Mutex
	seq    []Fault
	policy *FaultPolicy
	rng    *rand.Rand
}

func newFaultInjector(seq []Fault, p *FaultPolicy) *faultInjector {
	f := &faultInjector{seq: seq, policy: p}
	if p != nil {
		f.rng = rand.New(rand.NewPCG(uint64(p.Seed), uint64(p.Seed)^0x9e3779b97f4a7c15))
		if len(p.Kinds) == 0 {
			p.Kinds = AllFaults
		}
	}
	return f
}

func (f *faultInjector) next(method string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seq) > 0 {
		k := f.seq[0]
		f.seq = f.seq[1:]
		return k
	}
	p := f.policy
	if p == nil || p.Rate <= 0 {
		return FaultNone
	}
	if len(p.Methods) > 0 && !slices.ContainsFunc(p.Methods, func(m string) bool { return strings.EqualFold(m, method) }) {
		return FaultNone
	}
	if f.rng.Float64() >= p.Rate {
		return FaultNone
	}
	return p.Kinds[f.rng.IntN(len(p.Kinds))]
}

func proxyStatus(f Fault) int {
	switch f {
	case Fault500:
		return http.StatusInternalServerError
	case Fault502:
		return http.StatusBadGateway
	case Fault503:
		return http.StatusServiceUnavailable
	case Fault504:
		return http.StatusGatewayTimeout
	}
	return 0
}

// writeProxyError imitates the HTML page of a load balancer in front of the
// tenant, so that clients must survive a non-JSON error body.
func writeProxyError(w http.ResponseWriter, code int) {
	title := fmt.Sprintf("%d %s", code, http.StatusText(code))
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", title, title)
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
