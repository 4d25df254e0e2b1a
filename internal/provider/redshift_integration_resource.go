package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/numbervalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/numberdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

const defaultTimeout = 30 * time.Minute

var (
	_ resource.Resource                = (*redshiftIntegrationResource)(nil)
	_ resource.ResourceWithConfigure   = (*redshiftIntegrationResource)(nil)
	_ resource.ResourceWithImportState = (*redshiftIntegrationResource)(nil)
	_ resource.ResourceWithIdentity    = (*redshiftIntegrationResource)(nil)
)

// NewRedshiftIntegrationResource is the immuta_redshift_integration resource.
func NewRedshiftIntegrationResource() resource.Resource { return &redshiftIntegrationResource{} }

type redshiftIntegrationResource struct {
	client *client.Client
}

func (r *redshiftIntegrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_redshift_integration"
}

func writeOnlyDesc(stored string) string {
	return fmt.Sprintf("The same as `%s`, but never stored in the plan or state. Terraform does not compare it with anything: "+
		"change `%s_wo_version` to send a new value. Not allowed with `auto_bootstrap = true`, "+
		"which needs the credentials again at destroy time.", stored, stored)
}

func versionDesc(stored string) string {
	return fmt.Sprintf("Any number; change it to send a new `%s_wo` to Immuta. Only with `%s_wo`.", stored, stored)
}

func (r *redshiftIntegrationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	sensitiveStoredNote := " Give this or `%[1]s_wo`, not both. Stored in the state. Needed with `auto_bootstrap = true`, which sends the credentials again at destroy time; " +
		"otherwise prefer `%[1]s_wo`."
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Amazon Redshift Spectrum integration in Immuta. Terraform creates it through Immuta's " +
			"`/integrations` API and waits until its status is `enabled`; updates wait the same way, and destroy waits until it is gone. " +
			"A refresh that finds the integration still `creating` or `editing` (an earlier apply was interrupted) waits for it to settle (up to 5 minutes, within `timeouts.read`), so that the plan shows the outcome.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Immuta's id of the integration.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"host": schema.StringAttribute{
				MarkdownDescription: connDesc["host"],
				Required:            true,
				Validators:          []validator.String{hostValidator{}},
			},
			"port": schema.NumberAttribute{
				MarkdownDescription: "Port of the Redshift endpoint: " + portRule + ". Default: `5439`.",
				Optional:            true,
				Computed:            true,
				Default:             numberdefault.StaticBigFloat(big.NewFloat(defaultPort)),
				Validators:          []validator.Number{portValidator{}},
			},
			"database": schema.StringAttribute{
				MarkdownDescription: connDesc["database"],
				Required:            true,
				Validators:          []validator.String{sqlNameValidator{}},
			},
			"initial_database": schema.StringAttribute{
				MarkdownDescription: connDesc["initial_database"],
				Optional:            true,
				Validators:          []validator.String{sqlNameValidator{}},
			},
			"auto_bootstrap": schema.BoolAttribute{
				MarkdownDescription: connDesc["auto_bootstrap"] + " Changing it replaces the integration.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"authentication_type": schema.StringAttribute{
				MarkdownDescription: connDesc["authentication_type"],
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(authUserPassword),
				Validators:          []validator.String{stringvalidator.OneOf(authUserPassword, authAccessKey)},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: connDesc["username"] + " Immuta never returns it (it answers `<REDACTED>`), so it is not read back on refresh or import.",
				Optional:            true,
				Validators:          []validator.String{sqlNameValidator{}},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: connDesc["password"] + fmt.Sprintf(sensitiveStoredNote, "password"),
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{secretValidator{}, stringvalidator.ConflictsWith(path.MatchRoot("password_wo"))},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: writeOnlyDesc("password"),
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				Validators:          []validator.String{secretValidator{}},
			},
			"password_wo_version": schema.NumberAttribute{
				MarkdownDescription: versionDesc("password"),
				Optional:            true,
				Validators:          []validator.Number{numbervalidator.AlsoRequires(path.MatchRoot("password_wo"))},
			},
			"database_user": schema.StringAttribute{
				MarkdownDescription: connDesc["database_user"],
				Optional:            true,
				Validators:          []validator.String{sqlNameValidator{}},
			},
			"access_key_id": schema.StringAttribute{
				MarkdownDescription: connDesc["access_key_id"],
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{secretValidator{}},
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: connDesc["secret_key"] + fmt.Sprintf(sensitiveStoredNote, "secret_key"),
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{secretValidator{}, stringvalidator.ConflictsWith(path.MatchRoot("secret_key_wo"))},
			},
			"secret_key_wo": schema.StringAttribute{
				MarkdownDescription: writeOnlyDesc("secret_key"),
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				Validators:          []validator.String{secretValidator{}},
			},
			"secret_key_wo_version": schema.NumberAttribute{
				MarkdownDescription: versionDesc("secret_key"),
				Optional:            true,
				Validators:          []validator.Number{numbervalidator.AlsoRequires(path.MatchRoot("secret_key_wo"))},
			},
			"session_token": schema.StringAttribute{
				MarkdownDescription: connDesc["session_token"] + fmt.Sprintf(sensitiveStoredNote, "session_token"),
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{secretValidator{}, stringvalidator.ConflictsWith(path.MatchRoot("session_token_wo"))},
			},
			"session_token_wo": schema.StringAttribute{
				MarkdownDescription: writeOnlyDesc("session_token"),
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				Validators:          []validator.String{secretValidator{}},
			},
			"session_token_wo_version": schema.NumberAttribute{
				MarkdownDescription: versionDesc("session_token"),
				Optional:            true,
				Validators:          []validator.Number{numbervalidator.AlsoRequires(path.MatchRoot("session_token_wo"))},
			},
			"impersonation": schema.SingleNestedAttribute{
				MarkdownDescription: connDesc["impersonation"] + " Default: disabled.",
				Optional:            true,
				Computed:            true,
				Default:             objectdefault.StaticValue(impersonationValue(nil)),
				Attributes: map[string]schema.Attribute{
					"enabled": schema.BoolAttribute{MarkdownDescription: connDesc["impersonation.enabled"], Required: true},
					"role": schema.StringAttribute{
						MarkdownDescription: connDesc["impersonation.role"],
						Optional:            true,
						Validators:          []validator.String{sqlNameValidator{}, onlyWhenTrue{path.MatchRelative().AtParent().AtName("enabled")}},
					},
				},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status of the integration in Immuta, such as `enabled`, `createError` or `recurringValidationError`.",
				Computed:            true,
			},
			"validation_status": schema.StringAttribute{
				MarkdownDescription: "Overall result of Immuta's validation tests: `passed`, `failed`, `warning` or `skipped`.",
				Computed:            true,
			},
			"validation_results": schema.ListNestedAttribute{
				MarkdownDescription: "Immuta's validation tests of the integration.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":   schema.StringAttribute{MarkdownDescription: "Name of the test.", Computed: true},
					"status": schema.StringAttribute{MarkdownDescription: "`passed`, `failed`, `warning` or `skipped`.", Computed: true},
				}},
			},
			"timeouts": timeoutsAttribute(ctx),
		},
	}
}

