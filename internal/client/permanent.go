package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
)

// Failures that sending the request again cannot fix. The retry loop (do) asks
// permanentFailure about each failed attempt and, for these, stops at once with a
// *PermanentError that names the Immuta endpoint: a wrong host name or token must not
// cost the user half a minute of retries per resource before the same error.

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

// refusedAttempts bounds the attempts of a request whose connection is refused: a
// tenant restarting comes back within a second or two, and a wrong port never does.
// With the default backoff the attempts take under 2 s in all.
const refusedAttempts = 4

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

// permanentFailure classifies a failed attempt: res is nil for a transport error.
// attempts is how many attempts of the request have failed so far.
func (c *Client) permanentFailure(err error, res *response, attempts int) *PermanentError {
	kind := FailureKind("")
	switch {
	case res != nil && res.status == http.StatusUnauthorized:
		kind = FailureUnauthorized
	case res != nil && res.status == http.StatusForbidden:
		kind = FailureForbidden
	case res != nil || err == nil:
	case isDNSNotFound(err):
		kind = FailureDNS
	case isCertificateError(err):
		kind = FailureCertificate
	case errors.Is(err, syscall.ECONNREFUSED) && attempts >= refusedAttempts:
		kind = FailureRefused
	}
	if kind == "" {
		return nil
	}
	return &PermanentError{Kind: kind, Endpoint: c.base, Err: err}
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
