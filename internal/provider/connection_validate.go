package provider

// Rules across attributes, as config validators that read the attributes
// they name by path (a misspelt name is an error of the framework, not a
// rule silently skipped), and the apply-time re-check that runs every rule
// again once the values that were unknown at plan are known.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

var (
	_ resource.ResourceWithConfigValidators           = (*redshiftIntegrationResource)(nil)
	_ datasource.DataSourceWithConfigValidators       = (*integrationScriptDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators       = (*redshiftIntegrationDataSource)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*integrationScriptEphemeralResource)(nil)
)

// configRule is one rule across attributes, usable by the resource, the
// data source and the ephemeral resource alike.
type configRule struct {
	description string
	check       func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics)
}

func (r configRule) Description(context.Context) string { return r.description }

func (r configRule) MarkdownDescription(ctx context.Context) string { return r.Description(ctx) }

func (r configRule) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	r.check(ctx, req.Config, &resp.Diagnostics)
}

func (r configRule) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	r.check(ctx, req.Config, &resp.Diagnostics)
}

func (r configRule) ValidateEphemeralResource(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	r.check(ctx, req.Config, &resp.Diagnostics)
}

// credentialNeeds says which credential attributes an authentication type
// needs (one of each group) and which it forbids.
type credentialNeeds struct {
	authType string
	needs    [][]path.Path
	forbids  []path.Path
}

// root names top-level attributes. Paths, not path expressions: every rule
// here names its attributes exactly, and resolving an expression
// (Config.PathMatches) walks the whole configuration and looks each value
// up in the schema, which made these rules a sixth of the provider's CPU in
// a plan (TestValidateResourceConfig_allocationBudget).
func root(names ...string) []path.Path {
	out := make([]path.Path, len(names))
	for i, n := range names {
		out[i] = path.Root(n)
	}
	return out
}

// credentialRules of a schema; withWriteOnly adds the resource's
// write-only forms.
func credentialRules(withWriteOnly bool) []credentialNeeds {
	wo := func(name string) []string {
		if withWriteOnly {
			return []string{name, name + "_wo"}
		}
		return []string{name}
	}
	return []credentialNeeds{
		{
			authType: authUserPassword,
			needs:    [][]path.Path{root("username"), root(wo("password")...)},
			forbids:  root(append(append([]string{"database_user", "access_key_id"}, wo("secret_key")...), wo("session_token")...)...),
		},
		{
			authType: authAccessKey,
			needs:    [][]path.Path{root("database_user"), root("access_key_id"), root(wo("secret_key")...)},
			forbids:  root(append([]string{"username"}, wo("password")...)...),
		},
	}
}

// rule checks the credentials of one authentication type; when is an
// extra condition (the data source's action), nil for always.
func (c credentialNeeds) rule(when func(context.Context, tfsdk.Config) bool) configRule {
	return configRule{
		description: "the credentials that authentication_type = " + c.authType + " needs and forbids",
		check: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
			if when != nil && !when(ctx, cfg) {
				return
			}
			var authType types.String
			diags.Append(cfg.GetAttribute(ctx, path.Root("authentication_type"), &authType)...)
			applies := authType.ValueString() == c.authType || (authType.IsNull() && c.authType == authUserPassword) // the default
			if authType.IsUnknown() || !applies {
				return
			}
			for _, group := range c.needs {
				values, ok := valuesAt(ctx, cfg, group, diags)
				if !ok {
					continue
				}
				if anySet(values) {
					continue
				}
				what := values[0].path.String()
				if len(values) > 1 {
					what = "one of " + joinPaths(values, " or ")
				}
				diags.AddAttributeError(values[0].path, "Missing required attribute",
					fmt.Sprintf("authentication_type = %q needs %s.", c.authType, what))
			}
			values, _ := valuesAt(ctx, cfg, c.forbids, diags)
			for _, v := range values {
				if !v.value.IsNull() {
					diags.AddAttributeError(v.path, "Attribute not allowed with "+c.authType,
						fmt.Sprintf("%s cannot be used with authentication_type = %q; remove it or change authentication_type.", v.path, c.authType))
				}
			}
		},
	}
}

type pathValue struct {
	path  path.Path
	value attr.Value
}

// valuesAt reads the configuration's values at paths. ok is false
// when one is unknown: the rule then waits for apply time.
func valuesAt(ctx context.Context, cfg tfsdk.Config, paths []path.Path, diags *diag.Diagnostics) ([]pathValue, bool) {
	out := make([]pathValue, 0, len(paths))
	ok := true
	for _, p := range paths {
		var v attr.Value
		diags.Append(cfg.GetAttribute(ctx, p, &v)...)
		if v == nil {
			continue
		}
		if v.IsUnknown() {
			ok = false
		}
		out = append(out, pathValue{p, v})
	}
	return out, ok && len(out) > 0
}

