package emulator

import (
	"log"
	"time"
)

// DefaultAPIKey is the key a Server accepts unless WithAPIKey says otherwise.
const DefaultAPIKey = "emulator-api-key"

// ScriptFormat selects how the script endpoints represent the SQL. The
// contract leaves the representation open, so the emulator can play each one.
type ScriptFormat int

const (
	// ScriptPlainText answers text/plain with the SQL as the body.
	ScriptPlainText ScriptFormat = iota
	// ScriptJSONString answers application/json holding one JSON string.
	ScriptJSONString
	// ScriptJSONObject answers application/json {"script": "..."}.
	ScriptJSONObject
)

// String names the format the way the command's -script-format flag does.
func (f ScriptFormat) String() string {
	switch f {
	case ScriptJSONString:
		return "json-string"
	case ScriptJSONObject:
		return "json-object"
	default:
		return "plain"
	}
}

// Option configures a Server.
type Option func(*config)

type config struct {
	apiKey           string
	unprivilegedKey  string
	transition       time.Duration
	latency          time.Duration
	deletedRetention time.Duration
	slowDelay        time.Duration
	listDelay        time.Duration
	numericIDs       bool
	scriptFormat     ScriptFormat
	foreign          bool
	foreignCount     int
	seeds            []Seed
	faultPolicies    []FaultPolicy
	faultSequence    []Fault
	omission         Omission
	hangLimit        time.Duration
	normaliseNames   bool
	ratePerSecond    float64
	rateBurst        int
	logger           *log.Logger
}

func defaultConfig() config {
	return config{
		apiKey:     DefaultAPIKey,
		transition: 300 * time.Millisecond,
		slowDelay:  2 * time.Second,
		hangLimit:  hangLimitDefault,
	}
}

// WithAPIKey sets the key clients must send as "Authorization: <key>" or
// "Authorization: Bearer <key>".
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithUnprivilegedKey adds a key that authenticates a user without the
// APPLICATION_ADMIN permission: every API request with it answers 403.
func WithUnprivilegedKey(key string) Option { return func(c *config) { c.unprivilegedKey = key } }

// WithTransition sets how long creating, editing and deleting last.
func WithTransition(d time.Duration) Option { return func(c *config) { c.transition = d } }

// WithLatency adds d before every API request is handled.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithDeletedRetention keeps a deleted integration visible with status
// "deleted" for d after its deletion finished; afterwards it is 404.
func WithDeletedRetention(d time.Duration) Option {
	return func(c *config) { c.deletedRetention = d }
}

// WithNumericIDs makes answers carry ids as JSON numbers instead of strings,
// the other variant the contract allows.
func WithNumericIDs() Option { return func(c *config) { c.numericIDs = true } }

// WithScriptFormat selects the representation of script answers.
func WithScriptFormat(f ScriptFormat) Option { return func(c *config) { c.scriptFormat = f } }

// WithForeignIntegrations seeds the Snowflake and Databricks integrations of
// the documentation's GET /integrations example, so that clients meet other
// integration types in the list.
func WithForeignIntegrations() Option { return func(c *config) { c.foreign = true } }

// WithForeignCount seeds n more integrations of other types (Snowflake and
// Databricks, alternately, with distinct ids and hosts): a large tenant, whose
// GET /integrations is long although few of it are Redshift's.
func WithForeignCount(n int) Option { return func(c *config) { c.foreignCount = n } }

// WithFaults injects random faults into API requests. Given more than
// once, the policies are consulted in order and the first that faults a
// request decides, e.g. omissions on lists and 5xx on everything else.
func WithFaults(p FaultPolicy) Option {
	return func(c *config) {
		p.Kinds = append([]Fault(nil), p.Kinds...)
		p.Methods = append([]string(nil), p.Methods...)
		p.Paths = append([]string(nil), p.Paths...)
		c.faultPolicies = append(c.faultPolicies, p)
	}
}

// WithOmission chooses the integrations FaultOmit leaves out of lists.
func WithOmission(o Omission) Option { return func(c *config) { c.omission = o } }

// WithNameNormalisation makes the tenant store, and so answer, names as a
// service that normalises them does (CONTRACT.md, [assumed]): the host in
// lower case without a trailing dot (a DNS name), the database and the
// impersonation role in lower case (Redshift folds unquoted identifiers).
func WithNameNormalisation() Option { return func(c *config) { c.normaliseNames = true } }

// WithHangLimit bounds FaultHang and FaultHangAfter (a minute by default):
// a request nobody gives up on is dropped then.
func WithHangLimit(d time.Duration) Option { return func(c *config) { c.hangLimit = d } }

// WithFaultSequence gives the first len(faults) API requests these faults in
// order (FaultNone lets one through); later requests are handled normally,
// or by the WithFaults policies when there are any.
func WithFaultSequence(faults ...Fault) Option {
	return func(c *config) { c.faultSequence = append([]Fault(nil), faults...) }
}

// WithSlowDelay changes the delay of FaultSlow (2s by default), so that tests
// need not wait that long.
func WithSlowDelay(d time.Duration) Option { return func(c *config) { c.slowDelay = d } }

// WithListDelay makes GET /integrations answer d after it read the store, so
// that its answer is d old when it arrives: operations accepted meanwhile (a PUT
// that starts an edit) are not in it, as with a slow list behind a cache. Waits
// that began after such a list left must not believe it.
func WithListDelay(d time.Duration) Option { return func(c *config) { c.listDelay = d } }

// WithRateLimit limits the tenant to perSecond API requests a second, with bursts of
// up to burst (at least 1): requests beyond it are answered 429 in Immuta's error
// shape, with a Retry-After in whole seconds, and not acted on (ratelimit.go).
// Stats.RateLimited counts them. perSecond <= 0 means no limit.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *config) { c.ratePerSecond, c.rateBurst = perSecond, burst }
}

// WithLogger logs one line per request: method, path and status. Bodies and
// the API key never reach the log because they may hold secrets.
func WithLogger(l *log.Logger) Option { return func(c *config) { c.logger = l } }
