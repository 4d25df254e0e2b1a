package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

const chaosCount = 10

// chaosConfig is ten integrations and one on the host of an integration someone
// else created beforehand.
func (e *accEnv) chaosConfig(port int, foreignHost string) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "chaos" {
  count       = %d
  host        = "chaos-${count.index}.%s"
  database    = "immuta"
  port        = %d
  username    = "immuta_system"
  password_wo = "chaos-password"
}

resource "immuta_redshift_integration" "theirs" {
  host        = %q
  database    = "immuta"
  username    = "immuta_system"
  password_wo = "chaos-password"
}
`, chaosCount, e.hostBase, port, foreignHost)
}

// chaosFaults: at least 40 % of the requests faulted, every kind of the emulator's
// fault layer mixed. The kinds a client must refuse rather than retry (redirects to
// another origin, 400s that echo the request) fail the resource they hit, so each
// hits one create POST of the first apply and then stops by itself (Count 1; the
// first apply sends at least 11). Lists leave out every Redshift integration 30 % of
// the time. All the other kinds hit any request, at random.
func chaosFaults() emulator.FaultSettings {
	var policies []emulator.FaultPolicy
	for _, k := range []emulator.Fault{emulator.FaultRedirect301, emulator.FaultRedirect302, emulator.FaultRedirect307, emulator.FaultRedirect308,
		emulator.FaultEcho, emulator.FaultEchoUnescaped, emulator.FaultEchoHTML, emulator.FaultEchoURL,
		emulator.FaultEchoBase64, emulator.FaultEchoYAML,
		// At least one create loses its answer after Immuta acted, whatever the
		// draws below do, so that the lookup and adoption are always exercised.
		emulator.FaultLostAnswer} {
		policies = append(policies, emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{k},
			Methods: []string{"POST"}, Paths: []string{"/integrations"}})
	}
	return emulator.FaultSettings{Policies: append(policies,
		emulator.FaultPolicy{Rate: 0.3, Seed: 20261201, Kinds: []emulator.Fault{emulator.FaultOmit},
			Methods: []string{"GET"}, Paths: []string{"/integrations"}},
		emulator.FaultPolicy{
			// In turn, not at random: with 28 kinds, a random draw left one of them
			// out in about one run of three, and the test requires every kind.
			Rate: 0.45, Seed: 20261202, Rotate: true,
			Kinds: []emulator.Fault{emulator.Fault429, emulator.FaultImmuta503, emulator.Fault500, emulator.Fault502, emulator.Fault503, emulator.Fault504,
				emulator.FaultActed500, emulator.FaultActed502, emulator.FaultActed503, emulator.FaultActed504,
				emulator.FaultReset, emulator.FaultLostAnswer, emulator.FaultHang, emulator.FaultHangAfter,
				emulator.FaultTruncated, emulator.FaultHTML200, emulator.FaultWrongID, emulator.FaultOmit,
				emulator.FaultRedirectSame, emulator.FaultSlow,
				// Issue 18: gateways' 404s, same-origin redirects of every code, null and {}.
				emulator.FaultRedirectSame301, emulator.FaultRedirectSame302, emulator.FaultRedirectSame303, emulator.FaultRedirectSame308,
				emulator.FaultGateway404, emulator.FaultEmpty404, emulator.FaultNull200, emulator.FaultEmptyObject200},
		},
	)}
}

// Issue 9's chaos test, through the real CLI: with ten integrations and one that
// someone else created beforehand on a host in the configuration, at least 40 % of
// the requests faulted with every kind of fault mixed, apply converges in at most 2
// runs with no edits; exactly 10 creations, and no create POST was re-sent without a
// look at the host first (unless the gateway said it did not act); the state's ids
// are Immuta's; the foreign integration is untouched and its error carries the
// import block; an update of all converges the same way; destroy leaves nothing of
// ours. make chaos prints the figures.
func TestAccChaos_hostileNetwork(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithTransition(300*time.Millisecond), emulator.WithHangLimit(1500*time.Millisecond),
		emulator.WithSlowDelay(300*time.Millisecond))
	env.needsEmulator(t)
	foreignHost := env.host("theirs")
	foreignID := env.createDirectly(t, foreignHost)
	rec := &chaosRecorder{next: env.emu.Handler()}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	env.url = srv.URL
	var foreignBefore emulator.Integration
	ourHosts := map[string]bool{}
	for i := range chaosCount {
		ourHosts[fmt.Sprintf("chaos-%d.%s", i, env.hostBase)] = true
	}
	start := func() {
		time.Sleep(400 * time.Millisecond) // the foreign one is enabled
		foreignBefore, _ = env.remote(foreignHost)
		env.emu.SetFaults(chaosFaults())
		env.emu.ResetStats()
	}
	theirs := regexp.MustCompile(fmt.Sprintf(`(?s)already (exists|has integration).*%s.*import\s+block.*id = "%s"`, regexp.QuoteMeta(foreignHost), foreignID))
	converged := func(port int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			rs := s.RootModule().Resources
			if _, ok := rs["immuta_redshift_integration.theirs"]; ok {
				return fmt.Errorf("the foreign integration is in state")
			}
			for i := range chaosCount {
				addr := fmt.Sprintf("immuta_redshift_integration.chaos.%d", i)
				r, ok := rs[addr]
				if !ok {
					return fmt.Errorf("%s is not in state after 2 runs", addr)
				}
				if r.Primary.Tainted {
					return fmt.Errorf("%s is tainted", addr)
				}
				host := fmt.Sprintf("chaos-%d.%s", i, env.hostBase)
				in, ok := env.remote(host)
				if !ok || in.ID != r.Primary.ID {
					return fmt.Errorf("%s has id %s in state, Immuta has %+v on %s", addr, r.Primary.ID, in.ID, host)
				}
				if err := env.checkRemote(host, "enabled", port)(s); err != nil {
					return err
				}
			}
			return nil
		}
	}
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction("immuta_redshift_integration.chaos[0]", plancheck.ResourceActionUpdate),
		plancheck.ExpectResourceAction("immuta_redshift_integration.chaos[9]", plancheck.ResourceActionUpdate),
	}}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   wo111,
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.emulatorLeftOnly(foreignBefore); err != nil {
				return err
			}
			return rec.report(t, env.emu.Stats(), ourHosts, len(env.emu.Integrations()))
		},
		Steps: []resource.TestStep{
			// Run 1: anything may fail (the foreign one always does).
			{PreConfig: start, Config: env.chaosConfig(5439, foreignHost), ExpectError: regexp.MustCompile(`Error`)},
			// Run 2, no edits: only the foreign one fails, with its import block.
			{Config: env.chaosConfig(5439, foreignHost), ExpectError: theirs},
			{RefreshState: true, Check: converged(5439), ExpectNonEmptyPlan: true},
			// Update all: two runs at most.
			{Config: env.chaosConfig(5440, foreignHost), ConfigPlanChecks: update, ExpectError: regexp.MustCompile(`Error`)},
			{Config: env.chaosConfig(5440, foreignHost), ExpectError: theirs},
			{RefreshState: true, Check: converged(5440), ExpectNonEmptyPlan: true},
		},
	})
}

// emulatorLeftOnly is a CheckDestroy: of the Redshift integrations only the foreign
// one is left, exactly as it was.
func (e *accEnv) emulatorLeftOnly(foreign emulator.Integration) error {
	for _, in := range e.emu.Integrations() {
		if in.Type != "Redshift" || in.Status == "deleted" {
			continue
		}
		if in.ID != foreign.ID {
			return fmt.Errorf("integration %s (%s) is left in Immuta after destroy", in.ID, in.Status)
		}
		a, _ := json.Marshal(in)
		b, _ := json.Marshal(foreign)
		if !bytes.Equal(a, b) {
			return fmt.Errorf("the foreign integration changed:\n was %s\n now %s", b, a)
		}
	}
	for _, in := range e.emu.Integrations() {
		if in.ID == foreign.ID {
			return nil
		}
	}
	return fmt.Errorf("the foreign integration %s is gone", foreign.ID)
}

// chaosRecorder sits in front of the emulator (faults included) and notes every
// create POST with its host and what the client was sent, and every list.
type chaosRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seq  []chaosEvent
}

type chaosEvent struct {
	post   bool // a create POST; else a GET /integrations
	host   string
	status int    // what the client was sent; 0: the connection was dropped
	body   []byte // a create POST's answer
}

func (c *chaosRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	isPost := r.Method == http.MethodPost && r.URL.Path == "/integrations"
	isList := r.Method == http.MethodGet && r.URL.Path == "/integrations"
	if !isPost && !isList {
		c.next.ServeHTTP(w, r)
		return
	}
	ev := &chaosEvent{post: isPost}
	if isPost {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		var p struct {
			Config struct {
				Host string `json:"host"`
			} `json:"config"`
		}
		_ = json.Unmarshal(b, &p)
		ev.host = p.Config.Host
	}
	c.mu.Lock()
	c.seq = append(c.seq, chaosEvent{})
	i := len(c.seq) - 1
	c.mu.Unlock()
	rw := &recordingWriter{ResponseWriter: w, keep: isPost}
	defer func() {
		ev.status, ev.body = rw.status, rw.body.Bytes()
		c.mu.Lock()
		c.seq[i] = *ev
		c.mu.Unlock()
	}()
	c.next.ServeHTTP(rw, r)
}

type recordingWriter struct {
	http.ResponseWriter
	keep   bool
	status int
	body   bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.keep {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// immutasOwn: the answer is Immuta's own error object with its status, which alone
// proves that Immuta did not act on a 429 or 503; a gateway's page proves nothing.
func immutasOwn(ev chaosEvent) bool {
	var e struct {
		StatusCode *int    `json:"statusCode"`
		Error      *string `json:"error"`
		Message    *string `json:"message"`
	}
	return json.Unmarshal(ev.body, &e) == nil && e.StatusCode != nil && *e.StatusCode == ev.status && e.Error != nil && e.Message != nil
}

// report checks the create POSTs and prints the figures. A re-sent create POST for
// one of our hosts must follow a look at the hosts (a GET /integrations) after the
// previous one, unless the answer to that one proved Immuta did not act (Immuta's own
// 429 or 503: the client retries those by design) or it was a redirect, which
// reached nobody.
func (c *chaosRecorder) report(t *testing.T, st emulator.Stats, ours map[string]bool, left int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := map[string]int{} // host -> index of its previous POST
	resent, adoptions := 0, 0
	answered := map[string]bool{} // a POST of the host was answered with its integration
	var errs []string
	for i, ev := range c.seq {
		if !ev.post || !ours[ev.host] {
			continue
		}
		if ev.status == http.StatusOK && json.Valid(ev.body) && bytes.Contains(ev.body, []byte(`"id"`)) {
			answered[ev.host] = true
		}
		if j, ok := last[ev.host]; ok {
			resent++
			prev := c.seq[j]
			looked := slices.ContainsFunc(c.seq[j+1:i], func(e chaosEvent) bool { return !e.post })
			notActed := ((prev.status == http.StatusTooManyRequests || prev.status == http.StatusServiceUnavailable) && immutasOwn(prev)) ||
				(prev.status >= 300 && prev.status < 400)
			if !looked && !notActed {
				errs = append(errs, fmt.Sprintf("create POST for %s re-sent without a look at the host after an answer %d", ev.host, prev.status))
			}
		}
		last[ev.host] = i
	}
	for h := range ours {
		if !answered[h] {
			adoptions++ // in state with Immuta's id although no answer named it
		}
	}
	faults := 0
	kinds := make([]string, 0, len(st.Faults))
	for k, n := range st.Faults {
		faults += n
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(kinds)
	rate := float64(faults) / float64(max(st.Requests, 1))
	t.Logf("chaos: requests=%d faulted=%d (%.0f%%) retries=%d creations=%d create_posts=%d resent_posts=%d adoptions=%d left=%d (the foreign one)",
		st.Requests, faults, 100*rate, faults, st.Creations, st.CreatePosts, resent, adoptions, left)
	t.Logf("chaos: faults by kind: %s", strings.Join(kinds, " "))
	if st.Creations != chaosCount {
		errs = append(errs, fmt.Sprintf("%d creations for %d integrations", st.Creations, chaosCount))
	}
	for _, k := range emulator.AllFaults {
		if st.Faults[k] == 0 {
			errs = append(errs, fmt.Sprintf("no %s fault was injected", k))
		}
	}
	if adoptions == 0 {
		errs = append(errs, "no create lost its answer: the test proves too little")
	}
	if rate < 0.4 {
		errs = append(errs, fmt.Sprintf("only %.0f%% of the requests were faulted", 100*rate))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
