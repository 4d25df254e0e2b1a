package provider

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// terraform query and list resources: Terraform >= 1.14 (OpenTofu has none yet).
var query114 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// tenant is what a tenant holds before the query: 2 integrations of the
// documentation's example plus 28 seeded ones, Redshift and other types,
// some disabled or failing. Other types use Redshift-like hosts, so that
// only the type can tell them apart.
type tenant struct {
	seeds    []emulator.Seed
	redshift []seeded // the Redshift seeds, with the ids the emulator gives them
}

type seeded struct{ id, host, status string }

func newTenant() tenant {
	var tn tenant
	statuses := []string{
		"enabled", "enabled", "enabled", "createError", "enabled", "disabled", "enabled", "recurringValidationError",
		"enabled", "editError", "enabled", "enabled", "disabled", "enabled", "migrateError", "enabled",
		"enabled", "creating", "enabled", "enabled",
	}
	id := 3 // after the 2 foreign integrations
	for i, st := range statuses {
		region := []string{"eu-west-1", "us-east-1"}[i%2]
		host := fmt.Sprintf("wh%02d.abc123.%s.redshift.amazonaws.com", i, region)
		tn.seeds = append(tn.seeds, emulator.Seed{Status: st, Config: map[string]any{
			"host": host, "database": "immuta", "port": 5439 + i%3, "username": "sys", "password": "pw-" + host,
		}})
		tn.redshift = append(tn.redshift, seeded{fmt.Sprint(id), host, st})
		id++
	}
	for i := range 8 {
		typ := []string{"Snowflake", "Databricks", "Snowflake", "PostgreSQL"}[i%4]
		tn.seeds = append(tn.seeds, emulator.Seed{Type: typ, Status: []string{"enabled", "disabled"}[i%2], Config: map[string]any{
			"host": fmt.Sprintf("other%02d.abc123.eu-west-1.redshift.amazonaws.com", i),
		}})
	}
	return tn
}

// where are the Redshift seeds that keep says yes to.
func (tn tenant) where(keep func(s seeded) bool) []seeded {
	return slices.DeleteFunc(slices.Clone(tn.redshift), func(s seeded) bool { return !keep(s) })
}

// exactly checks that list.immuta_redshift_integration.<name> found want
// and nothing else: as many results, each identity among them, each named
// by its host.
func exactly(name string, want []seeded) []querycheck.QueryResultCheck {
	addr := "immuta_redshift_integration." + name
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength(addr, len(want))}
	for _, s := range want {
		identity := map[string]knownvalue.Check{"id": knownvalue.StringExact(s.id)}
		checks = append(checks,
			querycheck.ExpectIdentity(addr, identity),
			querycheck.ExpectResourceDisplayName(addr, queryfilter.ByResourceIdentity(identity), knownvalue.StringExact(s.host)))
	}
	return checks
}

func listBlock(name, config string) string {
	return fmt.Sprintf("list \"immuta_redshift_integration\" %q {\n  provider = immuta\n%s}\n", name, config)
}

func TestAccRedshiftIntegrationList_query(t *testing.T) {
	t.Parallel()
	tn := newTenant()
	env := newAccEnv(t, emulator.WithForeignIntegrations(), emulator.WithIntegrations(tn.seeds...))
	env.needsEmulator(t)
	if n := len(env.emu.Integrations()); n != 30 {
		t.Fatalf("the emulator holds %d integrations, want 30", n)
	}
	inUse := tn.where(func(s seeded) bool { return s.status != "disabled" })
	euWest := tn.where(func(s seeded) bool { return s.status != "disabled" && strings.Contains(s.host, ".eu-west-1.") })
	failing := tn.where(func(s seeded) bool { return s.status == "createError" || s.status == "recurringValidationError" })
	disabled := tn.where(func(s seeded) bool { return s.status == "disabled" })
	one := tn.redshift[4]
	wh1x := tn.where(func(s seeded) bool { ok, _ := path.Match("wh1?.*", s.host); return ok && s.status != "disabled" })

	checks := exactly("all", inUse)
	checks = append(checks, exactly("eu_west", euWest)...)
	checks = append(checks, exactly("failing", failing)...)
	checks = append(checks, exactly("disabled", disabled)...)
	checks = append(checks, exactly("one", []seeded{one})...)
	checks = append(checks, exactly("wh1x", wh1x)...)
	checks = append(checks, exactly("nothing", nil)...)
	checks = append(checks, querycheck.ExpectResourceKnownValues("immuta_redshift_integration.full",
		queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(one.id)}),
		[]querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(one.id)},
			{Path: tfjsonpath.New("host"), KnownValue: knownvalue.StringExact(one.host)},
			{Path: tfjsonpath.New("port"), KnownValue: knownvalue.Int64Exact(5440)},
			{Path: tfjsonpath.New("database"), KnownValue: knownvalue.StringExact("immuta")},
			{Path: tfjsonpath.New("authentication_type"), KnownValue: knownvalue.StringExact("userPassword")},
			{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("enabled")},
			{Path: tfjsonpath.New("username"), KnownValue: knownvalue.Null()},
			{Path: tfjsonpath.New("password"), KnownValue: knownvalue.Null()},
			{Path: tfjsonpath.New("timeouts"), KnownValue: knownvalue.Null()},
		}))

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   query114,
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: env.providerBlock()}, // the configuration a query runs beside
			{
				Query: true,
				// The provider block is in the configuration of step 1.
				Config: listBlock("all", "") +
					listBlock("eu_west", "  config {\n    host_pattern = \"*.EU-WEST-1.redshift.amazonaws.com\"\n  }\n") +
					listBlock("failing", "  config {\n    statuses = [\"createError\", \"recurringValidationError\"]\n  }\n") +
					listBlock("disabled", "  config {\n    statuses = [\"disabled\"]\n  }\n") +
					listBlock("one", fmt.Sprintf("  config {\n    host = %q\n  }\n", strings.ToUpper(one.host))) +
					listBlock("wh1x", "  config {\n    host_pattern = \"wh1?.*\"\n  }\n") +
					listBlock("nothing", "  config {\n    host = \"other00.abc123.eu-west-1.redshift.amazonaws.com\"\n  }\n") +
					listBlock("full", fmt.Sprintf("  include_resource = true\n  config {\n    host = %q\n  }\n", one.host)),
				QueryResultChecks: checks,
			},
			{
				Query:       true,
				Config:      listBlock("bad", "  config {\n    host_pattern = \"[a-\"\n  }\n"),
				ExpectError: regexp.MustCompile(`(?s)Invalid host pattern.*not a valid glob`),
			},
			{
				Query:       true,
				Config:      listBlock("bad", "  config {\n    statuses = [\"enabeld\"]\n  }\n"),
				ExpectError: regexp.MustCompile(`(?s)statuses.*enabeld`),
			},
		},
	})
}
