package provider

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
)

// testCLI is the CLI the acceptance tests run (TF_ACC_TERRAFORM_PATH, as
// the make targets set it): its path, whether it is OpenTofu, its version.
type testCLI struct {
	path    string
	tofu    bool
	version *version.Version
}

var (
	cliOnce sync.Once
	cli     testCLI
	cliErr  string
)

func theCLI(t *testing.T) testCLI {
	t.Helper()
	cliOnce.Do(func() {
		cli.path = os.Getenv("TF_ACC_TERRAFORM_PATH")
		if cli.path == "" {
			cliErr = "TF_ACC_TERRAFORM_PATH is not set (the make targets set it)"
			return
		}
		cmd := exec.Command(cli.path, "version")
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			cliErr = cli.path + " version: " + err.Error()
			return
		}
		first, _, _ := strings.Cut(string(out), "\n")
		name, v, ok := strings.Cut(first, " v")
		cli.tofu = name == "OpenTofu"
		if cli.version, err = version.NewVersion(v); !ok || err != nil {
			cliErr = "cannot read the version in " + first
		}
	})
	if cliErr != "" {
		t.Fatal(cliErr)
	}
	return cli
}

// skipBelow is a TestStep.SkipFunc for steps that need a newer CLI than
// the test case does.
func skipBelow(t *testing.T, least *version.Version) func() (bool, error) {
	return func() (bool, error) { return theCLI(t).version.LessThan(least), nil }
}
