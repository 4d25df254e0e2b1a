package tenantcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// Target is the tenant to check and how to reach it, as the provider would.
type Target struct {
	// BaseURL is the tenant root, normalized (client.NormalizeBaseURL).
	BaseURL string
	// HostTyped is IMMUTA_HOST as given, before normalization.
	HostTyped string
	// Token is the API key, sent as the bare Authorization header.
	Token string
	// CACertPEM adds root CAs, as the provider's ca_certificate does.
	CACertPEM string
	// Timeout bounds each request (default: the provider's per-attempt
	// timeout, client.DefaultAttemptTimeout).
	Timeout time.Duration
	// HTTPClient replaces the transport, for tests; redirects are never followed.
	HTTPClient *http.Client
}

// StopError ends a run before its facts are complete: a usage error (a
// setting to fix) or no answer at all. Its text never holds a secret.
type StopError struct {
	// Usage: a setting is wrong (exit 2, like a connection error).
	Usage bool
	Msg   string
	Err   error
}

func (e *StopError) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *StopError) Unwrap() error { return e.Err }

// wrongKey is the key of the 401 probe; it cannot be a real Immuta API key.
const wrongKey = "immuta-tenant-check-not-a-valid-key"

// maxKeptBody bounds what is kept of one answer; the list's size is counted
// whole even beyond it.
const maxKeptBody = 64 << 20

// missingIDBase is the id of the integration that cannot exist: the largest
// 32-bit integer, valid in any integer column (a larger one could make a
// tenant answer 400 or 500 instead of 404), and no tenant has 2^31 - 1
// integrations. When the list holds it, the next smaller free id is used.
const missingIDBase = 2147483647

// NewHTTPClient builds the client of the probes: the provider's transport
// defaults (go-cleanhttp, proxies from the environment) and CA handling, and
// no redirect followed, so that a redirect is seen as the fact it is.
func NewHTTPClient(t Target) (*http.Client, error) {
	tr := cleanhttp.DefaultPooledTransport()
	if t.CACertPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(t.CACertPEM)) {
			return nil, &StopError{Usage: true, Msg: "IMMUTA_CA_CERTIFICATE holds no PEM certificate (it must hold the certificates themselves, -----BEGIN CERTIFICATE-----, not a file path; or use -ca-cert-file)"}
		}
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	}
	return &http.Client{Transport: tr}, nil
}

// Probe sends the check's requests, GETs only, and returns their raw answers.
// It stops with a *StopError when the tenant cannot be reached or refuses
// the API key; the answers so far are returned with it.
func Probe(ctx context.Context, t Target) (*Observations, error) {
	hc := t.HTTPClient
	if hc == nil {
		var err error
		if hc, err = NewHTTPClient(t); err != nil {
			return nil, err
		}
	}
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = client.DefaultAttemptTimeout
	}
	p := prober{hc: &cp, base: t.BaseURL, timeout: timeout}
	obs := &Observations{BaseURL: t.BaseURL, HostTyped: t.HostTyped}

	obs.List = p.get(ctx, "the API key", "/integrations", t.Token)
	if err := reachable(&obs.List, t.BaseURL); err != nil {
		return obs, err
	}
	switch obs.List.Status {
	case http.StatusUnauthorized:
		return obs, &StopError{Usage: true, Msg: "Immuta refuses the API key (401): set IMMUTA_API_TOKEN to a valid Immuta API key"}
	case http.StatusForbidden:
		return obs, &StopError{Usage: true, Msg: "the API key's user lacks the APPLICATION_ADMIN permission (403): set IMMUTA_API_TOKEN to the key of a user who has it"}
	}

	var entries []entry
	if obs.List.Status == http.StatusOK {
		entries, _ = listEntries(obs.List.Body)
	}
	ids := idsOf(entries)
	obs.ExistingID = pickExisting(entries)
	if obs.ExistingID != "" {
		e := p.get(ctx, "an integration of the list", "/integrations/"+url.PathEscape(obs.ExistingID), t.Token)
		obs.Existing = &e
		if err := reachable(obs.Existing, t.BaseURL); err != nil {
			return obs, err
		}
	}
	obs.MissingID = missingID(ids)
	m := p.get(ctx, "an id no integration has", "/integrations/"+obs.MissingID, t.Token)
	obs.Missing = &m
	if err := reachable(obs.Missing, t.BaseURL); err != nil {
		return obs, err
	}
	nk := p.get(ctx, "no API key", "/integrations", "")
	obs.NoKey = &nk
	if err := reachable(obs.NoKey, t.BaseURL); err != nil {
		return obs, err
	}
	key := wrongKey
	if key == t.Token {
		key += "-2"
	}
	wk := p.get(ctx, "a wrong API key", "/integrations", key)
	obs.WrongKey = &wk
	if err := reachable(obs.WrongKey, t.BaseURL); err != nil {
		return obs, err
	}
	return obs, nil
}

