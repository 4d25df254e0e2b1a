package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var (
	_ datasource.DataSource              = (*integrationScriptDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*integrationScriptDataSource)(nil)
)

// NewIntegrationScriptDataSource is the immuta_integration_script data source.
func NewIntegrationScriptDataSource() datasource.DataSource { return &integrationScriptDataSource{} }

type integrationScriptDataSource struct {
	client *client.Client
}

func (d *integrationScriptDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_script"
}

func (d *integrationScriptDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: scriptDescription + "\n\nThe script is stored in state (as a sensitive value). " +
			"The ephemeral resource of the same name gives the same script without storing it (Terraform 1.10 or later); prefer it.",
		Attributes: integrationScriptAttributes(),
	}
}

// integrationScriptAttributes are the data source's arguments; the
// ephemeral resource takes the same ones (see toEphemeral).
func integrationScriptAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"action": schema.StringAttribute{
			MarkdownDescription: scriptAttrDesc["action"],
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(scriptActionNames()...)},
		},
		"integration_id": schema.StringAttribute{MarkdownDescription: scriptAttrDesc["integration_id"], Optional: true,
			Validators: []validator.String{integrationIDValidator{}}},
		"script": schema.StringAttribute{MarkdownDescription: scriptAttrDesc["script"], Computed: true, Sensitive: true},
		"impersonation": schema.SingleNestedAttribute{
			MarkdownDescription: connDesc["impersonation"],
			Optional:            true,
			Attributes: map[string]schema.Attribute{
				"enabled": schema.BoolAttribute{MarkdownDescription: connDesc["impersonation.enabled"], Required: true},
				"role": schema.StringAttribute{MarkdownDescription: connDesc["impersonation.role"], Optional: true,
					Validators: []validator.String{sqlNameValidator{}, onlyWhenTrue{path.MatchRelative().AtParent().AtName("enabled")}}},
			},
		},
	}
	for _, name := range connectionAttrNames {
		switch name {
		case "port":
			attrs[name] = schema.NumberAttribute{MarkdownDescription: connDesc[name], Optional: true,
				Validators: []validator.Number{portValidator{}}}
		case "auto_bootstrap":
			attrs[name] = schema.BoolAttribute{MarkdownDescription: connDesc["script."+name], Optional: true}
		default:
			attrs[name] = schema.StringAttribute{MarkdownDescription: connDesc[name], Optional: true,
				Sensitive: sensitiveConnAttrs[name], Validators: connStringValidators(name)}
		}
	}
	return attrs
}

func (d *integrationScriptDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationScriptDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.recheck(ctx, req.Config, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	var m integrationScriptModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	script, diags := m.fetch(ctx, d.client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Script = types.StringValue(script)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// connStringValidators are the plan-time checks of a string connection
// attribute, shared by the data source and the ephemeral resource.
func connStringValidators(name string) []validator.String {
	switch name {
	case "host":
		return []validator.String{hostValidator{}}
	case "authentication_type":
		return []validator.String{stringvalidator.OneOf(authUserPassword, authAccessKey)}
	case "database", "initial_database", "username", "database_user":
		return []validator.String{sqlNameValidator{}}
	case "password", "access_key_id", "secret_key", "session_token":
		return []validator.String{secretValidator{}}
	default:
		// A programming error, caught by TestEveryAttributeHasValidators.
		return nil
	}
}
