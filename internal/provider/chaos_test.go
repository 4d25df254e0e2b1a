package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

const chaosCount = 10

func (e *accEnv) chaosConfig(port int) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "chaos" {
  count       = %d
  host        = "chaos-${count.index}.redshift.example.internal"
  database    = "immuta"
  port        = %d
  username    = "immuta_system"
  password_wo = "chaos-password"
}
`, chaosCount, port)
}

// With about 30% of the requests faulted (429, 503 with an HTML body,
// connections reset before the server acts), ten integrations are created,
// updated and destroyed: every step succeeds, exactly ten creations happen
// and nothing is left behind. make chaos prints the figures.
func TestAccChaos_faultedAPI(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithFaults(emulator.FaultPolicy{
		Rate:  0.3,
		Kinds: []emulator.Fault{emulator.Fault429, emulator.Fault503, emulator.FaultReset},
		Seed:  20261126,
	}))
	env.needsEmulator(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.emulatorEmpty(s); err != nil {
				return err
			}
			st := env.emu.Stats()
			faults := 0
			for _, n := range st.Faults {
				faults += n
			}
			// Every faulted request was answered by a retry (or, for a
			// reset create, by a lookup and a re-send), so faults count the retries.
			t.Logf("chaos: requests=%d faults_injected=%d %v retries=%d creations=%d left=%d",
				st.Requests, faults, st.Faults, faults, st.Creations, len(env.emu.Integrations()))
			if st.Creations != chaosCount {
				return fmt.Errorf("%d creations for %d integrations: a create was repeated or lost", st.Creations, chaosCount)
			}
			if faults == 0 {
				return fmt.Errorf("no fault was injected: the test proves nothing")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: env.chaosConfig(5439)},
			{
				Config: env.chaosConfig(5440),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("immuta_redshift_integration.chaos[9]", plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// A POST that Immuta carries out but whose answer is lost: the provider
// finds the integration on the host, never adopts it silently and never
// creates a second one; it names the id and the import block, which then
// adopts it.
func TestAccChaos_lostCreateAnswer(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithFaultSequence(emulator.FaultLostAnswer))
	env.needsEmulator(t)
	host := env.host("lost")
	cfg := env.integrationConfig(host, env.database, "")
	var id string
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)answer to the create request was lost.*\(id\s+=\s+1\).*import\s+block.*id = "1"`),
			},
			{
				PreConfig: func() {
					if n := len(env.emu.Integrations()); n != 1 {
						t.Fatalf("%d integrations after the lost answer, want exactly 1", n)
					}
					if c := env.emu.Stats().Creations; c != 1 {
						t.Fatalf("%d creations after the lost answer, want 1", c)
					}
					id = env.emu.Integrations()[0].ID
				},
				// The hint's import block adopts it.
				Config: cfg + "\nimport {\n  to = immuta_redshift_integration.test\n  id = \"1\"\n}\n",
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
				}},
				Check: resource.TestCheckResourceAttrPtr(testResource, "id", &id),
			},
		},
	})
}
