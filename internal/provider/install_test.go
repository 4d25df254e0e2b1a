package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// installConfig is a team's configuration: this provider and a second one
// from a registry (the echo provider, served by a registry stand-in), with
// source = "immuta/immuta" and no version constraint, as the README shows.
func installConfig(e *accEnv, echoSource, host string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
    echo = {
      source  = %q
      version = "1.0.0"
    }
  }
}

data "echo" "team" {
  input = "from the second provider"
}

`, echoSource) + e.integrationConfig(host, e.database, "") + `
output "echo" {
  value = data.echo.team.output
}

output "status" {
  value = immuta_redshift_integration.test.status
}
`
}

// The README's install route, as written: make install prints the CLI
// configuration, the user saves it and points TF_CLI_CONFIG_FILE at it, and
// init, apply, plan and destroy work in a configuration that also uses
// another registry's provider, with Terraform and with OpenTofu, and nothing
// from the network. Before make install existed the README had no such route:
// dev_overrides alone makes init look this provider up in the registry.
func TestAccInstall_mirrorRoute(t *testing.T) {
	cli := newCLIWorkdir(t).cli
	t.Parallel()
	e := newAccEnv(t)
	e.needsEmulator(t)
	key := newGPGKey(t)
	reg := echoProviderRelease(t, key)
	echoSource := reg.host + "/test/echo"

	// make install > immuta.tfrc, from the repository root.
	mirror := filepath.Join(t.TempDir(), "mirror")
	env := userEnv("SSL_CERT_FILE=" + reg.caFile)
	tfrcText, stderr, code := runIn(t, repoRoot(t), env, "make", "install", "MIRROR_DIR="+mirror)
	if code != 0 {
		t.Fatalf("make install exited %d:\n%s", code, stderr)
	}
	osArch := runtime.GOOS + "_" + runtime.GOARCH
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(mirror, host, "immuta", "immuta", "0.1.0", osArch, "terraform-provider-immuta_v0.1.0")
		if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("make install did not install an executable %s: %v", bin, err)
		}
		if !strings.Contains(tfrcText, `"`+host+`/immuta/immuta"`) {
			t.Errorf("the printed CLI configuration does not name %s/immuta/immuta:\n%s", host, tfrcText)
		}
	}
	if !strings.HasPrefix(tfrcText, "# CLI configuration") || !strings.Contains(tfrcText, "filesystem_mirror") {
		t.Fatalf("make install printed something other than the CLI configuration on stdout:\n%s", tfrcText)
	}

	dir := t.TempDir()
	tfrc := filepath.Join(dir, "immuta.tfrc")
	if err := os.WriteFile(tfrc, []byte(tfrcText), 0o600); err != nil {
		t.Fatal(err)
	}
	host := e.host("install")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(installConfig(e, echoSource, host)), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+tfrc)
	tf := func(args ...string) string {
		t.Helper()
		return mustRunIn(t, dir, env, cli.path, append(args, "-no-color")...)
	}

	out := tf("init")
	registry := "registry.terraform.io"
	if cli.tofu {
		registry = "registry.opentofu.org"
	}
	for _, want := range []string{"immuta/immuta v0.1.0", "test/echo v1.0.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("init did not install %s:\n%s", want, out)
		}
	}
	lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`provider "` + registry + `/immuta/immuta"`, `provider "` + echoSource + `"`} {
		if !strings.Contains(string(lock), want) {
			t.Errorf("the lock file has no %s:\n%s", want, lock)
		}
	}

	out = tf("apply", "-auto-approve")
	if !strings.Contains(out, `echo = "from the second provider"`) || !strings.Contains(out, `status = "enabled"`) {
		t.Errorf("apply did not use both providers:\n%s", out)
	}
	if _, ok := e.remote(host); !ok {
		t.Errorf("apply created no integration on %s in the emulator:\n%s", host, out)
	}
	if _, _, code := runIn(t, dir, env, cli.path, "plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Errorf("plan after apply exited %d, want 0 (no changes)", code)
	}
	tf("destroy", "-auto-approve")
	if _, ok := e.remote(host); ok {
		t.Errorf("destroy left the integration on %s in the emulator", host)
	}

	// The direct block's exclude is what keeps init off the network: without
	// it the CLI asks the registry for this provider too, and fails.
	noExclude := regexp.MustCompile(`(?s)direct \{.*?\n  \}`).ReplaceAllString(tfrcText, "direct {}")
	if noExclude == tfrcText {
		t.Fatalf("no direct block to replace in:\n%s", tfrcText)
	}
	if err := os.WriteFile(tfrc, []byte(noExclude), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, ".terraform")); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := runIn(t, dir, env, cli.path, "init", "-upgrade", "-no-color"); code == 0 {
		t.Errorf("init without direct's exclude succeeded with no network; the test cannot tell whether the registry was asked:\n%s%s", out, stderr)
	}
}

// The README's dev_overrides route, as written, with the lines for both
// registries' addresses: plan and apply need no init for this provider, on
// Terraform and OpenTofu. With only the registry.terraform.io line (the
// README before issue 20) OpenTofu fails.
func TestAccInstall_devOverridesRoute(t *testing.T) {
	cli := newCLIWorkdir(t).cli
	t.Parallel()
	e := newAccEnv(t)
	e.needsEmulator(t)

	root := repoRoot(t)
	bin := filepath.Join(t.TempDir(), "bin")
	env := userEnv()
	// make build, as the README says, into a directory of the test's own.
	mustRunIn(t, root, env, "go", "build", "-o", filepath.Join(bin, "terraform-provider-immuta"), ".")

	overrides := func(hosts ...string) string {
		var b strings.Builder
		b.WriteString("provider_installation {\n  dev_overrides {\n")
		for _, h := range hosts {
			fmt.Fprintf(&b, "    %q = %q\n", h+"/immuta/immuta", bin)
		}
		b.WriteString("  }\n  direct {}\n}\n")
		return b.String()
	}
	host := e.host("overrides")
	cfg := `terraform {
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}
` + e.integrationConfig(host, e.database, "")

	for _, tc := range []struct {
		name  string
		hosts []string
		ok    bool
	}{
		{"both registries", []string{"registry.terraform.io", "registry.opentofu.org"}, true},
		{"terraform registry only", []string{"registry.terraform.io"}, !cli.tofu},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tfrc := filepath.Join(dir, "dev.tfrc")
			if err := os.WriteFile(tfrc, []byte(overrides(tc.hosts...)), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			env := append(env, "TF_CLI_CONFIG_FILE="+tfrc)
			out, stderr, code := runIn(t, dir, env, cli.path, "apply", "-auto-approve", "-no-color")
			if (code == 0) != tc.ok {
				t.Fatalf("apply with dev_overrides for %v exited %d, want success %v:\n%s%s", tc.hosts, code, tc.ok, out, stderr)
			}
			if !tc.ok {
				return
			}
			if !strings.Contains(out+stderr, "Provider development overrides are in effect") {
				t.Errorf("the CLI did not say it uses the override:\n%s%s", out, stderr)
			}
			mustRunIn(t, dir, env, cli.path, "destroy", "-auto-approve", "-no-color")
		})
	}
}
