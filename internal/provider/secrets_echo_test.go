package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// Environment of the inner run of TestAccSecrets_echoedByServer.
const (
	envEchoInner = "IMMUTA_TEST_ECHO_INNER"
	envEchoURL   = "IMMUTA_TEST_ECHO_URL"
	envEchoToken = "IMMUTA_TEST_ECHO_TOKEN"
	envEchoHost  = "IMMUTA_TEST_ECHO_HOST"
)

// echoPassword has every character that JSON, HTML, URL and YAML encodings change
// (issue 18's Pässw0rd'Zq&<x> among them), between two distinctive runs of plain
// letters that survive every encoding: whatever form an echo takes, and wherever a
// length limit cuts it, a leak shows one of them, as text or base64-decoded.
const (
	echoHead     = "Echo9head"
	echoTail     = "tail9Secret"
	echoPassword = echoHead + `<&>"'Pässw0rd'Zq&<x>` + echoTail
)

// echoKinds are the emulator's faults that refuse a request with its body echoed:
// one create meets each, in this order.
var echoKinds = []emulator.Fault{emulator.FaultEcho, emulator.FaultEchoUnescaped, emulator.FaultEchoHTML, emulator.FaultEchoURL,
	emulator.FaultEchoBase64, emulator.FaultEchoYAML}

func echoConfig(url, host string) string {
	return fmt.Sprintf(`
variable "api_token" {
  type      = string
  sensitive = true
}

variable "password" {
  type      = string
  sensitive = true
}

provider "immuta" {
  host      = %[1]q
  api_token = var.api_token
}

resource "immuta_redshift_integration" "test" {
  host     = %[2]q
  database = "immuta"
  username = "immuta_system"
  password = var.password
}
`, url, host)
}

// Defect 6 of issue 9, through the real CLI: the server refuses the create with an
// error that quotes the request body (JSON-escaped in both styles, inside HTML,
// URL-encoded; issue 18: base64-encoded, as single-quoted YAML), with TF_LOG=trace. Neither the password nor the API token may appear
// in anything printed or logged, in any encoding or fragment.
func TestAccSecrets_echoedByServer(t *testing.T) {
	if os.Getenv(envEchoInner) == "1" {
		cfg := echoConfig(os.Getenv(envEchoURL), os.Getenv(envEchoHost))
		vars := config.Variables{
			"api_token": config.StringVariable(os.Getenv(envEchoToken)),
			"password":  config.StringVariable(echoPassword),
		}
		var steps []resource.TestStep
		for range echoKinds {
			steps = append(steps, resource.TestStep{Config: cfg, ConfigVariables: vars, ExpectError: regexp.MustCompile(`400 Bad Request`)})
		}
		steps = append(steps, resource.TestStep{Config: cfg, ConfigVariables: vars})
		resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
		return
	}
	var opts []emulator.Option
	for _, k := range echoKinds {
		opts = append(opts, emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Kinds: []emulator.Fault{k}, Count: 1,
			Methods: []string{"POST"}, Paths: []string{"/integrations"}}))
	}
	env := newAccEnv(t, opts...)
	env.needsEmulator(t)
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	host := env.host("echo")
	dir := t.TempDir()
	logFile := filepath.Join(dir, "tf.log")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestAccSecrets_echoedByServer$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(),
		envEchoInner+"=1", envEchoURL+"="+env.url, envEchoToken+"="+env.token, envEchoHost+"="+host,
		"TF_LOG=trace", "TF_LOG_PROVIDER_IMMUTA_HTTP=trace", "TF_ACC_LOG_PATH="+logFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("inner run failed: %v\n%s", err, tail(out, 4000))
	}
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("no log written: %v", err)
	}
	all := string(out) + string(logs)

	// The capture must hold the echoes, or their absence proves nothing.
	st := env.emu.Stats()
	for _, k := range echoKinds {
		if st.Faults[k] != 1 {
			t.Errorf("fault %s injected %d times, want 1: %v", k, st.Faults[k], st.Faults)
		}
	}
	for _, want := range []string{`Invalid request payload`, `Invalid\+request\+payload|Invalid%20request%20payload|%22password%22`, `response_body=`, `400 Bad Request`,
		`Invalid request payload: eyJ[A-Za-z0-9+/]{20,}`, `host: '` + regexp.QuoteMeta(host) + `'`} {
		if !regexp.MustCompile(want).MatchString(all) {
			t.Errorf("the output lacks %q: the test would prove nothing", want)
		}
	}
	if st.Creations != 1 {
		t.Errorf("%d creations, want 1 (the last step)", st.Creations)
	}
	for name, secret := range map[string]string{"API token": env.token, "password": echoPassword} {
		for _, form := range encodedFormsYAML(secret) {
			if n := strings.Count(all, form); n > 0 {
				t.Errorf("the %s appears %d times as %q", name, n, form)
			}
		}
	}
	for _, frag := range []string{echoHead, echoTail, "Pässw0rd", env.token[:8]} {
		if n := strings.Count(all, frag); n > 0 {
			i := strings.Index(all, frag)
			t.Errorf("a fragment of a secret appears %d times, e.g. %q", n, all[max(0, i-80):min(len(all), i+80)])
		}
		if run, ok := decodesFromBase64(all, frag); ok {
			t.Errorf("a fragment %q of a secret decodes from the base64 run %q", frag, run)
		}
	}
	t.Logf("checked %d bytes of CLI output and logs", len(all))
}
