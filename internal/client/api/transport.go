package api

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-cleanhttp"
)

const maxRedirects = 10

// errTooManyRedirects ends a chain of redirects longer than maxRedirects.
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

// ErrInvalidCACert: Config.CACertPEM holds no certificate that can be parsed.
var ErrInvalidCACert = errors.New("CA certificate: no PEM certificate could be parsed")

// newHTTPClient builds the one *http.Client a client uses for its whole life, so that
// connections are kept alive across the many polls of a wait. It copies base (nil: a
// pooled transport), adds caCertPEM's roots to the system pool when set, and installs
// the redirect policy below in front of base's own.
func newHTTPClient(base *http.Client, caCertPEM string) (*http.Client, error) {
	var hc http.Client
	if base != nil {
		hc = *base
	}
	if hc.Transport == nil {
		hc.Transport = cleanhttp.DefaultPooledTransport()
	}
	if strings.TrimSpace(caCertPEM) != "" {
		t, ok := hc.Transport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("CA certificate: the HTTP client's transport is a %T, not an *http.Transport", hc.Transport)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			// Some platforms cannot list their roots; the private CA alone still works.
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(caCertPEM)) {
			return nil, ErrInvalidCACert
		}
		t = t.Clone()
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		t.TLSClientConfig.RootCAs = pool
		hc.Transport = t
	}
	prev := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := redirectPolicy(req, via); err != nil {
			return err
		}
		if prev != nil {
			return prev(req, via)
		}
		return nil
	}
	return &hc, nil
}

// redirectPolicy decides, before net/http sends it, whether the next request of a
// redirect may go. It is called with req already built by net/http: for a 301, 302
// or 303 net/http has turned any method but GET and HEAD into a GET and dropped the
// body; for a 307 or 308 it keeps both (the body is re-sent from req.GetBody, which
// NewRequest sets for the *bytes.Reader that attempt uses).
//
//   - Only same-origin redirects are followed. Stripping Authorization is not
//     enough: net/http re-sends the body of a 307/308, credentials and all.
//   - No method is ever rewritten: a redirect that would send another method than
//     the one asked (a PUT become a GET) is refused. Followed, the GET's answer
//     would read as the PUT's: "Modifications complete" with nothing changed.
//
// Either refusal is a *RedirectError; nothing was sent for it, and the server that
// answered the redirect did not act on the request, so do retries it, the create
// POST included.
func redirectPolicy(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	if len(via) == 0 {
		return nil
	}
	re := &RedirectError{From: origin(via[0].URL), Location: req.URL.Redacted()}
	if req.Response != nil {
		re.StatusCode = req.Response.StatusCode
	}
	if !sameOrigin(req.URL, via[0].URL) {
		return re
	}
	if asked := via[0].Method; req.Method != asked {
		re.SameOrigin, re.Method = true, asked
		return re
	}
	return nil
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

func hostPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return u.Hostname() + ":" + p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return u.Hostname() + ":80"
	}
	return u.Hostname() + ":443"
}