func anySet(values []pathValue) bool {
	for _, v := range values {
		if !v.value.IsNull() {
			return true
		}
	}
	return false
}

func joinPaths(values []pathValue, sep string) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = v.path.String()
	}
	return strings.Join(names, sep)
}

// autoBootstrapWriteOnly refuses write-only credentials when Immuta
// bootstraps the integration: DELETE must then send the privileged
// credentials again, and a write-only value is gone by destroy time.
var autoBootstrapWriteOnly = configRule{
	description: "no write-only credentials with auto_bootstrap = true",
	check: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
		var ab types.Bool
		diags.Append(cfg.GetAttribute(ctx, path.Root("auto_bootstrap"), &ab)...)
		if !ab.ValueBool() {
			return
		}
		values, _ := valuesAt(ctx, cfg, root("password_wo", "secret_key_wo", "session_token_wo"), diags)
		for _, v := range values {
			if v.value.IsNull() || v.value.IsUnknown() {
				continue
			}
			name := v.path.String()
			diags.AddAttributeError(v.path, "Write-only credential with auto_bootstrap",
				fmt.Sprintf("With auto_bootstrap = true, Immuta needs the privileged credentials again when the integration is destroyed, "+
					"and %s is never stored. Use the sensitive attribute %s instead (kept in state), or set auto_bootstrap = false.", name, strings.TrimSuffix(name, "_wo")))
		}
	},
}

// resourceCredentials are every credential attribute of the resource.
var resourceCredentials = root("username", "password", "password_wo", "database_user", "access_key_id",
	"secret_key", "secret_key_wo", "session_token", "session_token_wo")

// credentialsGiven reports a resource configuration that sets (or will
// set: unknown) at least one credential attribute.
func credentialsGiven(ctx context.Context, cfg tfsdk.Config) bool {
	var diags diag.Diagnostics
	values, _ := valuesAt(ctx, cfg, resourceCredentials, &diags)
	m := map[string]attr.Value{}
	for _, v := range values {
		m[v.path.String()] = v.value
	}
	return !hasNoCredentials(m)
}

// noCredentials is the one error of a block with no credential at all, as
// import and generated configuration give (credentials_hint.go): it names
// the lines to add, instead of one error per missing attribute.
var noCredentials = configRule{
	description: "the credentials of an imported or generated block",
	check: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
		var authType types.String
		var ab types.Bool
		diags.Append(cfg.GetAttribute(ctx, path.Root("authentication_type"), &authType)...)
		diags.Append(cfg.GetAttribute(ctx, path.Root("auto_bootstrap"), &ab)...)
		if authType.IsUnknown() || credentialsGiven(ctx, cfg) {
			return
		}
		t := authType.ValueString()
		if authType.IsNull() {
			t = authUserPassword
		}
		if t != authUserPassword && t != authAccessKey {
			return // the attribute's own validator names the bad type
		}
		addMissingCredentials(diags, t, ab)
	},
}

// writeOnlyVersions pairs each write-only secret with the attribute whose
// change sends it.
var writeOnlyVersions = [][2]string{
	{"password_wo", "password_wo_version"},
	{"secret_key_wo", "secret_key_wo_version"},
	{"session_token_wo", "session_token_wo_version"},
}

// writeOnlyWithoutVersion warns of a write-only secret given without its
// version: Terraform keeps no copy of a write-only value, so a changed one
// plans nothing, and only a changed version (or another changed argument)
// makes an update that sends it. Without the version, a new password would
// silently never reach Immuta. A warning, not an error: the first create does
// send it, and a configuration that never changes its secret works.
var writeOnlyWithoutVersion = configRule{
	description: "a write-only secret comes with its version attribute",
	check: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
		for _, pair := range writeOnlyVersions {
			wo, version := path.Root(pair[0]), path.Root(pair[1])
			var secret attr.Value
			var v types.Number
			diags.Append(cfg.GetAttribute(ctx, wo, &secret)...)
			diags.Append(cfg.GetAttribute(ctx, version, &v)...)
			if secret == nil || secret.IsNull() || !v.IsNull() {
				continue
			}
			diags.AddAttributeWarning(wo, fmt.Sprintf("%s without %s", pair[0], pair[1]),
				fmt.Sprintf("Terraform keeps no copy of %[1]s, so a change of it alone plans nothing: Immuta receives %[1]s "+
					"when the integration is created, and afterwards only when %[2]s (or another argument) changes. "+
					"Without %[2]s, a changed value is never sent. Set %[2]s = 1 and increase it whenever you change %[1]s.",
					pair[0], pair[1]))
		}
	},
}

