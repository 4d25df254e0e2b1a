package bench

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Scenario is a named workload that `make bench` runs. Each runs side by side with its
// own terraform_data baseline, in the same run, so that its ratios compare like with like.
type Scenario struct {
	Name        string
	N           int
	Parallelism int
	Transition  time.Duration
	Latency     time.Duration
	// Foreign: the tenant also holds this many integrations of other types. Such a
	// scenario runs twice, in a small tenant (none) and in the large one, and
	// compares the two (CompareTenants).
	Foreign int
	// Targets are what issue 13 asks of the scenario; WriteTargets checks them.
	Targets Targets
}

// Targets are upper bounds; zero means none.
type Targets struct {
	Ratio               float64 // apply and destroy wall / ideal
	LagP95              time.Duration
	RequestsPerResource float64 // apply + no-op plan + destroy over N
	PlanRequests        int     // requests of the no-op plan
	// LargeApply bounds the apply in the large tenant (Foreign) by LargeApply times the
	// same apply in a small tenant, plus LargeSlack (issue 19).
	LargeApply float64
	LargeSlack time.Duration
}

// Scenarios are the workloads `make bench` runs, in order.
var Scenarios = []Scenario{
	{
		// Many integrations, short transitions: the CLI's cost and shared looks.
		Name: "short", N: 20, Parallelism: 10, Transition: 2300 * time.Millisecond, Latency: 10 * time.Millisecond,
		Targets: Targets{Ratio: 1.20, LagP95: 150 * time.Millisecond, RequestsPerResource: 5, PlanRequests: 4},
	},
	{
		// A pipeline's few integrations, and Immuta taking half a minute: the schedule.
		Name: "long", N: 3, Parallelism: 10, Transition: 31 * time.Second, Latency: 10 * time.Millisecond,
		Targets: Targets{LagP95: 3100 * time.Millisecond, RequestsPerResource: 30},
	},
	{
		// A few integrations in a tenant whose list also holds 100 000 of other types:
		// what the shared lists cost when the list is long (issue 19). Opt-in
		// (-scenarios large): it runs twice, and seeding and listing take a while.
		Name: "large", N: 5, Parallelism: 10, Transition: 2300 * time.Millisecond, Latency: 10 * time.Millisecond,
		Foreign: 100000, Targets: Targets{LargeApply: 1.5, LargeSlack: time.Second},
	},
}

// DefaultScenarios are what `make bench` runs without -scenarios.
const DefaultScenarios = "short,long"

// ScenarioNames lists the known names, for flags' help.
func ScenarioNames() string {
	names := make([]string, 0, len(Scenarios))
	for _, s := range Scenarios {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// FindScenario returns the scenario called name.
func FindScenario(name string) (Scenario, error) {
	for _, s := range Scenarios {
		if s.Name == name {
			return s, nil
		}
	}
	return Scenario{}, fmt.Errorf("unknown scenario %q (known: %s)", name, ScenarioNames())
}

// Apply sets the scenario's workload in cfg.
func (s Scenario) Apply(cfg Config) Config {
	cfg.Name, cfg.N, cfg.Parallelism, cfg.Transition, cfg.Latency = s.Name, s.N, s.Parallelism, s.Transition, s.Latency
	cfg.Foreign = s.Foreign
	return cfg
}

// Check compares r with the targets and returns one line per target: "ok" or "MISSED".
func (t Targets) Check(r *Report) []string {
	var out []string
	line := func(what string, got, limit float64, unit string) {
		verdict := "ok"
		if got > limit {
			verdict = "MISSED"
		}
		out = append(out, fmt.Sprintf("%-6s %-44s %8.2f%s (target <= %.2f%s)", verdict, what, got, unit, limit, unit))
	}
	if t.Ratio > 0 {
		line("apply ratio", r.phase("apply").Ratio(), t.Ratio, "")
		line("destroy ratio", r.phase("destroy").Ratio(), t.Ratio, "")
	}
	if t.LagP95 > 0 {
		line("lag p95 (apply, update, destroy)", r.LagP95()/1000, t.LagP95.Seconds(), " s")
	}
	if t.RequestsPerResource > 0 {
		line("requests per integration (apply+plan+destroy)", r.RequestsPerResource(), t.RequestsPerResource, "")
	}
	if t.PlanRequests > 0 {
		line("requests of the no-op plan", float64(r.phase("plan").Requests), float64(t.PlanRequests), "")
	}
	return out
}

// listRoute is the emulator's name of GET /integrations in its stats.
const listRoute = "GET /integrations"

// CompareTenants prints, phase by phase, the wall time in the large tenant over the
// same phase in the small one, and checks LargeApply: "ok" or "MISSED" lines.
func (t Targets) CompareTenants(large, small *Report) []string {
	out := []string{fmt.Sprintf("large tenant (%d integrations of other types) over small tenant, same workload:", large.Config.Foreign)}
	for _, p := range large.Phases {
		q := small.phase(p.Name)
		out = append(out, fmt.Sprintf("       %-8s %6.2fs / %6.2fs = %.2f  (requests %d / %d, GET /integrations %d / %d)", p.Name,
			p.Wall.Seconds(), q.Wall.Seconds(), p.Wall.Seconds()/q.Wall.Seconds(), p.Requests, q.Requests,
			p.ByRoute[listRoute], q.ByRoute[listRoute]))
	}
	if t.LargeApply > 0 {
		got, q := large.phase("apply").Wall, small.phase("apply").Wall
		limit := time.Duration(t.LargeApply*float64(q)) + t.LargeSlack
		verdict := "ok"
		if got > limit {
			verdict = "MISSED"
		}
		out = append(out, fmt.Sprintf("%-6s %-44s %8.2f s (target <= %.2f x %.2f s + %v = %.2f s)", verdict, "apply in the large tenant",
			got.Seconds(), t.LargeApply, q.Seconds(), t.LargeSlack, limit.Seconds()))
	}
	return out
}
