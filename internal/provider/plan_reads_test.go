package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// requestsAtMost is a plan check: since the stats were reset, the emulator saw
// at most n API requests.
type requestsAtMost struct {
	env *accEnv
	n   int
	why string
}

func (c requestsAtMost) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if st := c.env.emu.Stats(); st.Requests > c.n {
		resp.Error = fmt.Errorf("the plan sent %d requests (%v), want at most %d: %s", st.Requests, st.ByRoute, c.n, c.why)
	}
}

// manyIntegrations is a configuration of n integrations on hosts labelled label.
func manyIntegrations(env *accEnv, label string, n int) string {
	var cfg strings.Builder
	cfg.WriteString(env.providerBlock())
	for i := range n {
		fmt.Fprintf(&cfg, `
resource "immuta_redshift_integration" "r%d" {
  host                = %q
  database            = "immuta"
  username            = %q
  password_wo         = %q
  password_wo_version = 1
}
`, i, env.host(fmt.Sprintf("%s-%d", label, i)), env.username, env.password)
	}
	return cfg.String()
}

// Refreshes share their reads (README, Performance): a no-op plan of 20
// integrations sends at most 4 requests. Reading each by id, as a refresh
// without the shared reads would, sends 20, so this fails when the sharing is
// switched off (RefreshIntegration replaced by GetIntegration in Read).
func TestAccRedshiftIntegration_planReadsShared(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	cfg := manyIntegrations(env, "plan-shared", 20)
	resource.Test(t, env.testCase(
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: env.emu.ResetStats,
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				requestsAtMost{env: env, n: 4, why: "the refreshes of one plan share their reads"},
			}},
		},
	))
}

// Waits share their looks (README, Performance): ten creates whose
// transition lasts 2 s are watched through shared lists, not one GET by id per
// integration per look. Each wait alone would look about 14 times by id in 2 s
// (140 requests); with shared looks the waits of a wave ride on one list per
// tick and look by id only when a list cannot answer for them. So does the
// deletion wait, which ends on one GET by id per integration (a 404). The host
// snapshot is shared too: creates that start together list the hosts once (it
// fails when each create lists for itself).
func TestAccRedshiftIntegration_waitsShareLooks(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.WithTransition(2*time.Second))
	env.needsEmulator(t)
	seq := &requestSequence{next: env.emu.Handler()}
	srv := httptest.NewServer(seq)
	t.Cleanup(srv.Close)
	env.url = srv.URL
	const n = 10
	cfg := manyIntegrations(env, "shared-looks", n)
	var applied emulator.Stats
	resource.Test(t, env.testCase(
		resource.TestStep{
			PreConfig: env.emu.ResetStats,
			Config:    cfg,
			Check: func(*terraform.State) error {
				applied = env.emu.Stats()
				byID := applied.ByRoute["GET /integrations/{id}"]
				lists := applied.ByRoute["GET /integrations"]
				if byID > n {
					return fmt.Errorf("the apply's waits sent %d GET /integrations/{id} (%v): want at most %d, the waits of a wave share their looks", byID, applied.ByRoute, n)
				}
				// One list per tick of the schedule (about 14 in 2 s) serves every
				// wait; 10 waits looking alone would send 140 requests.
				if total := byID + lists; total > 3*n {
					return fmt.Errorf("the apply's waits sent %d reads (%v): want at most %d", total, applied.ByRoute, 3*n)
				}
				// The creates' snapshots of the hosts: the lists sent before the wave's
				// last POST. Shared, one (two if the wave straddles one); one per create
				// would be n.
				if snaps := seq.listsBeforeLastPost(); snaps > 2 {
					return fmt.Errorf("the creates sent %d GET /integrations before the last POST: want at most 2, creates that start together share one snapshot of the hosts", snaps)
				}
				return nil
			},
		},
	))
}

// requestSequence passes requests to next and remembers their order.
type requestSequence struct {
	next http.Handler
	mu   sync.Mutex
	seen []string // "METHOD path"
}

func (q *requestSequence) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q.mu.Lock()
	q.seen = append(q.seen, r.Method+" "+r.URL.Path)
	q.mu.Unlock()
	q.next.ServeHTTP(w, r)
}

// listsBeforeLastPost counts the GET /integrations that arrived before the last
// POST /integrations.
func (q *requestSequence) listsBeforeLastPost() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	last := -1
	for i, s := range q.seen {
		if s == "POST /integrations" {
			last = i
		}
	}
	n := 0
	for _, s := range q.seen[:last+1] {
		if s == "GET /integrations" {
			n++
		}
	}
	return n
}
