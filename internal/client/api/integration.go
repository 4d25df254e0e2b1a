package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
)

// The typed calls: one per endpoint, each one request with its retries (do) and its
// answer checked (answers.go). Waiting, sharing and the status table are the layer
// above's (package client).

// GetIntegration reads one integration; a missing one is an *Error with IsNotFound.
func (c *Client) GetIntegration(ctx context.Context, id string) (*Integration, error) {
	op := "get integration " + id
	if id == "" {
		return nil, fmt.Errorf("%s: empty id", op)
	}
	path := integrationPath(id)
	var in *Integration
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, accept: func(res *Response) error {
		var derr error
		in, derr = IntegrationAnswer(res, http.MethodGet, path, id)
		return derr
	}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return in, nil
}

// ListIntegrations returns integrations of every type; only the fields they share with
// Redshift are filled for the others. It keeps the whole list: callers that need a few
// integrations of a large tenant use EachIntegration.
func (c *Client) ListIntegrations(ctx context.Context) ([]Integration, error) {
	const op = "list integrations"
	var out []Integration
	err := c.EachIntegration(ctx, func() { out = out[:0] }, func(in *Integration) { out = append(out, *in) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
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
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, accept: func(res *Response) error {
		st = IntegrationStatus{}
		bare := false
		if t := bytes.TrimSpace(res.Body); len(t) > 0 && t[0] == '"' {
			var s string
			if err := DecodeJSON(res, "GET "+path, &s); err != nil {
				return err
			}
			st.Status, bare = Status(s), true
		} else if err := wantObject(res, "GET "+path); err != nil {
			return err
		} else if err := DecodeJSON(res, "GET "+path, &st); err != nil {
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

// Put sends one PUT /integrations/{id} of body, with its retries, and reads its
// answer; a 204 or an empty 200 reads as the integration editing. It does not wait
// out a 409 (the layer above does), and its error is the request's, for the caller to
// name the operation.
func (c *Client) Put(ctx context.Context, id string, body []byte) (*Integration, error) {
	return c.send(ctx, http.MethodPut, id, body, StatusEditing)
}

// Delete sends one DELETE /integrations/{id}, with body when it is not nil, as Put
// does; a 204 or an empty 200 reads as the integration deleting.
func (c *Client) Delete(ctx context.Context, id string, body []byte) (*Integration, error) {
	return c.send(ctx, http.MethodDelete, id, body, StatusDeleting)
}

func (c *Client) send(ctx context.Context, method, id string, body []byte, answered Status) (*Integration, error) {
	path := integrationPath(id)
	var in *Integration
	_, err := c.do(ctx, call{method: method, path: path, body: body, accept: func(res *Response) error {
		var derr error
		in, derr = integrationOrEmpty(res, method, path, id, answered)
		return derr
	}})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// PostIntegration sends the create POST of body. It is re-sent only when Immuta
// certainly did not act (create_evidence.go); every failed attempt is noted in ev,
// and a transport failure after the request left is a *maybeSentError. sent counts
// the attempts across calls against RetryMax. The 2xx answer is returned unread:
// what it proves (IntegrationAnswer, CheckCreated) is the caller's to decide.
func (c *Client) PostIntegration(ctx context.Context, body []byte, sent *int, ev *AttemptEvidence) (*Response, error) {
	return c.do(ctx, call{method: http.MethodPost, path: "/integrations", body: body, create: true, sent: sent, evidence: ev})
}
