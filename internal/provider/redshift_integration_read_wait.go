package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// readWait bounds how long a refresh waits for an integration that is still
// creating or editing (an earlier apply was interrupted) to settle, so that the plan
// shows the outcome (drift after an editError rollback, a createError) instead of a
// configuration Immuta may still undo. The resource's documentation states it.
var readWait = 5 * time.Minute

// settleForRead returns in, or what it settles in when it is still creating or
// editing. When the read wait runs out it returns in with a warning: a refresh never
// fails because Immuta is slow.
func (r *redshiftIntegrationResource) settleForRead(ctx context.Context, in *client.Integration, diags *diag.Diagnostics) (*client.Integration, error) {
	if !client.RefreshWaits(in.Status) {
		return in, nil
	}
	id := in.ID.String()
	// ctx carries the refresh's own bound (timeouts.read): the wait ends at the
	// earlier of the two.
	began := time.Now()
	wctx, cancel := context.WithTimeout(ctx, readWait)
	defer cancel()
	settled, err := r.client.WaitUntilSettled(wctx, id)
	switch {
	case err == nil:
		if settled.Status == client.StatusEditError {
			diags.AddWarning("The last update of integration "+id+" failed",
				fmt.Sprintf("Immuta reports %s: the edit failed and Immuta rolled back to the previous configuration, which the plan compares with yours.", settled.Status))
		}
		return settled, nil
	case errors.Is(err, context.DeadlineExceeded) && !errors.Is(ctx.Err(), context.Canceled):
		// readWait or timeouts.read ran out: the refresh has Immuta's answer, only
		// not a settled one.
		diags.AddWarning("Integration "+id+" is still "+string(in.Status),
			fmt.Sprintf("It was still %s after the refresh waited %s; the plan compares your configuration with what Immuta reports now, which may change when it settles. Run the plan again later (or raise timeouts.read).", in.Status, time.Since(began).Round(time.Second)))
		return in, nil
	}
	return nil, err
}
