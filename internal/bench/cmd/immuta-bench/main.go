// Command immuta-bench drives the real Terraform CLI over many
// immuta_redshift_integration resources against the emulator and prints how
// close to the ideal each phase came (see package bench). `make bench` runs it;
// flags: -n -parallelism -transition -latency -cli -keep.
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
	flag.IntVar(&cfg.N, "n", 50, "integrations, and terraform_data resources for the baseline")
	flag.IntVar(&cfg.Parallelism, "parallelism", 10, "the CLI's -parallelism")
	flag.DurationVar(&cfg.Transition, "transition", 2300*time.Millisecond, "how long creating, editing and deleting last in the emulator")
	flag.DurationVar(&cfg.Latency, "latency", 10*time.Millisecond, "latency the emulator adds to each request")
	flag.StringVar(&cfg.CLI, "cli", "", "Terraform or OpenTofu binary (default: scripts/terraform-cli.sh, else terraform on PATH)")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the work directory with the CLI and emulator logs")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "immuta-bench: unexpected arguments %q\n", flag.Args())
		return 2
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
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "immuta-bench:", err)
		return 1
	}
	rep.WriteTable(os.Stdout)
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
