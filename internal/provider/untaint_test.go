package provider

import (
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// A create that times out while Immuta is still creating leaves the
// integration in state, tainted. When Immuta then enables it, `terraform
// untaint` keeps it: the next plan is empty (no replacement, no change).
func TestAccRedshiftIntegration_untaintKeepsLateEnabled(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("untaint")
	// delete bounds the destroy should the test fail while the create is held.
	cfg := env.integrationConfig(host, env.database, `  timeouts = { create = "2s", delete = "1m" }`)
	marker := env.url + "\"\n"
	resource.Test(t, env.testCase(
		env.failingStep(host, cfg, emulator.Outcome{Stuck: true}, `(?s)not enabled yet: the create timeout ran out.*"creating".*tainted`),
		resource.TestStep{
			PreConfig: func() {
				in, ok := env.remote(host)
				if !ok || in.Status != "creating" {
					t.Fatalf("after the timeout the integration should still be creating in Immuta: %+v %v", in, ok)
				}
				env.emu.SetOutcome(host, emulator.Outcome{})
				env.emu.SetStatus(in.ID, "enabled") // Immuta finishes late
				untaint(t, marker, testResource)
			},
			Config:   cfg,
			PlanOnly: true, // and an empty plan
			Check:    env.checkRemote(host, "enabled", 5439),
		},
	))
}

// untaint runs `terraform untaint` (or OpenTofu's) in the test's working
// directory, as a user would.
func untaint(t *testing.T, marker, addr string) {
	t.Helper()
	dir, err := workDir(marker)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Getenv("TF_ACC_TERRAFORM_PATH"), "untaint", "-no-color", addr)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?i)has been successfully untainted`).Match(out) {
		t.Fatalf("untaint %s: %v\n%s", addr, err, out)
	}
	t.Logf("%s", out)
}
