package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// hangRequests makes the emulator's gateway hold every request of method open
// without an answer, as a stuck proxy does.
func hangRequests(env *accEnv, method string) {
	env.emu.SetFaults(emulator.FaultSettings{Policies: []emulator.FaultPolicy{
		{Rate: 1, Kinds: []emulator.Fault{emulator.FaultHang}, Methods: []string{method}},
	}})
}

// readTimedOut checks what a plan said after a read ran out of time: the request,
// the wait, the attempts, what to do, and never "interrupted".
func readTimedOut(t *testing.T, out string, took time.Duration, request, setting string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ") // the CLI wraps details to its width
	// Bounded: far below the 556 s of 9 attempts × 60 s. No tight figure.
	if took > 45*time.Second {
		t.Errorf("the plan took %s against a gateway that holds reads open", took)
	}
	for _, want := range []string{"Immuta did not answer in time", request + " got no answer from Immuta",
		"the provider waited", "over 1 attempt", setting, "proxy, gateway or load balancer"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`(?i)interrupted|deadline exceeded|context canceled`).MatchString(out) {
		t.Errorf("a read that ran out of time is reported as an interruption or a Go error:\n%s", out)
	}
}

// Issue 18, defect 7, through the real CLI: a gateway that holds every GET open
// ended a plan after 556 s with "The refresh was interrupted". A refresh honours
// timeouts.read, the read after an import and the script data source and ephemeral
// resource honour the default bound; each fails in bounded time naming the request,
// the wait and the attempts, and the integration stays in state.
//
// Not parallel: it shortens defaultReadTimeout, which parallel tests only read
// after every sequential test has finished.
func TestAccReads_boundedWhenGatewayHolds(t *testing.T) {
	w := newCLIWorkdir(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	saved := defaultReadTimeout
	t.Cleanup(func() { defaultReadTimeout = saved })
	host := env.host("read-timeout")
	cfg := requiredProviders() + env.integrationConfig(host, env.database, `  timeouts = { read = "3s" }`)
	w.write("main.tf", cfg)
	w.mustRun(0, "init")
	w.mustRun(0, "apply", "-auto-approve")
	in, ok := env.remote(host)
	if !ok {
		t.Fatalf("no integration on %s after the apply", host)
	}
	plan := func() (string, time.Duration) {
		began := time.Now()
		out, code := w.run("plan", "-detailed-exitcode")
		if code != 1 {
			t.Fatalf("plan exited %d, want 1 (an error):\n%s", code, out)
		}
		return out, time.Since(began)
	}

	t.Run("refresh honours timeouts.read", func(t *testing.T) {
		// The default alone would hold the plan past the CLI's own bound: only
		// timeouts.read ends it.
		defaultReadTimeout = 10 * time.Minute
		hangRequests(env, "GET")
		out, took := plan()
		readTimedOut(t, out, took, "GET /integrations/"+in.ID, "raise timeouts.read (now 3s)")
		env.emu.SetFaults(emulator.FaultSettings{})
		// The integration stayed in state: with the gateway gone, nothing to do.
		if out, code := w.run("plan", "-detailed-exitcode"); code != 0 {
			t.Errorf("after the failed refresh, plan exited %d, want 0 (no changes):\n%s", code, out)
		}
	})

	defaultReadTimeout = 3 * time.Second
	t.Run("import", func(t *testing.T) {
		iw := newCLIWorkdir(t)
		iw.write("main.tf", cfg+fmt.Sprintf("\nimport {\n  to = immuta_redshift_integration.test\n  id = %q\n}\n", in.ID))
		iw.mustRun(0, "init")
		hangRequests(env, "GET")
		defer env.emu.SetFaults(emulator.FaultSettings{})
		began := time.Now()
		out, code := iw.run("plan")
		if code == 0 {
			t.Fatalf("plan of the import succeeded against a gateway holding every GET:\n%s", out)
		}
		readTimedOut(t, out, time.Since(began), "GET /integrations/"+in.ID, "are bounded to 3s")
	})

	for _, kind := range []string{"data", "ephemeral"} {
		t.Run(kind+" source of a script", func(t *testing.T) {
			sw := newCLIWorkdir(t)
			sw.write("main.tf", requiredProviders()+env.providerBlock()+fmt.Sprintf(
				"\n%s \"immuta_integration_script\" \"delete\" {\n  action         = \"delete\"\n  integration_id = %q\n}\n", kind, in.ID))
			sw.mustRun(0, "init")
			hangRequests(env, "POST")
			defer env.emu.SetFaults(emulator.FaultSettings{})
			began := time.Now()
			out, code := sw.run("plan")
			if code == 0 {
				t.Fatalf("plan succeeded against a gateway holding every POST:\n%s", out)
			}
			readTimedOut(t, out, time.Since(began), "POST /integrations/"+in.ID+"/scripts/delete", "are bounded to 3s")
		})
	}
	t.Run("list resource", func(t *testing.T) {
		lw := newCLIWorkdir(t)
		if lw.cli.tofu || lw.cli.version.LessThan(tfversion.Version1_14_0) {
			t.Skip("terraform query needs Terraform >= 1.14")
		}
		lw.write("main.tf", terraformBlock(env))
		lw.write("all.tfquery.hcl", "list \"immuta_redshift_integration\" \"all\" {\n  provider = immuta\n}\n")
		lw.mustRun(0, "init")
		hangRequests(env, "GET")
		defer env.emu.SetFaults(emulator.FaultSettings{})
		began := time.Now()
		out, code := lw.run("query")
		if code == 0 {
			t.Fatalf("query succeeded against a gateway holding every GET:\n%s", out)
		}
		readTimedOut(t, out, time.Since(began), "GET /integrations", "are bounded to 3s")
	})
	if _, ok := env.remote(host); !ok {
		t.Errorf("the integration on %s is gone from Immuta", host)
	}
}
