package client

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// RedshiftFilter narrows ListRedshiftIntegrations. The zero value keeps
// every Redshift integration in use.
type RedshiftFilter struct {
	// Host keeps the integration on this host, compared as the one-per-host
	// rule compares hosts: without case or a trailing dot.
	Host string
	// HostPattern keeps hosts matching this glob (path.Match syntax: *, ?,
	// [a-z]), without case, e.g. "*.eu-west-1.redshift.amazonaws.com".
	HostPattern string
	// Statuses keeps only these statuses. Empty keeps the statuses the status
	// table says are in use (every one but "deleted" and "disabled").
	Statuses []Status
}

// Validate reports a HostPattern that is not a valid glob.
func (f RedshiftFilter) Validate() error {
	if _, err := path.Match(strings.ToLower(f.HostPattern), ""); err != nil {
		return fmt.Errorf("host pattern %q: %w", f.HostPattern, err)
	}
	return nil
}

func (f RedshiftFilter) keeps(in *Integration) bool {
	if !isRedshift(in) {
		return false
	}
	if len(f.Statuses) > 0 {
		if !slices.Contains(f.Statuses, in.Status) {
			return false
		}
	} else if !inUse(in.Status) {
		return false
	}
	if f.Host != "" && !sameHost(in.Config.Host, f.Host) {
		return false
	}
	if f.HostPattern != "" {
		ok, _ := path.Match(strings.ToLower(f.HostPattern), api.NormalizeHost(in.Config.Host))
		return ok
	}
	return true
}

// ListRedshiftIntegrations returns the Redshift integrations that f keeps,
// in the order Immuta lists them; integrations of other types are never
// returned. It filters the streamed GET /integrations (the API has no filter
// of its own), so only the kept integrations take memory.
func (c *Client) ListRedshiftIntegrations(ctx context.Context, f RedshiftFilter) ([]Integration, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("list Redshift integrations: %w", err)
	}
	var out []Integration
	err := c.api.EachIntegration(ctx, func() { out = out[:0] }, func(in *Integration) {
		if f.keeps(in) {
			out = append(out, *in)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list Redshift integrations: %w", err)
	}
	return out, nil
}

// isRedshift is an integration of the type this client manages.
func isRedshift(in *Integration) bool { return strings.EqualFold(in.Type, TypeRedshift) }

// sameHost compares hosts as Immuta's one-integration-per-host rule does.
func sameHost(a, b string) bool { return api.NormalizeHost(a) == api.NormalizeHost(b) }
