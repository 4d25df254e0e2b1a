package client

import (
	"context"
	"fmt"
)

// WaitUntilSettled is for a refresh that finds an integration still creating or editing,
// e.g. because an earlier apply was interrupted: it looks until the integration is settled
// (the status table), within ctx, and returns it then, so that the caller sees
// the outcome (enabled, editError with the configuration rolled back, createError)
// rather than a configuration Immuta may still undo. A 404 comes back as an error
// with IsNotFound. When ctx ends first, the error wraps ctx.Err().
func (c *Client) WaitUntilSettled(ctx context.Context, id string) (*Integration, error) {
	if id == "" {
		return nil, fmt.Errorf("wait for integration to settle: empty id")
	}
	return c.waitSettled(ctx, id, "an unsettled status")
}