func (r *redshiftIntegrationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	vs := []resource.ConfigValidator{
		autoBootstrapWriteOnly,
		noCredentials,
		writeOnlyWithoutVersion,
	}
	for _, c := range credentialRules(true) {
		vs = append(vs, c.rule(credentialsGiven))
	}
	return vs
}

// scriptAction is the data source's action when it is known and valid; a
// misspelt one is reported by the attribute's own validator, and nothing
// else is said about the configuration (a guess at the action would add
// errors that do not apply).
func scriptAction(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) (client.ScriptAction, bool) {
	var v types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root("action"), &v)...)
	a := client.ScriptAction(v.ValueString())
	return a, !v.IsNull() && !v.IsUnknown() && a.Valid()
}

func sendsPayload(ctx context.Context, cfg tfsdk.Config) bool {
	var diags diag.Diagnostics
	a, ok := scriptAction(ctx, cfg, &diags)
	return ok && a.NeedsPayload()
}

// scriptRules are the rules of the script arguments, for the data source
// and the ephemeral resource.
func scriptRules() []configRule {
	rules := []configRule{
		{
			description: "integration_id with edit and delete only",
			check: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
				action, ok := scriptAction(ctx, cfg, diags)
				if !ok {
					return
				}
				var id types.String
				diags.Append(cfg.GetAttribute(ctx, path.Root("integration_id"), &id)...)
				switch {
				case action.NeedsIntegrationID() && id.IsNull():
					diags.AddAttributeError(path.Root("integration_id"), "Missing integration_id",
						fmt.Sprintf("action = %q needs the id of an existing integration in integration_id.", action))
				case !action.NeedsIntegrationID() && !id.IsNull():
					diags.AddAttributeError(path.Root("integration_id"), "integration_id not allowed",
						fmt.Sprintf("action = %q generates a script without an existing integration; remove integration_id.", action))
				}
			},
		},
		{
			description: "the configuration with every action but delete, and none with delete",
			check: func(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
				action, ok := scriptAction(ctx, cfg, diags)
				if !ok {
					return
				}
				if !action.NeedsPayload() {
					values, _ := valuesAt(ctx, cfg, root(append(connectionAttrNames, "impersonation")...), diags)
					for _, v := range values {
						if !v.value.IsNull() {
							diags.AddAttributeError(v.path, "Attribute not used by this action",
								fmt.Sprintf("action = %q sends no configuration; remove %s.", action, v.path))
						}
					}
					return
				}
				values, _ := valuesAt(ctx, cfg, root("host", "database"), diags)
				for _, v := range values {
					if v.value.IsNull() {
						diags.AddAttributeError(v.path, "Missing "+v.path.String(), fmt.Sprintf("action = %q needs %s.", action, v.path))
					}
				}
			},
		},
	}
	for _, c := range credentialRules(false) {
		rules = append(rules, c.rule(sendsPayload))
	}
	return rules
}

func (d *integrationScriptDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	var vs []datasource.ConfigValidator
	for _, r := range scriptRules() {
		vs = append(vs, r)
	}
	return vs
}

// ConfigValidators: the integration is named by id or by host, exactly one.
func (d *redshiftIntegrationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(idPath.Expression(), hostPath.Expression())}
}

func (e *integrationScriptEphemeralResource) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	var vs []ephemeral.ConfigValidator
	for _, r := range scriptRules() {
		vs = append(vs, r)
	}
	return vs
}

// The apply-time re-check. Terraform validates a configuration while some
// values are still unknown (an empty password from another resource, a
// timeout computed elsewhere), and does not validate it again once they are
// known. Create, Update, the data source's Read and the ephemeral resource's
// Open therefore run the same attribute validators and config validators on
// the configuration they receive, in which every value is known, before any
// request: same rules, same messages. Only errors are kept; warnings were
// given at plan time.

func (r *redshiftIntegrationResource) recheck(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	var found diag.Diagnostics
	recheckAttributes(ctx, cfg, &found)
	for _, v := range r.ConfigValidators(ctx) {
		resp := &resource.ValidateConfigResponse{}
		v.ValidateResource(ctx, resource.ValidateConfigRequest{Config: cfg}, resp)
		found.Append(resp.Diagnostics...)
	}
	diags.Append(found.Errors()...)
}

func (d *integrationScriptDataSource) recheck(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	var found diag.Diagnostics
	recheckAttributes(ctx, cfg, &found)
	for _, v := range d.ConfigValidators(ctx) {
		resp := &datasource.ValidateConfigResponse{}
		v.ValidateDataSource(ctx, datasource.ValidateConfigRequest{Config: cfg}, resp)
		found.Append(resp.Diagnostics...)
	}
	diags.Append(found.Errors()...)
}

