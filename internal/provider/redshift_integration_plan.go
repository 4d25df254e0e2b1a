package provider

// The resource's plan: what the status table (client/status.go) says a status
// needs, and which computed attributes keep their values.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var _ resource.ResourceWithModifyPlan = (*redshiftIntegrationResource)(nil)

func (r *redshiftIntegrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return // a create: everything Immuta computes is unknown until it answers
	}
	var state redshiftIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		// A destroy: refuse before anything is sent that Immuta will refuse.
		checkDeleteCredentials(&resp.Diagnostics, state)
		return
	}
	var plan, cfg redshiftIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	status := client.Status(state.Status.ValueString())
	rule, known := client.RuleOf(status)
	switch {
	case known && rule.Replace && storesCredentialsFirst(state, plan):
		// The replacement would delete it without the privileged credentials Immuta asks
		// for (an import brings none): this apply only stores them, the next replaces it.
		resp.Diagnostics.AddAttributeWarning(path.Root("status"),
			fmt.Sprintf("Integration %s must be replaced, after this apply", id),
			statusDetail(id, status, rule, state)+"\n\nImmuta set it up itself (auto_bootstrap = true) and needs the privileged "+
				"credentials to delete it, which the state does not hold yet: this apply stores them (nothing is sent to Immuta), "+
				"and the next plan replaces the integration.")
		plan.Status, plan.ValidationStatus, plan.ValidationResults = state.Status, state.ValidationStatus, state.ValidationResults
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	case known && rule.Replace:
		// Cannot serve as configured: the plan says so on the resource, and the
		// replacement's status is Immuta's to tell.
		resp.Diagnostics.AddAttributeWarning(path.Root("status"),
			fmt.Sprintf("Integration %s must be replaced: it %s", id, rule.Means),
			statusDetail(id, status, rule, state))
		plan.Status = types.StringUnknown()
		plan.ValidationStatus = types.StringUnknown()
		plan.ValidationResults = types.ListUnknown(types.ObjectType{AttrTypes: validationResultAttrTypes})
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		checkDeleteCredentials(&resp.Diagnostics, state)
		return
	case known && rule.Advice != "" && rule.HoldsHost:
		resp.Diagnostics.AddAttributeWarning(path.Root("status"),
			fmt.Sprintf("Integration %s %s", id, rule.Means), statusDetail(id, status, rule, state))
	}
	if !plan.AutoBootstrap.Equal(state.AutoBootstrap) {
		checkDeleteCredentials(&resp.Diagnostics, state) // the replacement deletes it first
	}
	keepUnchangedStatus(ctx, &plan, state, cfg, resp)
}

// keepUnchangedStatus keeps status and validation in the plan when the update sends
// nothing to Immuta (a change of timeouts only): they cannot change, and "(known
// after apply)" would say they might. After a real update they stay unknown.
func keepUnchangedStatus(ctx context.Context, plan *redshiftIntegrationModel, state redshiftIntegrationModel, cfg redshiftIntegrationModel, resp *resource.ModifyPlanResponse) {
	if !plan.payloadKnown() || !cfg.writeOnlyKnown() {
		return
	}
	payload, diags := plan.payload(ctx, cfg.writeOnly())
	if diags.HasError() || plan.changesIntegration(ctx, state, payload, cfg.writeOnly()) {
		return
	}
	if plan.Status.Equal(state.Status) && plan.ValidationStatus.Equal(state.ValidationStatus) && plan.ValidationResults.Equal(state.ValidationResults) {
		return
	}
	plan.Status, plan.ValidationStatus, plan.ValidationResults = state.Status, state.ValidationStatus, state.ValidationResults
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// payloadKnown reports whether every attribute that goes into the payload is known.
func (m redshiftIntegrationModel) payloadKnown() bool {
	for _, v := range []attr.Value{m.Host, m.Port, m.Database, m.InitialDatabase, m.AutoBootstrap, m.AuthenticationType,
		m.Username, m.Password, m.DatabaseUser, m.AccessKeyID, m.SecretKey, m.SessionToken, m.Impersonation,
		m.PasswordWOVersion, m.SecretKeyWOVersion, m.SessionTokenWOVersion} {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

func (m redshiftIntegrationModel) writeOnlyKnown() bool {
	return !m.PasswordWO.IsUnknown() && !m.SecretKeyWO.IsUnknown() && !m.SessionTokenWO.IsUnknown()
}

// statusDetail is what the status means, the failed tests state holds, and what to do.
func statusDetail(id string, status client.Status, rule client.StatusRule, state redshiftIntegrationModel) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Immuta reports integration %s as %q: it %s.", id, status, rule.Means)
	if failed := failedTestNames(state); len(failed) > 0 {
		fmt.Fprintf(&b, " Failed validation tests: %s.", strings.Join(failed, "; "))
	}
	if rule.Advice != "" {
		b.WriteString(" " + rule.Advice)
	}
	return b.String()
}

func failedTestNames(m redshiftIntegrationModel) []string {
	if m.ValidationResults.IsNull() || m.ValidationResults.IsUnknown() {
		return nil
	}
	var out []string
	for _, e := range m.ValidationResults.Elements() {
		o, ok := e.(types.Object)
		if !ok {
			continue
		}
		name, _ := o.Attributes()["name"].(types.String)
		st, _ := o.Attributes()["status"].(types.String)
		if strings.EqualFold(st.ValueString(), "failed") {
			out = append(out, fmt.Sprintf("%q", name.ValueString()))
		}
	}
	return out
}

// storesCredentialsFirst: an auto_bootstrap integration that must be replaced, whose
// state lacks the credentials its deletion needs while the configuration has them.
func storesCredentialsFirst(state, plan redshiftIntegrationModel) bool {
	return state.AutoBootstrap.ValueBool() && plan.AutoBootstrap.ValueBool() &&
		len(missingDeleteCredentials(state)) > 0 && len(missingDeleteCredentials(plan)) == 0
}
