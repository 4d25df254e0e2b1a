package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// Terraform and OpenTofu keep resource identity from 1.12 on.
var identity112 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// seededHost names a host for an integration that exists before the test,
// as hosts of env.host do.
func seededHost(label string) string {
	return fmt.Sprintf("%s-%d.redshift.example.internal", label, hostSeq.Add(1))
}

// existing is a Redshift integration made outside Terraform, with
// credentials that the test does not know.
func existing(host string) emulator.Seed {
	return emulator.Seed{Config: map[string]any{
		"host": host, "database": "immuta", "username": "made_in_the_ui", "password": "Old-pw-made-in-the-ui",
	}}
}

// sentCredentials proves that the apply after the import sent the
// configured credentials to Immuta (the emulator holds them unredacted).
func (e *accEnv) sentCredentials(host string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		in, ok := e.remote(host)
		if !ok {
			return fmt.Errorf("no integration on host %s in the emulator", host)
		}
		if in.Config["username"] != e.username || in.Config["password"] != e.password {
			return fmt.Errorf("integration %s still has the credentials it was made with (username %v)", in.ID, in.Config["username"])
		}
		return nil
	}
}

func importBlock(to, how string) string {
	return fmt.Sprintf("\nimport {\n  to = %s\n  %s\n}\n", to, how)
}

var idRE = knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))

// Create records the identity, and an import block with that identity
// (req.ID empty) finds the same integration.
func TestAccRedshiftIntegration_identity(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	host := env.host("identity")
	cfg := env.integrationConfig(host, env.database, "")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identity112,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testResource, map[string]knownvalue.Check{"id": idRE}),
					statecheck.ExpectIdentityValueMatchesState(testResource, tfjsonpath.New("id")),
				},
			},
			{
				// The test framework plans an import { identity = { id = ... } } in a
				// fresh state and checks the planned identity against the one above.
				ResourceName:    testResource,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				// Immuta never returns the username: the first apply sends it again.
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// An integration made outside Terraform is adopted by identity: imported,
// updated in place with the credentials (never replaced), then at rest.
func TestAccRedshiftIntegration_importByIdentity(t *testing.T) {
	t.Parallel()
	host := seededHost("by-identity")
	env := newAccEnv(t, emulator.WithForeignIntegrations(), emulator.WithIntegrations(existing(host)))
	env.needsEmulator(t)
	in, _ := env.remote(host)
	cfg := env.integrationConfig(host, env.database, "") + importBlock(testResource, fmt.Sprintf("identity = { id = %q }", in.ID))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   identity112,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testResource, map[string]knownvalue.Check{"id": knownvalue.StringExact(in.ID)}),
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(in.ID)),
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact("enabled")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.sentCredentials(host), noSecretInState(env.password)),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Import by id works on every CLI, Terraform 1.11 (no identity) included;
// where the CLI keeps identity, an import by id records it too.
func TestAccRedshiftIntegration_importByID(t *testing.T) {
	t.Parallel()
	host := seededHost("by-id")
	env := newAccEnv(t, emulator.WithForeignIntegrations(), emulator.WithIntegrations(existing(host)))
	env.needsEmulator(t)
	in, _ := env.remote(host)
	cfg := env.integrationConfig(host, env.database, "") + importBlock(testResource, fmt.Sprintf("id = %q", in.ID))
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(in.ID)),
		statecheck.ExpectKnownValue(testResource, tfjsonpath.New("port"), knownvalue.Int64Exact(5439)),
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: checks,
				Check:             env.sentCredentials(host),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// The identity an import by id records, where the CLI has identity.
				SkipFunc: skipBelow(t, tfversion.Version1_12_0),
				Config:   cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testResource, map[string]knownvalue.Check{"id": knownvalue.StringExact(in.ID)}),
				},
			},
		},
	})
}
