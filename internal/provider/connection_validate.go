package provider

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// credentialRule says which credential attributes an authentication type
// needs and which it forbids. Names missing from the schema at hand (the
// data source has no write-only forms) are skipped.
type credentialRule struct {
	exactlyOne [][]string
	atMostOne  [][]string
	forbidden  []string
}

var credentialRules = map[string]credentialRule{
	authUserPassword: {
		exactlyOne: [][]string{{"username"}, {"password", "password_wo"}},
		forbidden:  []string{"database_user", "access_key_id", "secret_key", "secret_key_wo", "session_token", "session_token_wo"},
	},
	authAccessKey: {
		exactlyOne: [][]string{{"database_user"}, {"access_key_id"}, {"secret_key", "secret_key_wo"}},
		atMostOne:  [][]string{{"session_token", "session_token_wo"}},
		forbidden:  []string{"username", "password", "password_wo"},
	},
}

// validateCredentials checks the credential attributes of one
// configuration against the rule of its authentication type. An unknown
// value is left for apply time, when it is known.
func validateCredentials(authType string, values map[string]attr.Value, diags *diag.Diagnostics) {
	rule, ok := credentialRules[authType]
	if !ok {
		return // the attribute's own validator names the bad type
	}
	for _, group := range rule.exactlyOne {
		checkGroup(authType, group, values, true, diags)
	}
	for _, group := range rule.atMostOne {
		checkGroup(authType, group, values, false, diags)
	}
	for _, name := range rule.forbidden {
		if v, ok := values[name]; ok && !v.IsNull() {
			diags.AddAttributeError(path.Root(name), "Attribute not allowed with "+authType,
				fmt.Sprintf("%s cannot be used with authentication_type = %q; remove it or change authentication_type.", name, authType))
		}
	}
}

func checkGroup(authType string, group []string, values map[string]attr.Value, required bool, diags *diag.Diagnostics) {
	var present, configured []string
	for _, name := range group {
		v, ok := values[name]
		if !ok {
			continue
		}
		present = append(present, name)
		if v.IsUnknown() {
			return
		}
		if !v.IsNull() {
			configured = append(configured, name)
		}
	}
	if len(present) == 0 {
		return
	}
	switch {
	case len(configured) > 1:
		diags.AddAttributeError(path.Root(configured[1]), "Conflicting attributes",
			fmt.Sprintf("Only one of %s may be set.", strings.Join(configured, ", ")))
	case len(configured) == 0 && required:
		what := present[0]
		if len(present) > 1 {
			what = "one of " + strings.Join(present, " or ")
		}
		diags.AddAttributeError(path.Root(present[0]), "Missing required attribute",
			fmt.Sprintf("authentication_type = %q needs %s.", authType, what))
	}
}

// validateAutoBootstrapSecrets refuses write-only credentials when Immuta
// bootstraps the integration: DELETE must then send the privileged
// credentials again, and a write-only value is gone by destroy time.
func validateAutoBootstrapSecrets(autoBootstrap attr.Value, values map[string]attr.Value, diags *diag.Diagnostics) {
	if autoBootstrap.IsNull() || autoBootstrap.IsUnknown() || autoBootstrap.String() != "true" {
		return
	}
	for _, name := range []string{"password_wo", "secret_key_wo", "session_token_wo"} {
		if v, ok := values[name]; ok && set(v) {
			stored := strings.TrimSuffix(name, "_wo")
			diags.AddAttributeError(path.Root(name), "Write-only credential with auto_bootstrap",
				fmt.Sprintf("With auto_bootstrap = true, Immuta needs the privileged credentials again when the integration is destroyed, "+
					"and %s is never stored. Use the sensitive attribute %s instead (kept in state), or set auto_bootstrap = false.", name, stored))
		}
	}
}

// hostValidator accepts a bare host name (or IP address): Immuta takes the
// Redshift endpoint without scheme, port or path.
type hostValidator struct{}

func (hostValidator) Description(context.Context) string {
	return "a host name without scheme, port or path"
}

func (v hostValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (hostValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := hostProblem(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid host", msg)
	}
}

func hostProblem(h string) string {
	switch {
	case strings.TrimSpace(h) == "":
		return "host must not be empty."
	case strings.Contains(h, "://"):
		return fmt.Sprintf("host %q must be a bare host name, without a scheme such as https://.", h)
	case strings.ContainsAny(h, "/?#"):
		return fmt.Sprintf("host %q must be a bare host name, without a path.", h)
	case strings.ContainsAny(h, " \t\n@"):
		return fmt.Sprintf("host %q contains characters that a host name cannot hold.", h)
	}
	if _, _, err := net.SplitHostPort(h); err == nil {
		return fmt.Sprintf("host %q must not carry a port; set the port attribute instead.", h)
	}
	return ""
}
