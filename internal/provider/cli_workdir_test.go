package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-sdk/v2/plugin"
)

// cliWorkdir runs the acceptance tests' CLI in a directory of its own, for
// what terraform-plugin-testing cannot drive: -generate-config-out, then
// editing the configuration, then apply. As terraform-plugin-testing does,
// the provider is served from this process and the CLI attaches to it
// (TF_REATTACH_PROVIDERS); nothing is built or installed.
type cliWorkdir struct {
	t   *testing.T
	cli testCLI
	dir string
}

// cliTimeout bounds every command: a hung CLI fails the test, it does not
// hang it.
const cliTimeout = 3 * time.Minute

// providerSource is the address the CLI attaches the provider under; a
// configuration names it in full, which Terraform and OpenTofu both keep.
const providerSource = "registry.terraform.io/immuta/immuta"

func newCLIWorkdir(t *testing.T) *cliWorkdir {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc sets it)")
	}
	return &cliWorkdir{t: t, cli: theCLI(t), dir: t.TempDir()}
}

func (w *cliWorkdir) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *cliWorkdir) read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// run runs the CLI with args and returns its combined output and exit code.
func (w *cliWorkdir) run(args ...string) (string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	reattach := w.serve(ctx)

	cmd := exec.CommandContext(ctx, w.cli.path, append(args, "-no-color")...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+reattach,
		"TF_CLI_CONFIG_FILE="+w.cliConfig(),
		"TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"TF_LOG=", "TF_DATA_DIR="+filepath.Join(w.dir, ".terraform"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		w.t.Fatalf("%s %s did not finish within %s:\n%s", filepath.Base(w.cli.path), strings.Join(args, " "), cliTimeout, out.String())
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		w.t.Fatalf("%s %s: %v", w.cli.path, strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// mustRun runs the CLI and fails the test unless it exits with want.
func (w *cliWorkdir) mustRun(want int, args ...string) string {
	w.t.Helper()
	out, code := w.run(args...)
	if code != want {
		w.t.Fatalf("%s %s exited %d, want %d:\n%s", filepath.Base(w.cli.path), strings.Join(args, " "), code, want, out)
	}
	return out
}

// cliConfig is an empty CLI configuration file: OpenTofu prints a warning
// on stdout for a missing one (scripts/OPENTOFU.md).
func (w *cliWorkdir) cliConfig() string {
	p := filepath.Join(w.dir, ".cli.tfrc")
	if _, err := os.Stat(p); err != nil {
		w.write(".cli.tfrc", "# empty: the provider is attached, not installed\n")
	}
	return p
}

// serve starts the provider for one command, stopped when ctx ends, and
// returns the TF_REATTACH_PROVIDERS value that points the CLI at it.
func (w *cliWorkdir) serve(ctx context.Context) string {
	w.t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		w.t.Fatal(err)
	}
	cfg, closed, err := plugin.DebugServe(ctx, &plugin.ServeOpts{
		GRPCProviderV6Func:  func() tfprotov6.ProviderServer { return server },
		Logger:              hclog.New(&hclog.LoggerOptions{Output: io.Discard}),
		NoLogOutputOverride: true,
		UseTFLogSink:        w.t, // logs only where TF_LOG or TF_ACC_LOG_PATH asks, as in resource.Test
		ProviderAddr:        providerSource,
	})
	if err != nil {
		w.t.Fatalf("serving the provider: %v", err)
	}
	w.t.Cleanup(func() { <-closed })
	b, err := json.Marshal(map[string]plugin.ReattachConfig{providerSource: cfg})
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}
