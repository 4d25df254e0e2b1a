package provider

import (
	"context"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// These tests talk to the provider through its protocol server, as
// Terraform does, without a CLI: what ValidateResourceConfig (plan time)
// and the apply-time re-check say about the same configuration.

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }

func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

var unknownString = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

// object is a value of typ with the given attributes, the others null.
// A nested map[string]tftypes.Value stands for a nested object.
func object(t *testing.T, typ tftypes.Type, set map[string]any) tftypes.Value {
	t.Helper()
	ot, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range ot.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		at, ok := ot.AttributeTypes[name]
		if !ok {
			t.Fatalf("no attribute %q", name)
		}
		switch v := v.(type) {
		case tftypes.Value:
			vals[name] = v
		case map[string]any:
			vals[name] = object(t, at, v)
		default:
			t.Fatalf("%s: %T", name, v)
		}
	}
	return tftypes.NewValue(ot, vals)
}

func dynamic(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// protoErrors and frameworkErrors render errors alike, for comparison.
func protoErrors(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	sort.Strings(out)
	return out
}

func frameworkErrors(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Errors() {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	sort.Strings(out)
	return out
}

type ruleCase struct {
	name   string
	config map[string]any
	want   []string // one part of each error, in order of the sorted errors; none for a valid configuration
}

func checkErrors(t *testing.T, name string, got []string, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d errors, want %d:\n%s", name, len(got), len(want), strings.Join(got, "\n"))
		return
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("%s: error %q, want one with %q", name, got[i], w)
		}
	}
}

func TestResourceRules_planAndApplySayTheSame(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server := providerserver.NewProtocol6(New("test")())()
	var sr resource.SchemaResponse
	NewRedshiftIntegrationResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"host": str("h.example.com"), "database": str("immuta"), "username": str("u"), "password": str("p")}
		for k, v := range extra {
			if v == nil {
				delete(m, k)
				continue
			}
			m[k] = v
		}
		return m
	}
	accessKey := map[string]any{"authentication_type": str("accessKey"), "username": nil, "password": nil,
		"database_user": str("du"), "access_key_id": str("AKIA"), "secret_key": str("s")}
	with := func(a, b map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range a {
			out[k] = v
		}
		for k, v := range b {
			out[k] = v
		}
		return out
	}
	cases := []ruleCase{
		{"valid", base(nil), nil},
		{"valid access key", base(accessKey), nil},
		{"empty password", base(map[string]any{"password": str("")}), []string{"password must not be empty"}},
		{"password and password_wo", base(map[string]any{"password_wo": str("q")}), []string{`"password_wo" cannot be specified when "password" is specified`}},
		{"no password", base(map[string]any{"password": nil}), []string{`"userPassword" needs one of password or password_wo`}},
		{"access key without key id", base(with(accessKey, map[string]any{"access_key_id": nil})), []string{`"accessKey" needs access_key_id`}},
		{"access key with password", base(with(accessKey, map[string]any{"password": str("p")})), []string{`password cannot be used with authentication_type = "accessKey"`}},
		{"auto_bootstrap with password_wo", base(map[string]any{"password": nil, "password_wo": str("p"), "auto_bootstrap": boolean(true)}),
			[]string{"password_wo is never stored"}},
		{"role without impersonation", base(map[string]any{"impersonation": map[string]any{"enabled": boolean(false), "role": str("r")}}),
			[]string{"impersonation.role can only be set when impersonation.enabled = true"}},
		{"role with SQL", base(map[string]any{"impersonation": map[string]any{"enabled": boolean(true), "role": str("r; DROP ROLE x")}}),
			[]string{"impersonation.role must not hold the character ';'"}},
		{"port out of int64", base(map[string]any{"port": tftypes.NewValue(tftypes.Number, new(big.Float).SetFloat64(1e20))}),
			[]string{"port must be a whole number between 1 and 65535"}},
		{"zero timeout", base(map[string]any{"timeouts": map[string]any{"create": str("0s")}}), []string{"timeouts.create must be a positive duration"}},
		{"database with SQL", base(map[string]any{"database": str("immuta\nDROP DATABASE prod;")}), []string{"database must not hold control characters"}},
	}
	for _, tc := range cases {
		cfg := object(t, typ, tc.config)
		resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "immuta_redshift_integration", Config: dynamic(t, cfg),
			ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		plan := protoErrors(resp.Diagnostics)
		checkErrors(t, tc.name+" (plan)", plan, tc.want)

		var diags diag.Diagnostics
		(&redshiftIntegrationResource{}).recheck(ctx, tfsdk.Config{Schema: sr.Schema, Raw: cfg}, &diags)
		if apply := frameworkErrors(diags); strings.Join(apply, "\n") != strings.Join(plan, "\n") {
			t.Errorf("%s: apply-time errors differ from plan-time ones:\n%s\nvs\n%s", tc.name, strings.Join(apply, "\n"), strings.Join(plan, "\n"))
		}
	}

	// A value unknown at plan passes there and is caught at apply time.
	unknown := object(t, typ, base(map[string]any{"password": unknownString, "impersonation": map[string]any{"enabled": boolean(false), "role": unknownString}}))
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "immuta_redshift_integration", Config: dynamic(t, unknown)})
	if err != nil {
		t.Fatal(err)
	}
	checkErrors(t, "unknown at plan", protoErrors(resp.Diagnostics), nil)
	known := object(t, typ, base(map[string]any{"password": str(""), "impersonation": map[string]any{"enabled": boolean(false), "role": str("r")}}))
	var diags diag.Diagnostics
	(&redshiftIntegrationResource{}).recheck(ctx, tfsdk.Config{Schema: sr.Schema, Raw: known}, &diags)
	checkErrors(t, "known at apply", frameworkErrors(diags), []string{"impersonation.role can only be set", "password must not be empty"})
}

