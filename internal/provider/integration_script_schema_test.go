package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
)

// The ephemeral resource takes exactly the data source's arguments: same
// names, types, flags and validators.
func TestEphemeralSchemaMatchesDataSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var ds datasource.SchemaResponse
	NewIntegrationScriptDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	var eph ephemeral.SchemaResponse
	NewIntegrationScriptEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &eph)
	if diags := eph.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("ephemeral schema: %v", diags)
	}
	if len(ds.Schema.Attributes) != len(eph.Schema.Attributes) {
		t.Fatalf("%d data source attributes, %d ephemeral", len(ds.Schema.Attributes), len(eph.Schema.Attributes))
	}
	for name, d := range ds.Schema.Attributes {
		e, ok := eph.Schema.Attributes[name]
		if !ok {
			t.Errorf("ephemeral resource lacks %s", name)
			continue
		}
		if !d.GetType().Equal(e.GetType()) || d.IsRequired() != e.IsRequired() || d.IsOptional() != e.IsOptional() ||
			d.IsComputed() != e.IsComputed() || d.IsSensitive() != e.IsSensitive() {
			t.Errorf("%s differs: data source %#v, ephemeral %#v", name, d, e)
		}
		if name != "script" && d.GetMarkdownDescription() != e.GetMarkdownDescription() {
			t.Errorf("%s: descriptions differ", name)
		}
	}
}
