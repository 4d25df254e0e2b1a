package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// credentialSet is what one version of credentialsConfig configures.
type credentialSet struct {
	version                                 int
	password, passwordWO                    string
	secretKey, sessionToken                 string
	secretKeyWO, sessionTokenWO             string
	username, accessKeyID, accessKeyIDWO    string
	databaseUser, databaseUserWO, username2 string
}

func newCredentialSet(version int) credentialSet {
	v := func(what string) string { return fmt.Sprintf("%s-v%d-Zq7", what, version) }
	return credentialSet{
		version:  version,
		password: v("Stored-password"), passwordWO: v("WriteOnly-password"),
		secretKey: v("Stored-secret-key"), sessionToken: v("Stored-session-token"),
		secretKeyWO: v("WriteOnly-secret-key"), sessionTokenWO: v("WriteOnly-session-token"),
		username: v("user-pw"), username2: v("user-pwwo"),
		accessKeyID: v("AKIASTORED"), accessKeyIDWO: v("AKIAWO"),
		databaseUser: v("dbuser-ak"), databaseUserWO: v("dbuser-akwo"),
	}
}

// writeOnly names the values that must never be stored.
func (c credentialSet) writeOnly() map[string]string {
	return map[string]string{
		fmt.Sprintf("password_wo v%d", c.version):      c.passwordWO,
		fmt.Sprintf("secret_key_wo v%d", c.version):    c.secretKeyWO,
		fmt.Sprintf("session_token_wo v%d", c.version): c.sessionTokenWO,
	}
}

// credentialsConfig has one integration per way of giving a credential:
// stored and write-only password, stored and write-only secret key and
// session token.
func (e *accEnv) credentialsConfig(hosts [4]string, c credentialSet) string {
	return e.providerBlock() + fmt.Sprintf(`
resource "immuta_redshift_integration" "pw" {
  host     = %[1]q
  database = "immuta"
  username = %[6]q
  password = %[7]q
}

resource "immuta_redshift_integration" "pwwo" {
  host                = %[2]q
  database            = "immuta"
  username            = %[8]q
  password_wo         = %[9]q
  password_wo_version = %[5]d
}

resource "immuta_redshift_integration" "ak" {
  host                = %[3]q
  database            = "immuta"
  authentication_type = "accessKey"
  database_user       = %[10]q
  access_key_id       = %[11]q
  secret_key          = %[12]q
  session_token       = %[13]q
}

resource "immuta_redshift_integration" "akwo" {
  host                     = %[4]q
  database                 = "immuta"
  authentication_type      = "accessKey"
  database_user            = %[14]q
  access_key_id            = %[15]q
  secret_key_wo            = %[16]q
  secret_key_wo_version    = %[5]d
  session_token_wo         = %[17]q
  session_token_wo_version = %[5]d
}
`, hosts[0], hosts[1], hosts[2], hosts[3], c.version,
		c.username, c.password, c.username2, c.passwordWO,
		c.databaseUser, c.accessKeyID, c.secretKey, c.sessionToken,
		c.databaseUserWO, c.accessKeyIDWO, c.secretKeyWO, c.sessionTokenWO)
}