// IdentitySchema is the integration's identity: Immuta's id, which is
// what import takes. Terraform >= 1.12 and OpenTofu >= 1.12 keep it in
// state and accept import { identity = { id = "..." } }.
func (r *redshiftIntegrationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "Immuta's id of the integration.",
				RequiredForImport: true,
			},
		},
	}
}

// timeoutsAttribute bounds each wait for Immuta; the library's default
// texts speak of state that this resource does not have.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	a := timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		ReadDescription: "How long a refresh (and the read after an import) may take, its wait for an integration that is still " +
			"`creating` or `editing` included: " + timeoutRule + ". Default: " + readTimeoutWords + ". A gateway that holds Immuta's " +
			"answer back fails the plan after this long, naming the request.",
		CreateDescription: "How long to wait for a new integration to be `enabled`: " + timeoutRule + ". Default: `30m`.",
		UpdateDescription: "How long to wait for an edited integration to be `enabled` again: " + timeoutRule + ". Default: `30m`.",
		DeleteDescription: "How long to wait for a deleted integration to be gone: " + timeoutRule + ". Default: `30m`.",
	})
	if nested, ok := a.(schema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "How long each operation waits for Immuta before it fails (the integration stays in state)."
		nested.Attributes = withTimeoutValidators(nested.Attributes)
		return nested
	}
	return a
}

