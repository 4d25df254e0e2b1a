package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

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
