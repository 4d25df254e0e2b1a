package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/client"
	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// The plan's warnings, through the real CLI: terraform-plugin-testing cannot see
// warnings, so this test runs `plan` itself and reads what the user reads. For
// every status of the status table that a refresh does not wait out (creating and
// editing make it wait up to five minutes: redshift_integration_read_wait.go), and
// for an integration that is gone (404), the integration is created by an apply,
// put in that status in the emulator, and the next plan must say, on the resource,
// what the table says the status means and what to do: nothing for enabled; "must
// be replaced" for the statuses that need a replacement; the status and its advice
// for the others that want something of the user; "is deleted" and "no longer
// exists" for what is gone, whose resource leaves state.
func TestAccRedshiftIntegration_planWarnings(t *testing.T) {
	t.Parallel()
	type row struct {
		status  string // "" for a 404
		summary func(id string) string
		advice  string
	}
	var rows []row
	for _, r := range client.StatusTable() {
		if r.Status == client.StatusCreating || r.Status == client.StatusEditing {
			continue
		}
		rw := row{status: string(r.Status), advice: r.Advice}
		switch {
		case !r.HoldsHost:
			rw.summary = func(string) string { return "Integration is " + string(r.Status) }
			rw.advice = "" // Read says what happens; the table's advice is for the docs
		case r.Replace:
			rw.summary = func(id string) string { return fmt.Sprintf("Integration %s must be replaced: it %s", id, r.Means) }
		case r.Advice != "":
			rw.summary = func(id string) string { return fmt.Sprintf("Integration %s %s", id, r.Means) }
		}
		rows = append(rows, rw)
	}
	rows = append(rows, row{summary: func(string) string { return "Integration no longer exists" }})

	for _, r := range rows {
		name := r.status
		if name == "" {
			name = "404"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newCLIWorkdir(t)
			env := newAccEnv(t, emulator.WithDeletedRetention(time.Minute)) // "deleted" is answered, not a 404
			env.needsEmulator(t)
			host := env.host("warn-" + name)
			w.write("main.tf", requiredProviders()+env.integrationConfig(host, env.database, ""))
			w.mustRun(0, "init")
			w.mustRun(0, "apply", "-auto-approve")
			in, ok := env.remote(host)
			if !ok {
				t.Fatalf("no integration on %s after the apply", host)
			}
			if r.status == "" {
				env.emu.RemoveIntegration(in.ID)
			} else if !env.emu.SetStatus(in.ID, r.status) {
				t.Fatalf("SetStatus(%s, %s) failed", in.ID, r.status)
			}

			out := w.mustRun(0, "plan")
			flat := strings.Join(strings.Fields(out), " ") // the CLI wraps details to its width
			if r.summary == nil {
				if strings.Contains(out, "Warning:") {
					t.Errorf("a plan of an integration %s warns:\n%s", name, out)
				}
				return
			}
			want := "Warning: " + r.summary(in.ID)
			if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
				t.Errorf("the plan does not say %q:\n%s", want, out)
			}
			if r.advice != "" && !strings.Contains(flat, strings.Join(strings.Fields(r.advice), " ")) {
				t.Errorf("the plan does not give the advice %q:\n%s", r.advice, out)
			}
			if !strings.Contains(out, "immuta_redshift_integration.test") {
				t.Errorf("the warning does not name the resource:\n%s", out)
			}
		})
	}
}

// A write-only secret without its version attribute is accepted, but a later
// change of the secret alone would never be sent: the plan warns, on the
// resource, naming both attributes and what to set, for each of the three
// pairs; with the versions set it says nothing.
func TestAccRedshiftIntegration_writeOnlyWithoutVersionWarns(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	w := newCLIWorkdir(t)
	if theCLI(t).version.LessThan(tfversion.Version1_11_0) {
		t.Skip("write-only attributes need Terraform or OpenTofu 1.11")
	}
	cfg := func(versions bool) string {
		v := func(name string) string {
			if !versions {
				return ""
			}
			return "\n  " + name + " = 1"
		}
		return requiredProviders() + env.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "pw" {
  host        = %q
  database    = "immuta"
  username    = "immuta_system"
  password_wo = "Pa55word-wo"%s
}

resource "immuta_redshift_integration" "ak" {
  host                = %q
  database            = "immuta"
  authentication_type = "accessKey"
  database_user       = "immuta_ak"
  access_key_id       = "AKIAWARNTEST"
  secret_key_wo       = "Secret-key-wo"%s
  session_token_wo    = "Session-token-wo"%s
}
`, env.host("wo-warn-pw"), v("password_wo_version"), env.host("wo-warn-ak"), v("secret_key_wo_version"), v("session_token_wo_version"))
	}
	w.write("main.tf", cfg(false))
	w.mustRun(0, "init")
	out := w.mustRun(0, "plan")
	flat := strings.Join(strings.Fields(out), " ") // the CLI wraps details to its width
	for _, c := range []struct{ wo, version, resource string }{
		{"password_wo", "password_wo_version", "immuta_redshift_integration.pw"},
		{"secret_key_wo", "secret_key_wo_version", "immuta_redshift_integration.ak"},
		{"session_token_wo", "session_token_wo_version", "immuta_redshift_integration.ak"},
	} {
		want := []string{
			fmt.Sprintf("Warning: %s without %s with %s", c.wo, c.version, c.resource),
			fmt.Sprintf("only when %s (or another argument) changes", c.version),
			"a changed value is never sent",
			fmt.Sprintf("Set %s = 1 and increase it whenever you change %s.", c.version, c.wo),
		}
		for _, s := range want {
			if !strings.Contains(flat, s) {
				t.Errorf("the plan does not say %q:\n%s", s, out)
			}
		}
	}
	if env.emu.Stats().Requests != 0 {
		t.Errorf("a plan of new integrations sent %d requests", env.emu.Stats().Requests)
	}

	w.write("main.tf", cfg(true))
	if out := w.mustRun(0, "plan"); strings.Contains(out, "Warning:") {
		t.Errorf("a plan with every version set warns:\n%s", out)
	}
}
