package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// An answer is evidence, not fact: proxies and gateways between the provider and
// Immuta cut answers short, answer 200 with a login page, hand one request the answer
// of another, and redirect elsewhere. This file says which failures are transient
// (worth another attempt, and inside a wait never an outcome) and which failures of a
// create may have reached Immuta.

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

// checkID refuses an answer about another integration than id, and one that names
// none: an answer without an id is shapeless (null, {}, a gateway's stand-in), not
// Immuta's, and says nothing about the integration asked for.
func checkID(method, path, id string, got ID) error {
	if got == "" {
		return noID(method, path)
	}
	if got.String() == id {
		return nil
	}
	return &BadAnswerError{Method: method, Path: path,
		Reason: fmt.Sprintf("the answer is about integration %s, not integration %s (a cached or misrouted answer)", got, id)}
}

// CheckCreated cross-checks an answer about the integration created on host: the
// create answer may hold only id and status, but when it (or the first look at the
// id it gave) names a host or a type, they must be this create's, or the answer is
// another request's (a cached or misrouted answer) and its id is not ours.
func CheckCreated(in *Integration, host string) error {
	switch {
	case in == nil:
		return nil
	case in.Type != "" && !strings.EqualFold(in.Type, TypeRedshift):
		return &BadAnswerError{Method: http.MethodPost, Path: "/integrations",
			Reason: fmt.Sprintf("integration %s is a %s integration, not the Redshift integration created on host %q", in.ID, in.Type, host)}
	case in.Config.Host != "" && normalizeHost(in.Config.Host) != normalizeHost(host):
		return &BadAnswerError{Method: http.MethodPost, Path: "/integrations",
			Reason: fmt.Sprintf("integration %s is on host %q, not on %q where it was created", in.ID, in.Config.Host, host)}
	}
	return nil
}

// badAnswer turns a decoding failure of a 2xx answer into a *BadAnswerError.
func badAnswer(method, path string, err error) error {
	var ba *BadAnswerError
	if err == nil || errors.As(err, &ba) {
		return err
	}
	reason := strings.TrimPrefix(err.Error(), method+" "+path+": ")
	return &BadAnswerError{Method: method, Path: path, Reason: reason, Err: err}
}

// transientStatus: statuses that a proxy, gateway or busy server answers for a while
// and that the same request may not meet again.
func transientStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// IsTransient reports whether err is a failure that looking again may not meet: a
// network error, a 429 or 5xx, a spoiled answer, a refused redirect. Inside a wait such
// a failure is a reason to look again, never an outcome.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if pe := AsPermanent(err); pe != nil {
		// permanent.go: a wrong host name, certificate or token ends a wait at once;
		// a refused connection may be a tenant restarting, which a wait outlives.
		return pe.Kind == FailureRefused
	}
	var (
		ba *BadAnswerError
		re *RedirectError
		e  *Error
	)
	switch {
	case errors.As(err, &ba), errors.As(err, &re):
		return true
	case errors.As(err, &e):
		return transientStatus(e.StatusCode) || spoiledNotFound(e)
	}
	return retryableTransportError(err)
}

// MayHaveReachedImmuta reports whether a failed create POST may have created the
// integration: its answer was lost or timed out after the request left, a 500, or a
// 429 or 5xx that is not Immuta's own error object (a gateway's page: it may have
// given up after Immuta acted), or a 2xx came back that cannot be read. A refused
// redirect, and Immuta's own 429 or 503, did not act (create_evidence.go). A 404
// that is not Immuta's (a gateway's page) proves nothing either way.
func MayHaveReachedImmuta(err error) bool {
	var (
		ms *maybeSentError
		e  *Error
	)
	switch {
	case errors.As(err, &ms):
		return true
	case errors.As(err, &e) && e.Method == http.MethodPost && e.Path == "/integrations":
		return (e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests) && errorKind(e) == attemptUnknown ||
			spoiledNotFound(e)
	}
	return false
}
