package provider

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// Variables that point the acceptance tests at a real tenant instead of
// the emulator. Tests that need to steer the API (fault injection,
// out-of-band changes) skip there.
const (
	envRedshiftHost     = "IMMUTA_REDSHIFT_HOST"
	envRedshiftDatabase = "IMMUTA_REDSHIFT_DATABASE"
	envRedshiftUser     = "IMMUTA_REDSHIFT_USERNAME"
	envRedshiftPassword = "IMMUTA_REDSHIFT_PASSWORD"
)

var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"immuta": providerserver.NewProtocol6WithError(New("test")()),
}

// accEnv is where one acceptance test runs: its own emulator, or the
// tenant named by the environment.
type accEnv struct {
	emu      *emulator.Server // nil against a real tenant
	url      string
	token    string
	database string
	username string
	password string
	hostBase string
	port     int64
}

var (
	hostSeq  atomic.Int64
	tenantMu sync.Mutex
)

func realTenant() bool {
	return os.Getenv(EnvHost) != "" && os.Getenv(EnvAPIToken) != "" && os.Getenv(envRedshiftHost) != ""
}

// newAccEnv starts an emulator for the test, unless a tenant is configured.
func newAccEnv(t *testing.T, opts ...emulator.Option) *accEnv {
	t.Helper()
	if realTenant() {
		if len(opts) > 0 {
			t.Skip("a variant of the emulator's answers; against a real tenant the plain test covers it")
		}
		// One Redshift host allows one integration: tests take turns.
		tenantMu.Lock()
		t.Cleanup(tenantMu.Unlock)
		return &accEnv{
			hostBase: os.Getenv(envRedshiftHost),
			database: envOr(envRedshiftDatabase, "immuta"),
			username: envOr(envRedshiftUser, "immuta_system"),
			password: os.Getenv(envRedshiftPassword),
			port:     5439,
		}
	}
	token := fmt.Sprintf("acc-token-%d-secret", hostSeq.Add(1))
	emu := emulator.New(append([]emulator.Option{emulator.WithAPIKey(token), emulator.WithTransition(accTransition)}, opts...)...)
	t.Cleanup(emu.Close)
	return &accEnv{
		emu:      emu,
		url:      emu.URL,
		token:    token,
		database: "immuta",
		username: "immuta_system",
		password: "Pa55word-acc-" + fmt.Sprint(hostSeq.Add(1)),
		hostBase: "redshift.example.internal",
	}
}

// needsEmulator skips a test that steers the API, on a real tenant.
func (e *accEnv) needsEmulator(t *testing.T) {
	t.Helper()
	if e.emu == nil {
		t.Skip("this test steers the API through the emulator; it does not run against a real tenant")
	}
}

// host gives a Redshift host of its own to each integration of a test:
// Immuta allows one integration per host. A real tenant has one host.
func (e *accEnv) host(label string) string {
	if e.emu == nil {
		return e.hostBase
	}
	return fmt.Sprintf("%s-%d.%s", strings.ToLower(label), hostSeq.Add(1), e.hostBase)
}

// providerBlock configures the provider explicitly for the emulator, so
// that tests running in parallel each talk to their own; against a tenant
// the provider reads the environment.
func (e *accEnv) providerBlock() string {
	if e.emu == nil {
		return "provider \"immuta\" {}\n"
	}
	return fmt.Sprintf("provider \"immuta\" {\n  host      = %q\n  api_token = %q\n}\n", e.url, e.token)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// remote finds the integration on host in the emulator.
func (e *accEnv) remote(host string) (emulator.Integration, bool) {
	for _, in := range e.emu.Integrations() {
		if h, _ := in.Config["host"].(string); h == host && in.Type == "Redshift" && in.Status != "deleted" {
			return in, true
		}
	}
	return emulator.Integration{}, false
}

// checkRemote proves what Immuta holds, not only what state says.
func (e *accEnv) checkRemote(host, status string, port int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.emu == nil {
			return nil
		}
		in, ok := e.remote(host)
		if !ok {
			return fmt.Errorf("no integration on host %s in the emulator", host)
		}
		if in.Status != status {
			return fmt.Errorf("integration %s is %s in the emulator, want %s", in.ID, in.Status, status)
		}
		if got := fmt.Sprint(in.Config["port"]); got != fmt.Sprint(port) {
			return fmt.Errorf("integration %s has port %s in the emulator, want %d", in.ID, got, port)
		}
		return nil
	}
}

// emulatorEmpty is a CheckDestroy: nothing Terraform created is left.
func (e *accEnv) emulatorEmpty(*terraform.State) error {
	if e.emu == nil {
		return nil
	}
	for _, in := range e.emu.Integrations() {
		if in.Type == "Redshift" && in.Status != "deleted" {
			return fmt.Errorf("integration %s (%s) is left in Immuta after destroy", in.ID, in.Status)
		}
	}
	return nil
}

// updatedPort is the port an update test moves to: another one on the
// emulator, the real one on a tenant, whose Redshift listens on one port.
func (e *accEnv) updatedPort() int {
	if e.emu == nil {
		return int(e.port)
	}
	return 5440
}
