package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// putDirectly sends an update with a plain API call, as an apply that was then
// killed did, and leaves the integration editing.
func (e *accEnv) putDirectly(t *testing.T, id, host string, port int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"type": "Redshift", "autoBootstrap": false, "config": map[string]any{
		"host": host, "database": e.database, "port": port, "username": e.username, "password": e.password,
		"authenticationType": "userPassword", "impersonation": map[string]any{"enabled": false},
	}})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, e.url+"/integrations/"+id, bytes.NewReader(body))
	req.Header.Set("Authorization", e.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("update outside Terraform: %d", resp.StatusCode)
	}
}

// Defect 8 of issue 9: an update was sent and the apply killed; the edit is still in
// progress when the next plan refreshes, and will end in editError (Immuta rolls
// back). The refresh waits for it to settle, so the plan proposes the update again
// instead of "No changes".
func TestAccRedshiftIntegration_refreshWaitsForInterruptedEdit(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithTransition(1500*time.Millisecond))
	env.needsEmulator(t)
	host := env.host("interrupted")
	var id string
	resource.Test(t, env.testCase(
		resource.TestStep{
			Config: env.integrationConfig(host, env.database, ""),
			Check:  resource.TestCheckResourceAttrWith(testResource, "id", func(v string) error { id = v; return nil }),
		},
		resource.TestStep{
			PreConfig: func() {
				env.emu.SetOutcome(host, emulator.Outcome{EditError: true})
				env.putDirectly(t, id, host, 5440)
				env.emu.SetOutcome(host, emulator.Outcome{})
			},
			Config: env.integrationConfig(host, env.database, "port = 5440"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
			}},
			Check: env.checkRemote(host, "enabled", 5440),
		},
	))
}

// Defect 3 of issue 9: deletions that end in deleteError, which the list leaves out
// (as some gateways and tenants do), are not "Destruction complete": destroy fails
// with Immuta's status, the integrations stay in state and in Immuta, and a later
// destroy removes them.
func TestAccRedshiftIntegration_deleteErrorMissingFromListStays(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t,
		emulator.WithTransition(400*time.Millisecond),
		emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Kinds: []emulator.Fault{emulator.FaultOmit}, Methods: []string{"GET"}, Paths: []string{"/integrations"}}),
		emulator.WithOmission(emulator.Omission{Statuses: []string{"deleteError"}}))
	env.needsEmulator(t)
	hosts := []string{env.host("de-a"), env.host("de-b"), env.host("de-c")}
	cfg := env.providerBlock()
	for i, h := range hosts {
		cfg += fmt.Sprintf(`
resource "immuta_redshift_integration" "d%d" {
  host        = %q
  database    = "immuta"
  username    = "immuta_system"
  password_wo = "pw"
}
`, i, h)
	}
	resource.Test(t, env.testCase(
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				for _, h := range hosts {
					env.emu.SetOutcome(h, emulator.Outcome{DeleteError: true})
				}
			},
			Config:      cfg,
			Destroy:     true,
			ExpectError: regexp.MustCompile(`(?s)was not deleted.*deleteError.*stays in state`),
		},
		resource.TestStep{
			PreConfig: func() {
				for _, h := range hosts {
					if in, ok := env.remote(h); !ok || in.Status != "deleteError" {
						t.Errorf("host %s: %+v, want an integration in deleteError", h, in)
					}
					env.emu.SetOutcome(h, emulator.Outcome{})
				}
			},
			Config:   cfg,
			PlanOnly: true, // all three are still in state: nothing to do
		},
	))
}

// Defect 5 of issue 9 through the CLI: every create POST is carried out by Immuta
// and its answer spoiled (lost, a gateway's 500/502/503/504 page after acting,
// truncated, HTML 200): the apply succeeds, state holds
// Immuta's id, exactly one creation and no create POST re-sent without a lookup.
func TestAccRedshiftIntegration_createOutcomeResolved(t *testing.T) {
	t.Parallel()
	for _, f := range []emulator.Fault{emulator.FaultLostAnswer, emulator.FaultActed500, emulator.FaultActed502,
		emulator.FaultActed503, emulator.FaultActed504, emulator.FaultTruncated, emulator.FaultHTML200} {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t, emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{f},
				Methods: []string{"POST"}, Paths: []string{"/integrations"}}))
			env.needsEmulator(t)
			host := env.host("outcome")
			resource.Test(t, env.testCase(resource.TestStep{
				Config: env.integrationConfig(host, env.database, ""),
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						in, ok := env.remote(host)
						if !ok {
							return fmt.Errorf("nothing on host %s", host)
						}
						if got := s.RootModule().Resources[testResource].Primary.ID; got != in.ID {
							return fmt.Errorf("state id %s, Immuta's %s", got, in.ID)
						}
						st := env.emu.Stats()
						if st.Creations != 1 || st.Faults[f] != 1 {
							return fmt.Errorf("%d creations, faults %v", st.Creations, st.Faults)
						}
						// A re-sent POST only after a lookup found nothing: here the
						// lookup finds it. A gateway's 503 page proves nothing, so it
						// is looked up too, not re-sent (api/create_evidence.go).
						if st.CreatePosts != 1 {
							return fmt.Errorf("%d create POSTs reached Immuta", st.CreatePosts)
						}
						return nil
					},
					env.checkRemote(host, "enabled", 5439),
				),
			}))
		})
	}
}

// The acceptance tests' emulator settles in seconds, and some tests leave an
// integration creating or editing on purpose: a refresh waits 3 s for it, not 5 min.
func init() { readWait = 3 * time.Second }
