package bench

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
)

// WriteTable prints the per-phase table (Markdown, so that it can be pasted
// into the README), the requests by route, and then the summary line.
func (r *Report) WriteTable(w io.Writer) {
	c := r.Config
	name := ""
	if c.Name != "" {
		name = "scenario " + c.Name + ": "
	}
	tenant := ""
	if c.Foreign > 0 {
		tenant = fmt.Sprintf(", tenant with %d integrations of other types", c.Foreign)
	}
	fmt.Fprintf(w, "\n%s%d integrations, -parallelism=%d, transition %v, latency %v%s, %s\n\n",
		name, c.N, c.Parallelism, c.Transition, c.Latency, tenant, r.CLIVersion)
	fmt.Fprintln(w, "| phase | wall s | terraform_data s | ideal s | ratio | requests | per resource | lag p50 ms | lag p95 ms | peak MiB |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, p := range r.Phases {
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %.2f | %d | %.2f | %s | %s | %s |\n",
			p.Name, p.Wall.Seconds(), p.Baseline.Seconds(), p.Ideal.Seconds(), p.Ratio(),
			p.Requests, float64(p.Requests)/float64(c.N),
			ms(percentile(p.Lags, 50)), ms(percentile(p.Lags, 95)), mib(p.PeakKiB))
	}
	fmt.Fprintf(w, "| apply + plan + destroy | | | | | %d | %.2f | | | |\n\n", r.lifecycleRequests(), r.RequestsPerResource())
	for _, p := range r.Phases {
		routes := slices.Sorted(maps.Keys(p.ByRoute))
		parts := make([]string, 0, len(routes))
		for _, k := range routes {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, p.ByRoute[k]))
		}
		extra := ""
		if p.Unseen > 0 {
			extra = fmt.Sprintf("; %d settlements never observed", p.Unseen)
		}
		fmt.Fprintf(w, "%-8s %s (%d provider processes sampled%s)\n", p.Name+":", strings.Join(parts, ", "), p.Providers, extra)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, r.Summary())
}

// Summary is the machine-readable last line. lag_p95_ms pools the settlements
// of apply, update and destroy; create_requests counts every API request of the
// apply phase; requests_per_resource is apply + no-op plan + destroy over N.
func (r *Report) Summary() string {
	prefix := "bench: "
	if r.Config.Name != "" {
		prefix += "scenario=" + r.Config.Name + " "
	}
	return prefix + fmt.Sprintf("apply_ratio=%.2f update_ratio=%.2f destroy_ratio=%.2f lag_p95_ms=%s create_requests=%d plan_requests_per_resource=%.2f requests_per_resource=%.2f",
		r.phase("apply").Ratio(), r.phase("update").Ratio(), r.phase("destroy").Ratio(),
		ms(r.LagP95()), r.phase("apply").Requests,
		float64(r.phase("plan").Requests)/float64(r.Config.N), r.RequestsPerResource())
}

// LagP95 is the 95th percentile of the lags of apply, update and destroy pooled, in ms.
func (r *Report) LagP95() float64 {
	var lags []float64
	for _, p := range r.Phases {
		lags = append(lags, p.Lags...)
	}
	slices.Sort(lags)
	return percentile(lags, 95)
}

// RequestsPerResource is the requests of apply, no-op plan and destroy over N.
func (r *Report) RequestsPerResource() float64 {
	return float64(r.lifecycleRequests()) / float64(r.Config.N)
}

func (r *Report) lifecycleRequests() int {
	return r.phase("apply").Requests + r.phase("plan").Requests + r.phase("destroy").Requests
}

func (r *Report) phase(name string) Phase {
	for _, p := range r.Phases {
		if p.Name == name {
			return p
		}
	}
	return Phase{Name: name}
}

func ms(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", v)
}

func mib(kib int64) string {
	if kib <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(kib)/1024)
}
