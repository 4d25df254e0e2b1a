package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/immuta/terraform-provider-immuta/internal/client"
	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// unitResource is the resource with a client of an emulator holding seeds,
// for calling its methods directly.
func unitResource(t *testing.T, seeds ...emulator.Seed) *redshiftIntegrationResource {
	t.Helper()
	emu := emulator.New(emulator.WithIntegrations(seeds...))
	t.Cleanup(emu.Close)
	c, err := client.New(client.Config{Connection: client.Connection{BaseURL: emu.URL, APIToken: emulator.DefaultAPIKey}})
	if err != nil {
		t.Fatal(err)
	}
	return &redshiftIntegrationResource{client: c}
}

func schemas(ctx context.Context, r *redshiftIntegrationResource) (fwresource.SchemaResponse, fwresource.IdentitySchemaResponse) {
	var s fwresource.SchemaResponse
	var is fwresource.IdentitySchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &s)
	r.IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &is)
	return s, is
}

// State written by a version of the provider without identity has none:
// Read gives it one, or the CLI would keep an empty identity.
func TestReadSetsIdentityOnStateWithout(t *testing.T) {
	ctx := context.Background()
	r := unitResource(t, existing("read.example"))
	s, is := schemas(ctx, r)

	m := newRedshiftIntegrationModel(ctx)
	m.ID = types.StringValue("1")
	m.Host = types.StringValue("read.example")
	state := tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(ctx), nil)}
	if d := state.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	none := tftypes.NewValue(is.IdentitySchema.Type().TerraformType(ctx), nil)
	req := fwresource.ReadRequest{State: state, Identity: &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: none}}
	resp := fwresource.ReadResponse{State: state, Identity: &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: none.Copy()}}
	r.Read(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var got redshiftIntegrationIdentityModel
	if d := resp.Identity.Get(ctx, &got); d.HasError() {
		t.Fatal(d)
	}
	if got.ID.ValueString() != "1" {
		t.Errorf("identity after Read = %v, want id 1", got.ID)
	}
}

// An import by identity comes with an empty req.ID; an import by id on a
// CLI without identity comes with no identity. Both reach the same state.
func TestImportStateByIDOrIdentity(t *testing.T) {
	ctx := context.Background()
	r := unitResource(t)
	s, is := schemas(ctx, r)
	idType := is.IdentitySchema.Type().TerraformType(ctx)
	withID := tftypes.NewValue(idType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "42")})
	for _, tc := range []struct {
		name     string
		id       string
		identity *tfsdk.ResourceIdentity
		wantErr  bool
	}{
		{"id, no identity support", "42", nil, false},
		{"id, null identity", "42", &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(idType, nil)}, false},
		{"identity, empty id", "", &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: withID}, false},
		{"neither", "", &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(idType, nil)}, true},
		// Import ids become request paths: only what an Immuta id can be.
		{"id with spaces", " 42 ", nil, true},
		{"id with a query", "42?x=1", nil, true},
		{"identity with a path", "", &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(idType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "42/status")})}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := fwresource.ImportStateResponse{
				State: tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(ctx), nil)},
			}
			if tc.identity != nil {
				resp.Identity = &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(idType, nil)}
			}
			r.ImportState(ctx, fwresource.ImportStateRequest{ID: tc.id, Identity: tc.identity}, &resp)
			if resp.Diagnostics.HasError() != tc.wantErr {
				t.Fatalf("error = %v, want error %t", resp.Diagnostics, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			var id types.String
			resp.State.GetAttribute(ctx, path.Root("id"), &id)
			if id.ValueString() != "42" {
				t.Errorf("state id = %v, want 42", id)
			}
			if resp.Identity != nil {
				var got redshiftIntegrationIdentityModel
				resp.Identity.Get(ctx, &got)
				if got.ID.ValueString() != "42" {
					t.Errorf("identity id = %v, want 42", got.ID)
				}
			}
		})
	}
}
