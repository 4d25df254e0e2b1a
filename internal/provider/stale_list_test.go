package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// staleListConfig: two integrations whose edits keep the provider's shared
// GET /integrations busy, and a third whose edit starts a second later (after
// terraform_data.gate), while such a list is on its way.
func (e *accEnv) staleListConfig(hosts [3]string, port, gate int) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "busy1" {
  host                = %[1]q
  database            = "immuta"
  port                = %[4]d
  username            = %[6]q
  password_wo         = %[7]q
  password_wo_version = 1
}

resource "immuta_redshift_integration" "busy2" {
  host                = %[2]q
  database            = "immuta"
  port                = %[4]d
  username            = %[6]q
  password_wo         = %[7]q
  password_wo_version = 1
}

resource "terraform_data" "gate" {
  triggers_replace = %[5]d
  provisioner "local-exec" {
    command = "sleep 1"
  }
}

resource "immuta_redshift_integration" "late" {
  host                = %[3]q
  database            = "immuta"
  port                = %[4]d
  username            = %[6]q
  password_wo         = %[7]q
  password_wo_version = 1
  depends_on          = [terraform_data.gate]
}
`, hosts[0], hosts[1], hosts[2], port, gate, e.username, e.password)
}

// A list answer older than a wait is not news about it. Every GET
// /integrations answers a second after it read the store (WithListDelay), so
// when the late integration's edit is accepted, a list that read it as
// "enabled" (before the PUT) is still on its way. Its edit ends in editError:
// believing that list would report the edit done. Lists here run back to back
// (the busy waits' next look is due as soon as a list answers), so one is in
// flight when the late PUT lands.
func TestAccRedshiftIntegration_staleListIsNotNews(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithListDelay(time.Second), emulator.WithTransition(3*time.Second))
	env.needsEmulator(t)
	hosts := [3]string{env.host("stale-busy1"), env.host("stale-busy2"), env.host("stale-late")}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{Config: env.staleListConfig(hosts, 5439, 1)},
			{
				PreConfig:   func() { env.emu.SetOutcome(hosts[2], emulator.Outcome{EditError: true}) },
				Config:      env.staleListConfig(hosts, 5440, 2),
				ExpectError: regexp.MustCompile(`(?s)did not become enabled.*editError.*rolled back`),
			},
		},
	})
}
