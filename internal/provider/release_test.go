package provider

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// releaseTimeout bounds the snapshot release: on a cold cache `go tool`
// first compiles goreleaser (about 4 minutes on 2 cores; make test's
// release-check shares that build).
const releaseTimeout = 10 * time.Minute

// snapshotRelease runs goreleaser on .goreleaser.yml as committed, but for
// this machine's os and arch only and with its output in a temp dir (the
// repository's dist/ is left alone), signed with key. It returns the output
// dir and the release's version.
func snapshotRelease(t *testing.T, key gpgKey) (string, string) {
	t.Helper()
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	builds, ok := cfg["builds"].([]any)
	if !ok || len(builds) != 1 {
		t.Fatalf(".goreleaser.yml: want one build, got %v", cfg["builds"])
	}
	build := builds[0].(map[string]any)
	build["goos"], build["goarch"] = []string{runtime.GOOS}, []string{runtime.GOARCH}
	delete(build, "ignore")
	work := t.TempDir()
	dist := filepath.Join(work, "dist")
	cfg["dist"] = dist
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(work, "goreleaser.yml")
	if err := os.WriteFile(cfgFile, out, 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), releaseTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "tool", "-modfile=tools/go.mod", "goreleaser", "release",
		"--snapshot", "--clean", "--skip=publish", "--config", cfgFile)
	cmd.Dir = root
	cmd.Env = append(userEnv(), "GNUPGHOME="+key.home, "GPG_FINGERPRINT="+key.fingerprint)
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser release --snapshot: %v\n%s", err, tail(log, 4000))
	}

	meta, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(meta, &m); err != nil || m.Version == "" {
		t.Fatalf("no version in goreleaser's metadata.json (%v):\n%s", err, meta)
	}
	return dist, m.Version
}

