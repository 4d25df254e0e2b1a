package provider

import (
	"fmt"
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

// A POST that Immuta carries out but whose answer is lost: the provider finds
// the integration on the host, which had none before this apply's POST, so it is
// this apply's: it is recorded with Immuta's id and waited for; no second one is
// created. (Until issue 9 the apply failed and asked the user to import it.)
func TestAccChaos_lostCreateAnswer(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.FaultLostAnswer},
		Methods: []string{"POST"}, Paths: []string{"/integrations"}}))
	env.needsEmulator(t)
	host := env.host("lost")
	resource.Test(t, env.testCase(resource.TestStep{
		Config: env.integrationConfig(host, env.database, ""),
		Check: resource.ComposeTestCheckFunc(
			func(s *terraform.State) error {
				in, ok := env.remote(host)
				if got := s.RootModule().Resources[testResource].Primary.ID; !ok || got != in.ID {
					return fmt.Errorf("state id %s, Immuta's %+v", got, in)
				}
				if st := env.emu.Stats(); st.Creations != 1 || st.CreatePosts != 1 {
					return fmt.Errorf("%d creations, %d create POSTs; want 1 and 1", st.Creations, st.CreatePosts)
				}
				return nil
			},
			env.checkRemote(host, "enabled", 5439),
		),
	}))
}
