package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config configures a Client: the tenant, the token and how requests are sent and
// retried. Only BaseURL and APIToken are required.
type Config struct {
	// BaseURL is the tenant root, e.g. "https://acme.immuta.com" or
	// "http://127.0.0.1:8089"; a bare host means https and a trailing slash is fine.
	BaseURL string
	// APIToken is sent as the bare Authorization header, as Immuta documents.
	APIToken string
	// UserAgent identifies the caller, e.g. "terraform-provider-immuta/0.1.0 (+https://...)".
	UserAgent string
	// CACertPEM adds root CAs (PEM) to the system pool, for tenants behind a private CA.
	CACertPEM string
	// Logger gets one entry per HTTP attempt, already masked; nil disables logging.
	Logger Logger

	// RetryMax is how many times a failed request is retried: 0 means 8, negative
	// means never. Immuta's own refusals (a 429 or 503 in its error shape, with a
	// Retry-After) do not count: Immuta did not act and said when to come back, so
	// they are waited out within the context's deadline (retry.go).
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff (defaults 200ms and
	// 10s). A Retry-After of any other answer (a gateway's page) is honored but capped
	// at 3×RetryWaitMax, so a misconfigured proxy asking for an hour cannot stall a
	// run that has a deadline far away.
	RetryWaitMin, RetryWaitMax time.Duration
	// AttemptTimeout bounds every HTTP attempt, the create POST's included (default
	// 60s, well under any operation's timeout), so a hung connection is retried instead
	// of eating the whole deadline. A create POST cut short may have reached Immuta:
	// its error satisfies MayHaveReachedImmuta, and the caller finds out.
	AttemptTimeout time.Duration

	// HTTPClient is an optional base client (transport, timeout) for tests. The client
	// copies it and installs its own redirect policy.
	HTTPClient *http.Client
}

// Defaults of Config.
const (
	DefaultRetryMax       = 8
	DefaultMinRetryWait   = 200 * time.Millisecond
	DefaultMaxRetryWait   = 10 * time.Second
	DefaultAttemptTimeout = 60 * time.Second
	DefaultUserAgent      = "immuta-integrations-go-client"
)

// NormalizeBaseURL turns what a user typed into "scheme://host[:port]" with no trailing
// slash. It refuses anything but http and https, a path beyond "/", a query, a
// fragment and user info: all of them would silently change every request's meaning.
func NormalizeBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("base URL is empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("base URL %q: %w", s, err)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		return "", fmt.Errorf("base URL %q: scheme must be http or https", s)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("base URL %q: no host", s)
	case u.User != nil:
		return "", fmt.Errorf("base URL: must not hold user info; use the API token")
	case u.Path != "" && u.Path != "/":
		return "", fmt.Errorf("base URL %q: must be the tenant root, without a path (the API hangs off the root, e.g. /integrations)", s)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("base URL %q: must not have a query", s)
	case u.Fragment != "":
		return "", fmt.Errorf("base URL %q: must not have a fragment", s)
	}
	return scheme + "://" + strings.ToLower(u.Host), nil
}

func (cfg Config) withDefaults() Config {
	if cfg.RetryMax == 0 {
		cfg.RetryMax = DefaultRetryMax
	} else if cfg.RetryMax < 0 {
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultMinRetryWait
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultMaxRetryWait
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.AttemptTimeout == 0 {
		cfg.AttemptTimeout = DefaultAttemptTimeout
	}
	if strings.TrimSpace(cfg.UserAgent) == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	return cfg
}

func validateToken(tok string) error {
	if tok == "" {
		return errors.New("API token is empty")
	}
	for _, r := range tok {
		// Never quote the token: the message ends up in logs and terminals.
		if r < 0x20 || r == 0x7f {
			return errors.New("API token holds a control character (a stray newline?)")
		}
	}
	return nil
}
