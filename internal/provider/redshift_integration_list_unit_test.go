package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/immuta/terraform-provider-immuta/internal/client"
	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// listAll calls List with no filter, as terraform query does.
func listAll(t *testing.T, l *redshiftIntegrationList, include bool, limit int64) []list.ListResult {
	t.Helper()
	ctx := context.Background()
	r := &redshiftIntegrationResource{}
	s, is := schemas(ctx, r)
	var ls list.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &ls)
	req := list.ListRequest{
		Config:                 tfsdk.Config{Schema: ls.Schema, Raw: tftypes.NewValue(ls.Schema.Type().TerraformType(ctx), nil)},
		IncludeResource:        include,
		Limit:                  limit,
		ResourceSchema:         s.Schema,
		ResourceIdentitySchema: is.IdentitySchema,
	}
	var stream list.ListResultsStream
	l.List(ctx, req, &stream)
	var out []list.ListResult
	for res := range stream.Results {
		out = append(out, res)
	}
	return out
}

func unitList(t *testing.T, seeds ...emulator.Seed) *redshiftIntegrationList {
	t.Helper()
	emu := emulator.New(emulator.WithForeignIntegrations(), emulator.WithIntegrations(seeds...))
	t.Cleanup(emu.Close)
	c, err := client.New(client.Config{Connection: client.Connection{BaseURL: emu.URL, APIToken: emulator.DefaultAPIKey}})
	if err != nil {
		t.Fatal(err)
	}
	return &redshiftIntegrationList{client: c}
}

func TestListResults(t *testing.T) {
	l := unitList(t, existing("a.example"), existing("b.example"), existing("c.example"))
	results := listAll(t, l, true, 0)
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	ctx := context.Background()
	for i, res := range results {
		if res.Diagnostics.HasError() {
			t.Fatalf("result %d: %v", i, res.Diagnostics)
		}
		var id redshiftIntegrationIdentityModel
		res.Identity.Get(ctx, &id)
		var m redshiftIntegrationModel
		if d := res.Resource.Get(ctx, &m); d.HasError() {
			t.Fatalf("result %d: resource does not read back: %v", i, d)
		}
		// Ids 1 and 2 are the foreign integrations.
		if want := []string{"3", "4", "5"}[i]; id.ID.ValueString() != want || m.ID.ValueString() != want {
			t.Errorf("result %d: identity %v, resource id %v, want %s", i, id.ID, m.ID, want)
		}
		if res.DisplayName != m.Host.ValueString() || portInt(m.Port) != 5439 || !m.Timeouts.IsNull() {
			t.Errorf("result %d: display name %q, host %v, port %v, timeouts %v", i, res.DisplayName, m.Host, m.Port, m.Timeouts)
		}
	}
	// Without include_resource, no resource object; with a limit, no more results.
	if res := listAll(t, l, false, 0); !res[0].Resource.Raw.IsNull() {
		t.Errorf("a resource object without include_resource: %v", res[0].Resource.Raw)
	}
	if n := len(listAll(t, l, false, 2)); n != 2 {
		t.Errorf("%d results with limit 2", n)
	}
}

func TestListUnconfigured(t *testing.T) {
	results := listAll(t, &redshiftIntegrationList{}, false, 0)
	if len(results) != 1 || !results[0].Diagnostics.HasError() {
		t.Fatalf("an unconfigured list gave %v, want one error", results)
	}
}
