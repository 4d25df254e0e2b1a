package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"syscall"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Failures that sending the request again cannot fix. The retry loop (do) asks
// permanentFailure about each failed attempt and, for these, stops at once with a
// *PermanentError that names the Immuta endpoint: a wrong host name or token must not
// cost the user half a minute of retries per resource before the same error.

// refusedAttempts bounds the attempts of a request whose connection is refused: a
// tenant restarting comes back within a second or two, and a wrong port never does.
// With the default backoff the attempts take under 2 s in all.
const refusedAttempts = 4

// permanentFailure classifies a failed attempt: res is nil for a transport error.
// attempts is how many attempts of the request have failed so far.
func (c *Client) permanentFailure(err error, res *api.Response, attempts int) *PermanentError {
	kind := FailureKind("")
	switch {
	case res != nil && res.Status == http.StatusUnauthorized:
		kind = FailureUnauthorized
	case res != nil && res.Status == http.StatusForbidden:
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
