package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Terraform validates every resource instance's configuration during both
// validate and plan, so the rules' cost is paid per integration, twice per
// command, on the CLI's critical path. The cross-attribute rules once read
// their attributes through path expressions (PathMatches), which walks the
// whole configuration and looks every value's path up in the schema: about
// 6 600 allocations per resource, a fifth of a plan's CPU in make bench's
// short scenario. Read by path, they cost a small fraction of that.
func TestValidateResourceConfig_allocationBudget(t *testing.T) {
	ctx := context.Background()
	server := providerserver.NewProtocol6(New("test")())()
	var sr resource.SchemaResponse
	NewRedshiftIntegrationResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	cfg := dynamic(t, object(t, typ, map[string]any{
		"host": str("bench-1.abc123.us-east-1.redshift.amazonaws.com"), "database": str("immuta"),
		"username": str("immuta_system"), "password_wo": str("pw"), "password_wo_version": num(1),
		"impersonation": map[string]any{"enabled": boolean(false)},
	}))
	req := &tfprotov6.ValidateResourceConfigRequest{TypeName: "immuta_redshift_integration", Config: cfg,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}}
	validate := func() {
		resp, err := server.ValidateResourceConfig(ctx, req)
		if err != nil || len(protoErrors(resp.Diagnostics)) > 0 {
			t.Fatalf("a valid configuration: %v %v", err, protoErrors(resp.Diagnostics))
		}
	}
	validate()
	allocs := testing.AllocsPerRun(20, validate)
	t.Logf("%.0f allocations per ValidateResourceConfig", allocs)
	const budget = 4000
	if allocs > budget {
		t.Errorf("ValidateResourceConfig makes %.0f allocations for one resource, budget %d: "+
			"a rule reads its attributes through path expressions again?", allocs, budget)
	}
}
