// Package bench measures how long the real Terraform CLI takes to apply, plan,
// update and destroy many immuta_redshift_integration resources against the
// emulator, compared with the CLI's own cost, and how many API requests and how
// much poll lag that took. cmd/immuta-bench is its command; `make bench` runs it.
//
// The ideal of a phase is what the same CLI, in the same run, takes for the same
// phase over N of its built-in terraform_data resources at the same parallelism,
// plus ceil(N/p)·transition: the time Immuta itself needs when p operations run
// at once. A provider that noticed every settlement at once and cost nothing
// would score a ratio of 1.
package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

var nan = math.NaN()

// Config is what a run measures.
type Config struct {
	Name        string        // the scenario's name, "" for a custom run
	N           int           // integrations (and terraform_data resources)
	Parallelism int           // the CLI's -parallelism
	Transition  time.Duration // the emulator's creating/editing/deleting time
	Latency     time.Duration // the emulator's added latency per request
	Foreign     int           // integrations of other types the tenant holds besides (a large tenant)
	CLI         string        // Terraform (or OpenTofu) binary
	RepoRoot    string        // the provider's module root, built with go build
	Keep        bool          // keep the work directory (CLI and emulator logs)
	Progress    io.Writer     // progress lines; nil for none
}

// Phase is one step of the run, measured for both configurations.
type Phase struct {
	Name      string
	Wall      time.Duration // the immuta configuration
	Baseline  time.Duration // the terraform_data configuration
	Ideal     time.Duration
	Requests  int
	ByRoute   map[string]int
	Lags      []float64 // ms, sorted
	Unseen    int       // settlements no request observed
	PeakKiB   int64     // largest VmHWM among the phase's provider processes
	Providers int       // provider processes the CLI started in the phase
}

// Ratio is Wall/Ideal.
func (p Phase) Ratio() float64 { return p.Wall.Seconds() / p.Ideal.Seconds() }

// Report is the outcome of Run.
type Report struct {
	Config     Config
	CLIVersion string
	Phases     []Phase
}

// phases in the order they run; transit says whether Immuta has to settle.
var phases = []struct {
	name    string
	transit bool
}{{"apply", true}, {"plan", false}, {"update", true}, {"destroy", true}}

const providerVersion = "0.1.0"

// Run builds the provider and the emulator, then runs every phase, first over
// terraform_data, then over the integrations.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.N < 1 || cfg.Parallelism < 1 {
		return nil, errors.New("n and parallelism must be at least 1")
	}
	say := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "bench: "+format+"\n", args...)
		}
	}
	work, err := os.MkdirTemp("", "immuta-bench-")
	if err != nil {
		return nil, err
	}
	if cfg.Keep {
		say("work directory %s is kept", work)
	} else {
		defer os.RemoveAll(work)
	}

	say("building the provider and the emulator")
	provider := filepath.Join(work, "terraform-provider-immuta_v"+providerVersion)
	emuBin := filepath.Join(work, "immuta-emulator")
	if err := goBuild(ctx, cfg.RepoRoot, provider, "."); err != nil {
		return nil, err
	}
	if err := goBuild(ctx, cfg.RepoRoot, emuBin, "./internal/emulator/cmd/immuta-emulator"); err != nil {
		return nil, err
	}
	cliConfig, err := installMirror(work, provider)
	if err != nil {
		return nil, err
	}

	apiKey := randomKey()
	emu, err := startEmulator(ctx, emuBin, filepath.Join(work, "emulator.log"), apiKey, cfg.Transition, cfg.Latency, cfg.Foreign)
	if err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	defer emu.stop()
	say("emulator at %s (transition %v, latency %v, %d integrations of other types)", emu.url, cfg.Transition, cfg.Latency, cfg.Foreign)

	env := cliEnv(cliConfig, emu.url, apiKey)
	base := &tfDir{cli: cfg.CLI, dir: filepath.Join(work, "baseline"), env: env, n: cfg.N, p: cfg.Parallelism}
	imm := &tfDir{cli: cfg.CLI, dir: filepath.Join(work, "immuta"), env: env, n: cfg.N, p: cfg.Parallelism}
	if err := base.write(baselineHCL); err != nil {
		return nil, err
	}
	if err := imm.write(immutaHCL); err != nil {
		return nil, err
	}
	rep := &Report{Config: cfg, CLIVersion: cliVersion(ctx, cfg.CLI, env)}
	say("%s; terraform init", rep.CLIVersion)
	for _, d := range []*tfDir{base, imm} {
		if _, err := d.run(ctx, "init", "init", "-input=false", "-no-color"); err != nil {
			return nil, err
		}
	}

	waves := (cfg.N + cfg.Parallelism - 1) / cfg.Parallelism
	for _, ph := range phases {
		p := Phase{Name: ph.name}
		if p.Baseline, err = base.phase(ctx, ph.name, nil); err != nil {
			return nil, err
		}
		if err := emu.resetStats(ctx); err != nil {
			return nil, err
		}
		var mem *memWatch
		if p.Wall, err = imm.phase(ctx, ph.name, func(pid int) { mem = watchMemory(pid, provider, 50*time.Millisecond) }); err != nil {
			return nil, err
		}
		p.PeakKiB, p.Providers = mem.Stop()
		var st emulatorStats
		var ss []settlement
		if err := emu.getJSON(ctx, "/_emulator/stats", &st); err != nil {
			return nil, err
		}
		if err := emu.getJSON(ctx, "/_emulator/settlements", &ss); err != nil {
			return nil, err
		}
		p.Requests, p.ByRoute = st.Requests, st.ByRoute
		p.Lags, p.Unseen = lagsMs(ss)
		p.Ideal = p.Baseline
		if ph.transit {
			p.Ideal += time.Duration(waves) * cfg.Transition
		}
		say("%-7s %6.2fs (terraform_data %5.2fs, ideal %5.2fs, ratio %.2f), %d requests", p.Name,
			p.Wall.Seconds(), p.Baseline.Seconds(), p.Ideal.Seconds(), p.Ratio(), p.Requests)
		rep.Phases = append(rep.Phases, p)
	}
	return rep, nil
}