func (d *redshiftIntegrationDataSource) recheck(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	var found diag.Diagnostics
	recheckAttributes(ctx, cfg, &found)
	for _, v := range d.ConfigValidators(ctx) {
		resp := &datasource.ValidateConfigResponse{}
		v.ValidateDataSource(ctx, datasource.ValidateConfigRequest{Config: cfg}, resp)
		found.Append(resp.Diagnostics...)
	}
	diags.Append(found.Errors()...)
}

func (e *integrationScriptEphemeralResource) recheck(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	var found diag.Diagnostics
	recheckAttributes(ctx, cfg, &found)
	for _, v := range e.ConfigValidators(ctx) {
		resp := &ephemeral.ValidateConfigResponse{}
		v.ValidateEphemeralResource(ctx, ephemeral.ValidateConfigRequest{Config: cfg}, resp)
		found.Append(resp.Diagnostics...)
	}
	diags.Append(found.Errors()...)
}

// recheckAttributes runs every attribute's validators of cfg's schema, as
// the framework does at plan time: nested attributes only inside a known,
// non-null object.
func recheckAttributes(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	for name, a := range cfg.Schema.GetAttributes() {
		recheckAttribute(ctx, cfg, path.Root(name), a, diags)
	}
}

func recheckAttribute(ctx context.Context, cfg tfsdk.Config, p path.Path, a any, diags *diag.Diagnostics) {
	var v attr.Value
	if d := cfg.GetAttribute(ctx, p, &v); d.HasError() || v == nil {
		diags.Append(d...)
		return
	}
	switch a := a.(type) {
	case interface{ StringValidators() []validator.String }:
		tv, ok := v.(basetypes.StringValuable)
		if !ok {
			return
		}
		sv, d := tv.ToStringValue(ctx)
		diags.Append(d...)
		for _, vd := range a.StringValidators() {
			resp := &validator.StringResponse{}
			vd.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: sv, Config: cfg}, resp)
			diags.Append(resp.Diagnostics...)
		}
	case interface{ NumberValidators() []validator.Number }:
		tv, ok := v.(basetypes.NumberValuable)
		if !ok {
			return
		}
		nv, d := tv.ToNumberValue(ctx)
		diags.Append(d...)
		for _, vd := range a.NumberValidators() {
			resp := &validator.NumberResponse{}
			vd.ValidateNumber(ctx, validator.NumberRequest{Path: p, PathExpression: p.Expression(), ConfigValue: nv, Config: cfg}, resp)
			diags.Append(resp.Diagnostics...)
		}
	case interface{ Int64Validators() []validator.Int64 }:
		tv, ok := v.(basetypes.Int64Valuable)
		if !ok {
			return
		}
		iv, d := tv.ToInt64Value(ctx)
		diags.Append(d...)
		for _, vd := range a.Int64Validators() {
			resp := &validator.Int64Response{}
			vd.ValidateInt64(ctx, validator.Int64Request{Path: p, PathExpression: p.Expression(), ConfigValue: iv, Config: cfg}, resp)
			diags.Append(resp.Diagnostics...)
		}
	case interface{ BoolValidators() []validator.Bool }:
		tv, ok := v.(basetypes.BoolValuable)
		if !ok {
			return
		}
		bv, d := tv.ToBoolValue(ctx)
		diags.Append(d...)
		for _, vd := range a.BoolValidators() {
			resp := &validator.BoolResponse{}
			vd.ValidateBool(ctx, validator.BoolRequest{Path: p, PathExpression: p.Expression(), ConfigValue: bv, Config: cfg}, resp)
			diags.Append(resp.Diagnostics...)
		}
	case interface{ ObjectValidators() []validator.Object }:
		tv, ok := v.(basetypes.ObjectValuable)
		if !ok {
			return
		}
		ov, d := tv.ToObjectValue(ctx)
		diags.Append(d...)
		for _, vd := range a.ObjectValidators() {
			resp := &validator.ObjectResponse{}
			vd.ValidateObject(ctx, validator.ObjectRequest{Path: p, PathExpression: p.Expression(), ConfigValue: ov, Config: cfg}, resp)
			diags.Append(resp.Diagnostics...)
		}
		if ov.IsNull() || ov.IsUnknown() {
			return
		}
		for name, nested := range nestedAttributes(a) {
			recheckAttribute(ctx, cfg, p.AtName(name), nested, diags)
		}
	}
}

// nestedAttributes of a single nested attribute, in whichever schema
// package it was declared.
func nestedAttributes(a any) map[string]any {
	out := map[string]any{}
	switch a := a.(type) {
	case rschema.SingleNestedAttribute:
		for n, v := range a.Attributes {
			out[n] = v
		}
	case dsschema.SingleNestedAttribute:
		for n, v := range a.Attributes {
			out[n] = v
		}
	case ephschema.SingleNestedAttribute:
		for n, v := range a.Attributes {
			out[n] = v
		}
	}
	return out
}