// issue 10, point 7: a misspelt action gives one error, on action, and no
// guesses about what the other attributes mean for it.
func TestScriptRules_oneErrorForAMisspeltAction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server := providerserver.NewProtocol6(New("test")())()
	var sr datasource.SchemaResponse
	NewIntegrationScriptDataSource().Schema(ctx, datasource.SchemaRequest{}, &sr)
	var er ephemeral.SchemaResponse
	NewIntegrationScriptEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &er)
	conn := map[string]any{"host": str("h.example.com"), "database": str("immuta"), "username": str("u"), "password": str("p")}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range conn {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []ruleCase{
		{"setup", with(map[string]any{"action": str("setup")}), []string{`value must be one of`}},
		{"create", with(map[string]any{"action": str("create")}), nil},
		{"delete with configuration", map[string]any{"action": str("delete"), "integration_id": str("8"), "host": str("h.example.com")},
			[]string{`action = "delete" sends no configuration; remove host`}},
		{"edit without id", with(map[string]any{"action": str("edit")}), []string{`action = "edit" needs the id`}},
		{"create with id", with(map[string]any{"action": str("create"), "integration_id": str("8")}), []string{"integration_id not allowed"}},
		{"create without database", with(map[string]any{"action": str("create"), "database": tftypes.NewValue(tftypes.String, nil)}),
			[]string{`action = "create" needs database`}},
		{"id with a query", map[string]any{"action": str("delete"), "integration_id": str("8?x=1")}, []string{"integration_id must be the id"}},
		{"database with SQL", with(map[string]any{"action": str("create"), "database": str("immuta\nDROP DATABASE prod;")}),
			[]string{"database must not hold control characters"}},
		{"port out of int64", with(map[string]any{"action": str("create"), "port": num(1e20)}), []string{"port must be a whole number"}},
	}
	for _, tc := range cases {
		for _, kind := range []string{"data source", "ephemeral"} {
			var protoDiags []*tfprotov6.Diagnostic
			var apply diag.Diagnostics
			if kind == "data source" {
				cfg := object(t, sr.Schema.Type().TerraformType(ctx), tc.config)
				resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "immuta_integration_script", Config: dynamic(t, cfg)})
				if err != nil {
					t.Fatal(err)
				}
				protoDiags = resp.Diagnostics
				(&integrationScriptDataSource{}).recheck(ctx, tfsdk.Config{Schema: sr.Schema, Raw: cfg}, &apply)
			} else {
				cfg := object(t, er.Schema.Type().TerraformType(ctx), tc.config)
				resp, err := server.ValidateEphemeralResourceConfig(ctx, &tfprotov6.ValidateEphemeralResourceConfigRequest{TypeName: "immuta_integration_script", Config: dynamic(t, cfg)})
				if err != nil {
					t.Fatal(err)
				}
				protoDiags = resp.Diagnostics
				(&integrationScriptEphemeralResource{}).recheck(ctx, tfsdk.Config{Schema: er.Schema, Raw: cfg}, &apply)
			}
			plan := protoErrors(protoDiags)
			checkErrors(t, kind+" "+tc.name+" (plan)", plan, tc.want)
			if got := frameworkErrors(apply); strings.Join(got, "\n") != strings.Join(plan, "\n") {
				t.Errorf("%s %s: apply-time errors differ:\n%s\nvs\n%s", kind, tc.name, strings.Join(got, "\n"), strings.Join(plan, "\n"))
			}
		}
	}
}

