package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

const (
	dsByID   = "data.immuta_redshift_integration.by_id"
	dsByHost = "data.immuta_redshift_integration.by_host"
)

// dataSourceEnv is an emulator holding the documentation's Snowflake and
// Databricks integrations (ids 1 and 2) and the given Redshift seeds.
func dataSourceEnv(t *testing.T, seeds ...emulator.Seed) *accEnv {
	t.Helper()
	env := newAccEnv(t, emulator.WithForeignIntegrations(), emulator.WithIntegrations(seeds...))
	env.needsEmulator(t)
	return env
}

// seededID is the emulator's id of the Redshift integration on host.
func (e *accEnv) seededID(t *testing.T, host string) string {
	t.Helper()
	in, ok := e.remote(host)
	if !ok {
		t.Fatalf("no seeded integration on %s", host)
	}
	return in.ID
}

// noRequestsBefore is a PreConfig: the previous step, since the previous
// reset, failed before anything was sent to Immuta. It resets the counts for
// the next step.
func (e *accEnv) noRequestsBefore(t *testing.T, previous string) func() {
	return func() {
		if st := e.emu.Stats(); st.Requests != 0 {
			t.Errorf("%s: %d requests were sent (%v); the error must come before any", previous, st.Requests, st.ByRoute)
		}
		e.emu.ResetStats()
	}
}

// The data source reads one integration by id and one by host (written in
// another case than Immuta's), with the resource's readable attributes, and
// nothing of the credentials that Immuta redacts: not in attributes, not in
// any value of the state.
func TestAccRedshiftIntegrationDataSource_read(t *testing.T) {
	t.Parallel()
	plain, ak := seededHost("ds-plain"), seededHost("ds-ak")
	env := dataSourceEnv(t, existing(plain), emulator.Seed{Config: map[string]any{
		"host": ak, "database": "analytics", "port": 5440.0, "authenticationType": "accessKey",
		"databaseUser": "made_in_the_ui_ak", "accessKeyId": "AKIAMADEINTHEUI", "secretKey": "Secret-made-in-the-ui",
		"impersonation": map[string]any{"enabled": true, "role": "imp_role"},
	}})
	plainID, akID := env.seededID(t, plain), env.seededID(t, ak)
	cfg := env.providerBlock() + fmt.Sprintf(`
data "immuta_redshift_integration" "by_id" {
  id = %q
}

data "immuta_redshift_integration" "by_host" {
  host = %q
}
`, plainID, strings.ToUpper(ak))
	check := resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr(dsByID, "id", plainID),
		resource.TestCheckResourceAttr(dsByID, "host", plain),
		resource.TestCheckResourceAttr(dsByID, "database", "immuta"),
		resource.TestCheckResourceAttr(dsByID, "port", "5439"),
		resource.TestCheckResourceAttr(dsByID, "auto_bootstrap", "false"),
		resource.TestCheckResourceAttr(dsByID, "authentication_type", "userPassword"),
		resource.TestCheckResourceAttr(dsByID, "impersonation.enabled", "false"),
		resource.TestCheckResourceAttr(dsByID, "status", "enabled"),
		resource.TestCheckResourceAttr(dsByID, "validation_status", "passed"),
		resource.TestCheckResourceAttrSet(dsByID, "validation_results.0.name"),
		resource.TestCheckResourceAttr(dsByHost, "id", akID),
		resource.TestCheckResourceAttr(dsByHost, "host", strings.ToUpper(ak)), // as written
		resource.TestCheckResourceAttr(dsByHost, "database", "analytics"),
		resource.TestCheckResourceAttr(dsByHost, "port", "5440"),
		resource.TestCheckResourceAttr(dsByHost, "authentication_type", "accessKey"),
		resource.TestCheckResourceAttr(dsByHost, "impersonation.enabled", "true"),
		resource.TestCheckResourceAttr(dsByHost, "impersonation.role", "imp_role"),
		resource.TestCheckResourceAttr(dsByHost, "status", "enabled"),
		noCredentialAttributes(dsByID, dsByHost),
		noSecretInState("made_in_the_ui", "Old-pw-made-in-the-ui", "AKIAMADEINTHEUI", "Secret-made-in-the-ui", "REDACTED", env.token),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []resource.TestStep{{Config: cfg, Check: check}},
	})
}

// noCredentialAttributes: the data sources' state has no attribute of any
// credential, under any name the resource uses.
func noCredentialAttributes(addrs ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, addr := range addrs {
			rs, ok := s.RootModule().Resources[addr]
			if !ok {
				return fmt.Errorf("%s is not in state", addr)
			}
			for k := range rs.Primary.Attributes {
				for _, c := range resourceCredentials {
					if name := c.String(); k == name || strings.HasPrefix(k, name+"_") {
						return fmt.Errorf("%s has the credential attribute %s", addr, k)
					}
				}
			}
		}
		return nil
	}
}

