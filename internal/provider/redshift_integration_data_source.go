package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var (
	_ datasource.DataSource              = (*redshiftIntegrationDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*redshiftIntegrationDataSource)(nil)
)

// NewRedshiftIntegrationDataSource is the immuta_redshift_integration data
// source: one integration that another configuration (or Immuta's UI) manages.
func NewRedshiftIntegrationDataSource() datasource.DataSource {
	return &redshiftIntegrationDataSource{}
}

// The data source's two ways to name the integration; exactly one is given.
var (
	idPath   = path.Root("id")
	hostPath = path.Root("host")
)

type redshiftIntegrationDataSource struct {
	client *client.Client
}

func (d *redshiftIntegrationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_redshift_integration"
}

func (d *redshiftIntegrationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Amazon Redshift Spectrum integration of Immuta, by `id` or by `host` (give exactly one), " +
			"such as one that another Terraform configuration or Immuta's UI manages. It never changes the integration. " +
			"Immuta never returns credentials, so this data source has none: no user name, password or key. " +
			"Reads share their requests with the plan's refreshes: several integrations read together may cost one `GET /integrations`. " +
			"An id that Immuta does not have (or reports `deleted`), the id of an integration of another type, and a host without a " +
			"Redshift integration are errors that name the attribute; the plan stops there.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Immuta's id of the integration to read, such as `123456789`. Give this or `host`, not both. " +
					"Read from Immuta when `host` is given.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{integrationIDValidator{}},
			},
			"host": schema.StringAttribute{
				MarkdownDescription: "The Redshift host of the integration to read, compared without case (Immuta allows one Redshift integration per host). " +
					"Give this or `id`, not both. Must be " + redshiftHostRule + ". Read from Immuta when `id` is given; kept as written when given.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{hostValidator{}},
			},
			"port":                schema.NumberAttribute{MarkdownDescription: "Port of the Redshift endpoint.", Computed: true},
			"database":            computed("The database that Immuta manages in Redshift."),
			"initial_database":    computed("The database Immuta connected to first, when it created `database` itself; null if none."),
			"auto_bootstrap":      schema.BoolAttribute{MarkdownDescription: "Whether Immuta set Redshift up itself with privileged credentials.", Computed: true},
			"authentication_type": computed("How Immuta authenticates to Redshift: `userPassword` or `accessKey`."),
			"impersonation": schema.SingleNestedAttribute{
				MarkdownDescription: "User impersonation in Redshift.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"enabled": schema.BoolAttribute{MarkdownDescription: connDesc["impersonation.enabled"], Computed: true},
					"role": schema.StringAttribute{
						MarkdownDescription: "Name of the role that Immuta creates for impersonation; null when none was given.",
						Computed:            true,
					},
				},
			},
			"status":            computed("Status of the integration in Immuta, such as `enabled`, `createError`, `disabled` or `recurringValidationError`."),
			"validation_status": computed("Overall result of Immuta's validation tests: `passed`, `failed`, `warning` or `skipped`."),
			"validation_results": schema.ListNestedAttribute{
				MarkdownDescription: "Immuta's validation tests of the integration.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":   schema.StringAttribute{MarkdownDescription: "Name of the test.", Computed: true},
					"status": schema.StringAttribute{MarkdownDescription: "`passed`, `failed`, `warning` or `skipped`.", Computed: true},
				}},
			},
		},
	}
}

func (d *redshiftIntegrationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *redshiftIntegrationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.recheck(ctx, req.Config, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if d.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The immuta provider has no client: configure host and api_token in its provider block.")
		return
	}
	var cfg redshiftIntegrationDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var integ *client.Integration
	if !cfg.ID.IsNull() {
		integ = d.readByID(ctx, cfg.ID.ValueString(), resp)
	} else {
		integ = d.readByHost(ctx, cfg.Host.ValueString(), resp)
	}
	if integ == nil || resp.Diagnostics.HasError() {
		return
	}
	m := newRedshiftIntegrationModel(ctx)
	m.apply(integ)
	state := m.dataSourceModel()
	if !cfg.Host.IsNull() {
		state.Host = cfg.Host // the lookup key stays as written; Immuta's spelling may differ in case
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readByID is a refresh's read (client/refresh.go): the reads of a plan share
// one list where they can, with the resource's refreshes.
func (d *redshiftIntegrationDataSource) readByID(ctx context.Context, id string, resp *datasource.ReadResponse) *client.Integration {
	integ, err := d.client.RefreshIntegration(ctx, id)
	switch {
	case client.IsNotFound(err) || (err == nil && integ.Status == client.StatusDeleted):
		resp.Diagnostics.AddAttributeError(idPath, "No integration with id "+id,
			fmt.Sprintf("Immuta has no integration with id %s (it answered 404, or reports it deleted). "+
				"Check id in this data source: GET /integrations lists the tenant's integrations; or read it by host instead.", id))
	case err != nil:
		addRequestError(&resp.Diagnostics, d.client, "Unable to read integration "+id,
			"The read was interrupted before Immuta answered; nothing was changed in Immuta.", err)
	case integ.Type != "" && !strings.EqualFold(integ.Type, client.TypeRedshift):
		resp.Diagnostics.AddAttributeError(idPath, "Not a Redshift integration",
			fmt.Sprintf("Immuta integration %s is a %s integration; data.immuta_redshift_integration reads Redshift integrations only. "+
				"Check id in this data source.", id, integ.Type))
	default:
		return integ
	}
	return nil
}

// readByHost is the host lookup that a create makes after a lost answer
// (one streamed GET /integrations). A list entry without the config that the
// attributes need is read again by id.
func (d *redshiftIntegrationDataSource) readByHost(ctx context.Context, host string, resp *datasource.ReadResponse) *client.Integration {
	integ, err := d.client.FindRedshiftIntegrationByHost(ctx, host)
	switch {
	case err != nil:
		addRequestError(&resp.Diagnostics, d.client, "Unable to look up the Redshift integration on host "+host,
			"The read was interrupted before Immuta answered; nothing was changed in Immuta.", err)
		return nil
	case integ == nil:
		resp.Diagnostics.AddAttributeError(hostPath, "No Redshift integration on host "+host,
			fmt.Sprintf("Immuta has no Redshift integration on host %s (compared without case; integrations of other types do not count). "+
				"Check host in this data source, or read the integration by id instead.", host))
		return nil
	case integ.Status == "" || integ.Config.Database == "":
		return d.readByID(ctx, integ.ID.String(), resp)
	}
	return integ
}
