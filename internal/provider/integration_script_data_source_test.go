package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// scriptsConfig asks for all five scripts around one integration.
func (e *accEnv) scriptsConfig(host string) string {
	conn := fmt.Sprintf(`
  host     = %q
  database = %q
  username = %q
  password = %q`, host, e.database, e.username, e.password)
	return e.integrationConfig(host, e.database, "") + fmt.Sprintf(`
data "immuta_integration_script" "create" {
  action = "create"
  %[1]s
}

data "immuta_integration_script" "initial_create" {
  action           = "initial-create"
  initial_database = "dev"
  %[1]s
}

data "immuta_integration_script" "cleanup" {
  action = "cleanup"
  %[1]s
}

data "immuta_integration_script" "edit" {
  action         = "edit"
  integration_id = immuta_redshift_integration.test.id
  impersonation  = { enabled = true, role = "imp_role" }
  %[1]s
}

data "immuta_integration_script" "delete" {
  action         = "delete"
  integration_id = immuta_redshift_integration.test.id
}
`, conn)
}

// Every action through the real CLI, with each representation of script
// answers the contract allows.
func TestAccIntegrationScript_dataSourceActions(t *testing.T) {
	t.Parallel()
	for _, format := range []emulator.ScriptFormat{emulator.ScriptPlainText, emulator.ScriptJSONString, emulator.ScriptJSONObject} {
		t.Run(format.String(), func(t *testing.T) {
			t.Parallel()
			var opts []emulator.Option
			if format != emulator.ScriptPlainText { // the emulator's default, and what runs against a tenant
				opts = append(opts, emulator.WithScriptFormat(format))
			}
			env := newAccEnv(t, opts...)
			host := env.host("scripts")
			header := func(action string) *regexp.Regexp {
				return regexp.MustCompile(`(?m)^-- Immuta ` + action + ` script for ` + regexp.QuoteMeta(host) + `/`)
			}
			checks := []resource.TestCheckFunc{}
			for _, ds := range []struct{ name, action string }{
				{"create", "create"}, {"initial_create", "initial-create"}, {"cleanup", "cleanup"}, {"edit", "edit"}, {"delete", "delete"},
			} {
				checks = append(checks, resource.TestMatchResourceAttr("data.immuta_integration_script."+ds.name, "script", header(ds.action)))
			}
			checks = append(checks,
				resource.TestMatchResourceAttr("data.immuta_integration_script.initial_create", "script", regexp.MustCompile(`(?i)create database`)),
				resource.TestMatchResourceAttr("data.immuta_integration_script.delete", "script", regexp.MustCompile(`(?i)drop `)),
			)
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   wo111,
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.emulatorEmpty,
				Steps:                    []resource.TestStep{{Config: env.scriptsConfig(host), Check: resource.ComposeAggregateTestCheckFunc(checks...)}},
			})
		})
	}
}

// The ephemeral form hands the script to a provisioner during apply and
// never writes it to plan or state.
func TestAccIntegrationScript_ephemeralNotInState(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	host := env.host("ephemeral")
	out := filepath.Join(t.TempDir(), "setup.sql")
	cfg := env.providerBlock() + fmt.Sprintf(`
ephemeral "immuta_integration_script" "setup" {
  action   = "create"
  host     = %q
  database = %q
  username = %q
  password = %q
}

resource "terraform_data" "run_script" {
  provisioner "local-exec" {
    command     = "printf '%%s' \"$IMMUTA_SCRIPT\" > %s"
    environment = { IMMUTA_SCRIPT = ephemeral.immuta_integration_script.setup.script }
  }
}
`, host, env.database, env.username, env.password, out)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				script, err := os.ReadFile(out)
				if err != nil {
					return fmt.Errorf("the provisioner did not get the script: %w", err)
				}
				if !strings.Contains(string(script), "-- Immuta create script for "+host) {
					return fmt.Errorf("the provisioner got %q, not the create script", script)
				}
				// Each line of the script long enough to mean something must be absent from state.
				var lines []string
				for _, l := range strings.Split(string(script), "\n") {
					if len(strings.TrimSpace(l)) > 12 {
						lines = append(lines, l)
					}
				}
				if err := noSecretInState(append(lines, env.password)...)(s); err != nil || env.emu == nil {
					return err
				}
				// And the whole state file, private data decoded.
				secrets := map[string]string{"password": env.password}
				for i, l := range lines {
					secrets[fmt.Sprintf("script line %d", i+1)] = l
				}
				return env.noWriteOnlyInStateFile(env.url+"\"\n", secrets)(s)
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				noWriteOnlyInPlan{marker: env.url + "\"\n", secrets: map[string]string{"password": env.password}, skip: env.emu == nil},
			}},
		}},
	})
}
