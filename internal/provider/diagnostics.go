package provider

// Diagnostics: what the user reads when something fails. Each says what happened in
// Immuta and what to do next, naming the attribute or environment variable, in
// words that read right on Terraform and OpenTofu alike, and without Go's error
// chains ("context canceled").

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// addRequestError reports a failed request to Immuta. A failure that is about the
// connection to Immuta names the Immuta endpoint and the setting to fix; any other
// keeps summary (which names the integration) and Immuta's answer.
func addRequestError(diags *diag.Diagnostics, c *client.Client, summary string, interrupted string, err error) {
	base := ""
	if c != nil {
		base = c.BaseURL()
	}
	if pe := client.AsPermanent(err); pe != nil {
		s, d := permanentText(pe)
		diags.AddError(s, d+"\n\nDetails: "+err.Error())
		return
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		diags.AddError(summary, interrupted)
		return
	}
	var (
		apiErr   *client.Error
		redirect *client.RedirectError
		spoiled  *client.BadAnswerError
	)
	if errors.As(err, &redirect) || errors.As(err, &spoiled) {
		// An answer came, and was not believed: the error says which and why.
		diags.AddError(summary, err.Error())
		return
	}
	if !errors.As(err, &apiErr) {
		// No answer from Immuta at all: the network, not the integration.
		diags.AddError("Unable to reach Immuta at "+base,
			fmt.Sprintf("%s: no answer came from Immuta at %s (host in the provider block, or %s). "+
				"Check that this machine can reach it, through your proxy if you use one.\n\nDetails: %v", summary, base, EnvHost, err))
		return
	}
	diags.AddError(summary, err.Error())
}

// unansweredWrite says why a PUT or DELETE got no answer, for addRequestError: the
// user interrupted the run, or the operation's timeout (setting, limit) ran out
// first, which the user did not cause and can raise.
func unansweredWrite(err error, run, request, setting string, limit time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return fmt.Sprintf("The %s request got no answer from Immuta before %s (%s) ran out: Immuta may or may not have received it. "+
			"If Immuta is only slow, raise %s.", request, setting, limit, setting)
	}
	return fmt.Sprintf("The %s was interrupted before Immuta answered the %s request: Immuta may or may not have received it.", run, request)
}

func permanentText(pe *client.PermanentError) (summary, detail string) {
	at := pe.Endpoint
	switch pe.Kind {
	case client.FailureDNS:
		return "Immuta's host name does not resolve",
			fmt.Sprintf("The host name of %s does not resolve. Check host in the provider block (or %s): "+
				"it must be your Immuta tenant's URL, e.g. https://acme.immuta.com. Retrying does not help, so the provider did not.", at, EnvHost)
	case client.FailureCertificate:
		return "Immuta's TLS certificate is not trusted",
			fmt.Sprintf("The TLS certificate of %s is not trusted. If your tenant uses a private certificate authority, "+
				"set ca_certificate in the provider block (or %s) to its PEM certificates; "+
				"check too that host names the tenant, not a proxy in front of it.", at, EnvCACertificate)
	case client.FailureRefused:
		return "Immuta at " + at + " refused the connection",
			fmt.Sprintf("Nothing accepts connections at %s (tried a few times). Check host in the provider block (or %s), "+
				"including https or http and the port.", at, EnvHost)
	case client.FailureUnauthorized:
		return "Immuta refuses the API token",
			fmt.Sprintf("Immuta at %s answered 401: the API token is not valid. Set api_token in the provider block, or %s, "+
				"to an Immuta API key of a user with the APPLICATION_ADMIN permission.", at, EnvAPIToken)
	case client.FailureForbidden:
		return "The Immuta API token lacks the APPLICATION_ADMIN permission",
			fmt.Sprintf("Immuta at %s answered 403: the user of the API token (api_token, or %s) does not have Immuta's "+
				"APPLICATION_ADMIN permission. Grant it to that user, or use the API key of a user who has it.", at, EnvAPIToken)
	}
	return "Unable to reach Immuta at " + at, pe.Error()
}