func goBuild(ctx context.Context, root, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, buf.String())
	}
	return nil
}

// installMirror puts the provider into a filesystem mirror under both registry
// host names (Terraform and OpenTofu) and writes a CLI configuration of the
// harness's own that installs it from there, so that ~/.terraformrc and
// TF_CLI_CONFIG_FILE of the environment play no part.
func installMirror(work, provider string) (string, error) {
	mirror := filepath.Join(work, "mirror")
	for _, registry := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, registry, "immuta", "immuta", providerVersion, runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		if err := os.Link(provider, filepath.Join(dir, filepath.Base(provider))); err != nil {
			return "", err
		}
	}
	cfg := filepath.Join(work, "cli.tfrc")
	body := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/immuta/immuta", "registry.opentofu.org/immuta/immuta"]
  }
}
`, mirror)
	return cfg, os.WriteFile(cfg, []byte(body), 0o600)
}

// cliEnv is the environment minus every TF_ and IMMUTA_ variable of the caller,
// plus the harness's own.
func cliEnv(cliConfig, url, apiKey string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "IMMUTA_") || strings.HasPrefix(kv, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"CHECKPOINT_DISABLE=1", "IMMUTA_HOST="+url, "IMMUTA_API_TOKEN="+apiKey)
}

func cliVersion(ctx context.Context, cli string, env []string) string {
	cmd := exec.CommandContext(ctx, cli, "version", "-json")
	cmd.Env = env
	out, err := cmd.Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil || v.Version == "" {
		return filepath.Base(cli) + " (version unknown)"
	}
	return filepath.Base(cli) + " " + v.Version
}

func randomKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "bench-" + hex.EncodeToString(b)
}

// tfDir is one root module and the CLI that drives it.
type tfDir struct {
	cli, dir string
	env      []string
	n, p     int
	runs     int
}

func (d *tfDir) write(hcl string) error {
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.dir, "main.tf"), []byte(hcl), 0o644)
}

// phase runs one phase and returns its wall time, from the CLI's start to its
// exit. started, if set, gets the CLI's pid.
func (d *tfDir) phase(ctx context.Context, name string, started func(pid int)) (time.Duration, error) {
	vars := []string{"-var", fmt.Sprintf("n=%d", d.n), "-var", "database=immuta"}
	common := append([]string{"-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", d.p)}, vars...)
	var args []string
	switch name {
	case "apply":
		args = append([]string{"apply", "-auto-approve"}, common...)
	case "plan":
		// -detailed-exitcode: 0 is a no-op plan, 2 would mean drift.
		args = append([]string{"plan", "-detailed-exitcode"}, common...)
	case "update":
		args = append([]string{"apply", "-auto-approve"}, common...)
		args[len(args)-1] = "database=immuta_updated"
	case "destroy":
		args = append([]string{"destroy", "-auto-approve"}, common...)
	}
	return d.runTimed(ctx, name, started, args...)
}

func (d *tfDir) run(ctx context.Context, name string, args ...string) (time.Duration, error) {
	return d.runTimed(ctx, name, nil, args...)
}

func (d *tfDir) runTimed(ctx context.Context, name string, started func(pid int), args ...string) (time.Duration, error) {
	d.runs++
	logPath := filepath.Join(d.dir, fmt.Sprintf("%02d-%s.log", d.runs, name))
	logf, err := os.Create(logPath)
	if err != nil {
		return 0, err
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, d.cli, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = d.dir, d.env, logf, logf
	// On interrupt, let the CLI stop its providers itself.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	if started != nil {
		started(cmd.Process.Pid)
	}
	err = cmd.Wait()
	wall := time.Since(start)
	if err != nil {
		tail, _ := os.ReadFile(logPath)
		if len(tail) > 3000 {
			tail = tail[len(tail)-3000:]
		}
		return wall, fmt.Errorf("%s in %s: %s %s: %w\n%s", name, filepath.Base(d.dir), filepath.Base(d.cli), strings.Join(args, " "), err, tail)
	}
	return wall, nil
}

const baselineHCL = `# The CLI's own cost: N built-in resources, no provider plugin.
variable "n" { type = number }
variable "database" { type = string }

resource "terraform_data" "r" {
  count = var.n
  input = {
    host     = "bench-${count.index}.abc123.us-east-1.redshift.amazonaws.com"
    database = var.database
  }
}
`

const immutaHCL = `terraform {
  required_providers {
    immuta = { source = "immuta/immuta" }
  }
}

# host and api_token come from IMMUTA_HOST and IMMUTA_API_TOKEN.
provider "immuta" {}

variable "n" { type = number }
variable "database" { type = string }

resource "immuta_redshift_integration" "r" {
  count               = var.n
  host                = "bench-${count.index}.abc123.us-east-1.redshift.amazonaws.com"
  database            = var.database
  username            = "immuta_system"
  password_wo         = "bench-Redshift-pw-1"
  password_wo_version = 1
  impersonation = {
    enabled = false
  }
}
`
