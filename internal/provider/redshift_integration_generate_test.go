package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// adoptable is an integration made outside Terraform, as the generated
// configuration must give it back.
type adoptable struct {
	seed  emulator.Seed
	id    string
	lines []string // the lines generated for it, besides the null ones
	creds []string // the credential attributes the error asks for
}

func adoptables() []*adoptable {
	return []*adoptable{
		{
			seed: emulator.Seed{Config: map[string]any{"host": "plain.eu-west-1.redshift.amazonaws.com", "database": "immuta", "username": "u", "password": "p"}},
			lines: []string{`host = "plain.eu-west-1.redshift.amazonaws.com"`, `database = "immuta"`, `port = 5439`,
				`authentication_type = "userPassword"`, `auto_bootstrap = false`},
			creds: []string{"username", "password_wo", "password_wo_version"},
		},
		{
			seed: emulator.Seed{Config: map[string]any{"host": "custom.us-east-1.redshift.amazonaws.com", "database": "governed", "port": 5440,
				"username": "u", "password": "p", "impersonation": map[string]any{"enabled": true, "role": "immuta_imp"}}},
			lines: []string{`host = "custom.us-east-1.redshift.amazonaws.com"`, `database = "governed"`, `port = 5440`, `role = "immuta_imp"`},
			creds: []string{"username", "password_wo", "password_wo_version"},
		},
		{
			seed: emulator.Seed{Config: map[string]any{"host": "keys.eu-west-1.redshift.amazonaws.com", "database": "immuta", "authenticationType": "accessKey",
				"databaseUser": "du", "accessKeyId": "AKIAOLD", "secretKey": "old-secret"}},
			lines: []string{`authentication_type = "accessKey"`},
			creds: []string{"database_user", "access_key_id", "secret_key_wo", "secret_key_wo_version"},
		},
		{
			seed: emulator.Seed{AutoBootstrap: true, Config: map[string]any{"host": "auto.eu-west-1.redshift.amazonaws.com", "database": "immuta_new",
				"initialDatabase": "dev", "username": "u", "password": "p"}},
			lines: []string{`auto_bootstrap = true`, `initial_database = "dev"`},
			creds: []string{"username", "password"},
		},
	}
}

func (a *adoptable) host() string { return a.seed.Config["host"].(string) }

// credentialsFor writes the lines the error asks for, with real values.
func credentialsFor(a *adoptable, env *accEnv) string {
	var b strings.Builder
	for _, name := range a.creds {
		switch {
		case strings.HasSuffix(name, "_version"):
			fmt.Fprintf(&b, "  %s = 1\n", name)
		case name == "username" || name == "database_user":
			fmt.Fprintf(&b, "  %s = %q\n", name, env.username)
		case name == "access_key_id":
			fmt.Fprintf(&b, "  %s = %q\n", name, "AKIANEW")
		default:
			fmt.Fprintf(&b, "  %s = %q\n", name, env.password)
		}
	}
	return b.String()
}

// credentialAttrs are the names a "Missing credentials" error may list.
var credentialAttrs = []string{"username", "password", "password_wo", "password_wo_version", "database_user",
	"access_key_id", "secret_key", "secret_key_wo", "secret_key_wo_version", "session_token", "session_token_wo", "session_token_wo_version"}

var (
	withResourceRE = regexp.MustCompile(`with immuta_redshift_integration\.(\w+),`)
	hclLineRE      = regexp.MustCompile(`(?m)^\s+([a-z_]+)\s+= \S`)
	resourceRE     = regexp.MustCompile(`(?s)resource "immuta_redshift_integration" "(\w+)" \{(.*?)\n\}`)
	spacesRE       = regexp.MustCompile(`[ \t]+`)
)

