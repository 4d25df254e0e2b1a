package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var (
	_ list.ListResource                     = (*redshiftIntegrationList)(nil)
	_ list.ListResourceWithConfigure        = (*redshiftIntegrationList)(nil)
	_ list.ListResourceWithConfigValidators = (*redshiftIntegrationList)(nil)
)

// NewRedshiftIntegrationList is the list resource of immuta_redshift_integration,
// for terraform query (Terraform >= 1.14).
func NewRedshiftIntegrationList() list.ListResource { return &redshiftIntegrationList{} }

type redshiftIntegrationList struct {
	client *client.Client
}

type redshiftIntegrationListModel struct {
	Host        types.String `tfsdk:"host"`
	HostPattern types.String `tfsdk:"host_pattern"`
	Statuses    types.List   `tfsdk:"statuses"`
}

// listableStatuses are the statuses the statuses filter accepts: the status
// table's, every one in which the integration is still there.
var listableStatuses = client.Listable()

func (l *redshiftIntegrationList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_redshift_integration"
}

func (l *redshiftIntegrationList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	names := make([]string, len(listableStatuses))
	for i, s := range listableStatuses {
		names[i] = string(s)
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the Redshift integrations of the tenant (never integrations of other types), for `terraform query` " +
			"(Terraform >= 1.14). Each result is named by its host and carries the identity `{ id }` that import takes; " +
			"`terraform query -generate-config-out=FILE` writes an `import` block and a resource block for each. " +
			"With no filter, every Redshift integration in use is found: all statuses but `disabled`. " +
			"The list fails after " + readTimeoutWords + " without an answer (a gateway that holds the request open), naming the request.",
		Attributes: map[string]listschema.Attribute{
			"host": listschema.StringAttribute{
				MarkdownDescription: "Only the integration on this Redshift host (compared without case). Conflicts with `host_pattern`.",
				Optional:            true,
				Validators:          []validator.String{hostValidator{}},
			},
			"host_pattern": listschema.StringAttribute{
				MarkdownDescription: "Only integrations whose host matches this glob, compared without case: `*` matches any characters, " +
					"`?` one, `[a-z]` a range; e.g. `*.eu-west-1.redshift.amazonaws.com`.",
				Optional:   true,
				Validators: []validator.String{hostPatternValidator{}},
			},
			"statuses": listschema.ListAttribute{
				MarkdownDescription: "Only integrations in one of these statuses, e.g. `[\"enabled\"]` or `[\"createError\", \"recurringValidationError\"]`. " +
					"Default: every status but `disabled`: a disabled integration, which Immuta no longer uses, is listed only when asked for.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(names...)),
				},
			},
		},
	}
}

func (l *redshiftIntegrationList) ListResourceConfigValidators(context.Context) []list.ConfigValidator {
	return []list.ConfigValidator{
		listresourcevalidator.Conflicting(path.MatchRoot("host"), path.MatchRoot("host_pattern")),
	}
}

func (l *redshiftIntegrationList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *redshiftIntegrationList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg redshiftIntegrationListModel
	var diags diag.Diagnostics
	if !req.Config.Raw.IsNull() { // no config block: no filter
		diags.Append(req.Config.Get(ctx, &cfg)...)
	}
	filter, fdiags := cfg.filter(ctx)
	diags.Append(fdiags...)
	if l.client == nil {
		diags.AddError("Provider not configured", "The immuta provider has no client: configure host and api_token in its provider block.")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	tflog.Info(ctx, "listing Redshift integrations", map[string]any{"host": filter.Host, "host_pattern": filter.HostPattern, "statuses": filter.Statuses})

	stream.Results = func(yield func(list.ListResult) bool) {
		// Bounded: a gateway holding the list open must not hold terraform query.
		lctx, cancel := withReadTimeout(ctx, defaultReadTimeout)
		found, err := l.client.ListRedshiftIntegrations(lctx, filter)
		cancel()
		if err != nil {
			var d diag.Diagnostics
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				addReadError(&d, l.client, readFailure{summary: "Unable to list Redshift integrations",
					unchanged: "nothing was changed in Immuta", limit: defaultReadTimeout}, err)
			} else {
				d.AddError("Unable to list Redshift integrations", err.Error())
			}
			yield(list.ListResult{Diagnostics: d})
			return
		}
		for i := range found {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !yield(listResult(ctx, req, &found[i])) {
				return
			}
		}
	}
}

// listResult is one integration as terraform query shows it: its host,
// its identity, and with include_resource its values as import reads them.
func listResult(ctx context.Context, req list.ListRequest, in *client.Integration) list.ListResult {
	id := in.ID.String()
	result := req.NewListResult(ctx)
	result.DisplayName = in.Config.Host
	if result.DisplayName == "" {
		result.DisplayName = "integration " + id
	}
	setIdentity(ctx, result.Identity, id, &result.Diagnostics)
	if req.IncludeResource {
		m := newRedshiftIntegrationModel(ctx)
		m.apply(in)
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	if result.Diagnostics.HasError() {
		// Say which integration could not be shown, rather than a bare framework error.
		var d diag.Diagnostics
		for _, e := range result.Diagnostics.Errors() {
			d.AddError(e.Summary(), fmt.Sprintf("Redshift integration %s on host %s: %s", id, in.Config.Host, e.Detail()))
		}
		return list.ListResult{Diagnostics: d}
	}
	return result
}

func (m redshiftIntegrationListModel) filter(ctx context.Context) (client.RedshiftFilter, diag.Diagnostics) {
	f := client.RedshiftFilter{Host: m.Host.ValueString(), HostPattern: m.HostPattern.ValueString()}
	var diags diag.Diagnostics
	if !m.Statuses.IsNull() && !m.Statuses.IsUnknown() {
		var names []string
		diags.Append(m.Statuses.ElementsAs(ctx, &names, false)...)
		for _, n := range names {
			f.Statuses = append(f.Statuses, client.Status(n))
		}
	}
	return f, diags
}
