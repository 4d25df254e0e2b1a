package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// mixedCase spells a name in alternating case: the same DNS name, or the same
// Redshift identifier once folded.
func mixedCase(s string) string {
	b := []byte(s)
	for i := range b {
		if i%2 == 0 {
			b[i] = strings.ToUpper(string(b[i]))[0]
		}
	}
	return string(b)
}

// Issue 18, defect 8, through the real CLI: with host = "A6.Example.COM" and
// Immuta answering the host (and the database and impersonation role) in lower
// case, every plan showed ~ host "a6.example.com" -> "A6.Example.COM" and every
// apply sent a PUT. Now the plan after the apply is empty (resource.Test checks
// it, and the PlanOnly step again after a refresh), state keeps the spelling the
// user wrote, and no PUT is ever sent.
func TestAccRedshiftIntegration_namesCompareAsImmutaDoes(t *testing.T) {
	env := newAccEnv(t, emulator.WithNameNormalisation())
	env.needsEmulator(t)
	host := env.host("spelling")
	wrote, database, role := mixedCase(host), "Immuta_Case_DB", "Imp_Role"
	cfg := env.integrationConfig(wrote, database, fmt.Sprintf("  impersonation = { enabled = true, role = %q }", role))
	noPUT := func(*terraform.State) error {
		for _, r := range env.emu.Received() {
			if r.Method == "PUT" {
				return fmt.Errorf("a PUT was sent to %s: a difference of spelling only sent an update", r.Path)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					// Immuta holds its own spelling: the test would prove nothing otherwise.
					func(*terraform.State) error {
						in, ok := env.remote(host)
						if !ok {
							return fmt.Errorf("Immuta has no integration on %s (lower case)", host)
						}
						imp, _ := in.Config["impersonation"].(map[string]any)
						if in.Config["database"] != strings.ToLower(database) || imp["role"] != strings.ToLower(role) {
							return fmt.Errorf("the emulator did not normalise: %v", in.Config)
						}
						return nil
					},
					resource.TestCheckResourceAttr("immuta_redshift_integration.test", "host", wrote),
					resource.TestCheckResourceAttr("immuta_redshift_integration.test", "database", database),
					resource.TestCheckResourceAttr("immuta_redshift_integration.test", "impersonation.role", role),
				),
			},
			// A refresh reads Immuta's spelling; the plan shows no changes and
			// state keeps the user's.
			{Config: cfg, PlanOnly: true},
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("immuta_redshift_integration.test", "host", wrote),
					resource.TestCheckResourceAttr("immuta_redshift_integration.test", "database", database),
					noPUT,
				),
			},
			// The user changes the spelling only: nothing is sent, state takes it.
			{
				Config: env.integrationConfig(strings.ToLower(host), strings.ToLower(database), fmt.Sprintf("  impersonation = { enabled = true, role = %q }", role)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("immuta_redshift_integration.test", "host", strings.ToLower(host)),
					noPUT,
				),
			},
		},
	})
}

// The comparisons themselves: DNS names without case or trailing dot, Redshift
// identifiers without case; anything else is a real difference.
func TestNamesCompareAsImmutaDoes(t *testing.T) {
	for _, tc := range []struct {
		a, b       string
		host, name bool
	}{
		{"A6.Example.COM", "a6.example.com", true, true},
		{"a6.example.com.", "A6.EXAMPLE.COM", true, false},
		{"a6.example.com", "a7.example.com", false, false},
		{"Immuta_DB", "immuta_db", true, true},
		{"immuta", "immuta2", false, false},
	} {
		if got := sameHost(tc.a, tc.b); got != tc.host {
			t.Errorf("sameHost(%q, %q) = %v", tc.a, tc.b, got)
		}
		if got := sameIdentifier(tc.a, tc.b); got != tc.name {
			t.Errorf("sameIdentifier(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