type prober struct {
	hc      *http.Client
	base    string
	timeout time.Duration
}

// get sends one GET; token "" sends no Authorization header. It is the only
// place that sends anything, and it sends GET only.
func (p prober) get(ctx context.Context, why, path, token string) Exchange {
	e := Exchange{Why: why, Method: http.MethodGet, Path: path}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path, nil)
	if err != nil {
		e.Err = err
		return e
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "immuta-tenant-check (terraform-provider-immuta)")
	start := time.Now()
	res, err := p.hc.Do(req)
	if err != nil {
		e.Latency = time.Since(start)
		e.Err = unwrapURLError(err)
		return e
	}
	defer res.Body.Close()
	e.Status, e.Header = res.StatusCode, res.Header
	e.Body, err = io.ReadAll(io.LimitReader(res.Body, maxKeptBody))
	e.Size = int64(len(e.Body))
	if err == nil {
		var rest int64
		rest, err = io.Copy(io.Discard, res.Body)
		e.Size += rest
		e.Cut = rest > 0
	}
	e.Latency = time.Since(start)
	if err != nil {
		e.Err = fmt.Errorf("reading the answer (%d): %w", res.StatusCode, err)
	}
	return e
}

// reachable turns a request without an answer into a StopError that says
// what the provider would meet too.
func reachable(e *Exchange, base string) error {
	if e.Err == nil {
		return nil
	}
	msg := fmt.Sprintf("%s %s (%s): no answer from %s", e.Method, e.Path, e.Why, base)
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
	)
	switch {
	case errors.Is(e.Err, context.DeadlineExceeded):
		msg += fmt.Sprintf(" within %s (the provider gives each attempt %s too)", roundLatency(e.Latency), client.DefaultAttemptTimeout)
	case errors.As(e.Err, &dnsErr) && dnsErr.IsNotFound:
		msg += " (its host name does not resolve: check IMMUTA_HOST)"
	case errors.As(e.Err, &certErr), errors.As(e.Err, &unknown), errors.As(e.Err, &host):
		msg += " (its TLS certificate is not trusted: behind a private CA, set IMMUTA_CA_CERTIFICATE to the CA's PEM certificates, as for the provider's ca_certificate, or use -ca-cert-file)"
	}
	return &StopError{Msg: msg, Err: e.Err}
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// pickExisting is the id to read back: the first Redshift integration's,
// else the first integration's with an id.
func pickExisting(entries []entry) string {
	for _, e := range entries {
		if e.idText != "" && e.isRedshift() {
			return e.idText
		}
	}
	for _, e := range entries {
		if e.idText != "" {
			return e.idText
		}
	}
	return ""
}

func missingID(ids map[string]bool) string {
	for n := missingIDBase; ; n-- {
		if s := strconv.Itoa(n); !ids[s] {
			return s
		}
	}
}

func idsOf(entries []entry) map[string]bool {
	ids := map[string]bool{}
	for _, e := range entries {
		if e.idText != "" {
			ids[e.idText] = true
		}
	}
	return ids
}