func addCreateError(diags *diag.Diagnostics, c *client.Client, host string, err error) {
	var (
		existing *client.ExistingIntegrationError
		busy     *client.HostBusyError
	)
	if errors.As(err, &busy) && busy.ID != "" {
		diags.AddError("Another resource of this apply created the integration on Redshift host "+busy.Host,
			fmt.Sprintf("Another immuta_redshift_integration in this apply created integration %s on Redshift host %s (database %s), "+
				"and Immuta allows one Redshift integration per host, so this one was not created. It is that resource's: do not import it "+
				"here as well. Keep one immuta_redshift_integration per host: remove this resource, or set its host to another Redshift endpoint.",
				busy.ID, busy.Host, busy.OtherDatabase))
		return
	}
	if errors.As(err, &busy) {
		diags.AddError("Another resource of this apply is creating on Redshift host "+busy.Host,
			fmt.Sprintf("Another immuta_redshift_integration in this apply is creating the integration on Redshift host %s "+
				"(database %s), and Immuta allows one Redshift integration per host, so this one sent nothing to Immuta. "+
				"Keep one immuta_redshift_integration per host: remove this resource, or set its host to another Redshift endpoint. "+
				"If the host already has an integration in Immuta, import it into the one resource that remains instead of creating it.",
				busy.Host, busy.OtherDatabase))
		return
	}
	if !errors.As(err, &existing) {
		addRequestError(diags, c, "Unable to create the Redshift integration for host "+host,
			"The apply was interrupted before Immuta answered the create request: Immuta may or may not have created "+
				"the integration. The next plan proposes the creation again; if Immuta did create it, that creation "+
				"meets \"already exists\" with the integration's id, and the message says how to import it.", err)
		return
	}
	adopt := importHint(existing.ID)
	if existing.Ambiguous {
		diags.AddError("Redshift integration may already have been created",
			fmt.Sprintf("The answer to the create request was lost, and Immuta now has a Redshift integration on host %s (id = %s). "+
				"It may be the one this apply created, or someone else's, so it was not adopted automatically. "+
				"Check it in Immuta; to manage it with Terraform, %s", existing.Host, existing.ID, adopt))
		return
	}
	diags.AddError("Redshift integration already exists",
		fmt.Sprintf("Immuta already has a Redshift integration on host %s (id = %s), and allows one per host. "+
			"To manage it with Terraform instead of creating a new one, %s", existing.Host, existing.ID, adopt))
}

// addAdoptedWarning says, on the resource, that the create's answer was lost and the
// integration found on the host was taken for this one: most likely the one this
// apply created (it was not there before), but Immuta's API cannot tell it from one
// that another configuration created on the host at the same moment. The user who
// runs that other configuration must know, before a destroy here deletes theirs.
func addAdoptedWarning(diags *diag.Diagnostics, host, id, cause string) {
	diags.AddWarning(fmt.Sprintf("Integration %s on host %s adopted after the create's answer was lost", id, host),
		fmt.Sprintf("The answer to this apply's create request for Redshift host %s was lost (%s). Immuta then had integration %s "+
			"on that host, with this resource's configuration, where there was none before the request, so it is now in state "+
			"as this resource's: most likely the one this request created. Immuta's API cannot tell it apart from an integration "+
			"that another Terraform configuration created on the same host at the same moment.\n\n"+
			"If no other configuration manages host %s, nothing is to be done. If another one does, integration %s may be theirs, "+
			"and a destroy here would delete it: stop managing it from this configuration, without deleting it, by replacing this "+
			"resource block with a removed block, with from set to this resource's address (printed above, after \"with\", "+
			"without an instance key) and lifecycle { destroy = false }, then apply. Immuta allows one Redshift integration per host, so only one configuration "+
			"can manage host %s.", host, cause, id, host, id, host))
}

// importHint says how to adopt an integration, for Terraform and OpenTofu alike
// (both have import blocks), without a placeholder: the CLI prints this resource's
// address with the error, after "with".
func importHint(id string) string {
	return fmt.Sprintf("import it into this resource: add an import block to the configuration with\n\n"+
		"  id = %q\n\n"+
		"and, as its \"to\", this resource's address (printed above, after \"with\"), then run apply again.", id)
}

// addWaitError explains a wait that ended without the outcome op wanted, and records
// the last status in the model that goes to state.
func addWaitError(diags *diag.Diagnostics, m *redshiftIntegrationModel, op client.Operation, id string, err error) {
	var (
		se *client.StatusError
		te *client.TimeoutError
	)
	switch {
	case errors.As(err, &se):
		m.Status = types.StringValue(string(se.Status))
	case errors.As(err, &te) && te.LastStatus != "":
		m.Status = types.StringValue(string(te.LastStatus))
	}
	if te != nil {
		summary, detail := timeoutText(te, id)
		diags.AddError(summary, detail)
		return
	}
	summary := fmt.Sprintf("Integration %s did not become enabled", id)
	if op == client.OpDelete {
		summary = "Integration " + id + " was not deleted"
	}
	detail := err.Error()
	if se != nil {
		if rule, ok := client.RuleOf(se.Status); ok && rule.Advice != "" {
			detail += "\n\n" + rule.Advice
		}
	}
	switch {
	case op == client.OpCreate:
		detail += "\n\nThe integration stays in state and is marked tainted: the next apply replaces it, and destroy removes it."
	case op == client.OpUpdate:
		detail += "\n\nState keeps the previous values, so the next plan proposes the change again."
	case op == client.OpDelete && se != nil && client.HoldsHost(se.Status):
		detail += "\n\nThe integration is still there; it stays in state."
	}
	diags.AddError(summary, detail)
}

