package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// After an import of an integration Immuta bootstrapped itself, the state holds no
// credentials: destroy says what to do before it sends a DELETE that Immuta would
// refuse with its raw 400; after an apply (which sends and stores them) it works.
func TestAccRedshiftIntegration_importedAutoBootstrapDestroy(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("imported-auto")
	id, cfg := madeWithAutoBootstrap(t, env, host)
	deletes := func() int { return env.emu.Stats().ByRoute["DELETE /integrations/{id}"] }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			importIntoState(cfg, id),
			{
				Config:      cfg,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)cannot be deleted without its privileged credentials.*auto_bootstrap.*username\s+or\s+password.*apply\s+first.*Nothing\s+was\s+sent`),
				Check: func(*terraform.State) error {
					if n := deletes(); n != 0 {
						return fmt.Errorf("%d DELETE requests were sent", n)
					}
					return nil
				},
			},
			{
				// apply sends the credentials and keeps them in state; destroy then works.
				PreConfig: func() {
					if n := deletes(); n != 0 {
						t.Errorf("%d DELETE requests were sent before the credentials were in state", n)
					}
				},
				Config: cfg,
			},
		},
	})
}

// An imported auto_bootstrap integration that is disabled must be replaced, but Immuta
// refuses both its edit (disabled) and its deletion without credentials, which the
// state lacks: the first apply only stores them, the second replaces it. No dead end.
func TestAccRedshiftIntegration_importedAutoBootstrapDisabled(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("imported-auto-disabled")
	id, cfg := madeWithAutoBootstrap(t, env, host)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			importIntoState(cfg, id),
			{
				PreConfig: func() { env.emu.SetStatus(id, "disabled") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("status"), knownvalue.StringExact("disabled")),
				}},
				// The next plan is the replacement.
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if n := env.emu.Stats().ByRoute["PUT /integrations/{id}"]; n != 0 {
						return fmt.Errorf("%d PUT requests: Immuta refuses edits of a disabled integration", n)
					}
					return nil
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: env.checkRemote(host, "enabled", 5439),
			},
		},
	})
}

// Failures that retrying cannot fix end quickly, name the Immuta endpoint (not the
// Redshift host) and say what to set.
func TestAccProvider_permanentFailures(t *testing.T) {
	t.Parallel()
	if realTenant() {
		t.Skip("steers the endpoint and the token")
	}
	emu := emulator.New(emulator.WithAPIKey("good-key"), emulator.WithUnprivilegedKey("reader-key"))
	t.Cleanup(emu.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	_ = ln.Close()
	cfg := func(url, token string) string {
		return fmt.Sprintf(`
provider "immuta" {
  host      = %q
  api_token = %q
}

resource "immuta_redshift_integration" "test" {
  host     = "permanent.redshift.example.internal"
  database = "immuta"
  username = "u"
  password = "p"
}
`, url, token)
	}
	var began time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      cfg(emu.URL, "wrong-key"),
				ExpectError: regexp.MustCompile(`(?s)Immuta refuses the API token.*answered 401.*api_token.*IMMUTA_API_TOKEN.*APPLICATION_ADMIN`),
			},
			{
				Config:      cfg(emu.URL, "reader-key"),
				ExpectError: regexp.MustCompile(`(?s)lacks the APPLICATION_ADMIN permission.*answered 403.*api_token.*IMMUTA_API_TOKEN`),
			},
			{
				PreConfig:   func() { began = time.Now() },
				Config:      cfg(refused, "good-key"),
				ExpectError: regexp.MustCompile(`(?s)Immuta at ` + regexp.QuoteMeta(refused) + ` refused the connection.*IMMUTA_HOST`),
			},
			{
				// Before, connection refused took 31.7 s of retries; now a few quick
				// attempts. The bound is generous for a loaded machine.
				PreConfig: func() {
					if d := time.Since(began); d > 20*time.Second {
						t.Errorf("connection refused took %v to fail", d)
					}
				},
				Config:   cfg(emu.URL, "good-key"),
				PlanOnly: true, ExpectNonEmptyPlan: true,
			},
		},
	})
}

// madeWithAutoBootstrap makes an integration that Immuta bootstraps itself on host,
// through the API as someone would in Immuta's UI, and returns its id and a
// configuration of it with its credentials, for an import step (which writes its
// own working directory, so the configuration names the provider's source).
func madeWithAutoBootstrap(t *testing.T, env *accEnv, host string) (id, cfg string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"type": "Redshift", "autoBootstrap": true, "config": map[string]any{
		"host": host, "database": "immuta", "username": env.username, "password": env.password,
	}})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, env.url+"/integrations", bytes.NewReader(body))
	req.Header.Set("Authorization", env.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.ID == "" {
		t.Fatalf("POST /integrations: %s, id %q, %v", resp.Status, out.ID, err)
	}
	return out.ID, terraformBlock(env) + fmt.Sprintf(`
resource "immuta_redshift_integration" "test" {
  host           = %q
  database       = "immuta"
  auto_bootstrap = true
  username       = %q
  password       = %q
}
`, host, env.username, env.password)
}

// importIntoState is the step that imports integration id into testResource and
// keeps it in state for the steps after, once Immuta has enabled it.
func importIntoState(cfg, id string) resource.TestStep {
	return resource.TestStep{
		PreConfig:          func() { time.Sleep(2 * accTransition) }, // let it be enabled
		Config:             cfg,
		ResourceName:       testResource,
		ImportState:        true,
		ImportStateId:      id,
		ImportStatePersist: true,
	}
}
