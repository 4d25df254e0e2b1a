package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Bad configurations are refused at plan time, each with an error on the
// attribute at fault. Terraform prints the offending line of the
// configuration under the error when the diagnostic carries an attribute
// path, so the patterns match that line too where the attribute is set.
func TestAccValidation_planTimeErrors(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	const userPw = `
  username = "u"
  password = "p"`
	integration := func(body string) string {
		return env.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "test" {
  host     = "h.example.com"
  database = "immuta"
%s
}
`, body)
	}
	integrationRaw := func(body string) string {
		return env.providerBlock() + fmt.Sprintf("resource \"immuta_redshift_integration\" \"test\" {\n%s\n}\n", body)
	}
	script := func(body string) string {
		return env.providerBlock() + fmt.Sprintf("data \"immuta_integration_script\" \"test\" {\n%s\n}\n", body)
	}
	// at: the attribute set on the offending line, or "" when the error is
	// about an attribute that is missing.
	cases := []struct {
		name, config, summary, at string
	}{
		{"port zero", integration(userPw + "\n  port = 0"), `value must be between 1 and 65535`, "port"},
		{"port too high", integration(userPw + "\n  port = 70000"), `value must be between 1 and 65535`, "port"},
		{"host with scheme", integrationRaw(`  host = "https://h.example.com"` + "\n  database = \"d\"" + userPw), `without a scheme`, "host"},
		{"host with path", integrationRaw(`  host = "h.example.com/db"` + "\n  database = \"d\"" + userPw), `without a path`, "host"},
		{"host with port", integrationRaw(`  host = "h.example.com:5439"` + "\n  database = \"d\"" + userPw), `must not carry a port`, "host"},
		{"empty database", integrationRaw(`  host = "h.example.com"` + "\n  database = \"\"" + userPw), `database string length must be at least 1`, "database"},
		{"unknown authentication type", integration(userPw + "\n  authentication_type = \"kerberos\""), `value must be one of`, "authentication_type"},
		{"password and password_wo", integration(userPw + "\n  password_wo = \"q\""), `Only one of password, password_wo`, "password_wo"},
		{"no password", integration(`  username = "u"`), `needs one of password or password_wo`, ""},
		{"no username", integration(`  password = "p"`), `needs username`, ""},
		{"secret key with userPassword", integration(userPw + "\n  secret_key = \"s\""), `secret_key cannot be used with\s+authentication_type = "userPassword"`, "secret_key"},
		{"accessKey without access key id", integration(`
  authentication_type = "accessKey"
  database_user       = "du"
  secret_key          = "s"`), `needs access_key_id`, ""},
		{"accessKey without secret", integration(`
  authentication_type = "accessKey"
  database_user       = "du"
  access_key_id       = "AKIA"`), `needs one of secret_key or secret_key_wo`, ""},
		{"accessKey with password", integration(`
  authentication_type = "accessKey"
  database_user       = "du"
  access_key_id       = "AKIA"
  secret_key          = "s"
  password            = "p"`), `password cannot be used with\s+authentication_type = "accessKey"`, "password"},
		{"two session tokens", integration(`
  authentication_type = "accessKey"
  database_user       = "du"
  access_key_id       = "AKIA"
  secret_key          = "s"
  session_token       = "t"
  session_token_wo    = "t"`), `Only one of session_token, session_token_wo`, "session_token_wo"},
		{"auto_bootstrap with write-only password", integration(`
  username       = "u"
  password_wo    = "p"
  auto_bootstrap = true`), `Write-only credential with auto_bootstrap`, "password_wo"},
		{"version without write-only value", integration(userPw + "\n  password_wo_version = 2"), `"password_wo" must be specified when "password_wo_version"`, "password_wo_version"},
		{"empty impersonation role", integration(userPw + "\n  impersonation = { enabled = true, role = \"\" }"), `impersonation.role string length must be at least 1`, ""},
		{"script: unknown action", script(`  action = "destroy-everything"`), `value must be one of`, "action"},
		{"script: edit without id", script(`
  action   = "edit"
  host     = "h.example.com"
  database = "d"` + userPw), `action = "edit" needs the id of an existing integration`, ""},
		{"script: create with id", script(`
  action         = "create"
  integration_id = "12"
  host           = "h.example.com"
  database       = "d"` + userPw), `integration_id not allowed`, "integration_id"},
		{"script: delete with payload", script(`
  action         = "delete"
  integration_id = "12"
  host           = "h.example.com"`), `action = "delete" sends no configuration; remove host`, "host"},
		{"script: create without database", script(`
  action = "create"
  host   = "h.example.com"` + userPw), `action = "create" needs database`, ""},
		{"script: host with scheme", script(`
  action   = "cleanup"
  host     = "http://h.example.com"
  database = "d"` + userPw), `without a scheme`, "host"},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		pattern := `(?s)` + tc.summary
		if tc.at != "" {
			line := `\d+:\s+` + regexp.QuoteMeta(tc.at) + `\s+=`
			pattern = `(?s)(` + tc.summary + `.*` + line + `|` + line + `.*` + tc.summary + `)`
		}
		steps = append(steps, resource.TestStep{
			Config:      tc.config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`)),
		})
	}
	if len(steps) < 15 {
		t.Fatalf("only %d invalid configurations", len(steps))
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    steps,
	})
}
