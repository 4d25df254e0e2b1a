package client

import (
	"net/http"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Config configures a Client. Only BaseURL and APIToken are required; all but Poll
// are the API layer's (api.Config).
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
	Logger api.Logger

	// RetryMax is how many times a failed request is retried: 0 means 8, negative
	// means never. Immuta's own refusals (a 429 or 503 in its error shape, with a
	// Retry-After) do not count: Immuta did not act and said when to come back, so
	// they are waited out within the context's deadline (api/retry.go).
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff (defaults 200ms and
	// 10s). A Retry-After of any other answer (a gateway's page) is honored but capped
	// at 3×RetryWaitMax, so a misconfigured proxy asking for an hour cannot stall a
	// run that has a deadline far away.
	RetryWaitMin, RetryWaitMax time.Duration
	// AttemptTimeout bounds every HTTP attempt, the create POST's included (default
	// 60s, well under any operation's timeout), so a hung connection is retried instead
	// of eating the whole deadline. A create POST cut short may have reached Immuta:
	// its error satisfies api.MayHaveReachedImmuta, and the create path finds out.
	AttemptTimeout time.Duration

	// HTTPClient is an optional base client (transport, timeout) for tests. The client
	// copies it and installs its own redirect policy.
	HTTPClient *http.Client
	// Poll is the schedule of WaitForIntegration; the zero value means DefaultPollSchedule.
	Poll PollSchedule
}

// Defaults of Config (api.Config's).
const (
	DefaultRetryMax       = api.DefaultRetryMax
	DefaultMinRetryWait   = api.DefaultMinRetryWait
	DefaultMaxRetryWait   = api.DefaultMaxRetryWait
	DefaultAttemptTimeout = api.DefaultAttemptTimeout
	DefaultUserAgent      = api.DefaultUserAgent
)

// NormalizeBaseURL turns what a user typed into "scheme://host[:port]"
// (api.NormalizeBaseURL).
func NormalizeBaseURL(s string) (string, error) { return api.NormalizeBaseURL(s) }

func (cfg Config) apiConfig() api.Config {
	return api.Config{
		BaseURL: cfg.BaseURL, APIToken: cfg.APIToken, UserAgent: cfg.UserAgent, CACertPEM: cfg.CACertPEM,
		Logger: cfg.Logger, RetryMax: cfg.RetryMax, RetryWaitMin: cfg.RetryWaitMin, RetryWaitMax: cfg.RetryWaitMax,
		AttemptTimeout: cfg.AttemptTimeout, HTTPClient: cfg.HTTPClient,
	}
}
