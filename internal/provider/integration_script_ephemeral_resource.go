package provider

import (
	"context"
	"fmt"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var (
	_ ephemeral.EphemeralResource              = (*integrationScriptEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*integrationScriptEphemeralResource)(nil)
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
	attrs := toEphemeral(integrationScriptAttributes())
	attrs["script"] = schema.StringAttribute{
		MarkdownDescription: "The SQL to run in Redshift. Never stored in plan or state.",
		Computed:            true,
		Sensitive:           true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: scriptDescription + "\n\nEphemeral (Terraform 1.10 or later, OpenTofu 1.11 or later): the script is fetched " +
			"when it is needed and never written to the plan or state. Use it rather than the data source: a setup script can hold passwords.",
		Attributes: attrs,
	}
}

// toEphemeral converts the data source's arguments to the ephemeral
// resource's schema types, which have the same fields in another package,
// so that the two keep one definition.
func toEphemeral(attrs map[string]dsschema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		switch a := a.(type) {
		case dsschema.StringAttribute:
			out[name] = schema.StringAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional,
				Computed: a.Computed, Sensitive: a.Sensitive, Validators: a.Validators}
		case dsschema.NumberAttribute:
			out[name] = schema.NumberAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional,
				Computed: a.Computed, Sensitive: a.Sensitive, Validators: a.Validators}
		case dsschema.BoolAttribute:
			out[name] = schema.BoolAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional,
				Computed: a.Computed, Sensitive: a.Sensitive, Validators: a.Validators}
		case dsschema.SingleNestedAttribute:
			out[name] = schema.SingleNestedAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional,
				Computed: a.Computed, Sensitive: a.Sensitive, Validators: a.Validators, Attributes: toEphemeral(a.Attributes)}
		default:
			// A programming error, caught by TestEphemeralSchemaMatchesDataSource.
			panic(fmt.Sprintf("toEphemeral: no conversion for attribute %q of type %T", name, a))
		}
	}
	return out
}

func (e *integrationScriptEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *integrationScriptEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if e.recheck(ctx, req.Config, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
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
