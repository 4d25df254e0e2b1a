// Command immuta-bench drives the real Terraform CLI over many
// immuta_redshift_integration resources against the emulator and prints how
// close to the ideal each phase came (see package bench). `make bench` runs it.
// By default it runs every scenario of bench.Scenarios one after the other, each
// beside its own terraform_data baseline; -scenarios picks some; -n, -parallelism,
// -transition or -latency make one custom run instead. The large scenario
// (-scenarios large) is opt-in: it runs its workload in a small tenant and in one
// holding 100 000 integrations of other types, and prints the ratios.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx))
}

func run(ctx context.Context) int {
	var cfg bench.Config
	var scenarios string
	flag.StringVar(&scenarios, "scenarios", bench.DefaultScenarios, "scenarios to run, one after the other (known: "+bench.ScenarioNames()+")")
	flag.IntVar(&cfg.N, "n", 50, "custom run: integrations, and terraform_data resources for the baseline")
	flag.IntVar(&cfg.Parallelism, "parallelism", 10, "custom run: the CLI's -parallelism")
	flag.DurationVar(&cfg.Transition, "transition", 2300*time.Millisecond, "custom run: how long creating, editing and deleting last in the emulator")
	flag.DurationVar(&cfg.Latency, "latency", 10*time.Millisecond, "custom run: latency the emulator adds to each request")
	flag.StringVar(&cfg.CLI, "cli", "", "Terraform or OpenTofu binary (default: scripts/terraform-cli.sh, else terraform on PATH)")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the work directory with the CLI and emulator logs")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "immuta-bench: unexpected arguments %q\n", flag.Args())
		return 2
	}
	custom := false
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "n", "parallelism", "transition", "latency":
			custom = true
		}
	})
	var runs []bench.Scenario
	if custom {
		runs = []bench.Scenario{{N: cfg.N, Parallelism: cfg.Parallelism, Transition: cfg.Transition, Latency: cfg.Latency}}
	} else {
		for _, name := range strings.Split(scenarios, ",") {
			sc, err := bench.FindScenario(strings.TrimSpace(name))
			if err != nil {
				fmt.Fprintln(os.Stderr, "immuta-bench:", err)
				return 2
			}
			runs = append(runs, sc)
		}
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "immuta-bench:", err)
		return 2
	}
	cfg.RepoRoot = root
	if cfg.CLI == "" {
		if cfg.CLI, err = defaultCLI(ctx, root); err != nil {
			fmt.Fprintln(os.Stderr, "immuta-bench:", err)
			return 2
		}
	}
	cfg.Progress = os.Stderr
	var summaries []string
	missed := false
	for _, sc := range runs {
		rc := sc.Apply(cfg)
		if sc.Name == "" {
			rc.Name = ""
		}
		var small *bench.Report
		if rc.Foreign > 0 {
			// The same workload in a small tenant first, in the same session: the
			// large tenant's figures are read as ratios to these.
			sm := rc
			sm.Name, sm.Foreign = rc.Name+"-small", 0
			if small, err = bench.Run(ctx, sm); err != nil {
				fmt.Fprintln(os.Stderr, "immuta-bench:", err)
				return 1
			}
			small.WriteTable(os.Stdout)
			summaries = append(summaries, small.Summary())
		}
		rep, err := bench.Run(ctx, rc)
		if err != nil {
			fmt.Fprintln(os.Stderr, "immuta-bench:", err)
			return 1
		}
		rep.WriteTable(os.Stdout)
		for _, l := range sc.Targets.Check(rep) {
			fmt.Fprintln(os.Stdout, l)
			missed = missed || strings.HasPrefix(l, "MISSED")
		}
		if small != nil {
			for _, l := range sc.Targets.CompareTenants(rep, small) {
				fmt.Fprintln(os.Stdout, l)
				missed = missed || strings.HasPrefix(l, "MISSED")
			}
		}
		if f, ok := bench.FloorOf(rc.N, rc.Parallelism, rc.Transition); ok && rc.Foreign == 0 {
			fmt.Fprintln(os.Stdout, f.String(rc.N, rc.Transition))
		}
		summaries = append(summaries, rep.Summary())
	}
	if len(summaries) > 1 {
		fmt.Fprintln(os.Stdout)
		for _, l := range summaries {
			fmt.Fprintln(os.Stdout, l)
		}
	}
	if missed {
		// A measurement, not a test: a noisy machine can miss a target. Say so, but the
		// run itself worked.
		fmt.Fprintln(os.Stdout, "bench: some targets were missed in this run (see MISSED above)")
	}
	return 0
}

// moduleRoot finds the provider's go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/immuta/terraform-provider-immuta\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run me inside the terraform-provider-immuta module")
		}
		dir = parent
	}
}

func defaultCLI(ctx context.Context, root string) (string, error) {
	script := filepath.Join(root, "scripts", "terraform-cli.sh")
	if _, err := os.Stat(script); err == nil {
		cmd := exec.CommandContext(ctx, script)
		cmd.Stderr = os.Stderr
		if out, err := cmd.Output(); err == nil && strings.TrimSpace(string(out)) != "" {
			return strings.TrimSpace(string(out)), nil
		}
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("no CLI: pass -cli, or put terraform on PATH")
	}
	return p, nil
}
