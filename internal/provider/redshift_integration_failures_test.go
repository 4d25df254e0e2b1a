package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
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

var wo111 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

// testCase is an acceptance test case with write-only attributes against
// env, which must be left with no integration.
func (e *accEnv) testCase(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.emulatorEmpty,
		Steps:                    steps,
	}
}

// failingStep applies cfg while host's integrations meet outcome.
func (e *accEnv) failingStep(host, cfg string, o emulator.Outcome, expect string) resource.TestStep {
	return resource.TestStep{
		PreConfig:   func() { e.emu.SetOutcome(host, o) },
		Config:      cfg,
		ExpectError: regexp.MustCompile(expect),
	}
}

// recoveredStep clears host's outcome and applies cfg again: the plan takes
// action, and Immuta ends with the integration in status on port.
func (e *accEnv) recoveredStep(host, cfg string, action plancheck.ResourceActionType, status string, port int) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() { e.emu.SetOutcome(host, emulator.Outcome{}) },
		Config:    cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(testResource, action),
		}},
		Check: e.checkRemote(host, status, port),
	}
}

// A creation that ends in createError stays in state, tainted: the next
// apply replaces it (which would meet a 409 if it had been orphaned).
func TestAccRedshiftIntegration_createErrorIsTainted(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("create-error")
	cfg := env.integrationConfig(host, env.database, "")
	recovered := env.recoveredStep(host, cfg, plancheck.ResourceActionDestroyBeforeCreate, "enabled", 5439)
	recovered.ConfigStateChecks = []statecheck.StateCheck{
		statecheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact("enabled")),
	}
	resource.Test(t, env.testCase(
		env.failingStep(host, cfg, emulator.Outcome{CreateError: true, FailedTests: []string{"Validate Automatic: User Grants"}},
			`(?s)did not become enabled.*createError.*Validate Automatic: User Grants.*tainted`),
		recovered,
	))
}

// A creation that outlives its timeout is tracked the same way; the
// replacement's DELETE meets a 409 while the old one is still settling.
func TestAccRedshiftIntegration_createTimeout(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("stuck")
	cfg := env.integrationConfig(host, env.database, `  timeouts = { create = "2s" }`)
	resource.Test(t, env.testCase(
		env.failingStep(host, cfg, emulator.Outcome{Stuck: true}, `(?s)not enabled yet: the create timeout ran out.*"creating".*tainted`),
		env.recoveredStep(host, cfg, plancheck.ResourceActionDestroyBeforeCreate, "enabled", 5439),
	))
}

// editError: Immuta rolled back, so state keeps the old values and the
// next apply proposes the change again. Besides port (which refresh reads
// back anyway), the cases change what refresh cannot read back: the username
// (Immuta answers <REDACTED>) and the write-only password's version. State
// holding the planned values instead would leave the next plan empty.
func TestAccRedshiftIntegration_editErrorRollsBack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(e *accEnv, cfg string) string
		port   int
	}{
		{"port", func(_ *accEnv, cfg string) string {
			return strings.Replace(cfg, "password_wo_version = 1\n", "password_wo_version = 1\n  port = 5441\n", 1)
		}, 5441},
		{"username", func(e *accEnv, cfg string) string {
			return strings.Replace(cfg, fmt.Sprintf("%q", e.username), `"immuta_other_user"`, 1)
		}, 5439},
		{"password_wo_version", func(e *accEnv, cfg string) string {
			cfg = strings.Replace(cfg, fmt.Sprintf("%q", e.password), `"Pa55word-after-edit"`, 1)
			return strings.Replace(cfg, "password_wo_version = 1", "password_wo_version = 2", 1)
		}, 5439},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.needsEmulator(t)
			host := env.host("edit-error")
			cfg := env.integrationConfig(host, env.database, "")
			changed := tc.change(env, cfg)
			if changed == cfg {
				t.Fatal("the case changes nothing")
			}
			recovered := env.recoveredStep(host, changed, plancheck.ResourceActionUpdate, "enabled", tc.port)
			recovered.Check = resource.ComposeAggregateTestCheckFunc(recovered.Check, env.receivedAfterEdit(host, changed))
			resource.Test(t, env.testCase(
				resource.TestStep{Config: cfg},
				env.failingStep(host, changed, emulator.Outcome{EditError: true}, `(?s)editError.*rolled back`),
				recovered,
			))
		})
	}
}

// receivedAfterEdit: the username and password Immuta holds are the ones of
// cfg, which the recovered apply sent.
func (e *accEnv) receivedAfterEdit(host, cfg string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, ok := e.emu.CredentialsReceived(host)
		if !ok {
			return fmt.Errorf("no accepted create or edit for %s", host)
		}
		if !strings.Contains(cfg, fmt.Sprintf("username            = %q", c.Username)) ||
			!strings.Contains(cfg, fmt.Sprintf("password_wo         = %q", c.Password)) {
			return fmt.Errorf("Immuta holds another username or password than the configuration's (username %q)", c.Username)
		}
		return nil
	}
}

// deleteError: the integration is still there, so it stays in state.
func TestAccRedshiftIntegration_deleteErrorKeepsState(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("delete-error")
	cfg := env.integrationConfig(host, env.database, "")
	failedDestroy := env.failingStep(host, cfg, emulator.Outcome{DeleteError: true}, `(?s)was not deleted.*deleteError.*stays in state`)
	failedDestroy.Destroy = true
	resource.Test(t, env.testCase(
		resource.TestStep{Config: cfg},
		failedDestroy,
		// Immuta reports deleteError for a working integration whose deletion failed.
		env.recoveredStep(host, cfg, plancheck.ResourceActionNoop, "deleteError", 5439),
	))
}

