package client

import (
	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Failures that sending the request again cannot fix. The retry loop (do) asks
// permanentFailure about each failed attempt and, for these, stops at once with a
// *PermanentError that names the Immuta endpoint: a wrong host name or token must not
// cost the user half a minute of retries per resource before the same error.

// permanentFailure classifies a failed attempt: res is nil for a transport error.
// attempts is how many attempts of the request have failed so far.
func (c *Client) permanentFailure(err error, res *api.Response, attempts int) *PermanentError {
	status := 0
	if res != nil {
		status = res.Status
	}
	kind := api.PermanentKind(err, status, attempts)
	if kind == "" {
		return nil
	}
	return &PermanentError{Kind: kind, Endpoint: c.base, Err: err}
}
