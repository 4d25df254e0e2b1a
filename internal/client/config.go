package client

import (
	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Connection is how requests reach the tenant and how they are retried: the API
// layer's configuration (api.Config), where each field is documented. Only BaseURL
// and APIToken are required.
type Connection = api.Config

// Config configures a Client: its connection, and the schedule of its waits.
type Config struct {
	Connection
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
