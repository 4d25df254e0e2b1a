package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// Issue 18, item 1, through the real CLI: another pipeline (another state) creates
// the integration on a host at the moment this apply's create POST for it arrives,
// with the same configuration. Whether this apply may adopt what it then finds on
// the host depends only on what its POST's answer proved.

// raceEnv is an emulator whose first create POST meets a rival and then fault.
func raceEnv(t *testing.T, fault emulator.Fault, opts ...emulator.Option) *accEnv {
	t.Helper()
	env := newAccEnv(t, append([]emulator.Option{emulator.WithFaults(emulator.FaultPolicy{
		Rate: 1, Count: 1, Kinds: []emulator.Fault{fault}, Methods: []string{"POST"}, Paths: []string{"/integrations"},
	})}, opts...)...)
	env.needsEmulator(t)
	return env
}

// flat joins the CLI's output into one line: it wraps details to its width.
func flat(out string) string { return strings.Join(strings.Fields(out), " ") }

func (w *cliWorkdir) stateList() []string {
	w.t.Helper()
	out, code := w.run("state", "list")
	if code != 0 && !strings.Contains(out, "No state file") {
		w.t.Fatalf("state list exited %d:\n%s", code, out)
	}
	return strings.Fields(out)
}

// stateID is the id a resource instance holds in state ("" when none).
func (w *cliWorkdir) stateID(addr string) string {
	w.t.Helper()
	out, code := w.run("state", "show", addr)
	if code != 0 {
		return ""
	}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && strings.TrimSpace(k) == "id" {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// theRival is the integration the rival made on host, checked untouched.
func theRival(t *testing.T, env *accEnv, host string) emulator.Integration {
	t.Helper()
	rivals := env.emu.RivalIDs()
	in, ok := env.remote(host)
	if len(rivals) != 1 || !ok || in.ID != rivals[0] {
		t.Fatalf("rivals %v, integration on %s %+v: the rival did not create on the host, the test proves nothing", rivals, host, in)
	}
	if st := env.emu.Stats(); st.Creations != 0 {
		t.Fatalf("%d creations by the apply: the host was the rival's", st.Creations)
	}
	return in
}

// (a) The POST is refused with Immuta's own 503 (Immuta did not act) while the rival
// creates: the retried POST's 409, or any look at the host, finds someone else's
// integration, though the snapshot before the POST showed the host free. The apply
// fails naming the rival's id with the import block; state holds nothing; destroy
// deletes nothing of the rival's.
func TestAccRace_rivalAfterImmutaRefusalIsNeverAdopted(t *testing.T) {
	t.Parallel()
	env := raceEnv(t, emulator.FaultRivalImmuta503)
	host := env.host("race-refused")
	w := newCLIWorkdir(t)
	w.write("main.tf", requiredProviders()+env.integrationConfig(host, env.database, ""))
	w.mustRun(0, "init")
	out := flat(w.mustRun(1, "apply", "-auto-approve"))
	rival := theRival(t, env, host)
	for _, want := range []string{
		"Error: Redshift integration already exists",
		fmt.Sprintf("Immuta already has a Redshift integration on host %s (id = %s)", host, rival.ID),
		fmt.Sprintf(`id = "%s"`, rival.ID),
		"import block",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply does not say %q:\n%s", want, out)
		}
	}
	if got := w.stateList(); len(got) != 0 {
		t.Errorf("state holds %v after the rival won the host", got)
	}
	w.mustRun(0, "destroy", "-auto-approve")
	if in, ok := env.remote(host); !ok || in.ID != rival.ID || in.Status == "deleted" {
		t.Errorf("after destroy, the rival's integration %s is %+v (present %v)", rival.ID, in, ok)
	}
	for _, r := range env.emu.Received() {
		if r.Method == "DELETE" || r.Method == "PUT" {
			t.Errorf("%s %s reached Immuta: the rival's integration was touched", r.Method, r.Path)
		}
	}
}

// (b) The POST's answer proves nothing (a gateway's HTML 503, a reset after
// sending) while the rival creates: the integration on the host may be this apply's
// or the rival's, and the API cannot tell. It is adopted, with a warning on the
// resource that names it, says the answer was lost and what to do if another
// configuration manages the host; following that advice (a removed block with
// destroy = false) forgets it without deleting it.
func TestAccRace_rivalAfterLostAnswerIsAdoptedWithWarning(t *testing.T) {
	t.Parallel()
	for _, fault := range []emulator.Fault{emulator.FaultRival503, emulator.FaultRivalReset} {
		t.Run(string(fault), func(t *testing.T) {
			t.Parallel()
			env := raceEnv(t, fault)
			host := env.host("race-lost")
			w := newCLIWorkdir(t)
			w.write("main.tf", requiredProviders()+env.integrationConfig(host, env.database, ""))
			w.mustRun(0, "init")
			out := flat(w.mustRun(0, "apply", "-auto-approve"))
			rival := theRival(t, env, host)
			for _, want := range []string{
				fmt.Sprintf("Warning: Integration %s on host %s adopted after the create's answer was lost", rival.ID, host),
				"immuta_redshift_integration.test",
				"If another one does, integration " + rival.ID + " may be theirs",
				"removed block", "lifecycle { destroy = false }",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the apply does not say %q:\n%s", want, out)
				}
			}
			if id := w.stateID("immuta_redshift_integration.test"); id != rival.ID {
				t.Fatalf("state holds id %q, want the adopted %s", id, rival.ID)
			}
			// The advice, followed: the resource leaves this configuration's state and
			// the integration stays in Immuta.
			w.write("main.tf", requiredProviders()+env.providerBlock()+
				"removed {\n  from = immuta_redshift_integration.test\n  lifecycle {\n    destroy = false\n  }\n}\n")
			w.mustRun(0, "apply", "-auto-approve")
			if got := w.stateList(); len(got) != 0 {
				t.Errorf("state holds %v after the removed block", got)
			}
			if in, ok := env.remote(host); !ok || in.ID != rival.ID {
				t.Errorf("integration %s is gone after following the advice", rival.ID)
			}
		})
	}
}

