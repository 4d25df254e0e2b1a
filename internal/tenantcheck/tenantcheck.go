// Package tenantcheck checks, with reads only, whether an Immuta tenant
// answers as the project's API contract (internal/emulator/CONTRACT.md)
// assumes: the id's JSON type, the answers' fields, the statuses, the error
// bodies of a 404 and a 401, the redaction of credentials, the list's shape
// and size, latency. Each mismatch is named with what the provider would do
// about it.
//
// It is split in two so that the checks can be tested on raw answers:
// Probe sends the GET requests with net/http (never the provider's client,
// whose tolerant decoding would hide what the wire holds) and keeps the raw
// answers; Check turns them into facts, as a pure function; Render prints
// them with every secret scrubbed. The command is
// internal/tenantcheck/cmd/immuta-tenant-check (`make tenant-check`).
package tenantcheck

import (
	"net/http"
	"time"
)

// Exchange is one GET the check sent and the raw answer.
type Exchange struct {
	// Why names the request in the report, e.g. "a wrong API key".
	Why    string
	Method string
	Path   string
	// Status is 0 when no answer came (Err says why).
	Status int
	Header http.Header
	// Body is the answer, at most maxKeptBody bytes of it; Size counts all of it.
	Body    []byte
	Size    int64
	Cut     bool // Body holds less than Size
	Latency time.Duration
	Err     error
}

// answered reports whether an answer came back at all.
func (e *Exchange) answered() bool { return e != nil && e.Err == nil && e.Status != 0 }

// Observations are the raw answers of one run of the check.
type Observations struct {
	// BaseURL is the tenant root as the provider normalizes it.
	BaseURL string
	// HostTyped is IMMUTA_HOST as the user typed it, for the host-case fact.
	HostTyped string
	// List is GET /integrations with the API key.
	List Exchange
	// ExistingID is the integration read by id: the first Redshift one of the
	// list, else the first of any type; "" when the list named none.
	ExistingID string
	// Existing is GET /integrations/{ExistingID}; nil when there was none.
	Existing *Exchange
	// MissingID is an id that no integration of the list has.
	MissingID string
	// Missing is GET /integrations/{MissingID}.
	Missing *Exchange
	// NoKey and WrongKey are GET /integrations without an Authorization
	// header and with a key that is not the user's.
	NoKey, WrongKey *Exchange
}

// Exchanges lists the requests in the order they were sent.
func (o *Observations) Exchanges() []*Exchange {
	out := []*Exchange{&o.List}
	for _, e := range []*Exchange{o.Existing, o.Missing, o.NoKey, o.WrongKey} {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}
