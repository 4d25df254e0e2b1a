package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// GetIntegration reads one integration; a missing one is an *Error with IsNotFound.
func (c *Client) GetIntegration(ctx context.Context, id string) (*Integration, error) {
	op := "get integration " + id
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", op)
	}
	path := integrationPath(id)
	var in *Integration
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, accept: func(res *api.Response) error {
		var derr error
		in, derr = api.IntegrationAnswer(res, http.MethodGet, path, id)
		return derr
	}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return in, nil
}

// ListIntegrations returns integrations of every type; only the fields they share with
// Redshift are filled for the others. It keeps the whole list: callers that need a few
// integrations of a large tenant use eachIntegration.
func (c *Client) ListIntegrations(ctx context.Context) ([]Integration, error) {
	const op = "list integrations"
	var out []Integration
	err := c.eachIntegration(ctx, func() { out = out[:0] }, func(in *Integration) { out = append(out, *in) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// FindRedshiftIntegrationByHost returns the Redshift integration on host (compared
// without case), or nil, nil. One whose status no longer holds the host (the status
// table's HoldsHost: "deleted") does not count. The list is streamed and skimmed
// (list_skim.go): only Redshift entries are decoded and only the match is kept,
// however many integrations of other types the tenant holds.
func (c *Client) FindRedshiftIntegrationByHost(ctx context.Context, host string) (*Integration, error) {
	var found *Integration
	_, err := c.eachRedshift(ctx, func() { found = nil }, func(in *Integration) {
		if found == nil && isRedshift(in) && HoldsHost(in.Status) && sameHost(in.Config.Host, host) {
			cp := *in
			found = &cp
		}
	})
	if err != nil {
		return nil, fmt.Errorf("find Redshift integration on host %q: %w", host, err)
	}
	return found, nil
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
	return c.sendWhenSettled(ctx, op, http.MethodPut, id, body, StatusEditing, false)
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
	return c.sendWhenSettled(ctx, op, http.MethodDelete, id, body, StatusDeleting, true)
}

// sendWhenSettled sends a PUT or DELETE. When Immuta refuses it because the
// integration is still settling (409 "in current state editing" and the like), it
// waits for the integration to settle and sends it again, within ctx. With deleting,
// an integration that disappears (or shows "deleted") meanwhile counts as deleted:
// someone else's DELETE did the job.
func (c *Client) sendWhenSettled(ctx context.Context, op, method, id string, body []byte, answered Status, deleting bool) (*Integration, error) {
	path := integrationPath(id)
	for round := 0; ; round++ {
		var in *Integration
		_, err := c.do(ctx, call{method: method, path: path, body: body, accept: func(res *api.Response) error {
			var derr error
			in, derr = api.IntegrationOrEmpty(res, method, path, id, answered)
			return derr
		}})
		if err == nil {
			return in, nil
		}
		state, unsettled := settlingConflict(err)
		if r, ok := RuleOf(state); ok && deleting && r.On(OpDelete) == WaitDone {
			// "in current state deleted": it is gone already.
			return &Integration{ID: ID(id), Status: StatusDeleted}, nil
		}
		if !unsettled || round >= c.retryMax {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		c.logSettlingWait(ctx, method, id, state, err)
		in, werr := c.waitSettled(ctx, id, state)
		if deleting && (IsNotFound(werr) || (werr == nil && in.Status == StatusDeleted)) {
			return &Integration{ID: ID(id), Status: StatusDeleted}, nil
		}
		if werr != nil {
			refusedWait(werr, methodOp(method))
			return nil, fmt.Errorf("%s: %w; waiting for it to leave %q: %w", op, err, state, werr)
		}
	}
}

// GetIntegrationStatus reads GET /integrations/{id}/status. Its shape is not documented:
// an object {id, status, validationResults} and a bare JSON string are both accepted.
// The object must name the id asked for and a status; the bare string (which can
// name no id) must be a status.
func (c *Client) GetIntegrationStatus(ctx context.Context, id string) (*IntegrationStatus, error) {
	op := "get status of integration " + id
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", op)
	}
	path := integrationPath(id) + "/status"
	var st IntegrationStatus
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, accept: func(res *api.Response) error {
		st = IntegrationStatus{}
		bare := false
		if t := bytes.TrimSpace(res.Body); len(t) > 0 && t[0] == '"' {
			var s string
			if err := api.DecodeJSON(res, "GET "+path, &s); err != nil {
				return err
			}
			st.Status, bare = Status(s), true
		} else if err := api.WantObject(res, "GET "+path); err != nil {
			return err
		} else if err := api.DecodeJSON(res, "GET "+path, &st); err != nil {
			return err
		}
		if st.Status == "" {
			return fmt.Errorf("GET %s: the answer has no status", path)
		}
		if bare {
			st.ID = ID(id)
			return nil
		}
		return api.CheckID(http.MethodGet, path, id, st.ID)
	}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &st, nil
}
