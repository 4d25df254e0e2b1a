package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// redshiftIntegrationIdentityModel is the resource's identity: Immuta's id.
// The list resource gives the same identity to every integration it finds.
type redshiftIntegrationIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

// setIdentity records id as the identity. A nil identity means the CLI has
// no identity support (Terraform < 1.12): nothing to do.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string, diags *diag.Diagnostics) {
	if identity == nil || id == "" {
		return
	}
	diags.Append(identity.Set(ctx, redshiftIntegrationIdentityModel{ID: types.StringValue(id)})...)
}

// identityID reads the id of an identity given to import; "" when there is
// none.
func identityID(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) string {
	if identity == nil || identity.Raw.IsNull() || !identity.Raw.IsKnown() {
		return ""
	}
	var m redshiftIntegrationIdentityModel
	diags.Append(identity.Get(ctx, &m)...)
	return m.ID.ValueString()
}