// Changes behind Terraform's back: a deletion plans a re-create, a changed
// port plans an update, a disabled integration stays in state and plans a
// replacement.
func TestAccRedshiftIntegration_outOfBand(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("drift")
	cfg := env.integrationConfig(host, env.database, "")
	id := func() string { in, _ := env.remote(host); return in.ID }
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { env.emu.RemoveIntegration(id()) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate),
				}},
				Check: env.checkRemote(host, "enabled", 5439),
			},
			{
				PreConfig: func() { env.emu.ModifyConfig(id(), func(c map[string]any) { c["port"] = 6000 }) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("port"), knownvalue.Int64Exact(5439)),
				}},
				Check: env.checkRemote(host, "enabled", 5439),
			},
			{
				PreConfig:          func() { env.emu.SetStatus(id(), "disabled") },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

// A 409 on create names the existing integration and the import block
// that adopts it; the existing integration is left alone.
func TestAccRedshiftIntegration_alreadyExists(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("taken")
	existing := env.createDirectly(t, host)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if in, ok := env.remote(host); !ok || in.ID != existing {
				return fmt.Errorf("the integration that existed before the test (%s) must be left alone", existing)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: env.integrationConfig(host, env.database, ""),
			ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)already exists.*host\s+%s\s+\(id\s+=\s+%s\).*import\s+block.*id = "%s".*address`,
				regexp.QuoteMeta(host), existing, existing)),
		}},
	})
}

// createDirectly registers an integration with a plain API call, as
// someone outside Terraform would, and returns its id.
func (e *accEnv) createDirectly(t *testing.T, host string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"type": "Redshift", "autoBootstrap": false, "config": map[string]any{
		"host": host, "database": "other", "username": "someone", "password": "x",
	}})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url+"/integrations", bytes.NewReader(body))
	req.Header.Set("Authorization", e.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		ID json.Number `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("create outside Terraform: %d %v", resp.StatusCode, err)
	}
	return out.ID.String()
}

// Statuses that end a create wait without "enabled", set by Immuta while
// the provider waits (an emulator outcome: after one look that saw it
// creating, with no goroutine or sleep): each is an error naming the status, and the
// integration is still tracked: destroy removes it (a disabled one may
// instead be dropped from state by a refresh, as documented).
func TestAccRedshiftIntegration_failureStatusesDuringWait(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"recurringValidationError", "migrateError", "disabled"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.needsEmulator(t)
			host := env.host(status)
			// The create's first look sees it creating, the next one sees status:
			// Immuta changed it while the provider was waiting.
			setWhileWaiting := func() { env.emu.SetOutcome(host, emulator.Outcome{EndStatus: status, AfterLooks: 1}) }
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   wo111,
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy: func(s *terraform.State) error {
					if status != "disabled" {
						return env.emulatorEmpty(s)
					}
					// Deleted by destroy, or dropped from state by a refresh and left disabled.
					if in, ok := env.remote(host); ok && in.Status != "disabled" {
						return fmt.Errorf("integration %s is %s after destroy", in.ID, in.Status)
					}
					return nil
				},
				Steps: []resource.TestStep{{
					PreConfig:   setWhileWaiting,
					Config:      env.integrationConfig(host, env.database, ""),
					ExpectError: regexp.MustCompile(`(?s)did not become enabled.*` + status),
				}},
			})
		})
	}
}

// Answers the provider cannot use never end in a panic through the CLI: a
// truncated answer to the create is resolved by a lookup (the host had no
// integration before, so the one on it is recorded; issue 9), and a status the
// provider does not know is a clear error.
func TestAccRedshiftIntegration_unusableAnswers(t *testing.T) {
	t.Parallel()
	t.Run("truncated create answer", func(t *testing.T) {
		t.Parallel()
		env := newAccEnv(t, emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.FaultTruncated},
			Methods: []string{"POST"}, Paths: []string{"/integrations"}}))
		env.needsEmulator(t)
		host := env.host("truncated")
		resource.Test(t, env.testCase(resource.TestStep{
			Config: env.integrationConfig(host, env.database, ""),
			Check: func(*terraform.State) error {
				if st := env.emu.Stats(); st.Creations != 1 || st.CreatePosts != 1 {
					return fmt.Errorf("%d creations, %d create POSTs, want 1: the create must not be re-sent", st.Creations, st.CreatePosts)
				}
				return nil
			},
		}))
	})
	t.Run("unknown status", func(t *testing.T) {
		t.Parallel()
		env := newAccEnv(t)
		env.needsEmulator(t)
		host := env.host("unknown")
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   wo111,
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.emulatorEmpty,
			Steps: []resource.TestStep{
				{
					PreConfig:   func() { env.emu.SetOutcome(host, emulator.Outcome{EndStatus: "hibernating", AfterLooks: 1}) },
					Config:      env.integrationConfig(host, env.database, ""),
					ExpectError: regexp.MustCompile(`(?s)status\s+"hibernating",\s+which\s+this\s+client\s+does\s+not\s+know`),
				},
				{
					// Back to a known status, the tainted integration is replaced.
					PreConfig: func() {
						if in, ok := env.remote(host); ok {
							env.emu.SetStatus(in.ID, "enabled")
						}
					},
					Config: env.integrationConfig(host, env.database, ""),
					Check:  env.checkRemote(host, "enabled", 5439),
				},
			},
		})
	})
}
