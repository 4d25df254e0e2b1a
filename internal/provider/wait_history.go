package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// waitHistoryKey is the private-state key under which a resource keeps how long its
// integration's operations took (client.History), so that its next update's wait
// predicts from its own earlier updates in a new provider process. Private state is
// opaque to users and holds no secret: only durations by operation.
const waitHistoryKey = "wait_history"

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// loadWaitHistory reads the history kept in private state. Nothing kept, or anything
// unreadable, is an empty history: the wait then follows the schedule, which is
// always safe, so a spoiled record is no reason to fail a plan or an apply.
func loadWaitHistory(ctx context.Context, p privateGetter) *client.History {
	h := &client.History{}
	if p == nil {
		return h
	}
	b, diags := p.GetKey(ctx, waitHistoryKey)
	if diags.HasError() || len(b) == 0 {
		return h
	}
	if err := json.Unmarshal(b, h); err != nil {
		return &client.History{}
	}
	return h
}

// saveWaitHistory keeps h in private state.
func saveWaitHistory(ctx context.Context, p privateSetter, h *client.History) diag.Diagnostics {
	if p == nil || h == nil {
		return nil
	}
	b, err := json.Marshal(h)
	if err != nil {
		return nil // durations always marshal; nothing worth failing an apply for
	}
	return p.SetKey(ctx, waitHistoryKey, b)
}
