package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// Issue 18, items 2-5, through the real CLI: an answer is believed only when it has
// the shape Immuta gives. A gateway's 404 never ends a deletion or a resource's life
// in state, no redirect turns a write into a read, and a null or {} answer is never
// an outcome.

// believedConfig is one integration whose password is rotated by bumping version.
func (e *accEnv) believedConfig(host, password string, version int) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "test" {
  host                = %q
  database            = "immuta"
  username            = "immuta_system"
  password_wo         = %q
  password_wo_version = %d
}
`, host, password, version)
}

// onlyOnce faults the next request of method (on /integrations/{id}) with kind.
func onlyOnce(kind emulator.Fault, methods ...string) emulator.FaultSettings {
	return emulator.FaultSettings{Policies: []emulator.FaultPolicy{{Rate: 1, Count: 1, Kinds: []emulator.Fault{kind},
		Methods: methods, Paths: []string{"/integrations/{id}"}}}}
}

func (e *accEnv) faulted(kind emulator.Fault, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.emu.Stats().Faults[kind]; got != want {
			return fmt.Errorf("%d %s faults injected, want %d: the test proves nothing", got, kind, want)
		}
		return nil
	}
}

func (e *accEnv) inState(host string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[testResource]
		in, ok := e.remote(host)
		if rs == nil || !ok || rs.Primary.ID != in.ID {
			return fmt.Errorf("state %v, Immuta %+v: want the integration in both, with the same id", rs, in)
		}
		return nil
	}
}

// Item 2: a gateway's HTML 404 on the DELETE is not Immuta's: the DELETE is sent
// again and the integration is deleted; destroy never reports success while it is
// still there.
func TestAccBelieved_gateway404OnDelete(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("g404del")
	cfg := env.believedConfig(host, "Pw-one", 1)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.inState(host)},
			{
				PreConfig: func() { env.emu.ResetStats(); env.emu.SetFaults(onlyOnce(emulator.FaultGateway404, "DELETE")) },
				Config:    cfg, Destroy: true,
				// A destroy step's Check runs after the destroy (CheckDestroy does not:
				// the state is empty by then).
				Check: resource.ComposeTestCheckFunc(env.emulatorEmpty, env.faulted(emulator.FaultGateway404, 1)),
			},
		},
	})
}

// Item 2: a gateway's 404 on one look of the deletion wait is a failed look, not
// "gone": a deletion that then fails (deleteError) is reported, and the integration
// stays in state; once Immuta lets it go, destroy converges.
func TestAccBelieved_gateway404DuringDeletionWait(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithTransition(time.Second))
	env.needsEmulator(t)
	// A gateway in front of the emulator: right after a DELETE is answered, the next
	// request (the wait's first look, by id: one integration) meets a gateway's 404.
	var armed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.emu.Handler().ServeHTTP(w, r)
		if r.Method == http.MethodDelete && armed.CompareAndSwap(true, false) {
			env.emu.SetFaults(emulator.FaultSettings{Sequence: []emulator.Fault{emulator.FaultGateway404}})
		}
	}))
	t.Cleanup(srv.Close)
	env.url = srv.URL
	host := env.host("g404wait")
	cfg := env.believedConfig(host, "Pw-one", 1)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.inState(host)},
			{
				PreConfig: func() {
					env.emu.ResetStats()
					env.emu.SetOutcome(host, emulator.Outcome{DeleteError: true})
					armed.Store(true)
				},
				Config: cfg, Destroy: true,
				ExpectError: regexp.MustCompile(`(?s)was not deleted.*deleteError.*stays in state`),
			},
			{Config: cfg, Check: resource.ComposeTestCheckFunc(env.inState(host), env.faulted(emulator.FaultGateway404, 1))},
			{PreConfig: func() { env.emu.SetOutcome(host, emulator.Outcome{}) }, Config: cfg, Destroy: true, Check: env.emulatorEmpty},
		},
	})
}

// Item 3: a gateway's HTML 404, then an empty 404, on a refresh: the integration
// stays in state, and the plan is empty.
func TestAccBelieved_gateway404OnRefreshKeepsState(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("g404read")
	cfg := env.believedConfig(host, "Pw-one", 1)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.inState(host)},
			{
				// One integration: the refresh reads it by id, so the step's first two
				// requests are that read and its retry.
				PreConfig: func() {
					env.emu.ResetStats()
					env.emu.SetFaults(emulator.FaultSettings{Sequence: []emulator.Fault{emulator.FaultGateway404, emulator.FaultEmpty404}})
				},
				Config: cfg, PlanOnly: true,
			},
			{Config: cfg, Check: resource.ComposeTestCheckFunc(env.inState(host),
				env.faulted(emulator.FaultGateway404, 1), env.faulted(emulator.FaultEmpty404, 1))},
		},
	})
}

// Item 4: a same-origin 301 or 302 on the PUT of a password rotation: the PUT with
// the new password reaches Immuta (never re-sent as a GET and reported complete),
// and a 301 on the DELETE does not end the destroy with "working during its
// deletion".
func TestAccBelieved_sameOriginRedirectKeepsTheMethod(t *testing.T) {
	t.Parallel()
	for _, kind := range []emulator.Fault{emulator.FaultRedirectSame301, emulator.FaultRedirectSame302} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.needsEmulator(t)
			host := env.host("redir")
			rotated := func(s *terraform.State) error {
				c, ok := env.emu.CredentialsReceived(host)
				if !ok || c.Password != "Pw-two" {
					return fmt.Errorf("Immuta holds password %q, want the rotated one", c.Password)
				}
				for _, r := range env.emu.ReceivedFor("PUT /integrations/{id}", host) {
					if r.Accepted() && r.Credentials.Password == "Pw-two" {
						return env.faulted(kind, 1)(s)
					}
				}
				return fmt.Errorf("no PUT with the new password was accepted: %+v", env.emu.ReceivedFor("PUT /integrations/{id}", host))
			}
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   wo111,
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.emulatorEmpty,
				Steps: []resource.TestStep{
					{Config: env.believedConfig(host, "Pw-one", 1), Check: env.inState(host)},
					{
						PreConfig: func() { env.emu.ResetStats(); env.emu.SetFaults(onlyOnce(kind, "PUT")) },
						Config:    env.believedConfig(host, "Pw-two", 2),
						Check:     resource.ComposeTestCheckFunc(env.inState(host), rotated),
					},
					{Config: env.believedConfig(host, "Pw-two", 2), PlanOnly: true},
					{
						PreConfig: func() { env.emu.ResetStats(); env.emu.SetFaults(onlyOnce(emulator.FaultRedirectSame301, "DELETE")) },
						Config:    env.believedConfig(host, "Pw-two", 2), Destroy: true,
						Check: resource.ComposeTestCheckFunc(env.emulatorEmpty, env.faulted(emulator.FaultRedirectSame301, 1)),
					},
				},
			})
		})
	}
}

// Item 5: answers whose body is null, then {}, during the create's wait: looks that
// failed, not an outcome. Nothing is tainted and the next plan is empty.
func TestAccBelieved_nullAnswersDuringCreateWait(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithTransition(time.Second))
	env.needsEmulator(t)
	host := env.host("nullwait")
	cfg := env.believedConfig(host, "Pw-one", 1)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				// One integration: its wait looks by id; the first two looks are spoiled.
				PreConfig: func() {
					env.emu.SetFaults(emulator.FaultSettings{Policies: []emulator.FaultPolicy{{Rate: 1, Count: 2,
						Kinds: []emulator.Fault{emulator.FaultNull200, emulator.FaultEmptyObject200}, Seed: 18,
						Methods: []string{"GET"}, Paths: []string{"/integrations/{id}"}}}})
				},
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(env.inState(host), env.checkRemote(host, "enabled", 5439),
					func(s *terraform.State) error {
						if rs := s.RootModule().Resources[testResource]; rs.Primary.Tainted {
							return fmt.Errorf("tainted")
						}
						if st := env.emu.Stats(); st.Faults[emulator.FaultNull200]+st.Faults[emulator.FaultEmptyObject200] != 2 || st.Creations != 1 {
							return fmt.Errorf("faults %v, %d creations: want 2 spoiled looks and 1 creation", st.Faults, st.Creations)
						}
						return nil
					}),
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}