func (r *redshiftIntegrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *redshiftIntegrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if r.recheck(ctx, req.Config, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	var plan, cfg redshiftIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	payload, diags := plan.payload(ctx, cfg.writeOnly())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// The create claims its host until it ends: another resource of this apply on
	// the same host is refused meanwhile (client/create_claims.go).
	creation, err := r.client.StartCreate(ctx, payload)
	if err != nil {
		addCreateError(&resp.Diagnostics, r.client, plan.Host.ValueString(), err)
		return
	}
	defer creation.Done()
	created := creation.Integration
	id := created.ID.String()
	ctx = tflog.SetField(ctx, "integration_id", id)
	tflog.Info(ctx, "created Redshift integration, waiting for it to be enabled")
	if creation.Adopted {
		addAdoptedWarning(&resp.Diagnostics, plan.Host.ValueString(), id, creation.Cause)
	}

	// From here on, every return writes the id to state: if the wait fails
	// or times out, Terraform keeps the integration (tainted) instead of
	// losing it. The framework hands state to Terraform only when Create
	// returns, so the failure path's write is what does it; a write before
	// the wait would add nothing (a provider that crashes loses both).
	plan.ID = types.StringValue(id)
	plan.setStatus(created.Status, created.ValidationResults)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}

	hist := &client.History{} // how long this create takes, for the integration's later waits
	// The wait also checks the answer named ours: it may switch to the right id.
	adopted := creation.Adopted
	waited, integ, err := creation.Wait(ctx, client.WithHistory(hist))
	if waited == "" {
		// The id the answer named is someone else's, and ours was not found: never
		// keep it in state, where destroy would delete it.
		resp.State.RemoveResource(ctx)
		resp.Diagnostics.AddError("Unable to create Redshift integration on "+plan.Host.ValueString(), err.Error())
		return
	}
	if creation.Adopted && !adopted {
		addAdoptedWarning(&resp.Diagnostics, plan.Host.ValueString(), waited, creation.Cause)
	}
	resp.Diagnostics.Append(saveWaitHistory(ctx, resp.Private, hist)...)
	if waited != id {
		id = waited
		plan.ID = types.StringValue(id)
		setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	}
	if err != nil {
		addWaitError(&resp.Diagnostics, &plan, client.OpCreate, id, err)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	// After apply, state holds what was planned: Terraform refuses a
	// configured value that changes, even by case. Refresh shows drift.
	plan.setStatus(integ.Status, integ.ValidationResults)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *redshiftIntegrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state redshiftIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	// State written before the resource had an identity has none: Read gives
	// it one, first, because the framework wants one even when the resource
	// leaves the state (404, disabled) on a CLI that sent none (Terraform 1.11).
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	// The read is bounded (timeouts.read): a gateway holding the GET open must not
	// hold the plan for every retry of the client. Null timeouts (an import) take the
	// default.
	limit, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withReadTimeout(ctx, limit)
	defer cancel()
	// Concurrent refreshes (a plan's) may share one GET /integrations (client/refresh.go).
	integ, err := r.client.RefreshIntegration(ctx, id)
	if err == nil {
		integ, err = r.settleForRead(ctx, integ, &resp.Diagnostics)
	}
	switch {
	case client.IsNotFound(err):
		resp.Diagnostics.AddWarning("Integration no longer exists",
			fmt.Sprintf("Immuta has no integration with id %s any more; removing it from state, so the next apply creates it again.", id))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		f := readFailure{summary: "Unable to read integration " + id,
			unchanged: "nothing was changed in Immuta or in state", setting: "timeouts.read", limit: limit}
		if state.Timeouts.IsNull() {
			f.setting = "" // an import's read: no timeouts in state yet, so the default bound
		}
		addReadError(&resp.Diagnostics, r.client, f, err)
		return
	case integ.Type != "" && integ.Type != client.TypeRedshift:
		resp.Diagnostics.AddError("Not a Redshift integration",
			fmt.Sprintf("Immuta integration %s is a %s integration; immuta_redshift_integration manages Redshift integrations only.", id, integ.Type))
		return
	case !client.HoldsHost(integ.Status):
		// Only what the status table says is gone ("deleted") leaves state; anything
		// else is still there, and the plan says what it needs (ModifyPlan).
		resp.Diagnostics.AddWarning("Integration is "+string(integ.Status),
			fmt.Sprintf("Immuta reports integration %s as %s; removing it from state, so the next apply creates it again.", id, integ.Status))
		resp.State.RemoveResource(ctx)
		return
	}
	state.apply(integ)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *redshiftIntegrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if r.recheck(ctx, req.Config, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	var plan, cfg, prior redshiftIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	payload, diags := plan.payload(ctx, cfg.writeOnly())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := prior.ID.ValueString()
	ctx = tflog.SetField(ctx, "integration_id", id)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics) // prior state may predate identity (-refresh=false)
	if rule, ok := client.RuleOf(client.Status(prior.Status.ValueString())); ok && rule.Replace && storesCredentialsFirst(prior, plan) {
		// Immuta would refuse the PUT; the plan stores the credentials for the replacement's delete.
		plan.ID, plan.Status, plan.ValidationStatus, plan.ValidationResults = prior.ID, prior.Status, prior.ValidationStatus, prior.ValidationResults
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	if !plan.changesIntegration(ctx, prior, payload, cfg.writeOnly()) {
		// Only Terraform-side settings (timeouts) changed: nothing to send.
		plan.ID, plan.Status, plan.ValidationStatus, plan.ValidationResults = prior.ID, prior.Status, prior.ValidationStatus, prior.ValidationResults
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	if _, err := r.client.UpdateIntegration(ctx, id, payload); err != nil {
		var te *client.TimeoutError
		if errors.As(err, &te) {
			addWaitError(&resp.Diagnostics, &prior, client.OpUpdate, id, err)
			return
		}
		addRequestError(&resp.Diagnostics, r.client, "Unable to update integration "+id,
			unansweredWrite(err, "apply", "update", "timeouts.update", timeout)+
				" State keeps the previous values; the next plan reads the integration back and shows what is left to change.", err)
		return
	}
	// The wait predicts from this integration's earlier updates (wait_history.go).
	hist := loadWaitHistory(ctx, req.Private)
	integ, err := r.client.WaitForIntegration(ctx, id, client.OpUpdate, client.WithHistory(hist))
	resp.Diagnostics.Append(saveWaitHistory(ctx, resp.Private, hist)...)
	if err != nil {
		// Immuta keeps (editError) or may still apply the old configuration:
		// state keeps the prior values, so the next plan proposes the change again.
		addWaitError(&resp.Diagnostics, &prior, client.OpUpdate, id, err)
		resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
		return
	}
	plan.ID = prior.ID
	plan.setStatus(integ.Status, integ.ValidationResults)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *redshiftIntegrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state redshiftIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	ctx = tflog.SetField(ctx, "integration_id", id)
	var creds *client.Credentials
	if state.AutoBootstrap.ValueBool() {
		checkDeleteCredentials(&resp.Diagnostics, state)
		if resp.Diagnostics.HasError() {
			return
		}
		creds = state.credentials()
	}
	if _, err := r.client.DeleteIntegration(ctx, id, creds); err != nil {
		var te *client.TimeoutError
		switch {
		case client.IsNotFound(err):
			return
		case errors.As(err, &te):
			addWaitError(&resp.Diagnostics, &state, client.OpDelete, id, err)
		default:
			addRequestError(&resp.Diagnostics, r.client, "Unable to delete integration "+id,
				unansweredWrite(err, "destroy", "delete", "timeouts.delete", timeout)+
					" The integration stays in state; the next plan reads it back and shows whether it is still there.", err)
		}
		return
	}
	if _, err := r.client.WaitForIntegration(ctx, id, client.OpDelete); err != nil {
		addWaitError(&resp.Diagnostics, &state, client.OpDelete, id, err)
	}
}

// ImportState takes an id (terraform import, import { id = ... }, any CLI)
// or an identity (import { identity = { id = ... } }, Terraform and OpenTofu
// >= 1.12); with an identity req.ID is empty.
func (r *redshiftIntegrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" {
		id = identityID(ctx, req.Identity, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if id == "" {
		resp.Diagnostics.AddError("Missing integration id",
			"Import needs the id of an existing Immuta integration: terraform import immuta_redshift_integration.main 123456789, "+
				"or an import block with id = \"123456789\" or (Terraform >= 1.12) identity = { id = \"123456789\" }.")
		return
	}
	// The id becomes a request path: refuse what no Immuta id can be before
	// any request, with the same rule as integration_id.
	if problem := integrationIDProblem(id); problem != "" {
		resp.Diagnostics.AddError("Invalid integration id",
			fmt.Sprintf("The import id %s %s", importIDWording(req.ID), problem))
		return
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
	setIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

// importIDWording names where the refused id came from.
func importIDWording(fromID string) string {
	if fromID == "" {
		return "(identity.id)"
	}
	return "(the id given to import)"
}
