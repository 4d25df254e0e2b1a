package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// clientFrom takes the client that the provider's Configure handed to a
// resource or data source. Nil data means the provider is not configured
// yet (validation runs before it), which is not an error.
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *client.Client, got %T. Please report this issue to the provider developers.", data))
		return nil
	}
	return c
}
