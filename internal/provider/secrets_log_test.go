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
)

// Environment of the inner run of TestAccSecrets_traceLogs.
const (
	envSecretsInner = "IMMUTA_TEST_SECRETS_INNER"
	envSecretsURL   = "IMMUTA_TEST_SECRETS_URL"
	envSecretsToken = "IMMUTA_TEST_SECRETS_TOKEN"
)

// Secrets of the trace-log test: distinctive, so that a leak cannot hide.
const (
	tracePassword     = "Tr4ce-password-0f-the-system-account"
	traceSecretKey    = "Tr4ce-secret-access-key-wJalrXUtnFEMI"
	traceSessionToken = "Tr4ce-session-token-FwoGZXIvYXdzEJr"
	traceAccessKeyID  = "AKIATRACE0ACCESS0KEY"
)

// traceConfig takes every secret from a variable: the test harness logs
// the configuration it writes, which a user's pipeline would not.
func traceConfig(url, pwHost, akHost string) string {
	return fmt.Sprintf(`
variable "api_token" {
  type      = string
  sensitive = true
}

variable "password" {
  type      = string
  sensitive = true
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "session_token" {
  type      = string
  sensitive = true
}

variable "access_key_id" {
  type      = string
  sensitive = true
}

provider "immuta" {
  host      = %[1]q
  api_token = var.api_token
}

resource "immuta_redshift_integration" "password" {
  host     = %[2]q
  database = "immuta"
  username = "immuta_system"
  password = var.password
}

resource "immuta_redshift_integration" "access_key" {
  host                     = %[3]q
  database                 = "immuta"
  authentication_type      = "accessKey"
  database_user            = "immuta_db_user"
  access_key_id            = var.access_key_id
  secret_key_wo            = var.secret_key
  secret_key_wo_version    = 1
  session_token_wo         = var.session_token
  session_token_wo_version = 1
}

ephemeral "immuta_integration_script" "setup" {
  action   = "create"
  host     = %[2]q
  database = "immuta"
  username = "immuta_system"
  password = var.password
}

resource "terraform_data" "consume" {
  provisioner "local-exec" {
    command     = "test -n \"$S\""
    environment = { S = ephemeral.immuta_integration_script.setup.script }
  }
}

data "immuta_integration_script" "delete" {
  action         = "delete"
  integration_id = immuta_redshift_integration.password.id
}
`, url, pwHost, akHost)
}

// Apply and destroy through the real CLI with TF_LOG=trace: neither the
// API token, nor a password, nor a secret key, nor a script may appear in
// anything that is printed or logged. The test runs itself again in a
// child process, so that everything the CLI and the provider write can be
// captured.
func TestAccSecrets_traceLogs(t *testing.T) {
	if os.Getenv(envSecretsInner) == "1" {
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   wo111,
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{{
				Config: traceConfig(os.Getenv(envSecretsURL), "pw.trace.internal", "ak.trace.internal"),
				ConfigVariables: config.Variables{
					"api_token":     config.StringVariable(os.Getenv(envSecretsToken)),
					"password":      config.StringVariable(tracePassword),
					"secret_key":    config.StringVariable(traceSecretKey),
					"session_token": config.StringVariable(traceSessionToken),
					"access_key_id": config.StringVariable(traceAccessKeyID),
				},
			}},
		})
		return
	}
	env := newAccEnv(t)
	env.needsEmulator(t)
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	dir := t.TempDir()
	logFile := filepath.Join(dir, "tf.log")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestAccSecrets_traceLogs$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(),
		envSecretsInner+"=1", envSecretsURL+"="+env.url, envSecretsToken+"="+env.token,
		"TF_LOG=trace", "TF_LOG_PROVIDER_IMMUTA_HTTP=trace", "TF_ACC_LOG_PATH="+logFile)
	out, err := cmd.CombinedOutput()
	if d := os.Getenv("IMMUTA_TEST_KEEP_LOG"); d != "" {
		_ = os.WriteFile(filepath.Join(d, "out.txt"), out, 0o600)
		lg, _ := os.ReadFile(logFile)
		_ = os.WriteFile(filepath.Join(d, "log.txt"), lg, 0o600)
	}
	if err != nil {
		t.Fatalf("inner apply/destroy failed: %v\n%s", err, tail(out, 4000))
	}
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("no log written: %v", err)
	}
	all := string(out) + string(logs)

	// The capture must hold what it claims to: HTTP traffic of every kind,
	// with bodies, at trace level. Otherwise the absence of secrets proves nothing.
	for _, want := range []string{
		`path=/integrations/scripts/create`, `path=/integrations\s`, `method=DELETE`, `method=GET`,
		`request_body=`, `response_body=`, `<script: \d+ bytes masked>`, `\\"password\\":\\"\*\*\*\\"`, `\\"secretKey\\":\\"\*\*\*\\"`,
	} {
		if !regexp.MustCompile(want).MatchString(all) {
			t.Errorf("the trace output lacks %q: the test would prove nothing", want)
		}
	}
	if created := len(env.emu.Settlements()); created < 4 {
		t.Errorf("only %d settlements: the inner run did not create and destroy both integrations", created)
	}
	scriptMarkers := []string{"-- Immuta create script", "-- Immuta delete script", "CREATE USER", "GRANT ALL PRIVILEGES"}
	for name, secret := range map[string]string{
		"API token": env.token, "password": tracePassword, "secret key": traceSecretKey,
		"session token": traceSessionToken, "access key id": traceAccessKeyID,
	} {
		if n := strings.Count(all, secret); n > 0 {
			t.Errorf("the %s appears %d times in the trace output", name, n)
		}
	}
	for _, marker := range scriptMarkers {
		if strings.Contains(all, marker) {
			t.Errorf("script text %q appears in the trace output", marker)
		}
	}
	t.Logf("checked %d bytes of CLI output and logs", len(all))
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
