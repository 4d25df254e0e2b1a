package provider

// The resource's Terraform model and its mapping to and from client types:
// the resource file is about the framework's calls, this one about values.

import (
	"context"
	"math/big"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

type redshiftIntegrationModel struct {
	connectionModel
	ID                    types.String   `tfsdk:"id"`
	PasswordWO            types.String   `tfsdk:"password_wo"`
	PasswordWOVersion     types.Number   `tfsdk:"password_wo_version"`
	SecretKeyWO           types.String   `tfsdk:"secret_key_wo"`
	SecretKeyWOVersion    types.Number   `tfsdk:"secret_key_wo_version"`
	SessionTokenWO        types.String   `tfsdk:"session_token_wo"`
	SessionTokenWOVersion types.Number   `tfsdk:"session_token_wo_version"`
	Status                types.String   `tfsdk:"status"`
	ValidationStatus      types.String   `tfsdk:"validation_status"`
	ValidationResults     types.List     `tfsdk:"validation_results"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

var validationResultAttrTypes = map[string]attr.Type{"name": types.StringType, "status": types.StringType}

func (m redshiftIntegrationModel) writeOnly() writeOnlySecrets {
	return writeOnlySecrets{Password: m.PasswordWO, SecretKey: m.SecretKeyWO, SessionToken: m.SessionTokenWO}
}

// changesIntegration reports whether an update has anything to send to
// Immuta: a different payload, or a bumped write-only version.
func (m redshiftIntegrationModel) changesIntegration(ctx context.Context, prior redshiftIntegrationModel, payload client.Payload, wo writeOnlySecrets) bool {
	before, diags := prior.payload(ctx, wo)
	// A difference of spelling only (host case, names.go) is nothing to send.
	if diags.HasError() || !reflect.DeepEqual(normalisedNames(before), normalisedNames(payload)) {
		return true
	}
	return !m.PasswordWOVersion.Equal(prior.PasswordWOVersion) ||
		!m.SecretKeyWOVersion.Equal(prior.SecretKeyWOVersion) ||
		!m.SessionTokenWOVersion.Equal(prior.SessionTokenWOVersion)
}

// apply copies what Immuta answers into the model, on refresh. Credentials come back
// redacted and never overwrite what the user configured; everything else
// is read back so that drift shows in the plan.
func (m *redshiftIntegrationModel) apply(integ *client.Integration) {
	m.ID = types.StringValue(integ.ID.String())
	m.AutoBootstrap = types.BoolValue(integ.AutoBootstrap)
	c := integ.Config
	// Names keep the state's spelling when Immuta's means the same (names.go).
	if readable(c.Host) {
		m.Host = keepSpelling(m.Host, c.Host, sameHost)
	}
	if c.Port != 0 {
		m.Port = types.NumberValue(big.NewFloat(float64(c.Port)))
	} else if m.Port.IsNull() || m.Port.IsUnknown() {
		m.Port = types.NumberValue(big.NewFloat(defaultPort))
	}
	if readable(c.Database) {
		m.Database = keepSpelling(m.Database, c.Database, sameIdentifier)
	}
	if readable(c.InitialDatabase) {
		m.InitialDatabase = keepSpelling(m.InitialDatabase, c.InitialDatabase, sameIdentifier)
	}
	if readable(c.AuthenticationType) {
		m.AuthenticationType = types.StringValue(c.AuthenticationType)
	} else if m.AuthenticationType.IsNull() || m.AuthenticationType.IsUnknown() {
		m.AuthenticationType = types.StringValue(authUserPassword)
	}
	if readable(c.Username) {
		m.Username = types.StringValue(c.Username)
	}
	if readable(c.DatabaseUser) {
		m.DatabaseUser = types.StringValue(c.DatabaseUser)
	}
	if c.Impersonation != nil || m.Impersonation.IsNull() || m.Impersonation.IsUnknown() {
		m.Impersonation = keepRoleSpelling(m.Impersonation, impersonationValue(c.Impersonation))
	}
	m.setStatus(integ.Status, integ.ValidationResults)
}

func (m *redshiftIntegrationModel) setStatus(status client.Status, vr *client.ValidationResults) {
	m.Status = types.StringValue(string(status))
	m.ValidationStatus = types.StringNull()
	results := []attr.Value{}
	if vr != nil {
		if vr.Status != "" {
			m.ValidationStatus = types.StringValue(vr.Status)
		}
		for _, t := range vr.Tests {
			results = append(results, types.ObjectValueMust(validationResultAttrTypes, map[string]attr.Value{
				"name": types.StringValue(t.Name), "status": types.StringValue(t.Status),
			}))
		}
	}
	m.ValidationResults = types.ListValueMust(types.ObjectType{AttrTypes: validationResultAttrTypes}, results)
}

// readable is a value that Immuta actually returned, not a redaction.
func readable(s string) bool { return s != "" && s != client.Redacted }

// newRedshiftIntegrationModel is a model with every attribute null but
// typed, as state needs it when it is built from Immuta's answer alone
// (import, the list resource's include_resource).
func newRedshiftIntegrationModel(ctx context.Context) redshiftIntegrationModel {
	var m redshiftIntegrationModel
	m.Impersonation = types.ObjectNull(impersonationAttrTypes)
	m.ValidationResults = types.ListNull(types.ObjectType{AttrTypes: validationResultAttrTypes})
	m.Timeouts = timeouts.Value{Object: types.ObjectNull(timeoutsAttrTypes(ctx))}
	return m
}

// timeoutsAttrTypes are the attribute types of the timeouts attribute,
// taken from the schema so that they cannot drift apart.
func timeoutsAttrTypes(ctx context.Context) map[string]attr.Type {
	if t, ok := timeoutsAttribute(ctx).GetType().(timeouts.Type); ok {
		return t.AttrTypes
	}
	return map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}
}

// redshiftIntegrationDataModel is the data source immuta_redshift_integration:
// the resource's attributes that Immuta answers, never a credential.
type redshiftIntegrationDataModel struct {
	ID                 types.String `tfsdk:"id"`
	Host               types.String `tfsdk:"host"`
	Port               types.Number `tfsdk:"port"`
	Database           types.String `tfsdk:"database"`
	InitialDatabase    types.String `tfsdk:"initial_database"`
	AutoBootstrap      types.Bool   `tfsdk:"auto_bootstrap"`
	AuthenticationType types.String `tfsdk:"authentication_type"`
	Impersonation      types.Object `tfsdk:"impersonation"`
	Status             types.String `tfsdk:"status"`
	ValidationStatus   types.String `tfsdk:"validation_status"`
	ValidationResults  types.List   `tfsdk:"validation_results"`
}

// dataSourceModel is what the data source shows of a model that apply filled
// from Immuta's answer: the mapping stays in apply, and the credentials
// (username and database_user come back only when Immuta does not redact them)
// are left out.
func (m redshiftIntegrationModel) dataSourceModel() redshiftIntegrationDataModel {
	return redshiftIntegrationDataModel{
		ID: m.ID, Host: m.Host, Port: m.Port, Database: m.Database, InitialDatabase: m.InitialDatabase,
		AutoBootstrap: m.AutoBootstrap, AuthenticationType: m.AuthenticationType, Impersonation: m.Impersonation,
		Status: m.Status, ValidationStatus: m.ValidationStatus, ValidationResults: m.ValidationResults,
	}
}
