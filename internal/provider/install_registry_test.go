package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The install tests run the CLI as a user does, with nothing from the
// network: every provider comes from a local mirror or from registryStandIn,
// and the CLI's environment sends any other HTTP(S) request to a proxy that
// refuses connections (Go's proxy settings never apply to loopback
// addresses), so a try to reach a real registry fails the command.

// repoRoot is the repository root, seen from this package's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// userEnv is the environment of a user's shell for the CLI and make: the
// test harness's TF_* variables and make's sub-make variables (which make
// `make install` print "Entering directory" on stdout) are left out, and
// HTTP(S) goes to a refusing proxy.
func userEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "TF_"), k == "MAKEFLAGS", k == "MAKELEVEL", k == "MFLAGS",
			strings.EqualFold(k, "HTTP_PROXY"), strings.EqualFold(k, "HTTPS_PROXY"), strings.EqualFold(k, "NO_PROXY"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9",
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	return append(env, extra...)
}

// runIn runs name with args in dir and env, bounded by cliTimeout; it returns
// stdout, stderr and the exit code.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %s did not finish within %s:\n%s%s", name, strings.Join(args, " "), cliTimeout, stdout.String(), stderr.String())
	}
	code := 0
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		code = exit.ExitCode()
	}
	return stdout.String(), stderr.String(), code
}

// mustRunIn runs a command that must succeed and returns its stdout.
func mustRunIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	stdout, stderr, code := runIn(t, dir, env, name, args...)
	if code != 0 {
		t.Fatalf("%s %s exited %d:\n%s%s", filepath.Base(name), strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

// gpgKey is a throwaway signing key in a GNUPGHOME of its own.
type gpgKey struct {
	home, fingerprint, keyID, armor string
}

// newGPGKey makes a key, or skips the test where gpg is not installed.
func newGPGKey(t *testing.T) gpgKey {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skip("gpg not found: signing a release needs it (apt-get install gnupg)")
	}
	// gpg-agent's socket goes in home: the path must fit in a Unix socket
	// address (108 bytes), as t.TempDir's do.
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GNUPGHOME="+home)
	// Before t.TempDir removes home (cleanups run last first).
	t.Cleanup(func() { _ = exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run() })
	mustRunIn(t, home, env, "gpg", "--batch", "--passphrase", "", "--quick-generate-key",
		"Install Test <install-test@example.invalid>", "rsa2048", "sign", "1d")
	out := mustRunIn(t, home, env, "gpg", "--batch", "--with-colons", "--list-secret-keys")
	k := gpgKey{home: home}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, ":")
		if len(f) > 9 && f[0] == "fpr" && k.fingerprint == "" {
			k.fingerprint = f[9]
		}
	}
	if len(k.fingerprint) < 16 {
		t.Fatalf("no fingerprint in gpg's list:\n%s", out)
	}
	k.keyID = k.fingerprint[len(k.fingerprint)-16:]
	k.armor = mustRunIn(t, home, env, "gpg", "--batch", "--armor", "--export", k.fingerprint)
	return k
}

// sign writes file.sig, a detached binary signature, as goreleaser's signs
// step does.
func (k gpgKey) sign(t *testing.T, file string) {
	t.Helper()
	mustRunIn(t, k.home, append(os.Environ(), "GNUPGHOME="+k.home), "gpg", "--batch", "--local-user", k.fingerprint,
		"--output", file+".sig", "--detach-sign", file)
}

// zipBinary packs the file bin as name in a release zip at dst and returns
// the zip's SHA-256 in hex.
func zipBinary(t *testing.T, bin, name, dst string) string {
	t.Helper()
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err == nil {
		_, err = w.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = os.WriteFile(dst, buf.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// registryStandIn serves one provider, namespace/type at version, as a
// provider registry does (service discovery, the versions list, the download
// answer with SHA256SUMS, its signature and the signing key), over TLS for
// "localhost" on a loopback port. The CLI trusts it through SSL_CERT_FILE.
type registryStandIn struct {
	host   string // localhost:PORT, the source address's host
	caFile string
}

func newRegistryStandIn(t *testing.T, key gpgKey, namespace, typ, version, zipFile, sumsFile string) *registryStandIn {
	t.Helper()
	base := filepath.Base(zipFile)
	zipBytes, err := os.ReadFile(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(zipBytes)
	files := map[string]string{
		base:                             zipFile,
		filepath.Base(sumsFile):          sumsFile,
		filepath.Base(sumsFile) + ".sig": sumsFile + ".sig",
	}
	mux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	})
	prefix := fmt.Sprintf("/v1/providers/%s/%s/", namespace, typ)
	mux.HandleFunc("GET "+prefix+"versions", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"versions": []any{map[string]any{
			"version": version, "protocols": []string{"6.0"},
			"platforms": []any{map[string]string{"os": runtime.GOOS, "arch": runtime.GOARCH}},
		}}})
	})
	var srv *httptest.Server
	mux.HandleFunc("GET "+prefix+version+"/download/"+runtime.GOOS+"/"+runtime.GOARCH, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{
			"protocols": []string{"6.0"}, "os": runtime.GOOS, "arch": runtime.GOARCH,
			"filename": base, "shasum": hex.EncodeToString(sum[:]),
			"download_url":          srv.URL + "/files/" + base,
			"shasums_url":           srv.URL + "/files/" + filepath.Base(sumsFile),
			"shasums_signature_url": srv.URL + "/files/" + filepath.Base(sumsFile) + ".sig",
			"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]string{
				"key_id": key.keyID, "ascii_armor": key.armor,
			}}},
		})
	})
	mux.HandleFunc("GET /files/{name}", func(w http.ResponseWriter, r *http.Request) {
		p, ok := files[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, p)
	})

	cert, caPEM := localhostCert(t)
	srv = httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	srv.URL = "https://localhost:" + port
	caFile := filepath.Join(t.TempDir(), "registry-ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return &registryStandIn{host: "localhost:" + port, caFile: caFile}
}

// localhostCert is a self-signed certificate for localhost and 127.0.0.1.
func localhostCert(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	return cert, certPEM
}

// echoProviderRelease builds internal/echoprovider, the second provider of
// the install tests, as a signed release of version 1.0.0 in dir, and
// serves it from a registry stand-in at localhost:PORT/test/echo.
func echoProviderRelease(t *testing.T, key gpgKey) *registryStandIn {
	t.Helper()
	dir := t.TempDir()
	const version = "1.0.0"
	bin := filepath.Join(dir, "terraform-provider-echo")
	ctx, cancel := context.WithTimeout(t.Context(), cliTimeout)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./internal/echoprovider")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the echo provider: %v\n%s", err, out)
	}
	prefix := "terraform-provider-echo_" + version
	zipFile := filepath.Join(dir, prefix+"_"+runtime.GOOS+"_"+runtime.GOARCH+".zip")
	sum := zipBinary(t, bin, "terraform-provider-echo_v"+version, zipFile)
	sumsFile := filepath.Join(dir, prefix+"_SHA256SUMS")
	if err := os.WriteFile(sumsFile, []byte(sum+"  "+filepath.Base(zipFile)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	key.sign(t, sumsFile)
	return newRegistryStandIn(t, key, "test", "echo", version, zipFile, sumsFile)
}
