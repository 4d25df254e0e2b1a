package provider

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// Issue 9, part A, through the real CLI: answers spoiled by gateways on the way back
// are never believed, and no request leaves the configured origin.

const hostileCount = 4

func (e *accEnv) hostileConfig(label string, port int, extra string) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "net" {
  count       = %d
  host        = "%s-${count.index}.redshift.example.internal"
  database    = "immuta"
  port        = %d
  username    = "immuta_system"
  password_wo = "hostile-password"
%s
}
`, hostileCount, label, port, extra)
}

// stateIsImmuta checks that state's ids are exactly the ids Immuta holds for the
// configuration's hosts, and that the integrations of others (the emulator's foreign
// ones) are untouched.
func (e *accEnv) stateIsImmuta(label string, foreign []string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		byHost := map[string]string{}
		for _, in := range e.emu.Integrations() {
			if h, _ := in.Config["host"].(string); in.Type == "Redshift" && in.Status != "deleted" {
				byHost[h] = in.ID
			}
		}
		for i := range hostileCount {
			host := fmt.Sprintf("%s-%d.redshift.example.internal", label, i)
			rs := s.RootModule().Resources[fmt.Sprintf("immuta_redshift_integration.net.%d", i)]
			if rs == nil {
				return fmt.Errorf("no state for %s", host)
			}
			if rs.Primary.ID != byHost[host] {
				return fmt.Errorf("state holds id %q for %s, Immuta holds %q", rs.Primary.ID, host, byHost[host])
			}
		}
		var ids []string
		for _, in := range e.emu.Integrations() {
			ids = append(ids, in.ID)
		}
		for _, id := range foreign {
			if !slices.Contains(ids, id) {
				return fmt.Errorf("someone else's integration %s is gone", id)
			}
		}
		return nil
	}
}

// Defect 1: answers carrying another integration's id (the emulator's Snowflake and
// Databricks integrations, someone else's) on GET, PUT and DELETE by id: state keeps
// Immuta's id, the update goes to ours, destroy deletes ours only. Deterministic
// (issue 18): one integration, so that its refresh reads it by id, and faults at fixed
// places: the create wait's first two looks, the refresh's read and its retry (the
// first two requests of step 2), the PUT and the DELETE. With the id check removed
// (checkID returning nil), step 2's refresh puts someone else's id in state.
func TestAccHostile_wrongIDNeverReachesState(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithForeignIntegrations())
	env.needsEmulator(t)
	foreign := []string{"1", "2"}
	host := env.host("wrongid")
	cfg := func(port int) string {
		return env.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "test" {
  host        = %q
  database    = "immuta"
  port        = %d
  username    = "immuta_system"
  password_wo = "hostile-password"
}
`, host, port)
	}
	wrongOn := func(method, route string, count int) emulator.FaultPolicy {
		return emulator.FaultPolicy{Rate: 1, Count: count, Kinds: []emulator.Fault{emulator.FaultWrongID},
			Methods: []string{method}, Paths: []string{route}}
	}
	writes := []emulator.FaultPolicy{wrongOn("PUT", "/integrations/{id}", 1), wrongOn("DELETE", "/integrations/{id}", 1)}
	ours := func(s *terraform.State) error {
		rs := s.RootModule().Resources[testResource]
		in, ok := env.remote(host)
		if rs == nil || !ok || rs.Primary.ID != in.ID {
			return fmt.Errorf("state holds %v for %s, Immuta holds %+v", rs, host, in.ID)
		}
		for _, id := range foreign {
			if rs.Primary.ID == id {
				return fmt.Errorf("state holds someone else's integration %s", id)
			}
		}
		return nil
	}
	faults := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := env.emu.Stats().Faults[emulator.FaultWrongID]; got != want {
				return fmt.Errorf("%d wrong ids answered, want %d: the test proves less than it says", got, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.emu.SetFaults(emulator.FaultSettings{Policies: []emulator.FaultPolicy{wrongOn("GET", "/integrations/{id}", 2)}})
				},
				Config: cfg(5439),
				Check:  ours, // the wait's two wrong answers are counted with step 2's
			},
			{
				PreConfig: func() {
					if n := env.emu.Stats().Faults[emulator.FaultWrongID]; n != 2 {
						t.Errorf("the create wait met %d wrong ids, want 2", n)
					}
					env.emu.ResetStats()
					env.emu.SetFaults(emulator.FaultSettings{Sequence: []emulator.Fault{emulator.FaultWrongID, emulator.FaultWrongID}, Policies: writes[:1]})
				},
				Config: cfg(5440),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(ours, env.checkRemote(host, "enabled", 5440), faults(3)),
			},
			{
				PreConfig: func() {
					env.emu.ResetStats()
					env.emu.SetFaults(emulator.FaultSettings{Policies: writes[1:]})
				},
				Config: cfg(5440), Destroy: true,
				Check: resource.ComposeTestCheckFunc(env.emulatorEmpty, faults(1), func(*terraform.State) error {
					if n := len(env.emu.Integrations()); n != len(foreign) {
						return fmt.Errorf("%d integrations left, want someone else's %d", n, len(foreign))
					}
					return nil
				}),
			},
		},
	})
}