// timeoutText says what a wait that ran out of time, or was interrupted, leaves in
// Immuta and what the next plan shows.
func timeoutText(te *client.TimeoutError, id string) (summary, detail string) {
	ended := fmt.Sprintf("the %s timeout ran out", te.Op)
	raise := fmt.Sprintf(" If Immuta needs longer, raise timeouts.%s.", te.Op)
	if te.Interrupted() {
		ended, raise = "the run was interrupted", ""
	}
	seen := "before Immuta reported its status"
	if te.LastStatus != "" {
		seen = fmt.Sprintf("while Immuta still reported it %q", te.LastStatus)
		if rule, ok := client.RuleOf(te.LastStatus); ok {
			seen += " (it " + rule.Means + ")"
		}
	}
	var b strings.Builder
	switch te.Op {
	case client.OpCreate:
		summary = fmt.Sprintf("Integration %s is not enabled yet: %s", id, ended)
		fmt.Fprintf(&b, "Immuta accepted the creation of integration %s, and %s %s. Immuta goes on by itself. "+
			"The integration stays in state, marked tainted: the next plan replaces it (deleting it waits until Immuta lets it go). "+
			"If Immuta enables it meanwhile and you want to keep it, untaint this resource instead (the untaint command, with the address printed above).",
			id, ended, seen)
	case client.OpUpdate:
		summary = fmt.Sprintf("Integration %s: the update did not finish: %s", id, ended)
		fmt.Fprintf(&b, "Immuta accepted the change of integration %s, and %s %s. Immuta goes on with it by itself. "+
			"State keeps the previous values; the next plan reads the integration back: it shows nothing more to do if Immuta "+
			"completed the change, or proposes it again if the change failed.", id, ended, seen)
	case client.OpDelete:
		summary = fmt.Sprintf("Integration %s was not deleted: %s", id, ended)
		if te.Refused {
			fmt.Fprintf(&b, "Immuta refuses to delete integration %s until it settles, and %s %s: nothing was deleted. "+
				"The integration stays in state. Destroy again once Immuta has settled it (the next plan shows its status).", id, ended, seen)
		} else {
			fmt.Fprintf(&b, "Immuta accepted the deletion of integration %s, and %s %s. Immuta goes on deleting it by itself. "+
				"The integration stays in state until a refresh finds it gone: the next plan then shows nothing left to destroy, "+
				"or destroy again waits for the rest.", id, ended, seen)
		}
	default:
		summary = fmt.Sprintf("Integration %s: %s", id, ended)
		fmt.Fprintf(&b, "The wait for integration %s ended %s.", id, seen)
	}
	b.WriteString(raise)
	return summary, b.String()
}

// checkDeleteCredentials refuses, before any request, the deletion of an integration
// that Immuta set up itself (auto_bootstrap) when the state holds no privileged
// credentials: Immuta would answer 400, and an import never brings them.
func checkDeleteCredentials(diags *diag.Diagnostics, state redshiftIntegrationModel) {
	if !state.AutoBootstrap.ValueBool() {
		return
	}
	missing := missingDeleteCredentials(state)
	if len(missing) == 0 {
		return
	}
	id := state.ID.ValueString()
	diags.AddError(fmt.Sprintf("Integration %s cannot be deleted without its privileged credentials", id),
		fmt.Sprintf("Immuta set integration %s up itself (auto_bootstrap = true), and asks again for the privileged credentials "+
			"to delete it, but the state holds no %s. Immuta never returns credentials, so an import brings none. "+
			"Set %s in the resource block (the stored forms, not the write-only ones: they must stay in state until the deletion) "+
			"and run apply first: it sends them to Immuta and keeps them in state. Then destroy. Nothing was sent to Immuta.",
			id, strings.Join(missing, " or "), strings.Join(missing, " and ")))
}

func missingDeleteCredentials(m redshiftIntegrationModel) []string {
	need := map[string]types.String{"username": m.Username, "password": m.Password}
	order := []string{"username", "password"}
	if m.authenticationType() == authAccessKey {
		need = map[string]types.String{"database_user": m.DatabaseUser, "access_key_id": m.AccessKeyID, "secret_key": m.SecretKey}
		order = []string{"database_user", "access_key_id", "secret_key"}
	}
	var missing []string
	for _, name := range order {
		if v := need[name]; v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			missing = append(missing, name)
		}
	}
	return missing
}
