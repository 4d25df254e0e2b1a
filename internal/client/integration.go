package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// GetIntegration reads one integration; a missing one is an *Error with IsNotFound.
func (c *Client) GetIntegration(ctx context.Context, id string) (*Integration, error) {
	op := "get integration " + id
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", op)
	}
	path := integrationPath(id)
	var in *Integration
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, accept: func(res *response) error {
		var derr error
		in, derr = integrationAnswer(res, http.MethodGet, path, id)
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
		if found == nil && isRedshift(in) && in.Status.HoldsHost() && sameHost(in.Config.Host, host) {
			cp := *in
			found = &cp
		}
	})
	if err != nil {
		return nil, fmt.Errorf("find Redshift integration on host %q: %w", host, err)
	}
	return found, nil
}

func normalizeHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
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
		_, err := c.do(ctx, call{method: method, path: path, body: body, accept: func(res *response) error {
			var derr error
			in, derr = decodeIntegrationOrEmpty(res, method, path, id, answered)
			return derr
		}})
		if err == nil {
			return in, nil
		}
		state, unsettled := settlingConflict(err)
		if r, ok := state.Rule(); ok && deleting && r.On(OpDelete) == WaitDone {
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
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, accept: func(res *response) error {
		st = IntegrationStatus{}
		bare := false
		if t := bytes.TrimSpace(res.body); len(t) > 0 && t[0] == '"' {
			var s string
			if err := decodeJSON(res, "GET "+path, &s); err != nil {
				return err
			}
			st.Status, bare = Status(s), true
		} else if err := wantObject(res, "GET "+path); err != nil {
			return err
		} else if err := decodeJSON(res, "GET "+path, &st); err != nil {
			return err
		}
		if st.Status == "" {
			return fmt.Errorf("GET %s: the answer has no status", path)
		}
		if bare {
			st.ID = ID(id)
			return nil
		}
		return checkID(http.MethodGet, path, id, st.ID)
	}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &st, nil
}

// decodeJSON decodes a 2xx answer, turning anything that is not the expected JSON into
// an error that says what came instead, never a panic and never the body itself.
func decodeJSON(res *response, what string, v any) error {
	body := bytes.TrimSpace(res.body)
	ct := res.header.Get("Content-Type")
	if len(body) == 0 {
		return fmt.Errorf("%s: empty answer (status %d)", what, res.status)
	}
	if body[0] == '<' {
		_, title := parseErrorBody(ct, body)
		return fmt.Errorf("%s: the answer is an HTML page (%s), not JSON; is the base URL the Immuta tenant, not a login page or proxy?", what, title)
	}
	if err := json.Unmarshal(body, v); err != nil {
		// json.Unmarshal checks the syntax before decoding: any other error (a field
		// of the wrong type, an id that is an object or a bool) is about the shape.
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return fmt.Errorf("%s: the answer has an unexpected shape: %v", what, err)
		}
		return fmt.Errorf("%s: the answer is not valid JSON (%d bytes of %s; truncated?): %v", what, len(res.body), contentTypeOr(ct), err)
	}
	return nil
}

func contentTypeOr(ct string) string {
	if ct == "" {
		return "no content type"
	}
	return ct
}

func decodeIntegration(res *response, what string) (*Integration, error) {
	var in Integration
	if err := decodeJSON(res, what, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// decodeIntegrationOrEmpty allows a PUT or DELETE to answer 204 or an empty 200: what
// was asked is then known, and the wait that follows reads the rest. Any other answer
// must be an integration with the id asked for and a status (answers.go): null, {}
// or an object without them is a spoiled answer.
func decodeIntegrationOrEmpty(res *response, method, path, id string, status Status) (*Integration, error) {
	if len(bytes.TrimSpace(res.body)) == 0 {
		return &Integration{ID: ID(id), Status: status}, nil
	}
	return integrationAnswer(res, method, path, id)
}