// The release that goreleaser builds from .goreleaser.yml is what a registry
// serves (the zip per platform, SHA256SUMS, its signature, the manifest), and
// the CLI installs the provider from it: from a registry that serves these
// very files, with the CLI checking the signature and the checksums and
// recording them in the lock file, and from a filesystem mirror of the zips
// in the packed layout under source = "immuta/immuta", where the CLI refuses
// a zip that is not the one the lock file recorded.
func TestAccRelease_installsFromZips(t *testing.T) {
	cli := newCLIWorkdir(t).cli
	t.Parallel()
	e := newAccEnv(t)
	e.needsEmulator(t)
	key := newGPGKey(t)
	dist, version := snapshotRelease(t, key)

	prefix := "terraform-provider-immuta_" + version
	zipName := prefix + "_" + runtime.GOOS + "_" + runtime.GOARCH + ".zip"
	zipFile := filepath.Join(dist, zipName)
	sumsFile := filepath.Join(dist, prefix+"_SHA256SUMS")
	for _, f := range []string{zipFile, sumsFile, sumsFile + ".sig"} {
		if _, err := os.Stat(f); err != nil {
			entries, _ := os.ReadDir(dist)
			t.Fatalf("the release lacks %s: %v (it holds %v)", filepath.Base(f), err, entries)
		}
	}
	// The zip holds the binary, named as the CLI looks for it.
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	_ = zr.Close()
	if bin := "terraform-provider-immuta_v" + version; !contains(names, bin) {
		t.Errorf("%s holds %v, not %s", zipName, names, bin)
	}
	// SHA256SUMS lists the zip and the manifest with their hashes (the
	// manifest is terraform-registry-manifest.json, which release.extra_files
	// uploads under that name; a snapshot uploads nothing), and the signature
	// is a valid detached signature of it.
	sums, _ := os.ReadFile(sumsFile)
	b, _ := os.ReadFile(zipFile)
	zipHex := sha256Hex(b)
	manifest, _ := os.ReadFile(filepath.Join(repoRoot(t), "terraform-registry-manifest.json"))
	for name, sum := range map[string]string{zipName: zipHex, prefix + "_manifest.json": sha256Hex(manifest)} {
		if !strings.Contains(string(sums), sum+"  "+name+"\n") {
			t.Errorf("SHA256SUMS does not list %s with its hash %s:\n%s", name, sum, sums)
		}
	}
	gpgEnv := append(os.Environ(), "GNUPGHOME="+key.home)
	mustRunIn(t, key.home, gpgEnv, "gpg", "--batch", "--verify", sumsFile+".sig", sumsFile)

	// The required_providers entry: a snapshot's version is a prerelease,
	// which the CLI selects only when named exactly.
	cfg := func(source string) string {
		return fmt.Sprintf(`terraform {
  required_providers {
    immuta = {
      source  = %q
      version = %q
    }
  }
}
`, source, version) + e.integrationConfig(e.host("release"), e.database, "")
	}
	tfIn := func(dir, tfrc string, args ...string) (string, int) {
		t.Helper()
		out, stderr, code := runIn(t, dir, userEnv("TF_CLI_CONFIG_FILE="+tfrc), cli.path, append(args, "-no-color")...)
		return out + stderr, code
	}
	writeDir := func(tfrc, main string) string {
		dir := t.TempDir()
		for name, text := range map[string]string{"cli.tfrc": tfrc, "main.tf": main} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}

	t.Run("registry", func(t *testing.T) {
		reg := newRegistryStandIn(t, key, "immuta", "immuta", version, zipFile, sumsFile)
		dir := writeDir("# the registry stand-in is reached directly\n",
			cfg(reg.host+"/immuta/immuta"))
		tfrc := filepath.Join(dir, "cli.tfrc")
		out, code := runIn2(t, dir, tfrc, reg.caFile, cli.path, "init")
		if code != 0 {
			t.Fatalf("init from the registry stand-in exited %d:\n%s", code, out)
		}
		if !strings.Contains(out, "signed, key ID "+key.keyID) {
			t.Errorf("init did not check the release's signature (no \"signed, key ID %s\"):\n%s", key.keyID, out)
		}
		lock, _ := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
		if !strings.Contains(string(lock), `"zh:`+zipHex+`"`) {
			t.Errorf("the lock file does not record SHA256SUMS's zh:%s:\n%s", zipHex, lock)
		}
		if out, code := runIn2(t, dir, tfrc, reg.caFile, cli.path, "plan"); code != 0 {
			t.Errorf("plan with the released provider exited %d:\n%s", code, out)
		}
	})

	t.Run("packed mirror", func(t *testing.T) {
		mirror := t.TempDir()
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			d := filepath.Join(mirror, host, "immuta", "immuta")
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(d, zipName), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		include := `["registry.terraform.io/immuta/immuta", "registry.opentofu.org/immuta/immuta"]`
		tfrcText := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = %s\n  }\n  direct {\n    exclude = %s\n  }\n}\n", mirror, include, include)
		dir := writeDir(tfrcText, cfg("immuta/immuta"))
		tfrc := filepath.Join(dir, "cli.tfrc")
		if out, code := tfIn(dir, tfrc, "init"); code != 0 || !strings.Contains(out, "immuta/immuta v"+version) {
			t.Fatalf("init from the packed mirror exited %d:\n%s", code, out)
		}
		if out, code := tfIn(dir, tfrc, "plan"); code != 0 {
			t.Errorf("plan with the released provider exited %d:\n%s", code, out)
		}
		lock, _ := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
		if !regexp.MustCompile(`"h1:[A-Za-z0-9+/=]+"`).Match(lock) {
			t.Fatalf("the lock file records no h1: checksum:\n%s", lock)
		}

		// Another zip of the same version in the mirror: the CLI checks it
		// against the lock file and refuses it.
		other := filepath.Join(t.TempDir(), "other")
		if err := os.WriteFile(other, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			zipBinary(t, other, "terraform-provider-immuta_v"+version, filepath.Join(mirror, host, "immuta", "immuta", zipName))
		}
		if err := os.RemoveAll(filepath.Join(dir, ".terraform")); err != nil {
			t.Fatal(err)
		}
		out, code := tfIn(dir, tfrc, "init")
		if code == 0 || !strings.Contains(out, "checksum") {
			t.Errorf("init installed a zip that does not match the lock file (exit %d):\n%s", code, out)
		}
	})
}

// runIn2 runs the CLI with the CLI configuration tfrc and trusting caFile,
// and returns its combined output and exit code.
func runIn2(t *testing.T, dir, tfrc, caFile, cli string, args ...string) (string, int) {
	t.Helper()
	out, stderr, code := runIn(t, dir, userEnv("TF_CLI_CONFIG_FILE="+tfrc, "SSL_CERT_FILE="+caFile), cli, append(args, "-no-color")...)
	return out + stderr, code
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
