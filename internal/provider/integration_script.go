package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// integrationScriptModel is shared by the data source and the ephemeral
// resource of the same name: same arguments, only the lifetime differs.
type integrationScriptModel struct {
	connectionModel
	Action        types.String `tfsdk:"action"`
	IntegrationID types.String `tfsdk:"integration_id"`
	Script        types.String `tfsdk:"script"`
}

func scriptActionNames() []string {
	var names []string
	for _, a := range client.ScriptActions() {
		names = append(names, string(a))
	}
	return names
}

const scriptDescription = "The SQL scripts that Immuta generates for a Redshift integration: " +
	"`create` sets up Immuta's objects in `database`, `initial-create` creates `database` from `initial_database` when it is new, " +
	"`edit` moves Redshift to a new configuration of an existing integration, `delete` removes Immuta's objects of a working integration, " +
	"and `cleanup` removes what a failed creation left behind. Asking Immuta for a script fails after " + readTimeoutWords +
	" without an answer (a gateway that holds the request open), naming the request."

var scriptAttrDesc = map[string]string{
	"action": "Which script: one of `create`, `initial-create`, `edit`, `delete` or `cleanup`. `delete` takes only `integration_id`; " +
		"every other action needs the configuration (`host`, `database` and the credentials), and `edit` needs `integration_id` too.",
	"integration_id": "Id of the integration, for `edit` and `delete` (for example `immuta_redshift_integration.main.id`); " +
		"not allowed with the other actions. Must be " + integrationRule + ".",
	"script": "The SQL to run in Redshift. Marked sensitive, but stored in the state: the `create` and `edit` scripts can contain the system account's password.",
}

// fetch asks Immuta for the script, of a configuration that the caller
// has checked again (recheck): its values are all known now.
func (m integrationScriptModel) fetch(ctx context.Context, c *client.Client) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	action := client.ScriptAction(m.Action.ValueString())
	var payload *client.Payload
	if action.NeedsPayload() {
		p, d := m.payload(ctx, writeOnlySecrets{})
		diags.Append(d...)
		if diags.HasError() {
			return "", diags
		}
		payload = &p
	}
	// Bounded: a gateway holding the request open must not hold the run.
	ctx, cancel := withReadTimeout(ctx, defaultReadTimeout)
	defer cancel()
	script, err := c.Script(ctx, action, m.IntegrationID.ValueString(), payload)
	if err != nil {
		what := string(action) + " script"
		if id := m.IntegrationID.ValueString(); id != "" {
			what += " of integration " + id
		}
		addReadError(&diags, c, readFailure{summary: "Unable to generate the " + what,
			unchanged: "nothing was changed in Immuta", limit: defaultReadTimeout}, err)
		return "", diags
	}
	if strings.TrimSpace(script) == "" {
		diags.AddWarning("Empty script", "Immuta returned an empty "+string(action)+" script.")
	}
	return script, diags
}
