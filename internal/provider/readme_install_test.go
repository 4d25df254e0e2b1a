package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The install tests (TestAccInstall_mirrorRoute, TestAccInstall_devOverridesRoute)
// run the README's recipes. This keeps the README saying what they run: the
// commands of the mirror route, and a dev_overrides block with both registries'
// addresses, which OpenTofu needs.
func TestReadmeGivesTheTestedInstallRecipes(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, want := range []string{
		"make install > immuta.tfrc",
		"export TF_CLI_CONFIG_FILE=$PWD/immuta.tfrc",
		"terraform init",
		"tofu init",
		`"registry.terraform.io/immuta/immuta"  = "$PWD/bin"`,
		`"registry.opentofu.org/immuta/immuta" = "$PWD/bin"`,
		"make tenant-check",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md no longer says %q, which the install tests run", want)
		}
	}
}
