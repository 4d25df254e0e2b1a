package provider

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// poisonedRC is a ~/.terraformrc that breaks any Terraform that reads it: it
// sends provider installation to a mirror that does not exist.
const poisonedRC = `# sentinel: make demo must neither read nor write this file
provider_installation {
  network_mirror {
    url = "https://127.0.0.1:1/no-such-mirror/"
  }
}
`

// make demo runs the whole job with a CLI configuration of its own: with HOME
// pointing at a directory whose .terraformrc would break Terraform, the demo
// still succeeds, and the file is unchanged afterwards. It builds the
// provider, so it runs with the acceptance tests only.
func TestAccDemo_leavesTerraformrcAlone(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	home := t.TempDir()
	rc := filepath.Join(home, ".terraformrc")
	if err := os.WriteFile(rc, []byte(poisonedRC), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(rc, old, old); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home}
	// Keep Go's caches and the cached OpenTofu where they are: a new HOME would
	// otherwise rebuild everything.
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.CommandContext(t.Context(), "go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, k+"="+strings.TrimSpace(string(out)))
	}
	if d, err := os.UserHomeDir(); err == nil && os.Getenv("IMMUTA_TOOLS_CACHE") == "" {
		env = append(env, "IMMUTA_TOOLS_CACHE="+filepath.Join(d, ".cache", "terraform-provider-immuta"))
	}
	cmd := exec.CommandContext(t.Context(), "scripts/demo.sh")
	cmd.Dir = filepath.Join("..", "..")
	// The demo sets its own TF_CLI_CONFIG_FILE; the test harness's must not
	// hide whether it does.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "TF_ACC") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make demo failed: %v\n%s", err, tail(out, 4000))
	}
	if !bytes.Contains(out, []byte("Demo finished.")) {
		t.Fatalf("the demo did not finish:\n%s", tail(out, 4000))
	}
	got, err := os.ReadFile(rc)
	if err != nil {
		t.Fatalf("~/.terraformrc is gone: %v", err)
	}
	if string(got) != poisonedRC {
		t.Errorf("~/.terraformrc changed:\n%s", got)
	}
	if fi, err := os.Stat(rc); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("~/.terraformrc was written to (mtime %v, was %v)", fi.ModTime(), old)
	}
	for _, name := range []string{".terraform.d", "terraform.rc"} {
		if _, err := os.Stat(filepath.Join(home, name)); err == nil {
			t.Errorf("the demo left %s in HOME", name)
		}
	}
}
