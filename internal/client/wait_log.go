package client

import (
	"context"
	"net/http"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// logSettlingWait says, at info level, that a PUT or DELETE was refused because the
// integration is still settling and that the client now waits for it: without this a
// destroy of an integration stuck in "creating" shows only "Still destroying..." for
// the whole timeout.
func (c *Client) logSettlingWait(ctx context.Context, method, id string, state Status, refusal error) {
	if c.logger == nil {
		return
	}
	op := methodOp(method)
	why := "Immuta refuses it while the integration is " + string(state) + " (409)"
	if r, ok := RuleOf(state); ok {
		why = "Immuta refuses it (409) while the integration " + r.Means
	}
	c.logger.Log(ctx, LevelInfo, api.LogMsgWait, map[string]any{
		"integration_id": id,
		"operation":      string(op),
		"waiting_for":    "integration " + id + " to leave status " + string(state) + ", so that the " + opNoun(op) + " can be sent again",
		"why":            why,
		"refusal":        refusal.Error(),
	})
}

func methodOp(method string) Operation {
	switch method {
	case http.MethodPut:
		return OpUpdate
	case http.MethodDelete:
		return OpDelete
	}
	return OpCreate
}
