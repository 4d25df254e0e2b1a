package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
	"and `cleanup` removes what a failed creation left behind."

var scriptAttrDesc = map[string]string{
	"action": "Which script: `create`, `initial-create`, `edit`, `delete` or `cleanup`. `delete` takes only `integration_id`; " +
		"every other action needs the configuration (`host`, `database` and the credentials), and `edit` needs `integration_id` too.",
	"integration_id": "Id of the integration, for `edit` and `delete` (for example `var.integration_id`); " +
		"not allowed with the other actions.",
	"script": "The SQL to run in Redshift. Marked sensitive, but stored in the state: the `create` and `edit` scripts can contain the system account's password.",
}

// validate checks what each action needs and forbids. Connection
// attributes describe the payload, which delete does not send.
func (m integrationScriptModel) validate(diags *diag.Diagnostics) {
	if m.Action.IsUnknown() || m.Action.IsNull() {
		return
	}
	action := client.ScriptAction(m.Action.ValueString())
	needsID, needsPayload := action.NeedsIntegrationID(), action.NeedsPayload()
	switch {
	case needsID && m.IntegrationID.IsNull():
		diags.AddAttributeError(path.Root("integration_id"), "Missing integration_id",
			fmt.Sprintf("action = %q needs the id of an existing integration in integration_id.", action))
	case !needsID && !m.IntegrationID.IsNull():
		diags.AddAttributeError(path.Root("integration_id"), "integration_id not allowed",
			fmt.Sprintf("action = %q generates a script without an existing integration; remove integration_id.", action))
	}
	values := m.credentialValues()
	if !needsPayload {
		for _, name := range connectionAttrNames {
			if v, ok := m.attrValue(name); ok && !v.IsNull() {
				diags.AddAttributeError(path.Root(name), "Attribute not used by this action",
					fmt.Sprintf("action = %q sends no configuration; remove %s.", action, name))
			}
		}
		return
	}
	for _, name := range []string{"host", "database"} {
		if v, _ := m.attrValue(name); v.IsNull() {
			diags.AddAttributeError(path.Root(name), "Missing "+name, fmt.Sprintf("action = %q needs %s.", action, name))
		}
	}
	if !m.AuthenticationType.IsUnknown() {
		validateCredentials(m.authenticationType(), values, diags)
	}
}

func (m integrationScriptModel) credentialValues() map[string]attr.Value {
	return map[string]attr.Value{
		"username": m.Username, "password": m.Password, "database_user": m.DatabaseUser,
		"access_key_id": m.AccessKeyID, "secret_key": m.SecretKey, "session_token": m.SessionToken,
	}
}

func (m integrationScriptModel) attrValue(name string) (attr.Value, bool) {
	v, ok := map[string]attr.Value{
		"host": m.Host, "port": m.Port, "database": m.Database, "initial_database": m.InitialDatabase,
		"auto_bootstrap": m.AutoBootstrap, "authentication_type": m.AuthenticationType, "impersonation": m.Impersonation,
		"username": m.Username, "password": m.Password, "database_user": m.DatabaseUser,
		"access_key_id": m.AccessKeyID, "secret_key": m.SecretKey, "session_token": m.SessionToken,
	}[name]
	return v, ok
}

// fetch asks Immuta for the script.
func (m integrationScriptModel) fetch(ctx context.Context, c *client.Client) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	m.validate(&diags)
	if diags.HasError() {
		return "", diags
	}
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
	script, err := c.Script(ctx, action, m.IntegrationID.ValueString(), payload)
	if err != nil {
		what := string(action) + " script"
		if id := m.IntegrationID.ValueString(); id != "" {
			what += " of integration " + id
		}
		addRequestError(&diags, c, "Unable to generate the "+what,
			"Interrupted before Immuta answered; nothing was changed in Immuta.", err)
		return "", diags
	}
	if strings.TrimSpace(script) == "" {
		diags.AddWarning("Empty script", "Immuta returned an empty "+string(action)+" script.")
	}
	return script, diags
}
