package provider

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// hostPatternValidator accepts a glob in path.Match syntax (*, ?, [a-z]),
// which is what the list resource's host_pattern filters with.
type hostPatternValidator struct{}

func (hostPatternValidator) Description(context.Context) string {
	return "a glob such as *.eu-west-1.redshift.amazonaws.com"
}

func (v hostPatternValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (hostPatternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	p := req.ConfigValue.ValueString()
	if strings.TrimSpace(p) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid host pattern", "host_pattern must not be empty; leave it out to list every host.")
		return
	}
	if _, err := path.Match(strings.ToLower(p), ""); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid host pattern",
			fmt.Sprintf("host_pattern %q is not a valid glob (%v): use * for any characters, ? for one, [a-z] for a range.", p, err))
	}
}
