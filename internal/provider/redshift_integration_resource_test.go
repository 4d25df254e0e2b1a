package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

const accTransition = 150 * time.Millisecond

const testResource = "immuta_redshift_integration.test"

// integrationConfig renders one integration with a write-only password;
// extra is spliced into the resource block.
func (e *accEnv) integrationConfig(host, database, extra string) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "test" {
  host                = %q
  database            = %q
  username            = %q
  password_wo         = %q
  password_wo_version = 1
%s
}
`, host, database, e.username, e.password, extra)
}

// noSecretInState proves that the state holds none of the given values.
func noSecretInState(secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				for k, v := range rs.Primary.Attributes {
					for _, secret := range secrets {
						if secret != "" && strings.Contains(v, secret) {
							return fmt.Errorf("%s.%s holds a secret", addr, k)
						}
					}
				}
			}
		}
		return nil
	}
}

func TestAccRedshiftIntegration_lifecycle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []emulator.Option
	}{
		{"string ids", nil},
		{"numeric ids", []emulator.Option{emulator.WithNumericIDs()}},
		{"deleted retention", []emulator.Option{emulator.WithDeletedRetention(time.Minute)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t, tc.opts...)
			host := env.host("lifecycle")
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.emulatorEmpty,
				Steps: []resource.TestStep{
					{
						Config: env.integrationConfig(host, env.database, ""),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact("enabled")),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("validation_status"), knownvalue.StringExact("passed")),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("port"), knownvalue.Int64Exact(5439)),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("authentication_type"), knownvalue.StringExact("userPassword")),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("auto_bootstrap"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("password_wo"), knownvalue.Null()),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("password"), knownvalue.Null()),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("impersonation"), knownvalue.ObjectExact(map[string]knownvalue.Check{
								"enabled": knownvalue.Bool(false), "role": knownvalue.Null(),
							})),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("validation_results").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("passed")),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							noSecretInState(env.password, env.token),
							env.checkRemote(host, "enabled", 5439),
						),
					},
					{
						ResourceName:      testResource,
						ImportState:       true,
						ImportStateVerify: true,
						// Immuta never returns credentials, and write-only values are never in state.
						ImportStateVerifyIgnore: []string{"username", "password_wo_version", "timeouts"},
					},
					{
						Config: env.integrationConfig(host, env.database, fmt.Sprintf(`
  port          = %d
  impersonation = { enabled = true, role = "immuta_impersonation" }`, env.updatedPort())),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("port"), knownvalue.Int64Exact(int64(env.updatedPort()))),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact("enabled")),
							statecheck.ExpectKnownValue(testResource, tfjsonpath.New("impersonation").AtMapKey("role"), knownvalue.StringExact("immuta_impersonation")),
						},
						Check: env.checkRemote(host, "enabled", env.updatedPort()),
					},
					{
						// Unchanged configuration: the plan must be empty.
						Config: env.integrationConfig(host, env.database, fmt.Sprintf(`
  port          = %d
  impersonation = { enabled = true, role = "immuta_impersonation" }`, env.updatedPort())),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

// Changing only timeouts (or anything else Immuta does not hold) updates
// state without a PUT, which would send Immuta through "editing" for nothing.
func TestAccRedshiftIntegration_timeoutsOnlyChange(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("timeouts")
	puts := func() int { return env.emu.Stats().ByRoute["PUT /integrations/{id}"] }
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{Config: env.integrationConfig(host, env.database, "")},
			{
				Config: env.integrationConfig(host, env.database, `  timeouts = { create = "45m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					// Nothing goes to Immuta, so nothing it computes can change: the plan
					// shows the timeouts only.
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact("enabled")),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("validation_status"), knownvalue.StringExact("passed")),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("validation_results").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("passed")),
				}},
				Check: func(*terraform.State) error {
					if n := puts(); n != 0 {
						return fmt.Errorf("%d PUT requests for a timeouts-only change", n)
					}
					return nil
				},
			},
			{
				Config: strings.Replace(env.integrationConfig(host, env.database, `  timeouts = { create = "45m" }`),
					"password_wo_version = 1", "password_wo_version = 2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// A real update: Immuta validates again.
					plancheck.ExpectUnknownValue(testResource, tfjsonpath.New("status")),
					plancheck.ExpectUnknownValue(testResource, tfjsonpath.New("validation_results")),
				}},
				Check: func(*terraform.State) error {
					if n := puts(); n != 1 {
						return fmt.Errorf("%d PUT requests after password_wo_version changed, want 1", n)
					}
					return nil
				},
			},
		},
	})
}

// With auto_bootstrap the DELETE carries the privileged credentials (the
// emulator refuses it without them, as Immuta does), and switching
// auto_bootstrap replaces the integration.
func TestAccRedshiftIntegration_autoBootstrap(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t) // needs privileged credentials on a tenant
	host := env.host("auto")
	cfg := func(auto bool) string {
		return env.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "test" {
  host             = %q
  database         = "immuta_new"
  initial_database = "dev"
  auto_bootstrap   = %t
  username         = %q
  password         = %q
}
`, host, auto, env.username, env.password)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("auto_bootstrap"), knownvalue.Bool(true)),
					statecheck.ExpectSensitiveValue(testResource, tfjsonpath.New("password")),
				},
			},
			{
				Config: cfg(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("auto_bootstrap"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// Importing an id that is not a Redshift integration, or that does not
// exist, fails with a clear error instead of adopting the wrong thing.
func TestAccRedshiftIntegration_importWrongIDs(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithForeignIntegrations())
	env.needsEmulator(t)
	cfg := env.integrationConfig(env.host("import"), env.database, "")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Id 1 is the Snowflake integration of the documentation's example.
				Config:      cfg + "\nimport {\n  to = immuta_redshift_integration.test\n  id = \"1\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Not a Redshift integration.*1 is a\s+Snowflake integration`),
			},
			{
				Config:      cfg + "\nimport {\n  to = immuta_redshift_integration.test\n  id = \"424242\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?i)cannot import non-existent remote object`),
			},
		},
	})
}
