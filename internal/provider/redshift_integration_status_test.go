package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// One row per status Immuta documents: an integration Terraform created is set to
// the status in Immuta (the emulator's SetStatus, as an admin would), then refreshed,
// imported, planned, applied and destroyed, as the resource docs' Lifecycle table
// says. The client's status table (internal/client/status.go) decides what the
// provider does; the emulator's own table (internal/emulator/lifecycle.go) decides
// what Immuta accepts; this test fails where the two disagree.
func TestAccRedshiftIntegration_statusTable(t *testing.T) {
	t.Parallel()
	type row struct {
		status string
		// action is what the plan after the refresh does.
		action plancheck.ResourceActionType
		// planOnly: the emulator never ends the status by itself, so the replacement
		// is only planned.
		planOnly bool
		// notImportable: import fails (only for what no longer exists).
		notImportable bool
		// destroyRefused: Immuta refuses DELETE until the status ends by itself; the
		// destroy waits for it and, when its timeout runs out, says so.
		destroyRefused bool
	}
	noop, replace := plancheck.ResourceActionNoop, plancheck.ResourceActionDestroyBeforeCreate
	rows := []row{
		{status: "creating", action: noop, destroyRefused: true},
		{status: "createError", action: replace},
		{status: "enabled", action: noop},
		{status: "editing", action: noop, destroyRefused: true},
		{status: "editError", action: noop},
		{status: "deleting", action: replace, planOnly: true},
		{status: "deleteError", action: noop},
		{status: "deleted", action: plancheck.ResourceActionCreate, notImportable: true},
		{status: "disabled", action: replace},
		{status: "migrating", action: noop, destroyRefused: true},
		{status: "migrateError", action: noop},
		{status: "recurringValidationError", action: noop},
	}
	for _, r := range rows {
		t.Run(r.status, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t, emulator.WithDeletedRetention(time.Minute))
			env.needsEmulator(t)
			host := env.host(r.status)
			cfg := env.integrationConfig(host, env.database, `  timeouts = { delete = "3s" }`)
			var id string
			setStatus := func(status string) func() {
				return func() {
					if in, ok := env.remote(host); ok {
						id = in.ID
					}
					if !env.emu.SetStatus(id, status) {
						t.Errorf("SetStatus(%s, %s): no such integration", id, status)
					}
				}
			}

			importStep := resource.TestStep{
				PreConfig:               setStatus(r.status),
				ResourceName:            testResource,
				ImportState:             true,
				ImportStateVerifyIgnore: []string{"username", "password_wo_version", "timeouts"},
				ImportStateCheck: func(is []*terraform.InstanceState) error {
					if len(is) != 1 || is[0].Attributes["status"] != r.status {
						return fmt.Errorf("imported %v, want one integration in status %s", is, r.status)
					}
					return nil
				},
			}
			if r.notImportable {
				importStep.ImportStateCheck = nil
				importStep.ExpectError = regexp.MustCompile(`(?i)cannot import non-existent remote object`)
			}

			checks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, r.action)}
			if r.action == replace {
				// The plan says why, on the resource: the status forces the replacement.
				checks = append(checks, plancheck.ExpectUnknownValue(testResource, tfjsonpath.New("status")))
			}
			planStep := resource.TestStep{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: checks},
			}
			switch {
			case r.planOnly:
				planStep.PlanOnly, planStep.ExpectNonEmptyPlan = true, true
				// A plan-only step's first plan skips the refresh; the second one reads Immuta.
				planStep.ConfigPlanChecks = resource.ConfigPlanChecks{PostApplyPostRefresh: checks}
			case r.action == noop:
				// State tells the truth: the integration stays, in its status.
				planStep.ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact(r.status)),
				}
				planStep.Check = env.checkRemote(host, r.status, 5439)
			default:
				planStep.Check = env.checkRemote(host, "enabled", 5439)
			}

			steps := []resource.TestStep{{Config: cfg}, importStep, planStep}
			if r.destroyRefused {
				steps = append(steps, resource.TestStep{
					Config:  cfg,
					Destroy: true,
					ExpectError: regexp.MustCompile(fmt.Sprintf(
						`(?s)was not deleted: the delete timeout ran out.*refuses to delete.*until it settles.*%s.*stays in state`, r.status)),
				})
			}
			if r.destroyRefused || r.planOnly {
				// Immuta ends the status; then destroy (the test's last) goes through.
				steps = append(steps, resource.TestStep{PreConfig: setStatus("enabled"), Config: cfg})
			}
			resource.Test(t, env.testCase(steps...))
		})
	}
}
