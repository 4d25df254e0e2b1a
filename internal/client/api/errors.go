package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The error types of the API layer, in one file: an answer that is not a 2xx (Error),
// a 2xx that cannot be believed (BadAnswerError), a refused redirect (RedirectError),
// a failure that retrying cannot fix (PermanentError) and a request that ran out of
// time (RequestTimeoutError).

// Error is an answer from Immuta (or a proxy in front of it) that is not a 2xx.
type Error struct {
	StatusCode int
	// ErrorText is Immuta's "error" field, e.g. "Conflict".
	ErrorText string
	// Message is Immuta's "message", or a short excerpt of a non-JSON body such as the
	// <title> of a proxy's HTML page. A server may echo the request in it; the secrets
	// sent with the request, and the API token, are scrubbed from it in every encoding
	// (SecretForms) before it is cut to length.
	Message string
	Method  string
	Path    string
	// FromImmuta is true when the answer has the shape of Immuta's own error object:
	// a JSON content type and a body {"statusCode": <this status>, "error": "...",
	// "message": "..."}. Anything else (a gateway's HTML page, an empty body, another
	// JSON shape) did not come from Immuta's API, whatever its status code says.
	FromImmuta bool
	// shape says what the body was ("an HTML page"), for the text of an answer
	// that is not believed (answers.go).
	shape string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	if spoiledNotFound(e) {
		e.spoiledText(&b)
		return b.String()
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	text := e.ErrorText
	if text == "" {
		text = http.StatusText(e.StatusCode)
	}
	if text != "" {
		b.WriteString(" " + text)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// IsNotFound reports whether err is, or wraps, Immuta's own 404: an *Error with
// status 404 in Immuta's error shape (FromImmuta). Only it says an integration is
// gone; a 404 of any other shape (a gateway's HTML page, an empty body) is a spoiled
// answer (answers.go), which IsTransient reports instead.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound && e.FromImmuta
}

// IsConflict reports whether err is, or wraps, an *Error with status 409.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsUnauthorized reports a 401 or 403: a wrong API key or a missing APPLICATION_ADMIN.
func IsUnauthorized(err error) bool {
	return hasStatus(err, http.StatusUnauthorized) || hasStatus(err, http.StatusForbidden)
}

func hasStatus(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == code
}

// BadAnswerError is a 2xx answer that cannot be believed: not the JSON expected (cut
// short, an HTML page), or about another integration than the one asked for. Reads,
// updates and deletes retry it like a transient fault; it never reaches state.
type BadAnswerError struct {
	Method, Path string
	// Reason says what is wrong, e.g. "the answer is about integration 5, not 20".
	Reason string
	Err    error
}

func (e *BadAnswerError) Error() string {
	return fmt.Sprintf("%s %s: a bad answer, not believed: %s", e.Method, e.Path, e.Reason)
}

func (e *BadAnswerError) Unwrap() error { return e.Err }

// RedirectError is a refused redirect (transport.go): to another origin (scheme,
// host or port) than the configured one, so that no request body and no API token
// leave the tenant; or, with SameOrigin, one that would change the method (a 301,
// 302 or 303 to a PUT, POST or DELETE, which an HTTP client re-sends as a GET). It is
// refused before anything is sent; the request reached nobody but the server that
// answered with the redirect, which did not act on it.
type RedirectError struct {
	StatusCode int
	From       string // the configured origin, e.g. https://acme.immuta.com
	Location   string // where the redirect pointed
	// SameOrigin: the redirect stayed on the configured origin and was refused
	// because following it would have sent Method as a GET.
	SameOrigin bool
	Method     string
}

func (e *RedirectError) Error() string {
	if e.SameOrigin {
		return fmt.Sprintf("the server answered %d to the %s, redirecting to %s on the configured host; following it would turn "+
			"the %s into a GET (an HTTP client re-sends a %s after a 301, 302 or 303 as a GET), whose answer would read as the %s's, "+
			"so it was refused, and the server did not act on the %s. If this persists, a gateway or proxy in front of Immuta "+
			"redirects its API: set the provider's host to the address the redirect points at, or have the gateway redirect "+
			"with 307 or 308, which keep the method",
			e.StatusCode, e.Method, e.Location, e.Method, e.Method, e.Method, e.Method)
	}
	return fmt.Sprintf("the server answered %d, redirecting to %s, which is not the configured host %s: refused, "+
		"so that no request body or API token leaves it; if the tenant moved, set the provider's host to the new address",
		e.StatusCode, e.Location, e.From)
}

// FailureKind says which setting a *PermanentError points at.
type FailureKind string

const (
	// FailureDNS: the tenant's host name does not resolve.
	FailureDNS FailureKind = "dns"
	// FailureCertificate: the tenant's TLS certificate is not trusted.
	FailureCertificate FailureKind = "certificate"
	// FailureRefused: nothing listens at the endpoint (connection refused), after a
	// few quick attempts in case it was restarting.
	FailureRefused FailureKind = "refused"
	// FailureUnauthorized: Immuta refuses the API key (401).
	FailureUnauthorized FailureKind = "unauthorized"
	// FailureForbidden: the API key's user lacks the APPLICATION_ADMIN permission (403).
	FailureForbidden FailureKind = "forbidden"
)

// PermanentError is a failure that retrying cannot fix. Err is the underlying error:
// an *Error for 401 and 403, a transport error otherwise.
type PermanentError struct {
	Kind FailureKind
	// Endpoint is the Immuta base URL the request went to.
	Endpoint string
	Err      error
}

func (e *PermanentError) Error() string {
	var what string
	switch e.Kind {
	case FailureDNS:
		what = "its host name does not resolve"
	case FailureCertificate:
		what = "its TLS certificate is not trusted"
	case FailureRefused:
		what = "the connection was refused (nothing listens there)"
	case FailureUnauthorized:
		what = "it refuses the API key (401)"
	case FailureForbidden:
		what = "the API key's user lacks the APPLICATION_ADMIN permission (403)"
	default:
		what = "the request failed"
	}
	return fmt.Sprintf("Immuta at %s: %s: %v", e.Endpoint, what, e.Err)
}

func (e *PermanentError) Unwrap() error { return e.Err }

// AsPermanent returns the *PermanentError in err's chain, or nil.
func AsPermanent(err error) *PermanentError {
	var pe *PermanentError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// RequestTimeoutError reports a request that got no answer in time: the operation's
// deadline passed while it was being sent or retried (Deadline), or every attempt it
// was allowed ran past its own per-attempt timeout (a gateway that holds requests
// open). It is never a caller's cancellation (Ctrl-C): that stays context.Canceled,
// so the caller can tell "ran out of time" from "was interrupted". It unwraps to the
// last attempt's error, which wraps context.DeadlineExceeded.
type RequestTimeoutError struct {
	Method string
	Path   string
	// Attempts is how many times the request was sent.
	Attempts int
	// Waited is the time from the first attempt to giving up.
	Waited time.Duration
	// AttemptTimeout is what each attempt was allowed (Config.AttemptTimeout).
	AttemptTimeout time.Duration
	// Deadline is true when the operation's own deadline (the caller's context) ran
	// out, false when the retries ran out with every attempt timed out.
	Deadline bool
	// LastAnswer is the last attempt's answer when it had one (a 503 whose retry the
	// deadline cut short); nil when no attempt was answered.
	LastAnswer *Error
	Err        error
}

func (e *RequestTimeoutError) Error() string {
	attempts := "1 attempt"
	if e.Attempts != 1 {
		attempts = fmt.Sprintf("%d attempts", e.Attempts)
	}
	waited := roundWait(e.Waited)
	if e.LastAnswer != nil {
		return fmt.Sprintf("%s %s: out of time after %s (%s); the last answer: %s", e.Method, e.Path, waited, attempts, e.LastAnswer)
	}
	if e.Deadline {
		return fmt.Sprintf("%s %s: no answer within the %s this operation allows (%s)", e.Method, e.Path, waited, attempts)
	}
	return fmt.Sprintf("%s %s: no answer to any of %s in %s (each given up after %s)", e.Method, e.Path, attempts, waited, e.AttemptTimeout)
}

func (e *RequestTimeoutError) Unwrap() error { return e.Err }

// roundWait keeps a wait readable: milliseconds below a second, tenths above.
func roundWait(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// MaxMessage bounds an Error's Message, in bytes (plus an ellipsis when cut).
const MaxMessage = 300

// ImmutaShaped reports whether an error answer has the shape of Immuta's own error
// object (contract: "Immuta's own error answers have one shape"): a JSON content type
// and an object whose statusCode is the answer's status, with string "error" and
// "message" fields. Decoded into a struct of pointers so that a missing field and a
// field of another type both fail the test.
func ImmutaShaped(contentType string, status int, body []byte) bool {
	if !strings.Contains(strings.ToLower(contentType), "json") {
		return false
	}
	var shape struct {
		StatusCode *int    `json:"statusCode"`
		Error      *string `json:"error"`
		Message    *string `json:"message"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &shape) != nil {
		return false
	}
	return shape.StatusCode != nil && *shape.StatusCode == status && shape.Error != nil && shape.Message != nil
}

var (
	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	h1Re    = regexp.MustCompile(`(?is)<h1[^>]*>(.*?)</h1>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// ParseErrorBody extracts Immuta's error and message from an error answer, or a short
// human excerpt from anything else.
func ParseErrorBody(contentType string, body []byte) (errText, message string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "", ""
	}
	if trimmed[0] == '{' {
		var m map[string]json.RawMessage
		if json.Unmarshal(trimmed, &m) == nil {
			errText = jsonText(m["error"])
			for _, k := range []string{"message", "detail", "title", "errors"} {
				if message = jsonText(m[k]); message != "" {
					break
				}
			}
			if message == "" && errText == "" {
				message = maskJSONString(trimmed)
			}
			return clean(errText, 80), clean(message, MaxMessage)
		}
	}
	if isHTML(contentType, trimmed) {
		for _, re := range []*regexp.Regexp{titleRe, h1Re} {
			if m := re.FindSubmatch(trimmed); m != nil {
				t := html.UnescapeString(tagRe.ReplaceAllString(string(m[1]), " "))
				if t = clean(t, MaxMessage); t != "" {
					return "", t
				}
			}
		}
		return "", fmt.Sprintf("HTML page (%d bytes)", len(body))
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return "", fmt.Sprintf("malformed JSON (%d bytes)", len(body))
	}
	line, _, _ := strings.Cut(string(trimmed), "\n")
	return "", clean(line, MaxMessage)
}

// jsonText renders a field as text: a string as itself, anything else as compact JSON.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	return maskJSONString(raw)
}

func isHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	return len(body) > 0 && body[0] == '<'
}

// clean makes server text safe to print on one line: valid UTF-8, no control
// characters, collapsed spaces, bounded length.
func clean(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return Truncate(s, limit)
}

func Truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// maybeSentError is a transport failure of the create POST after its headers left:
// Immuta may have created the integration, so it must not be blindly re-sent.
type maybeSentError struct{ err error }

func (e *maybeSentError) Error() string {
	return e.err.Error() + " (the request may have reached Immuta)"
}
func (e *maybeSentError) Unwrap() error { return e.err }

// RefusalBudget bounds how long the refusals of one request are waited out in all when
// its context has no deadline (a caller that set no timeout): generous, since a busy
// tenant may ask many pipelines to take turns for minutes, but not forever, as a count
// of attempts would not be either.
const RefusalBudget = 10 * time.Minute

// RateLimitError is Immuta's refusal (a 429 or 503 in its own error shape) asking to
// come back later than the operation's deadline allows.
type RateLimitError struct {
	Method, Path string
	// Err is Immuta's answer that asked to come back later.
	Err *Error
	// RetryAfter is how long Immuta asked to wait; Left what was left of the deadline.
	RetryAfter, Left time.Duration
	// Deadline is false when the caller set none and RefusalBudget ran out instead.
	Deadline bool
	// Held is true when the refusal was another request's (slowDown).
	Held bool
}

func (e *RateLimitError) Error() string {
	who := "Immuta's rate limit"
	if e.Err.StatusCode == http.StatusServiceUnavailable {
		who = "Immuta, unavailable,"
	}
	answer := strings.TrimPrefix(e.Err.Error(), e.Err.Method+" "+e.Err.Path+": ")
	s := fmt.Sprintf("%s %s: %s (%s) asked to come back in %s", e.Method, e.Path, who, answer, e.RetryAfter.Round(time.Millisecond))
	if e.Held {
		s += " (its answer to another of this provider's requests)"
	}
	if !e.Deadline {
		return s + fmt.Sprintf(", past the %s for which a request without a timeout waits out Immuta's refusals; lower -parallelism or try again later", RefusalBudget)
	}
	return s + fmt.Sprintf(", past the operation's timeout (%s left); raise timeouts.%s or lower -parallelism",
		e.Left.Round(100*time.Millisecond), methodTimeout(e.Method, e.Path))
}

// Unwrap keeps Immuta's answer inspectable (IsTransient, the status). It does not
// wrap context.DeadlineExceeded although the deadline is what ran out: the caller
// would then report an interruption, and this error says what happened and what to
// change.
func (e *RateLimitError) Unwrap() error { return e.Err }

// methodTimeout names the timeouts attribute of the operation a request belongs to.
func methodTimeout(method, path string) string {
	switch {
	case method == http.MethodPost && path == "/integrations":
		return "create"
	case method == http.MethodPut:
		return "update"
	case method == http.MethodDelete:
		return "delete"
	}
	return "read"
}
