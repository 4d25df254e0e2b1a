package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// connectionModel holds the attributes that make up an integration payload.
// The resource, the data source and the ephemeral resource embed it, so the
// mapping to client.Payload is written once.
type connectionModel struct {
	Host               types.String `tfsdk:"host"`
	Port               types.Number `tfsdk:"port"`
	Database           types.String `tfsdk:"database"`
	InitialDatabase    types.String `tfsdk:"initial_database"`
	AutoBootstrap      types.Bool   `tfsdk:"auto_bootstrap"`
	AuthenticationType types.String `tfsdk:"authentication_type"`
	Username           types.String `tfsdk:"username"`
	Password           types.String `tfsdk:"password"`
	DatabaseUser       types.String `tfsdk:"database_user"`
	AccessKeyID        types.String `tfsdk:"access_key_id"`
	SecretKey          types.String `tfsdk:"secret_key"`
	SessionToken       types.String `tfsdk:"session_token"`
	Impersonation      types.Object `tfsdk:"impersonation"`
}

type impersonationModel struct {
	Enabled types.Bool   `tfsdk:"enabled"`
	Role    types.String `tfsdk:"role"`
}

var impersonationAttrTypes = map[string]attr.Type{
	"enabled": types.BoolType,
	"role":    types.StringType,
}

// writeOnlySecrets are the values of the resource's write-only attributes,
// which live only in the configuration; they win over the stored forms.
type writeOnlySecrets struct {
	Password, SecretKey, SessionToken types.String
}

const (
	authUserPassword = client.AuthUserPassword
	authAccessKey    = client.AuthAccessKey
	defaultPort      = client.DefaultRedshiftPort
)

// payload builds the API payload. Null and unknown attributes are left out,
// so that the API applies its own defaults.
func (m connectionModel) payload(ctx context.Context, wo writeOnlySecrets) (client.Payload, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := client.RedshiftConfig{
		Host:               m.Host.ValueString(),
		Port:               portInt(m.Port),
		Database:           m.Database.ValueString(),
		InitialDatabase:    m.InitialDatabase.ValueString(),
		AuthenticationType: m.authenticationType(),
		Username:           m.Username.ValueString(),
		Password:           firstKnown(wo.Password, m.Password),
		DatabaseUser:       m.DatabaseUser.ValueString(),
		AccessKeyID:        m.AccessKeyID.ValueString(),
		SecretKey:          firstKnown(wo.SecretKey, m.SecretKey),
		SessionToken:       firstKnown(wo.SessionToken, m.SessionToken),
	}
	if !m.Impersonation.IsNull() && !m.Impersonation.IsUnknown() {
		var imp impersonationModel
		diags.Append(m.Impersonation.As(ctx, &imp, basetypes.ObjectAsOptions{})...)
		cfg.Impersonation = &client.Impersonation{Enabled: imp.Enabled.ValueBool(), Role: imp.Role.ValueString()}
	}
	return client.Payload{Type: client.TypeRedshift, AutoBootstrap: m.AutoBootstrap.ValueBool(), Config: cfg}, diags
}

// credentials are the privileged credentials that DELETE needs when Immuta
// bootstrapped the integration itself.
func (m connectionModel) credentials() *client.Credentials {
	if m.authenticationType() == authAccessKey {
		return &client.Credentials{
			AuthenticationType: authAccessKey,
			DatabaseUser:       m.DatabaseUser.ValueString(),
			AccessKeyID:        m.AccessKeyID.ValueString(),
			SecretKey:          m.SecretKey.ValueString(),
			SessionToken:       m.SessionToken.ValueString(),
		}
	}
	return &client.Credentials{
		AuthenticationType: authUserPassword,
		Username:           m.Username.ValueString(),
		Password:           m.Password.ValueString(),
	}
}

func (m connectionModel) authenticationType() string {
	if m.AuthenticationType.IsNull() || m.AuthenticationType.IsUnknown() || m.AuthenticationType.ValueString() == "" {
		return authUserPassword
	}
	return m.AuthenticationType.ValueString()
}

func impersonationValue(imp *client.Impersonation) types.Object {
	if imp == nil {
		imp = &client.Impersonation{}
	}
	role := types.StringNull()
	if imp.Role != "" {
		role = types.StringValue(imp.Role)
	}
	return types.ObjectValueMust(impersonationAttrTypes, map[string]attr.Value{
		"enabled": types.BoolValue(imp.Enabled),
		"role":    role,
	})
}

func firstKnown(vs ...types.String) string {
	for _, v := range vs {
		if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
			return v.ValueString()
		}
	}
	return ""
}
