package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Immuta never returns credentials, so a configuration written by
// terraform plan -generate-config-out or terraform query
// -generate-config-out has none. For that case (no credential at all) the
// resource says which lines to add, instead of one error per missing
// attribute.

// credentialLine is one line to add: the attribute and a placeholder.
type credentialLine struct{ name, value string }

// credentialLines are the lines a block of authType needs. With
// auto_bootstrap the secrets must be the stored forms: Immuta needs them
// again at destroy time.
func credentialLines(authType string, autoBootstrap bool) []credentialLine {
	secret := func(stored, variable string) []credentialLine {
		if autoBootstrap {
			return []credentialLine{{stored, "var." + variable}}
		}
		return []credentialLine{{stored + "_wo", "var." + variable}, {stored + "_wo_version", "1"}}
	}
	if authType == authAccessKey {
		return append([]credentialLine{
			{"database_user", `"<the Redshift user Immuta connects as>"`},
			{"access_key_id", "var.redshift_access_key_id"},
		}, secret("secret_key", "redshift_secret_key")...)
	}
	return append([]credentialLine{{"username", `"<the Redshift user Immuta connects as>"`}},
		secret("password", "redshift_password")...)
}

// hasNoCredentials reports a configuration that sets no credential
// attribute at all, and has no unknown one (those are checked at apply).
func hasNoCredentials(values map[string]attr.Value) bool {
	for _, v := range values {
		if !v.IsNull() {
			return false
		}
	}
	return true
}

// addMissingCredentials is the error on such a block: the exact lines.
func addMissingCredentials(diags *diag.Diagnostics, authType string, autoBootstrap types.Bool) {
	lines := credentialLines(authType, autoBootstrap.ValueBool())
	width := 0
	for _, l := range lines {
		width = max(width, len(l.name))
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "  %-*s = %s\n", width, l.name, l.value)
	}
	diags.AddAttributeError(path.Root(lines[0].name), "Missing credentials",
		fmt.Sprintf("authentication_type = %q needs credentials, and Immuta never returns them: an imported integration, "+
			"and the configuration that -generate-config-out writes for it, have none. Add these lines to this resource block "+
			"(in place of its null lines of the same names), or to a block with the same resource address in an override file "+
			"such as credentials_override.tf, which leaves the generated file as it is:\n\n%s\n"+
			"declaring the variables (sensitive = true) or writing the values in place of the placeholders. "+
			"The first apply after the import sends them to Immuta, as an update in place.",
			authType, b.String()))
}