// Every argument of every schema has at least one validator (booleans and
// computed-only attributes excepted), so that no attribute is forgotten.
func TestEveryAttributeHasValidators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var rr resource.SchemaResponse
	NewRedshiftIntegrationResource().Schema(ctx, resource.SchemaRequest{}, &rr)
	var dr datasource.SchemaResponse
	NewIntegrationScriptDataSource().Schema(ctx, datasource.SchemaRequest{}, &dr)
	var rdr datasource.SchemaResponse
	NewRedshiftIntegrationDataSource().Schema(ctx, datasource.SchemaRequest{}, &rdr)
	var er ephemeral.SchemaResponse
	NewIntegrationScriptEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &er)
	var pr provider.SchemaResponse
	New("test")().Schema(ctx, provider.SchemaRequest{}, &pr)

	var walk func(kind, prefix string, attrs map[string]any)
	walk = func(kind, prefix string, attrs map[string]any) {
		for name, a := range attrs {
			fa := a.(interface {
				IsComputed() bool
				IsOptional() bool
				IsRequired() bool
			})
			if !fa.IsOptional() && !fa.IsRequired() {
				continue // computed only
			}
			if nested := nestedAttributes(a); len(nested) > 0 {
				walk(kind, prefix+name+".", nested)
				continue
			}
			if _, isBool := a.(interface{ BoolValidators() []validator.Bool }); isBool {
				continue
			}
			if validatorCount(a) == 0 {
				t.Errorf("%s attribute %s%s has no validator", kind, prefix, name)
			}
		}
	}
	walk("resource", "", anyAttributes(rr.Schema.Attributes))
	walk("data source", "", anyAttributes(dr.Schema.Attributes))
	walk("redshift data source", "", anyAttributes(rdr.Schema.Attributes))
	walk("ephemeral resource", "", anyAttributes(er.Schema.Attributes))
	walk("provider", "", anyAttributes(pr.Schema.Attributes))
}

func anyAttributes[A any](attrs map[string]A) map[string]any {
	out := map[string]any{}
	for n, a := range attrs {
		out[n] = a
	}
	return out
}

func validatorCount(a any) int {
	switch a := a.(type) {
	case interface{ StringValidators() []validator.String }:
		return len(a.StringValidators())
	case interface{ NumberValidators() []validator.Number }:
		return len(a.NumberValidators())
	case interface{ Int64Validators() []validator.Int64 }:
		return len(a.Int64Validators())
	}
	return 0
}

// Settings from the environment meet the attributes' rules when the
// provider is configured, named by their variable, never echoed. Not
// parallel: it sets the environment.
func TestConfigure_environmentMeetsTheSameRules(t *testing.T) {
	ctx := context.Background()
	var pr provider.SchemaResponse
	New("test")().Schema(ctx, provider.SchemaRequest{}, &pr)
	cfg := object(t, pr.Schema.Type().TerraformType(ctx), nil)
	for _, tc := range []struct {
		host, token, ca string
		want            string
		leak            string
	}{
		{"https://127.0.0.1:99999", "tok-ok", "", "The IMMUTA_HOST environment variable has a port outside 1 to 65535.", "99999"},
		{"https://tenant-secret.example/api", "tok-ok", "", "The IMMUTA_HOST environment variable must be the tenant root, without a path", "tenant-secret"},
		{"https://acme.immuta.com", "tok-secret\n", "", "The IMMUTA_API_TOKEN environment variable must not hold control characters", "tok-secret"},
		{"https://acme.immuta.com", "tok-ok", "/etc/ssl/ca-secret.pem", "The IMMUTA_CA_CERTIFICATE environment variable must hold one or more PEM-encoded certificates", "ca-secret"},
	} {
		t.Setenv(EnvHost, tc.host)
		t.Setenv(EnvAPIToken, tc.token)
		t.Setenv(EnvCACertificate, tc.ca)
		server := providerserver.NewProtocol6(New("test")())()
		resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamic(t, cfg)})
		if err != nil {
			t.Fatal(err)
		}
		got := protoErrors(resp.Diagnostics)
		checkErrors(t, tc.want, got, []string{tc.want})
		if strings.Contains(strings.Join(got, "\n"), tc.leak) {
			t.Errorf("%s: the error repeats the value: %s", tc.want, got)
		}
	}
}

// The rules read their attributes by path, not by path expression (cost:
// TestValidateResourceConfig_allocationBudget), and a name that the schema does not
// have is still an error, not a rule silently skipped.
func TestValuesAtMisspeltName(t *testing.T) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewRedshiftIntegrationResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	raw := object(t, sr.Schema.Type().TerraformType(ctx), map[string]any{"host": str("h.example.com"), "password": str("p")})
	cfg := tfsdk.Config{Schema: sr.Schema, Raw: raw}
	var diags diag.Diagnostics
	values, _ := valuesAt(ctx, cfg, root("password", "pasword"), &diags)
	if !diags.HasError() {
		t.Errorf("no error for a misspelt attribute name; values %v", values)
	}
	if len(values) != 1 || values[0].path.String() != "password" || values[0].value.IsNull() {
		t.Errorf("values %v, want password's alone", values)
	}
}
