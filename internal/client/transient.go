package client

import (
	"errors"
	"net/http"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// An answer is evidence, not fact: proxies and gateways between the provider and
// Immuta cut answers short, answer 200 with a login page, hand one request the answer
// of another, and redirect elsewhere. This file says which failures are transient
// (worth another attempt, and inside a wait never an outcome) and which failures of a
// create may have reached Immuta.

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
		return transientStatus(e.StatusCode) || api.SpoiledNotFound(e)
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
			api.SpoiledNotFound(e)
	}
	return false
}