// missingCredentials reads the "Missing credentials" errors of a plan:
// for each resource name, the attributes the error says to add.
func missingCredentials(out string) map[string][]string {
	got := map[string][]string{}
	for _, e := range strings.Split(out, "Error: Missing credentials")[1:] {
		m := withResourceRE.FindStringSubmatch(e)
		if m == nil {
			continue
		}
		for _, l := range hclLineRE.FindAllStringSubmatch(e, -1) {
			if slices.Contains(credentialAttrs, l[1]) {
				got[m[1]] = append(got[m[1]], l[1])
			}
		}
	}
	return got
}

// generatedBlocks maps each generated resource name to its body, with
// runs of blanks squeezed so that alignment does not matter.
func generatedBlocks(gen string) map[string]string {
	out := map[string]string{}
	for _, m := range resourceRE.FindAllStringSubmatch(gen, -1) {
		out[m[1]] = spacesRE.ReplaceAllString(m[2], " ")
	}
	return out
}

// adopt checks what -generate-config-out wrote into genFile and what the
// plan said about it, adds the credentials the errors ask for in an
// override file, applies, and checks that everything was imported, nothing
// replaced, the credentials sent, and the next plan empty.
func adopt(t *testing.T, w *cliWorkdir, env *accEnv, as []*adoptable, genFile, planOut string) {
	t.Helper()
	t.Logf("plan:\n%s", planOut)
	blocks := generatedBlocks(w.read(genFile))
	if len(blocks) != len(as) {
		t.Fatalf("%s holds %d resource blocks, want %d:\n%s", genFile, len(blocks), len(as), w.read(genFile))
	}
	asked := missingCredentials(planOut)
	var override strings.Builder
	for _, a := range as {
		name := ""
		for n, body := range blocks {
			if strings.Contains(body, fmt.Sprintf("host = %q", a.host())) {
				name = n
			}
		}
		if name == "" {
			t.Fatalf("no generated block for host %s in:\n%s", a.host(), w.read(genFile))
		}
		body := blocks[name]
		for _, l := range a.lines {
			if !strings.Contains(body, "\n "+l+"\n") && !strings.Contains(body, " "+l+"\n") {
				t.Errorf("%s: generated block %s lacks %q:\n%s", a.host(), name, l, body)
			}
		}
		for _, computed := range []string{"id", "status", "validation_status", "validation_results"} {
			if regexp.MustCompile(`(?m)^ ` + computed + ` =`).MatchString(body) {
				t.Errorf("%s: generated block %s sets the computed attribute %s", a.host(), name, computed)
			}
		}
		if !slices.Equal(asked[name], a.creds) {
			t.Errorf("%s: the error on %s asks for %v, want %v\n%s", a.host(), name, asked[name], a.creds, planOut)
		}
		fmt.Fprintf(&override, "resource \"immuta_redshift_integration\" %q {\n%s}\n\n", name, credentialsFor(a, env))
	}
	if t.Failed() {
		t.FailNow()
	}
	w.write("credentials_override.tf", override.String())

	posts := env.emu.Stats().ByRoute["POST /integrations"]
	out := w.mustRun(0, "apply", "-auto-approve")
	want := fmt.Sprintf("Resources: %d imported, 0 added, %d changed, 0 destroyed", len(as), len(as))
	if !strings.Contains(out, want) {
		t.Errorf("apply did not say %q:\n%s", want, out)
	}
	if n := env.emu.Stats().ByRoute["POST /integrations"] - posts; n != 0 {
		t.Errorf("%d integrations created: an import must replace nothing", n)
	}
	for _, a := range as {
		in, ok := env.remote(a.host())
		switch {
		case !ok:
			t.Errorf("%s: gone from the emulator", a.host())
		case in.ID != a.id:
			t.Errorf("%s: id %s, want %s (replaced)", a.host(), in.ID, a.id)
		case in.Config["password"] != nil && in.Config["password"] != env.password,
			in.Config["secretKey"] != nil && in.Config["secretKey"] != env.password:
			t.Errorf("%s: the credentials were not sent", a.host())
		}
	}
	if out, code := w.run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the adoption is not empty (exit %d):\n%s", code, out)
	}
}

