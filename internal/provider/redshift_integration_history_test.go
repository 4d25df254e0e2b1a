package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// An update's wait predicts from the integration's earlier updates, kept in private
// state across provider processes: with a 2 s transition, the first update follows the
// schedule (about a dozen looks), the second looks about once.
func TestAccRedshiftIntegration_updateLearnsFromItsHistory(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithTransition(2*time.Second))
	env.needsEmulator(t)
	host := env.host("history")
	var gets []int // GET requests seen by the end of each step
	snapshot := func(*terraform.State) error {
		n := 0
		for route, c := range env.emu.Stats().ByRoute {
			if strings.HasPrefix(route, "GET ") {
				n += c
			}
		}
		gets = append(gets, n)
		return nil
	}
	step := func(database string) resource.TestStep {
		return resource.TestStep{Config: env.integrationConfig(host, database, ""), Check: snapshot}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			step(env.database),
			step("immuta_a"),
			step("immuta_b"),
			{
				Config: env.integrationConfig(host, "immuta_b", ""),
				Check: func(*terraform.State) error {
					first, second := gets[1]-gets[0], gets[2]-gets[1]
					t.Logf("GETs: first update's step %d, second update's step %d", first, second)
					if second > first-5 {
						return fmt.Errorf("the second update's step sent %d GETs, the first %d: the second should predict from the first and look about once", second, first)
					}
					return nil
				},
			},
		},
	})
}