// The "held before" rule through the CLI: an integration with this configuration
// already holds the host when the apply starts, and the create POST's answer is lost
// (Immuta answers 409, a gateway turns it into an HTML 503, or the connection is
// reset). What the look at the host then finds was there before this apply's POST:
// someone else's, reported with the import block, never adopted, never destroyed.
func TestAccRace_integrationHeldBeforeIsNeverAdopted(t *testing.T) {
	t.Parallel()
	for _, fault := range []emulator.Fault{emulator.FaultActed503, emulator.FaultLostAnswer} {
		t.Run(string(fault), func(t *testing.T) {
			t.Parallel()
			host := fmt.Sprintf("held-before-%d.redshift.example.internal", hostSeq.Add(1))
			seed := emulator.Seed{Config: map[string]any{
				"host": host, "database": "immuta", "port": 5439,
				"username": "immuta_system", "password": "theirs-password",
			}}
			env := raceEnv(t, fault, emulator.WithIntegrations(seed))
			theirs, ok := env.remote(host)
			if !ok {
				t.Fatal("the seed is not on the host")
			}
			w := newCLIWorkdir(t)
			w.write("main.tf", requiredProviders()+env.integrationConfig(host, env.database, ""))
			w.mustRun(0, "init")
			out := flat(w.mustRun(1, "apply", "-auto-approve"))
			if want := fmt.Sprintf("Immuta already has a Redshift integration on host %s (id = %s)", host, theirs.ID); !strings.Contains(out, want) {
				t.Errorf("the apply does not say %q:\n%s", want, out)
			}
			if env.emu.Stats().Faults[fault] != 1 {
				t.Fatalf("faults %v: the answer was not lost, the test proves nothing", env.emu.Stats().Faults)
			}
			if got := w.stateList(); len(got) != 0 {
				t.Errorf("state holds %v: someone else's integration was adopted", got)
			}
			w.mustRun(0, "destroy", "-auto-approve")
			if in, ok := env.remote(host); !ok || in.ID != theirs.ID {
				t.Errorf("someone else's integration %s is gone", theirs.ID)
			}
		})
	}
}

// (c) Two resources of one configuration on one host, and one 503 on the create
// POST: one resource creates the integration; the other is refused before any
// request, naming the host; never do both hold the same id, and only one resource's
// credentials reach Immuta. Run one after the other (-parallelism=1), the second
// meets the first's integration in Immuta's 409 and is told it is another resource's
// of this apply, not advised to import it.
func TestAccRace_twoResourcesOnOneHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"together", nil, "Error: Another resource of this apply is creating on Redshift host "},
		{"one at a time", []string{"-parallelism=1"}, "Error: Another resource of this apply created the integration on Redshift host "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := raceEnv(t, emulator.FaultActed503)
			host := env.host("race-twice")
			w := newCLIWorkdir(t)
			cfg := requiredProviders() + env.providerBlock()
			for _, name := range []string{"a", "b"} {
				cfg += fmt.Sprintf(`
resource "immuta_redshift_integration" %q {
  host        = %q
  database    = %q
  username    = %q
  password_wo = "pw-%s-%s"
  password_wo_version = 1
}
`, name, host, env.database, env.username, name, env.password)
			}
			w.write("main.tf", cfg)
			w.mustRun(0, "init")
			out := flat(w.mustRun(1, append([]string{"apply", "-auto-approve"}, tc.args...)...))
			in, ok := env.remote(host)
			if !ok {
				t.Fatalf("no integration on %s:\n%s", host, out)
			}
			if !strings.Contains(out, tc.want+host) {
				t.Errorf("the apply does not say %q:\n%s", tc.want+host, out)
			}
			if !strings.Contains(out, "Keep one immuta_redshift_integration per host") || strings.Contains(out, "import block") {
				t.Errorf("the apply does not say what to do, or advises an import:\n%s", out)
			}
			a, b := w.stateID("immuta_redshift_integration.a"), w.stateID("immuta_redshift_integration.b")
			if (a == "") == (b == "") || slices.Index([]string{a, b}, in.ID) < 0 {
				t.Errorf("state holds a=%q b=%q; want exactly one, with Immuta's %s", a, b, in.ID)
			}
			winner := "a"
			if b != "" {
				winner = "b"
			}
			posts := env.emu.ReceivedFor("POST /integrations", host)
			for _, r := range posts {
				if r.Credentials.Password == "pw-"+winner+"-"+env.password {
					continue
				}
				if tc.args == nil || r.Accepted() {
					t.Errorf("a create POST of the refused resource reached Immuta (answered %d)", r.Code)
				}
			}
			if len(posts) == 0 || env.emu.Stats().Faults[emulator.FaultActed503] != 1 || env.emu.Stats().Creations != 1 {
				t.Errorf("%d POSTs, stats %+v: the test proves nothing", len(posts), env.emu.Stats())
			}
		})
	}
}