func (e *accEnv) seeded(t *testing.T, as []*adoptable) {
	t.Helper()
	for _, a := range as {
		in, ok := e.remote(a.host())
		if !ok {
			t.Fatalf("seed %s missing", a.host())
		}
		a.id = in.ID
	}
}

// requiredProviders names the provider's source in full, for a configuration that
// the CLI runs in a working directory of its own (cliWorkdir, an import step).
func requiredProviders() string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    immuta = { source = %q }\n  }\n}\n\n", providerSource)
}

func terraformBlock(env *accEnv) string { return requiredProviders() + env.providerBlock() }

func adoptionEnv(t *testing.T) (*accEnv, []*adoptable) {
	t.Helper()
	as := adoptables()
	var seeds []emulator.Seed
	for _, a := range as {
		seeds = append(seeds, a.seed)
	}
	env := newAccEnv(t, emulator.WithForeignIntegrations(), emulator.WithIntegrations(seeds...))
	env.needsEmulator(t)
	env.seeded(t, as)
	return env, as
}

// The route of every CLI: import blocks by id (or by identity, from 1.12),
// terraform plan -generate-config-out, the credentials the errors ask for,
// one apply.
func TestAccRedshiftIntegration_generateConfig(t *testing.T) {
	t.Parallel()
	for _, by := range []string{"id", "identity"} {
		t.Run("by "+by, func(t *testing.T) {
			t.Parallel()
			w := newCLIWorkdir(t)
			if w.cli.version.LessThan(tfversion.Version1_11_0) {
				t.Skip("write-only attributes need Terraform >= 1.11")
			}
			if by == "identity" && w.cli.version.LessThan(tfversion.Version1_12_0) {
				t.Skip("import by identity needs Terraform or OpenTofu >= 1.12")
			}
			env, as := adoptionEnv(t)
			main := terraformBlock(env)
			for i, a := range as {
				how := fmt.Sprintf("id = %q", a.id)
				if by == "identity" {
					how = fmt.Sprintf("identity = { id = %q }", a.id)
				}
				main += importBlock(fmt.Sprintf("immuta_redshift_integration.i%d", i), how)
			}
			w.write("main.tf", main)
			w.mustRun(0, "init")
			adopt(t, w, env, as, "generated.tf", w.mustRun(1, "plan", "-generate-config-out=generated.tf"))
		})
	}
}

// The route of Terraform >= 1.14: one list block, terraform query
// -generate-config-out, the credentials, one apply.
func TestAccRedshiftIntegrationList_generateConfig(t *testing.T) {
	t.Parallel()
	w := newCLIWorkdir(t)
	if w.cli.tofu || w.cli.version.LessThan(tfversion.Version1_14_0) {
		t.Skip("terraform query needs Terraform >= 1.14")
	}
	env, as := adoptionEnv(t)
	w.write("main.tf", terraformBlock(env))
	w.write("all.tfquery.hcl", "list \"immuta_redshift_integration\" \"all\" {\n  provider         = immuta\n  include_resource = true\n}\n")
	w.mustRun(0, "init")
	out := w.mustRun(0, "query", "-generate-config-out=imports.tf")
	for _, a := range as {
		if !regexp.MustCompile(`list\.immuta_redshift_integration\.all\s+id=` + a.id + `\s+` + regexp.QuoteMeta(a.host())).MatchString(out) {
			t.Errorf("query output lacks %s (id %s):\n%s", a.host(), a.id, out)
		}
	}
	imports := w.read("imports.tf")
	for _, a := range as {
		if !regexp.MustCompile(`identity\s*=\s*\{\s*id\s*=\s*"` + a.id + `"`).MatchString(imports) {
			t.Errorf("imports.tf has no import by identity of %s:\n%s", a.id, imports)
		}
	}
	adopt(t, w, env, as, "imports.tf", w.mustRun(1, "plan"))
}
