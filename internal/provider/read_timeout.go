package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// defaultReadTimeout bounds every read of Immuta: a refresh and the read after an
// import (timeouts.read overrides it), the script data source and ephemeral
// resource, and the list resource. Without it a gateway that holds a GET open would
// hold the plan for the client's retries times its per-attempt timeout (9 × 60s). A
// variable so that tests can shorten it; the schema descriptions state it.
var defaultReadTimeout = 5 * time.Minute

// readTimeoutWords is defaultReadTimeout as the documentation says it.
const readTimeoutWords = "`5m`"

// withReadTimeout bounds ctx by limit; the caller reports a deadline with
// addReadError.
func withReadTimeout(ctx context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, limit)
}

// readFailure is how addReadError words a failed read.
type readFailure struct {
	summary string // names the integration or the script
	// unchanged says what the read left alone, e.g. "nothing was changed in Immuta or in state".
	unchanged string
	// setting is what bounds this read ("timeouts.read"); "" when the user cannot set it.
	setting string
	limit   time.Duration
}

// addReadError reports a failed read. A read that ran out of time (our own bound,
// or every attempt timed out) names the request, how long it waited, how many
// attempts, and what to do; only a cancelled run (the user interrupted it) says
// "interrupted". Anything else is addRequestError's.
func addReadError(diags *diag.Diagnostics, c *client.Client, f readFailure, err error) {
	interrupted := "The run was interrupted before Immuta answered; " + f.unchanged + "."
	if errors.Is(err, context.Canceled) || !errors.Is(err, context.DeadlineExceeded) {
		addRequestError(diags, c, f.summary, interrupted, err)
		return
	}
	base := ""
	if c != nil {
		base = c.BaseURL()
	}
	raise := fmt.Sprintf("If Immuta is only slow, raise %s (now %s).", f.setting, f.limit)
	if f.setting == "" {
		raise = fmt.Sprintf("Reads of Immuta that no timeouts.read bounds (an import's, a script's, a list's) are bounded to %s.", f.limit)
	}
	var rte *client.RequestTimeoutError
	what := fmt.Sprintf("The read got no complete answer from Immuta within the %s it is allowed.", f.limit)
	details := "" // Go's "context deadline exceeded" says nothing more
	if errors.As(err, &rte) {
		details = "\n\nDetails: " + err.Error()
		attempts := "1 attempt"
		if rte.Attempts != 1 {
			attempts = fmt.Sprintf("%d attempts", rte.Attempts)
		}
		what = fmt.Sprintf("%s %s got no answer from Immuta: the provider waited %s, over %s.",
			rte.Method, rte.Path, rte.Waited.Round(100*time.Millisecond), attempts)
		if rte.LastAnswer != nil {
			what = fmt.Sprintf("%s %s kept failing until the time ran out: the provider waited %s, over %s; the last answer was %d.",
				rte.Method, rte.Path, rte.Waited.Round(100*time.Millisecond), attempts, rte.LastAnswer.StatusCode)
		} else if !rte.Deadline {
			what += fmt.Sprintf(" Each attempt was given up after %s.", rte.AttemptTimeout)
		}
	}
	diags.AddError(f.summary+": Immuta did not answer in time",
		fmt.Sprintf("%s %s. %s If it never answers, check the proxy, gateway or load balancer between this machine and %s: "+
			"one that holds requests open without answering looks like this.%s",
			what, capitalize(f.unchanged), raise, base, details))
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
