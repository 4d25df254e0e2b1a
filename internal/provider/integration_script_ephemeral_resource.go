package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var (
	_ ephemeral.EphemeralResource                   = (*integrationScriptEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure      = (*integrationScriptEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithValidateConfig = (*integrationScriptEphemeralResource)(nil)
)

// NewIntegrationScriptEphemeralResource is the ephemeral
// immuta_integration_script: the script is fetched during plan and apply
// and never written to plan or state.
func NewIntegrationScriptEphemeralResource() ephemeral.EphemeralResource {
	return &integrationScriptEphemeralResource{}
}

type integrationScriptEphemeralResource struct {
	client *client.Client
}

func (e *integrationScriptEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_script"
}

func (e *integrationScriptEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"action": schema.StringAttribute{
			MarkdownDescription: scriptAttrDesc["action"],
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(scriptActionNames()...)},
		},
		"integration_id": schema.StringAttribute{MarkdownDescription: scriptAttrDesc["integration_id"], Optional: true},
		"script":         schema.StringAttribute{MarkdownDescription: "The SQL to run in Redshift. Never stored in plan or state.", Computed: true, Sensitive: true},
		"impersonation": schema.SingleNestedAttribute{
			MarkdownDescription: connDesc["impersonation"],
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"enabled": schema.BoolAttribute{MarkdownDescription: connDesc["impersonation.enabled"], Required: true},
				"role":    schema.StringAttribute{MarkdownDescription: connDesc["impersonation.role"], Optional: true},
			},
		},
	}
	for _, name := range connectionAttrNames {
		switch name {
		case "port":
			attrs[name] = schema.Int64Attribute{MarkdownDescription: connDesc[name], Optional: true,
				Validators: []validator.Int64{int64validator.Between(1, 65535)}}
		case "auto_bootstrap":
			attrs[name] = schema.BoolAttribute{MarkdownDescription: connDesc["script."+name], Optional: true}
		default:
			attrs[name] = schema.StringAttribute{MarkdownDescription: connDesc[name], Optional: true,
				Sensitive: sensitiveConnAttrs[name], Validators: connStringValidators(name)}
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: scriptDescription + "\n\nEphemeral (Terraform 1.10 or later, OpenTofu 1.11 or later): the script is fetched " +
			"when it is needed and never written to the plan or state. Use it rather than the data source: a setup script can hold passwords.",
		Attributes: attrs,
	}
}

func (e *integrationScriptEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *integrationScriptEphemeralResource) ValidateConfig(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	var m integrationScriptModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		m.validate(&resp.Diagnostics)
	}
}

func (e *integrationScriptEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m integrationScriptModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	script, diags := m.fetch(ctx, e.client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Script = types.StringValue(script)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