// received proves that Immuta got, for each integration, exactly the
// credentials configured: answers redact them, so only the emulator's record
// of the requests can tell a wrong password from the right one.
func (e *accEnv) received(hosts [4]string, c credentialSet) resource.TestCheckFunc {
	want := map[string]map[string]string{
		hosts[0]: {"username": c.username, "password": c.password},
		hosts[1]: {"username": c.username2, "password": c.passwordWO},
		hosts[2]: {"databaseUser": c.databaseUser, "accessKeyId": c.accessKeyID, "secretKey": c.secretKey, "sessionToken": c.sessionToken},
		hosts[3]: {"databaseUser": c.databaseUserWO, "accessKeyId": c.accessKeyIDWO, "secretKey": c.secretKeyWO, "sessionToken": c.sessionTokenWO},
	}
	return func(*terraform.State) error {
		var errs []string
		for host, fields := range want {
			got, ok := e.emu.CredentialsReceived(host)
			if !ok {
				errs = append(errs, "Immuta accepted no create or edit for "+host)
				continue
			}
			have := map[string]string{
				"username": got.Username, "password": got.Password, "databaseUser": got.DatabaseUser,
				"accessKeyId": got.AccessKeyID, "secretKey": got.SecretKey, "sessionToken": got.SessionToken,
			}
			for k, v := range fields {
				if have[k] != v {
					// Name the field, never print the value.
					errs = append(errs, fmt.Sprintf("%s: Immuta received another %s than the configured one (v%d)", host, k, c.version))
				}
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s", strings.Join(errs, "; "))
		}
		return nil
	}
}

// noWriteOnlyInStateFile reads the whole state file, private data decoded.
func (e *accEnv) noWriteOnlyInStateFile(marker string, secrets map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		dir, err := workDir(marker)
		if err != nil {
			return err
		}
		leaks, privates, err := stateFileLeaks(dir, secrets)
		if err != nil {
			return err
		}
		if len(leaks) > 0 {
			return fmt.Errorf("write-only secrets in the state file (%d instances with private data): %s", privates, strings.Join(leaks, "; "))
		}
		return nil
	}
}

// noWriteOnlyInPlan checks the saved plan both as `terraform show -json`
// renders it and as the raw plan file.
type noWriteOnlyInPlan struct {
	marker  string
	secrets map[string]string
	skip    bool // against a real tenant: no emulator URL to find the working directory by
}

func (c noWriteOnlyInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if c.skip {
		return
	}
	// Everything but "configuration", which renders the source the user wrote.
	plan := *req.Plan
	plan.Config = nil
	shown, err := json.Marshal(plan)
	if err != nil {
		resp.Error = err
		return
	}
	leaks := findSecrets("terraform show -json of the saved plan", shown, c.secrets)
	dir, err := workDir(c.marker)
	if err != nil {
		resp.Error = err
		return
	}
	raw, err := planFileLeaks(dir, c.secrets)
	if err != nil {
		resp.Error = err
		return
	}
	if leaks = append(leaks, raw...); len(leaks) > 0 {
		resp.Error = fmt.Errorf("write-only secrets in the saved plan: %s", strings.Join(leaks, "; "))
	}
}

// Write-only secrets (password_wo, secret_key_wo, session_token_wo) are sent
// to Immuta exactly as configured, and are nowhere in the saved plan (as
// shown, and the raw file) or the state file (private data decoded included),
// in any encoding, on create and on an update that sends new ones. The stored
// forms (password, secret_key, session_token) reach Immuta as configured too.
func TestAccSecrets_writeOnlyNeverStoredAndSentAsConfigured(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	hosts := [4]string{env.host("creds-pw"), env.host("creds-pwwo"), env.host("creds-ak"), env.host("creds-akwo")}
	marker := env.url + "\"\n" // the provider block's host line: unique to this emulator
	v1, v2 := newCredentialSet(1), newCredentialSet(2)
	both := v1.writeOnly()
	for k, v := range v2.writeOnly() {
		both[k] = v
	}
	step := func(c credentialSet, secrets map[string]string) resource.TestStep {
		return resource.TestStep{
			Config: env.credentialsConfig(hosts, c),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				noWriteOnlyInPlan{marker: marker, secrets: secrets},
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.received(hosts, c),
				env.noWriteOnlyInStateFile(marker, secrets),
				noSecretInState(c.passwordWO, c.secretKeyWO, c.sessionTokenWO, env.token),
			),
		}
	}
	resource.Test(t, env.testCase(
		step(v1, v1.writeOnly()),
		// New values everywhere, new versions: the update sends them.
		step(v2, both),
	))
}
