package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// The load scenario of issue 18: many pipelines, each with a state of its own, against
// one tenant that rate-limits them all together.
const (
	loadPipelines   = 6
	loadPerPipeline = 5
	// loadRate is the tenant's limit in requests a second, shared by the pipelines. At
	// 4 the applies and the destroys each take about 8 times as long as unthrottled
	// (2.5 s each, IMMUTA_CHAOS_RATE=0), and the whole test about 50 s; the client that
	// gave up after RetryMax refusals failed an apply or a destroy in every run at 4
	// (at 8, the rate, in one run of two).
	loadRate       = 4
	loadTransition = time.Second
)

// TestAccChaos_manyPipelines: 6 applies in separate states at once, 5 integrations
// each on hosts of their own, against one emulator that allows 4 requests a second (429
// with Retry-After beyond it), then 6 destroys at once. Every apply and every destroy
// converges in one run; after the applies Immuta holds exactly the 30 integrations,
// each id in exactly one state and created once; after the destroys it holds none.
// make chaos prints the requests, the 429s and the time against the rate limit's lower
// bound (the accepted requests over the rate).
func TestAccChaos_manyPipelines(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc and make chaos set it)")
	}
	if os.Getenv("IMMUTA_CHAOS") == "" {
		t.Skip("load test of about a minute: make chaos runs it (IMMUTA_CHAOS=1)")
	}
	rate := float64(loadRate)
	if v := os.Getenv("IMMUTA_CHAOS_RATE"); v != "" { // 0: unthrottled, to compare
		var err error
		if rate, err = strconv.ParseFloat(v, 64); err != nil {
			t.Fatalf("IMMUTA_CHAOS_RATE: %v", err)
		}
	}
	env := newAccEnv(t, emulator.WithTransition(loadTransition), emulator.WithRateLimit(rate, int(rate)))
	env.needsEmulator(t)
	if theCLI(t).version.LessThan(version.Must(version.NewVersion("1.11.0"))) {
		t.Skip("write-only attributes need Terraform 1.11 or OpenTofu 1.11")
	}

	dirs := make([]*cliWorkdir, loadPipelines)
	owner := map[string]int{} // host -> the pipeline that manages it
	for p := range dirs {
		dirs[p] = newCLIWorkdir(t)
		cfg := requiredProviders() + env.providerBlock()
		for i := range loadPerPipeline {
			host := env.host(fmt.Sprintf("load-p%d-i%d", p, i))
			owner[host] = p
			cfg += fmt.Sprintf(`
resource "immuta_redshift_integration" "i%d" {
  host                = %q
  database            = %q
  username            = %q
  password_wo         = %q
  password_wo_version = 1
}
`, i, host, env.database, env.username, env.password)
		}
		dirs[p].write("main.tf", cfg)
	}
	runAll(t, dirs, "init")

	phase := func(name string, args ...string) {
		env.emu.ResetStats()
		began := time.Now()
		runAll(t, dirs, args...)
		took := time.Since(began)
		st := env.emu.Stats()
		accepted := st.Requests - st.RateLimited
		if rate <= 0 {
			t.Logf("chaos: many pipelines, %s: %d×%d integrations, no rate limit: %d requests in %s",
				name, loadPipelines, loadPerPipeline, st.Requests, took.Round(100*time.Millisecond))
			return
		}
		bound := time.Duration(float64(max(accepted-int(rate), 0)) / rate * float64(time.Second))
		t.Logf("chaos: many pipelines, %s: %d×%d integrations at %g requests/s: %d requests, %d answered 429; %s against a lower bound of %s ((accepted requests - burst) / rate), %.2f×",
			name, loadPipelines, loadPerPipeline, rate, st.Requests, st.RateLimited, took.Round(100*time.Millisecond),
			bound.Round(100*time.Millisecond), took.Seconds()/bound.Seconds())
	}

	phase("applies", "apply", "-auto-approve")
	if t.Failed() {
		return
	}
	if st := env.emu.Stats(); st.Creations != loadPipelines*loadPerPipeline {
		t.Errorf("%d integrations created, want %d: none twice", st.Creations, loadPipelines*loadPerPipeline)
	}
	inStates := map[string]int{} // id -> how many states hold it
	for p, w := range dirs {
		for host, id := range stateIDs(t, w) {
			inStates[id]++
			if owner[host] != p {
				t.Errorf("pipeline %d's state holds host %s of pipeline %d", p, host, owner[host])
			}
			in, ok := env.remote(host)
			switch {
			case !ok:
				t.Errorf("pipeline %d: no integration on %s in Immuta", p, host)
			case in.ID != id || in.Status != "enabled":
				t.Errorf("pipeline %d: state has %s on %s, Immuta has %s (%s)", p, id, host, in.ID, in.Status)
			}
		}
	}
	var redshift int
	for _, in := range env.emu.Integrations() {
		if in.Type != "Redshift" || in.Status == "deleted" {
			continue
		}
		redshift++
		if inStates[in.ID] != 1 {
			t.Errorf("integration %s is in %d states, want exactly 1", in.ID, inStates[in.ID])
		}
	}
	if redshift != loadPipelines*loadPerPipeline {
		t.Errorf("Immuta holds %d Redshift integrations after the applies, want %d", redshift, loadPipelines*loadPerPipeline)
	}

	phase("destroys", "destroy", "-auto-approve")
	if err := env.emulatorEmpty(nil); err != nil {
		t.Error(err)
	}
	for p, w := range dirs {
		if ids := stateIDs(t, w); len(ids) != 0 {
			t.Errorf("pipeline %d's state still holds %v after its destroy", p, ids)
		}
	}
}

// runAll runs the same command in every work dir at once and fails the test for each
// that does not exit 0.
func runAll(t *testing.T, dirs []*cliWorkdir, args ...string) {
	t.Helper()
	var wg sync.WaitGroup
	outs, codes := make([]string, len(dirs)), make([]int, len(dirs))
	for i, w := range dirs {
		codes[i] = -1
		wg.Go(func() { outs[i], codes[i] = w.run(args...) })
	}
	wg.Wait()
	for i := range dirs {
		if codes[i] != 0 {
			t.Errorf("pipeline %d: %s exited %d:\n%s", i, strings.Join(args, " "), codes[i], outs[i])
		}
	}
}

// stateIDs reads the host and id of every integration in a work dir's state.
func stateIDs(t *testing.T, w *cliWorkdir) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID   string `json:"id"`
					Host string `json:"host"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%s: %v", w.dir, err)
	}
	ids := map[string]string{}
	for _, r := range st.Resources {
		if r.Type != "immuta_redshift_integration" {
			continue
		}
		for _, in := range r.Instances {
			ids[in.Attributes.Host] = in.Attributes.ID
		}
	}
	return ids
}
