package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// requestsAtMost is a plan check: since the stats were reset, the emulator saw
// at most n API requests.
type requestsAtMost struct {
	env *accEnv
	n   int
}

func (c requestsAtMost) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if st := c.env.emu.Stats(); st.Requests > c.n {
		resp.Error = fmt.Errorf("the plan sent %d requests (%v), want at most %d: one read per integration", st.Requests, st.ByRoute, c.n)
	}
}

// A plan reads each integration once (README, Performance): a no-op plan over
// three integrations sends at most three requests.
func TestAccRedshiftIntegration_planReadsEachOnce(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	var cfg strings.Builder
	cfg.WriteString(env.providerBlock())
	for i := range 3 {
		fmt.Fprintf(&cfg, `
resource "immuta_redshift_integration" "r%d" {
  host                = %q
  database            = "immuta"
  username            = %q
  password_wo         = %q
  password_wo_version = 1
}
`, i, env.host("plan-once"), env.username, env.password)
	}
	resource.Test(t, env.testCase(
		resource.TestStep{Config: cfg.String()},
		resource.TestStep{
			PreConfig: env.emu.ResetStats,
			Config:    cfg.String(),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				requestsAtMost{env: env, n: 3},
			}},
		},
	))
}
