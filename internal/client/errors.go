package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// StatusError reports that an integration settled in a state that is not what the
// operation wanted.
type StatusError struct {
	ID          string
	Op          Operation
	Status      Status
	FailedTests []ValidationTest
}

func (e *StatusError) Error() string {
	var b strings.Builder
	rule, ok := e.Status.Rule()
	switch {
	case !ok:
		fmt.Fprintf(&b, "integration %s is in status %q, not what %s expects", e.ID, e.Status, e.Op)
	case rule.Create == WaitFail && rule.Update == WaitFail && rule.Delete == WaitFail:
		// A failure whatever the operation: createError, disabled and the like.
		fmt.Fprintf(&b, "integration %s (status %s) %s", e.ID, e.Status, rule.Means)
	default:
		// A status that is no failure in itself, e.g. enabled after a DELETE was accepted.
		fmt.Fprintf(&b, "integration %s %s (status %q) during its %s", e.ID, rule.Means, e.Status, opNoun(e.Op))
	}
	if len(e.FailedTests) > 0 {
		b.WriteString("; failed validation tests: ")
		for i, t := range e.FailedTests {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%q", t.Name)
			if r := resultExcerpt(t.Result); r != "" {
				b.WriteString(" (" + r + ")")
			}
		}
	}
	return b.String()
}

// resultExcerpt keeps a test's result when it says something; [null] and [] do not.
func resultExcerpt(raw json.RawMessage) string {
	var c bytes.Buffer
	if json.Compact(&c, raw) != nil {
		return ""
	}
	s := c.String()
	switch s {
	case "", "null", "[]", "[null]", "{}", `""`:
		return ""
	}
	return truncate(s, 200)
}

// ExistingIntegrationError reports that the Redshift host already has an integration,
// so none was created.
type ExistingIntegrationError struct {
	ID   string
	Host string
	// Ambiguous is true when the answer to our own POST was lost and this integration
	// appeared: it is most likely the one that POST created.
	Ambiguous bool
	// Err is Immuta's 409 when there was one.
	Err error
}

func (e *ExistingIntegrationError) Error() string {
	if e.Ambiguous {
		return fmt.Sprintf("the answer to the create request was lost and Redshift host %q now has integration %s; it was most likely created by that request: adopt it or delete it", e.Host, e.ID)
	}
	return fmt.Sprintf("Redshift host %q already has integration %s; Immuta allows one per host", e.Host, e.ID)
}

func (e *ExistingIntegrationError) Unwrap() error { return e.Err }

// HostBusyError reports that another create of this Client (another resource of the
// same apply) is creating, or made, the integration on the host: Immuta allows one
// per host.
type HostBusyError struct {
	Host     string
	Database string // this create's database
	// OtherDatabase is the database of the create that holds the host.
	OtherDatabase string
	// ID, when set, is the integration the other create already made on the host (it
	// ended before this one began); this create's POST met it in Immuta's 409.
	ID string
}

func (e *HostBusyError) Error() string {
	if e.ID != "" {
		return fmt.Sprintf("another create in this run made integration %s on Redshift host %q (database %q), and Immuta allows one per host", e.ID, e.Host, e.OtherDatabase)
	}
	return fmt.Sprintf("another create in this run is creating the Redshift integration on host %q (database %q), and Immuta allows one per host; nothing was sent", e.Host, e.OtherDatabase)
}

var (
	existsRe       = regexp.MustCompile(`(?i)already exists on host\s+"?(.*?)"?\s*\(\s*id\s*[=:]\s*"?([^)"\s]+)"?\s*\)`)
	currentStateRe = regexp.MustCompile(`(?i)in current state\s+"?([A-Za-z]+)`)
)

// existingFromConflict recognizes the 409 of a create on a host that already has one.
func existingFromConflict(err error, host string) *ExistingIntegrationError {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusConflict {
		return nil
	}
	m := existsRe.FindStringSubmatch(e.Message)
	if m == nil {
		return nil
	}
	if m[1] != "" {
		host = m[1]
	}
	return &ExistingIntegrationError{ID: m[2], Host: host, Err: e}
}

// settlingConflict recognizes "409 ... in current state editing." and returns the
// state when it is one Immuta will leave by itself.
func settlingConflict(err error) (Status, bool) {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusConflict {
		return "", false
	}
	m := currentStateRe.FindStringSubmatch(e.Message)
	if m == nil {
		return "", false
	}
	for _, r := range statusTable {
		if strings.EqualFold(m[1], string(r.Status)) {
			return r.Status, !r.Settled
		}
	}
	return Status(m[1]), false
}

const maxMessage = 300

// immutaShaped reports whether an error answer has the shape of Immuta's own error
// object (contract: "Immuta's own error answers have one shape"): a JSON content type
// and an object whose statusCode is the answer's status, with string "error" and
// "message" fields. Decoded into a struct of pointers so that a missing field and a
// field of another type both fail the test.
func immutaShaped(contentType string, status int, body []byte) bool {
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

// parseErrorBody extracts Immuta's error and message from an error answer, or a short
// human excerpt from anything else.
func parseErrorBody(contentType string, body []byte) (errText, message string) {
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
			return clean(errText, 80), clean(message, maxMessage)
		}
	}
	if isHTML(contentType, trimmed) {
		for _, re := range []*regexp.Regexp{titleRe, h1Re} {
			if m := re.FindSubmatch(trimmed); m != nil {
				t := html.UnescapeString(tagRe.ReplaceAllString(string(m[1]), " "))
				if t = clean(t, maxMessage); t != "" {
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
	return "", clean(line, maxMessage)
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
	return truncate(s, limit)
}

func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
