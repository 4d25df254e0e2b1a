package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// FindRedshiftIntegrationByHost returns the Redshift integration on host (compared
// without case), or nil, nil. One whose status no longer holds the host (the status
// table's HoldsHost: "deleted") does not count. The list is streamed and skimmed
// (api/list_skim.go): only Redshift entries are decoded, however many integrations
// of other types the tenant holds.
func (c *Client) FindRedshiftIntegrationByHost(ctx context.Context, host string) (*Integration, error) {
	// A round of the lister (lister.go) sent after the call began: one in flight from
	// before may predate what the caller looks for (a create whose answer was lost).
	r, err := c.lists.fresh(ctx, time.Now())
	if err != nil {
		return nil, fmt.Errorf("find Redshift integration on host %q: %w", host, err)
	}
	for _, in := range r.entries {
		if isRedshift(in) && HoldsHost(in.Status) && sameHost(in.Config.Host, host) {
			cp := *in
			return &cp, nil
		}
	}
	return nil, nil
}

// UpdateIntegration PUTs p. When Immuta refuses because the integration is still
// settling (409 "in current state editing" and the like), it waits for it to settle
// and sends the PUT again, within ctx.
func (c *Client) UpdateIntegration(ctx context.Context, id string, p Payload) (*Integration, error) {
	op := "update integration " + id
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", op)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return c.sendWhenSettled(ctx, op, http.MethodPut, id, body, false)
}

// DeleteIntegration DELETEs the integration, with creds in the body when Immuta
// bootstrapped it (nil: no body). A 404 is returned as an *Error (IsNotFound). If the
// integration is still settling it waits and retries; if it is already being deleted it
// waits for it to be gone and answers as if the DELETE had been accepted.
func (c *Client) DeleteIntegration(ctx context.Context, id string, creds *Credentials) (*Integration, error) {
	op := "delete integration " + id
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", op)
	}
	var body []byte
	if creds != nil {
		b, err := json.Marshal(creds) //nolint:gosec // G117: sending them is the point; logs and errors mask them
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		body = b
	}
	return c.sendWhenSettled(ctx, op, http.MethodDelete, id, body, true)
}

// sendWhenSettled sends a PUT or DELETE. When Immuta refuses it because the
// integration is still settling (409 "in current state editing" and the like), it
// waits for the integration to settle and sends it again, within ctx. With deleting,
// an integration that disappears (or shows "deleted") meanwhile counts as deleted:
// someone else's DELETE did the job.
func (c *Client) sendWhenSettled(ctx context.Context, op, method, id string, body []byte, deleting bool) (*Integration, error) {
	send := c.api.Put
	if deleting {
		send = c.api.Delete
	}
	for round := 0; ; round++ {
		in, err := send(ctx, id, body)
		if err == nil {
			return in, nil
		}
		state, unsettled := settlingConflict(err)
		if r, ok := RuleOf(state); ok && deleting && r.On(OpDelete) == WaitDone {
			// "in current state deleted": it is gone already.
			return &Integration{ID: api.ID(id), Status: StatusDeleted}, nil
		}
		if !unsettled || round >= c.api.RetryMax() {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		c.logSettlingWait(ctx, method, id, state, err)
		in, werr := c.waitSettled(ctx, id, state)
		if deleting && (IsNotFound(werr) || (werr == nil && in.Status == StatusDeleted)) {
			return &Integration{ID: api.ID(id), Status: StatusDeleted}, nil
		}
		if werr != nil {
			refusedWait(werr, methodOp(method))
			return nil, fmt.Errorf("%s: %w; waiting for it to leave %q: %w", op, err, state, werr)
		}
	}
}

// GetIntegration reads one integration; a missing one is an *Error with IsNotFound.
func (c *Client) GetIntegration(ctx context.Context, id string) (*Integration, error) {
	return c.api.GetIntegration(ctx, id)
}

// Script fetches the SQL of action (api.Client.Script).
func (c *Client) Script(ctx context.Context, action ScriptAction, integrationID string, p *Payload) (string, error) {
	return c.api.Script(ctx, action, integrationID, p)
}
