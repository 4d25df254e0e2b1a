package provider

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

func TestInsecureRemote(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]bool{
		"http://127.0.0.1:8089":    false,
		"http://localhost:8089":    false,
		"http://[::1]:8089":        false,
		"https://acme.immuta.com":  false,
		"http://acme.immuta.com":   true,
		"http://10.0.0.12":         true,
		"HTTP://Acme.Immuta.Com/":  true,
		"https://10.0.0.12:8443/":  false,
		"http://localhost.evil.io": true,
	} {
		if got := insecureRemote(url); got != want {
			t.Errorf("insecureRemote(%q) = %v, want %v", url, got, want)
		}
	}
}

const scriptOnly = `
data "immuta_integration_script" "test" {
  action         = "delete"
  integration_id = "1"
}
`

// Missing settings are a configure-time error that names the attribute
// and its environment variable. Not parallel: it clears the environment.
func TestAccProvider_missingSettings(t *testing.T) {
	t.Setenv(EnvHost, "")
	t.Setenv(EnvAPIToken, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      "provider \"immuta\" {\n  api_token = \"t\"\n}\n" + scriptOnly,
				ExpectError: regexp.MustCompile(`(?s)Missing Immuta host.*IMMUTA_HOST`),
			},
			{
				Config:      "provider \"immuta\" {\n  host = \"https://acme.immuta.com\"\n}\n" + scriptOnly,
				ExpectError: regexp.MustCompile(`(?s)Missing Immuta API token.*IMMUTA_API_TOKEN`),
			},
			{
				Config:      "provider \"immuta\" {\n  host      = \"ftp://acme.immuta.com\"\n  api_token = \"t\"\n}\n" + scriptOnly,
				ExpectError: regexp.MustCompile(`(?s)Invalid Immuta host`),
			},
			{
				Config: "provider \"immuta\" {\n  host           = \"https://acme.immuta.com\"\n  api_token      = \"t\"\n" +
					"  ca_certificate = \"/etc/ssl/private-ca.pem\"\n}\n" + scriptOnly,
				ExpectError: regexp.MustCompile(`(?s)Invalid CA certificate.*not a file path`),
			},
		},
	})
}

// The provider reads IMMUTA_HOST and IMMUTA_API_TOKEN when the block
// leaves them out. Not parallel: it sets the environment.
func TestAccProvider_environment(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	t.Setenv(EnvHost, env.url)
	t.Setenv(EnvAPIToken, env.token)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
data "immuta_integration_script" "test" {
  action   = "cleanup"
  host     = %q
  database = "immuta"
  username = "u"
  password = "p"
}
`, env.host("env")),
			Check: resource.TestMatchResourceAttr("data.immuta_integration_script.test", "script", regexp.MustCompile(`-- Immuta cleanup script`)),
		}},
	})
}

// A tenant behind a private CA: refused without ca_certificate, trusted
// with it. The requests carry the provider's User-Agent.
func TestAccProvider_privateCA(t *testing.T) {
	t.Parallel()
	if realTenant() {
		t.Skip("uses a local TLS server")
	}
	emu := emulator.New(emulator.WithAPIKey("tls-token"))
	defer emu.Close()
	var mu sync.Mutex
	agents := map[string]bool{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		emu.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	cfg := func(ca string) string {
		return fmt.Sprintf(`
provider "immuta" {
  host           = %q
  api_token      = "tls-token"
  ca_certificate = %s
}

data "immuta_integration_script" "test" {
  action   = "create"
  host     = "tls.redshift.example.internal"
  database = "immuta"
  username = "u"
  password = "p"
}
`, srv.URL, ca)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg("null"), ExpectError: regexp.MustCompile(`(?i)certificate`)},
			{
				Config: cfg("<<-EOT\n" + caPEM + "EOT"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr("data.immuta_integration_script.test", "script", regexp.MustCompile(`-- Immuta create script`)),
					func(*terraform.State) error {
						mu.Lock()
						defer mu.Unlock()
						for ua := range agents {
							if strings.HasPrefix(ua, "terraform-provider-immuta/test") {
								return nil
							}
						}
						return fmt.Errorf("no request carried the provider's User-Agent; saw %v", agents)
					},
				),
			},
		},
	})
}