// Each way of getting it wrong is an error that says what is there and names
// the attribute: none or both of id and host (at plan time, before any
// request), an id that Immuta does not have, a host without a Redshift
// integration (one with a Snowflake integration included), the id of a
// Snowflake integration, an id that is not an id.
func TestAccRedshiftIntegrationDataSource_errors(t *testing.T) {
	t.Parallel()
	host := seededHost("ds-errors")
	env := dataSourceEnv(t, existing(host))
	id := env.seededID(t, host)
	block := func(body string) string {
		return env.providerBlock() + "\ndata \"immuta_redshift_integration\" \"x\" {\n" + body + "\n}\n"
	}
	step := func(body, want string, before func()) resource.TestStep {
		return resource.TestStep{PreConfig: before, Config: block(body), ExpectError: regexp.MustCompile(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			step(``, `(?s)Missing Attribute Configuration.*Exactly one of these attributes must be\s+configured:\s+\[id,host\]`,
				env.emu.ResetStats),
			step(fmt.Sprintf("id = %q\nhost = %q", id, host),
				`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be\s+configured:\s+\[id,host\]`,
				env.noRequestsBefore(t, "neither id nor host")),
			step(`id = "1-2"`, `(?s)Invalid integration id.*id must be the id of an Immuta integration`, env.noRequestsBefore(t, "both id and host")),
			step(`host = "https://x.example.com"`, `(?s)Invalid Redshift host.*host must be a bare host name`,
				env.noRequestsBefore(t, "an id that is not an id")),
			step(`id = "999999"`, `(?s)No integration with id 999999.*Immuta has no integration with id 999999.*Check id`,
				env.noRequestsBefore(t, "a host with a scheme")),
			step(`id = "1"`, `(?s)Not a Redshift integration.*integration 1 is a Snowflake integration.*Check id`, nil),
			step(`host = "nothing-here.example.com"`,
				`(?s)No Redshift integration on host nothing-here.example.com.*Check\s+host`, nil),
			step(`host = "organization.us-east-1.snowflakecomputing.com"`,
				`(?s)No Redshift integration on host organization.us-east-1.snowflakecomputing.com.*other types do\s+not\s+count`, nil),
		},
	})
}

// An integration that Immuta reports deleted (kept for a while before its
// 404) is not there either.
func TestAccRedshiftIntegrationDataSource_deleted(t *testing.T) {
	t.Parallel()
	host := seededHost("ds-deleted")
	env := newAccEnv(t, emulator.WithDeletedRetention(time.Minute), emulator.WithIntegrations(existing(host)))
	env.needsEmulator(t)
	id := env.seededID(t, host)
	if !env.emu.SetStatus(id, "deleted") {
		t.Fatalf("SetStatus(%s, deleted) failed", id)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      env.providerBlock() + fmt.Sprintf("data \"immuta_redshift_integration\" \"x\" {\n  id = %q\n}\n", id),
				ExpectError: regexp.MustCompile(`No integration with id ` + id),
			},
			{
				Config:      env.providerBlock() + fmt.Sprintf("data \"immuta_redshift_integration\" \"x\" {\n  host = %q\n}\n", host),
				ExpectError: regexp.MustCompile(`No Redshift integration on host`),
			},
		},
	})
}

// The data sources of a plan share their reads, as the resource's refreshes
// do (client/refresh.go): five integrations read by id in one plan cost
// fewer requests than one per data source. The plan is the CLI's own, so
// that the reads come as Terraform sends them.
func TestAccRedshiftIntegrationDataSource_sharedReads(t *testing.T) {
	t.Parallel()
	const n = 5
	var seeds []emulator.Seed
	var hosts []string
	for i := range n {
		h := seededHost(fmt.Sprintf("ds-shared-%d", i))
		hosts = append(hosts, h)
		seeds = append(seeds, existing(h))
	}
	env := dataSourceEnv(t, seeds...)
	w := newCLIWorkdir(t)
	var cfg strings.Builder
	cfg.WriteString(requiredProviders() + env.providerBlock())
	for i, h := range hosts {
		fmt.Fprintf(&cfg, "\ndata \"immuta_redshift_integration\" \"r%d\" {\n  id = %q\n}\n\noutput \"db%d\" {\n  value = data.immuta_redshift_integration.r%d.database\n}\n",
			i, env.seededID(t, h), i, i)
	}
	w.write("main.tf", cfg.String())
	w.mustRun(0, "init")
	env.emu.ResetStats()
	out := w.mustRun(0, "plan")
	st := env.emu.Stats()
	t.Logf("%d data sources, %d requests: %v", n, st.Requests, st.ByRoute)
	if st.Requests >= n {
		t.Errorf("a plan of %d data sources sent %d requests (%v): its reads are not shared", n, st.Requests, st.ByRoute)
	}
	if st.ByRoute["GET /integrations"] == 0 {
		t.Errorf("no GET /integrations: the reads did not go through the shared list (%v)", st.ByRoute)
	}
	if got := len(regexp.MustCompile(`db\d\s+=\s+"immuta"`).FindAllString(out, -1)); got != n {
		t.Errorf("the plan does not show the %d databases:\n%s", n, out)
	}
}
