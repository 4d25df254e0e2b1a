package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// An answer is evidence, not fact: proxies and gateways between the provider and
// Immuta cut answers short, answer 200 with a login page, hand one request the answer
// of another, and redirect elsewhere. This file says which failures are transient
// (worth another attempt, and inside a wait never an outcome) and which failures of a
// create may have reached Immuta; and which a retry cannot fix (permanentKind): a
// wrong host name or token must not cost the user half a minute of retries per
// resource before the same error.

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
		// permanentKind: a wrong host name, certificate or token ends a wait at once;
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

// retryableTransportError rejects failures that the same request would meet again.
func retryableTransportError(err error) bool {
	if errors.Is(err, errTooManyRedirects) || errors.Is(err, context.Canceled) {
		return false
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"unsupported protocol scheme", "invalid header", "http: server gave HTTP response to HTTPS client"} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// RefusedAttempts bounds the attempts of a request whose connection is refused: a
// tenant restarting comes back within a second or two, and a wrong port never does.
// With the default backoff the attempts take under 2 s in all.
const RefusedAttempts = 4

// permanentKind classifies a failed attempt as a failure that retrying cannot fix,
// or "" for one that it may: status is the answer's, 0 for a transport error;
// attempts is how many attempts of the request have failed so far.
func permanentKind(err error, status, attempts int) FailureKind {
	switch {
	case status == http.StatusUnauthorized:
		return FailureUnauthorized
	case status == http.StatusForbidden:
		return FailureForbidden
	case status != 0 || err == nil:
	case isDNSNotFound(err):
		return FailureDNS
	case isCertificateError(err):
		return FailureCertificate
	case errors.Is(err, syscall.ECONNREFUSED) && attempts >= RefusedAttempts:
		return FailureRefused
	}
	return ""
}

func isDNSNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

func isCertificateError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification)
}

// permanentFailure is permanentKind for do, as the error that ends the request at
// once, naming the endpoint: res is nil for a transport error.
// attempts is how many attempts of the request have failed so far.
func (c *Client) permanentFailure(err error, res *Response, attempts int) *PermanentError {
	status := 0
	if res != nil {
		status = res.Status
	}
	kind := permanentKind(err, status, attempts)
	if kind == "" {
		return nil
	}
	return &PermanentError{Kind: kind, Endpoint: c.base, Err: err}
}