// Defect 4: on every read, half the answers are spoiled on the way back: cut short, a
// proxy's HTML page with 200, 500/502/504 pages before or after the server acted, a
// reset. Every integration is created healthy (none tainted), exactly once, and the
// next plan is empty.
func TestAccHostile_spoiledReadsTaintNothing(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithFaults(emulator.FaultPolicy{
		Rate: 0.5, Seed: 4, Methods: []string{"GET"},
		Kinds: []emulator.Fault{emulator.FaultTruncated, emulator.FaultHTML200, emulator.Fault500, emulator.Fault502,
			emulator.Fault504, emulator.FaultActed500, emulator.FaultActed502, emulator.FaultActed504, emulator.FaultReset},
	}),
		// Shared looks and refreshes send few GETs: the first reads are spoiled for sure,
		// whatever the rate above draws.
		emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 3, Seed: 4, Methods: []string{"GET"},
			Kinds: []emulator.Fault{emulator.FaultTruncated, emulator.FaultHTML200}}))
	env.needsEmulator(t)
	cfg := env.hostileConfig("spoiled", 5439, "")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.emulatorEmpty(s); err != nil {
				return err
			}
			st := env.emu.Stats()
			if st.Creations != hostileCount || st.CreatePosts != hostileCount {
				return fmt.Errorf("%d creations from %d create POSTs for %d integrations: a healthy one was replaced", st.Creations, st.CreatePosts, hostileCount)
			}
			if st.Faults[emulator.FaultTruncated]+st.Faults[emulator.FaultHTML200] < 3 {
				return fmt.Errorf("faults %v: too few spoiled answers, the test proves little", st.Faults)
			}
			t.Logf("faults on reads: %v", st.Faults)
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg, Check: env.stateIsImmuta("spoiled", nil)},
			{Config: cfg, PlanOnly: true},
			{Config: env.hostileConfig("spoiled", 5440, ""), Check: env.stateIsImmuta("spoiled", nil)},
			{Config: env.hostileConfig("spoiled", 5440, ""), PlanOnly: true},
		},
	})
}

// Defect 2: redirects of every kind to another origin, on the create POST and on
// reads: nothing reaches the other origin, no create counts as maybe-sent, state
// holds Immuta's ids.
func TestAccHostile_redirectsStayHome(t *testing.T) {
	t.Parallel()
	redirects := []emulator.Fault{emulator.FaultRedirect301, emulator.FaultRedirect302, emulator.FaultRedirect307, emulator.FaultRedirect308}
	env := newAccEnv(t,
		emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 4, Kinds: redirects, Seed: 2, Methods: []string{"POST"}, Paths: []string{"/integrations"}}),
		emulator.WithFaults(emulator.FaultPolicy{Rate: 0.3, Seed: 3, Kinds: append(redirects, emulator.FaultRedirectSame)}))
	env.needsEmulator(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.emulatorEmpty(s); err != nil {
				return err
			}
			st := env.emu.Stats()
			if strays := env.emu.OtherOrigin(); len(strays) != 0 || st.OtherOrigin != 0 {
				return fmt.Errorf("%d requests reached the other origin, e.g. %s %s", len(strays), strays[0].Method, strays[0].Path)
			}
			if st.Creations != hostileCount {
				return fmt.Errorf("%d creations for %d integrations", st.Creations, hostileCount)
			}
			n := 0
			for _, k := range redirects {
				n += st.Faults[k]
			}
			if n < 4 {
				return fmt.Errorf("only %d redirects elsewhere: the test proves too little", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: env.hostileConfig("redirect", 5439, ""), Check: env.stateIsImmuta("redirect", nil)},
			{Config: env.hostileConfig("redirect", 5440, ""), Check: env.stateIsImmuta("redirect", nil)},
		},
	})
}

// Defect 7: a GET /integrations that hangs never holds the waits: each looks by id
// at its own next look, and the creations finish well within their timeout, which
// is far shorter than the list's hang.
func TestAccHostile_hungListHoldsNoWait(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t,
		emulator.WithTransition(time.Second),
		emulator.WithHangLimit(5*time.Minute),
		emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Kinds: []emulator.Fault{emulator.FaultHang}, Methods: []string{"GET"}, Paths: []string{"/integrations"}}))
	env.needsEmulator(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.emulatorEmpty,
		Steps: []resource.TestStep{{
			Config: env.hostileConfig("hung", 5439, `  timeouts = { create = "40s" }`),
			Check: func(*terraform.State) error {
				if st := env.emu.Stats(); st.ByRoute["GET /integrations/{id}"] == 0 {
					return fmt.Errorf("no wait looked by id: %v", st.ByRoute)
				}
				return nil
			},
		}},
	})
}
