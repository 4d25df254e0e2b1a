package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The validation table (issue 11): every bad input is refused with one
// error that names its attribute, before anything reaches Immuta. Each
// schema's cases run as the steps of one TestCase against one emulator;
// before each step, the emulator's counters prove that the previous case
// sent no POST, PUT or DELETE, and every failure names its case.

// badInput is one mistaken or hostile input.
type badInput struct {
	name    string
	config  string // the configuration after the provider block
	summary string // a regexp of the error's summary line
	line    string // the attribute whose line Terraform shows under the error; "" when it is missing or nested (Terraform then shows the block's line)
	detail  string // words of the message (Terraform wraps it: any white space matches a space)
}

// A line of Terraform's output that does not start a diagnostic, i.e.
// does not begin with "Error:". RE2 has no lookahead, hence the spelling.
const notErrorLine = `(?:[^E\n][^\n]*|E(?:[^r\n][^\n]*|r(?:[^r\n][^\n]*|r(?:[^o\n][^\n]*|o(?:[^r\n][^\n]*|r(?:[^:\n][^\n]*)?)?)?)?)?)?`

const otherLines = `(?:\n` + notErrorLine + `)*`

// oneError matches Terraform's output when it holds exactly one error,
// with the summary, the configuration line of the attribute and the words
// of the message, in the order Terraform prints them.
func oneError(summary, line, detail string) *regexp.Regexp {
	p := `\A[^\n]*` + otherLines + `\nError: ` + summary + `[^\n]*` + otherLines
	if line != "" {
		p += `\n[ \t]*\d+:[ \t]+` + regexp.QuoteMeta(line) + `[ \t]*=[^\n]*` + otherLines
	}
	var words []string
	for _, w := range strings.Fields(detail) {
		words = append(words, regexp.QuoteMeta(w))
	}
	p += `\n[^\n]*?` + strings.Join(words, `(?:[ \t]+|[ \t]*\n[ \t]*)`) + `[^\n]*` + otherLines + `\z`
	return regexp.MustCompile(p)
}

func TestOneErrorPattern(t *testing.T) {
	t.Parallel()
	out := "Error running plan: exit status 1\n\nError: Invalid name\n\n  with x.y,\n  on main.tf line 3, in resource \"x\" \"y\":\n" +
		"   3:   database = \"a\"\n\ndatabase must not hold\ncontrol characters.\n"
	re := oneError(`Invalid name`, "database", "database must not hold control characters.")
	if !re.MatchString(out) {
		t.Errorf("one error not matched")
	}
	if re.MatchString(out + "\nError: Another\n\nwords\n") {
		t.Errorf("two errors matched")
	}
	if oneError(`Invalid name`, "host", "database must").MatchString(out) {
		t.Errorf("the wrong attribute's line matched")
	}
	if oneError(`Invalid name`, "database", "database must be short").MatchString(out) {
		t.Errorf("the wrong words matched")
	}
}

// namedT prefixes every failure with the case its step is running, so
// that a table of steps in one TestCase names the case that failed.
type namedT struct {
	*testing.T
	current *string
}

func (n namedT) Fatalf(format string, args ...any) {
	n.Helper()
	n.T.Fatalf("case %q: "+format, append([]any{*n.current}, args...)...)
}

func (n namedT) Fatal(args ...any) {
	n.Helper()
	n.T.Fatal(append([]any{fmt.Sprintf("case %q:", *n.current)}, args...)...)
}

func (n namedT) Errorf(format string, args ...any) {
	n.Helper()
	n.T.Errorf("case %q: "+format, append([]any{*n.current}, args...)...)
}

func (n namedT) Error(args ...any) {
	n.Helper()
	n.T.Error(append([]any{fmt.Sprintf("case %q:", *n.current)}, args...)...)
}

// changes lists the requests the emulator received since its last reset
// that could change something in Immuta (every POST, PUT and DELETE,
// scripts included), by route with their counts, and resets its counters.
func (e *accEnv) changes() map[string]int {
	out := map[string]int{}
	if e.emu == nil {
		return out // a real tenant has no counters; nothing is created by these cases
	}
	for route, n := range e.emu.Stats().ByRoute {
		if n > 0 && (strings.HasPrefix(route, "POST ") || strings.HasPrefix(route, "PUT ") || strings.HasPrefix(route, "DELETE ")) {
			out[route] = n
		}
	}
	e.emu.ResetStats()
	return out
}

// namedStep is a step of a table, with the routes of the requests that
// change things which it must send (none, for a bad input).
type namedStep struct {
	name    string
	step    resource.TestStep
	changes []string
}

// runSteps runs steps as one TestCase. Before each step, and after the
// last one when checkLast is set (a TestCase that leaves state behind
// destroys it, which sends DELETE), the emulator's counters must show the
// previous step's changes exactly. Every failure names its case.
func (e *accEnv) runSteps(t *testing.T, tc resource.TestCase, steps []namedStep, checkLast bool) {
	t.Helper()
	current := namedStep{name: "(before the first case)"}
	nt := namedT{T: t, current: &current.name}
	verify := func() {
		got := e.changes()
		var routes, counted []string
		for r, n := range got {
			routes = append(routes, r)
			counted = append(counted, fmt.Sprintf("%s ×%d", r, n))
		}
		sort.Strings(routes)
		sort.Strings(counted)
		if e.emu != nil && strings.Join(routes, ", ") != strings.Join(current.changes, ", ") {
			t.Errorf("case %q: Immuta received [%s], want requests to [%s]", current.name, strings.Join(counted, ", "), strings.Join(current.changes, ", "))
		}
	}
	seen := map[string]bool{}
	for _, ns := range steps {
		if seen[ns.name] {
			t.Fatalf("two cases named %q", ns.name)
		}
		seen[ns.name] = true
		s := ns.step
		s.PreConfig = func() {
			verify()
			current = ns
		}
		tc.Steps = append(tc.Steps, s)
	}
	e.changes()
	resource.Test(nt, tc)
	if checkLast {
		verify()
	}
}

// runTable runs bad inputs as the steps of one TestCase.
func (e *accEnv) runTable(t *testing.T, tc resource.TestCase, cases []badInput, step func(badInput) resource.TestStep) {
	t.Helper()
	var steps []namedStep
	for _, c := range cases {
		steps = append(steps, namedStep{name: c.name, step: step(c)})
	}
	e.runSteps(t, tc, steps, true)
}

// planStep refuses c at plan time.
func (e *accEnv) planStep(c badInput) resource.TestStep {
	return resource.TestStep{
		Config:      e.providerBlock() + c.config,
		PlanOnly:    true,
		ExpectError: oneError(c.summary, c.line, c.detail),
	}
}

// block renders a block of kind ("resource", "data", "ephemeral") with the
// attributes of base, overridden by set ("-" removes one); raw is added as is.
func block(kind, typ string, base [][2]string, raw string, set ...string) string {
	values := map[string]string{}
	var order []string
	for _, kv := range base {
		values[kv[0]] = kv[1]
		order = append(order, kv[0])
	}
	for i := 0; i+1 < len(set); i += 2 {
		if _, ok := values[set[i]]; !ok {
			order = append(order, set[i])
		}
		values[set[i]] = set[i+1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q \"test\" {\n", kind, typ)
	for _, k := range order {
		if v := values[k]; v != "-" {
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
	}
	b.WriteString(raw)
	b.WriteString("}\n")
	return b.String()
}

var (
	userPassword = [][2]string{{"host", `"h.example.com"`}, {"database", `"immuta"`}, {"username", `"u"`}, {"password", `"p"`}}
	accessKeys   = [][2]string{{"host", `"h.example.com"`}, {"database", `"immuta"`}, {"authentication_type", `"accessKey"`},
		{"database_user", `"du"`}, {"access_key_id", `"AKIA"`}, {"secret_key", `"s"`}}
)

func integration(raw string, set ...string) string {
	return block("resource", "immuta_redshift_integration", userPassword, raw, set...)
}

func integrationKeys(raw string, set ...string) string {
	return block("resource", "immuta_redshift_integration", accessKeys, raw, set...)
}

const (
	invalidHost = "Invalid Redshift host"
	invalidName = "Invalid name"
	invalidSec  = "Invalid secret value"
	invalidID   = "Invalid integration id"
	combination = "Invalid Attribute Combination"
	missingAttr = "Missing required attribute"
)

func resourceCases() []badInput {
	label300 := strings.Repeat("a", 300)
	host254 := strings.Repeat(strings.Repeat("a", 63)+".", 4)[:254]
	return []badInput{
		// host
		{"host ending in CR", integration("", "host", `"h.example.com\r"`), invalidHost, "host", "host may hold only ASCII letters, digits, hyphens and dots; it holds a control character (U+000D)."},
		{"host holding NUL", integration("", "host", `"h\u0000.example.com"`), invalidHost, "host", "it holds a control character (U+0000)."},
		{"host with non-ASCII letters", integration("", "host", `"hüst.example.com"`), invalidHost, "host", "it holds a non-ASCII character (U+00FC)."},
		{"host with a 300-character label", integration("", "host", `"`+label300+`.example.com"`), invalidHost, "host", "host must have labels (the parts between dots) of at most 63 characters; one has 300."},
		{"host of 254 characters", integration("", "host", `"`+host254+`"`), invalidHost, "host", "host must be at most 253 characters long; it has 254."},
		{"host with a semicolon", integration("", "host", `"h;x.example.com"`), invalidHost, "host", "it holds the character ';'."},
		{"host with a quote", integration("", "host", `"h'x.example.com"`), invalidHost, "host", `it holds the character "'".`},
		{"host with a comma", integration("", "host", `"h,x.example.com"`), invalidHost, "host", "it holds the character ','."},
		{"host as bracketed IPv6", integration("", "host", `"[::1]"`), invalidHost, "host", "host must not hold brackets"},
		{"host label with a leading hyphen", integration("", "host", `"-h.example.com"`), invalidHost, "host", "begins or ends with a hyphen."},
		{"host with a scheme", integration("", "host", `"https://h.example.com"`), invalidHost, "host", "host must be a bare host name, without a scheme"},
		{"host with a path", integration("", "host", `"h.example.com/db"`), invalidHost, "host", "host must be a bare host name, without a path."},
		{"host with a port", integration("", "host", `"h.example.com:5439"`), invalidHost, "host", "host must not carry a port; set the port attribute instead."},
		{"empty host", integration("", "host", `""`), invalidHost, "host", "host must not be empty."},
		{"host that is no IPv4 address", integration("", "host", `"999.1.1.1"`), invalidHost, "host", "host is not a valid IPv4 address."},
		{"status set by hand", integration("", "status", `"enabled"`), "Invalid Configuration for Read-Only Attribute", "status", "Cannot set value for this attribute"},
		// port
		{"port zero", integration("", "port", "0"), "Invalid port", "port", "port must be a whole number between 1 and 65535"},
		{"port too high", integration("", "port", "70000"), "Invalid port", "port", "port must be a whole number between 1 and 65535"},
		{"port beyond int64", integration("", "port", "99999999999999999999"), "Invalid port", "port", "port must be a whole number between 1 and 65535 (Redshift's default port is 5439)."},
		{"port with a fraction", integration("", "port", "5439.5"), "Invalid port", "port", "port must be a whole number"},
		// database and initial_database
		{"blank database", integration("", "database", `"   "`), invalidName, "database", "database must not be blank."},
		{"empty database", integration("", "database", `""`), invalidName, "database", "database must not be blank."},
		{"database with SQL after a newline", integration("", "database", `"immuta\nDROP DATABASE prod;"`), invalidName, "database", "database must not hold control characters such as newlines or tabs; it holds a control character (U+000A)."},
		{"database of 10000 characters", integration("", "database", `"`+strings.Repeat("d", 10000)+`"`), invalidName, "database", "database must be at most 127 bytes long (Redshift's limit); it has 10000."},
		{"database of 128 bytes", integration("", "database", `"`+strings.Repeat("é", 64)+`"`), invalidName, "database", "it has 128."},
		{"database with a double quote", integration("", "database", `"imm\"uta"`), invalidName, "database", `database must not hold the character '"': it would end a quoted name`},
		{"database with a comment", integration("", "database", `"immuta--x"`), invalidName, "database", `database must not hold "--", which starts or ends an SQL comment.`},
		{"initial_database with SQL", integration("", "initial_database", `"dev'; DROP DATABASE prod; --"`), invalidName, "initial_database", `initial_database must not hold the character "'"`},
		{"empty initial_database", integration("", "initial_database", `""`), invalidName, "initial_database", "initial_database must not be blank."},
		// username and password
		{"blank username", integration("", "username", `" "`), invalidName, "username", "username must not be blank."},
		{"username with a quote and a newline", integration("", "username", `"u'\n"`), invalidName, "username", `username must not hold the character "'"`},
		{"username with a newline", integration("", "username", `"taylor@redshift.com\n"`), invalidName, "username", "username must not hold control characters"},
		{"username with a trailing space", integration("", "username", `"taylor@redshift.com "`), invalidName, "username", "username must not begin or end with a space."},
		{"empty password", integration("", "password", `""`), invalidSec, "password", "password must not be empty or blank. (The value is not shown: it is sensitive.)"},
		{"password with a newline", integration("", "password", `"hunter2\n"`), invalidSec, "password", "password must not hold control characters such as newlines, tabs or NUL."},
		{"empty password_wo", integration("", "password", "-", "password_wo", `""`), invalidSec, "password_wo", "password_wo must not be empty or blank."},
		{"password and password_wo", integration("", "password_wo", `"q"`), combination, "password", `Attribute "password_wo" cannot be specified when "password" is specified`},
		{"no password", integration("", "password", "-"), missingAttr, "", `authentication_type = "userPassword" needs one of password or password_wo.`},
		{"no username", integration("", "username", "-"), missingAttr, "", `authentication_type = "userPassword" needs username.`},
		{"password_wo_version without password_wo", integration("", "password_wo_version", "2"), combination, "password_wo_version", `Attribute "password_wo" must be specified when "password_wo_version" is specified`},
		{"secret_key with userPassword", integration("", "secret_key", `"s"`), "Attribute not allowed with userPassword", "secret_key", `secret_key cannot be used with authentication_type = "userPassword"`},
		// access keys
		{"empty access_key_id", integrationKeys("", "access_key_id", `""`), invalidSec, "access_key_id", "access_key_id must not be empty or blank."},
		{"empty secret_key", integrationKeys("", "secret_key", `""`), invalidSec, "secret_key", "secret_key must not be empty or blank."},
		{"secret_key_wo with a control character", integrationKeys("", "secret_key", "-", "secret_key_wo", `"s\u0007"`), invalidSec, "secret_key_wo", "secret_key_wo must not hold control characters"},
		{"empty session_token", integrationKeys("", "session_token", `""`), invalidSec, "session_token", "session_token must not be empty or blank."},
		{"empty session_token_wo", integrationKeys("", "session_token_wo", `""`), invalidSec, "session_token_wo", "session_token_wo must not be empty or blank."},
		{"session_token and session_token_wo", integrationKeys("", "session_token", `"t"`, "session_token_wo", `"t"`), combination, "session_token", `Attribute "session_token_wo" cannot be specified when "session_token" is specified`},
		{"secret_key and secret_key_wo", integrationKeys("", "secret_key_wo", `"q"`), combination, "secret_key", `Attribute "secret_key_wo" cannot be specified when "secret_key" is specified`},
		{"database_user with SQL", integrationKeys("", "database_user", `"du; DROP USER admin"`), invalidName, "database_user", "database_user must not hold the character ';'"},
		{"accessKey without access_key_id", integrationKeys("", "access_key_id", "-"), missingAttr, "", `authentication_type = "accessKey" needs access_key_id.`},
		{"accessKey without a secret", integrationKeys("", "secret_key", "-"), missingAttr, "", `needs one of secret_key or secret_key_wo.`},
		{"accessKey with a password", integrationKeys("", "password", `"p"`), "Attribute not allowed with accessKey", "password", `password cannot be used with authentication_type = "accessKey"`},
		{"secret_key_wo_version without secret_key_wo", integrationKeys("", "secret_key_wo_version", "1"), combination, "secret_key_wo_version", `Attribute "secret_key_wo" must be specified`},
		{"session_token_wo_version without session_token_wo", integrationKeys("", "session_token_wo_version", "1"), combination, "session_token_wo_version", `Attribute "session_token_wo" must be specified`},
		// authentication_type, auto_bootstrap, impersonation
		{"unknown authentication_type", integration("", "authentication_type", `"kerberos"`), "Invalid Attribute Value Match", "authentication_type", "Attribute authentication_type value must be one of"},
		{"auto_bootstrap with password_wo", integration("", "password", "-", "password_wo", `"p"`, "auto_bootstrap", "true"), "Write-only credential with auto_bootstrap", "password_wo", "password_wo is never stored."},
		{"impersonation role with SQL", integration("  impersonation = {\n    enabled = true\n    role    = \"imp; DROP ROLE admin\"\n  }\n"), invalidName, "", "impersonation.role must not hold the character ';'"},
		{"impersonation role while disabled", integration("  impersonation = {\n    enabled = false\n    role    = \"imp\"\n  }\n"), "Attribute needs impersonation.enabled = true", "", "impersonation.role can only be set when impersonation.enabled = true; remove it, or set impersonation.enabled = true."},
		{"empty impersonation role", integration("  impersonation = {\n    enabled = true\n    role    = \"\"\n  }\n"), invalidName, "", "impersonation.role must not be blank."},
		// timeouts
		{"zero create timeout", integration("  timeouts = {\n    create = \"0s\"\n  }\n"), "Invalid timeout", "", "timeouts.create must be a positive duration"},
		{"negative create timeout", integration("  timeouts = {\n    create = \"-5m\"\n  }\n"), "Invalid timeout", "", "timeouts.create must be a positive duration"},
		{"update timeout over a day", integration("  timeouts = {\n    update = \"48h\"\n  }\n"), "Invalid timeout", "", "timeouts.update must be at most 24h."},
		{"delete timeout that is no duration", integration("  timeouts = {\n    delete = \"soon\"\n  }\n"), "Invalid Attribute Value Time Duration", "", "must be a string containing a sequence of decimal numbers"},
	}
}

func TestAccValidation_resource(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	cases := resourceCases()
	env.runTable(t, resource.TestCase{TerraformVersionChecks: wo111, ProtoV6ProviderFactories: testAccProviders}, cases, env.planStep)
}

func script(kind string, base [][2]string, raw string, set ...string) string {
	return block(kind, "immuta_integration_script", base, raw, set...)
}

var (
	createScript = append([][2]string{{"action", `"create"`}}, userPassword...)
	deleteScript = [][2]string{{"action", `"delete"`}, {"integration_id", `"8"`}}
)

// scriptCases are the data source's, each also run on the ephemeral
// resource of the same name, which shares its schema and rules.
func scriptCases(kind string) []badInput {
	s := func(base [][2]string, raw string, set ...string) string { return script(kind, base, raw, set...) }
	return []badInput{
		{"misspelt action", s(createScript, "", "action", `"setup"`), "Invalid Attribute Value Match", "action", `Attribute action value must be one of`},
		{"database with SQL injection", s(createScript, "", "database", `"immuta\nDROP DATABASE prod;"`), invalidName, "database", "database must not hold control characters"},
		{"integration_id with spaces", s(deleteScript, "", "integration_id", `" 8 "`), invalidID, "integration_id", "integration_id must be the id of an Immuta integration: digits only"},
		{"integration_id with a query", s(deleteScript, "", "integration_id", `"8?x=1"`), invalidID, "integration_id", "integration_id must be the id of an Immuta integration"},
		{"empty integration_id", s(deleteScript, "", "integration_id", `""`), invalidID, "integration_id", "integration_id must not be empty."},
		{"host as bracketed IPv6", s(createScript, "", "host", `"[::1]"`), invalidHost, "host", "host must not hold brackets"},
		{"host holding NUL", s(createScript, "", "host", `"h\u0000.example.com"`), invalidHost, "host", "control character (U+0000)"},
		{"port beyond int64", s(createScript, "", "port", "99999999999999999999"), "Invalid port", "port", "port must be a whole number between 1 and 65535"},
		{"empty password", s(createScript, "", "password", `""`), invalidSec, "password", "password must not be empty or blank."},
		{"blank username", s(createScript, "", "username", `"  "`), invalidName, "username", "username must not be blank."},
		{"initial_database with SQL", s(createScript, "", "action", `"initial-create"`, "initial_database", `"dev; DROP DATABASE prod"`), invalidName, "initial_database", "initial_database must not hold the character ';'"},
		{"impersonation role while disabled", s(createScript, "  impersonation = {\n    enabled = false\n    role    = \"imp\"\n  }\n"), "Attribute needs impersonation.enabled = true", "", "impersonation.role can only be set when impersonation.enabled = true"},
		{"impersonation role with a quote", s(createScript, "  impersonation = {\n    enabled = true\n    role    = \"imp\\\"x\"\n  }\n"), invalidName, "", `impersonation.role must not hold the character '"'`},
		{"empty access_key_id", s(append([][2]string{{"action", `"cleanup"`}}, accessKeys...), "", "access_key_id", `""`), invalidSec, "access_key_id", "access_key_id must not be empty or blank."},
		{"secret_key with a newline", s(append([][2]string{{"action", `"cleanup"`}}, accessKeys...), "", "secret_key", `"s\n"`), invalidSec, "secret_key", "secret_key must not hold control characters"},
		{"empty session_token", s(append([][2]string{{"action", `"cleanup"`}}, accessKeys...), "", "session_token", `""`), invalidSec, "session_token", "session_token must not be empty or blank."},
		{"database_user with SQL", s(append([][2]string{{"action", `"cleanup"`}}, accessKeys...), "", "database_user", `"du'x"`), invalidName, "database_user", `database_user must not hold the character "'"`},
		{"unknown authentication_type", s(createScript, "", "authentication_type", `"kerberos"`), "Invalid Attribute Value Match", "authentication_type", "Attribute authentication_type value must be one of"},
		{"delete with a configuration", s(deleteScript, "", "host", `"h.example.com"`), "Attribute not used by this action", "host", `action = "delete" sends no configuration; remove host.`},
		{"delete with auto_bootstrap", s(deleteScript, "", "auto_bootstrap", "false"), "Attribute not used by this action", "auto_bootstrap", `action = "delete" sends no configuration; remove auto_bootstrap.`},
		{"script set by hand", s(deleteScript, "", "script", `"SELECT 1;"`), "Invalid Configuration for Read-Only Attribute", "script", "Cannot set value for this attribute"},
		{"edit without integration_id", s(createScript, "", "action", `"edit"`), "Missing integration_id", "", `action = "edit" needs the id of an existing integration in integration_id.`},
		{"create with integration_id", s(createScript, "", "integration_id", `"12"`), "integration_id not allowed", "integration_id", `action = "create" generates a script without an existing integration; remove integration_id.`},
		{"create without database", s(createScript, "", "database", "-"), "Missing database", "", `action = "create" needs database.`},
		{"create without password", s(createScript, "", "password", "-"), missingAttr, "", `authentication_type = "userPassword" needs password.`},
	}
}

func TestAccValidation_dataSource(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	var steps []namedStep
	for _, c := range scriptCases("data") {
		steps = append(steps, namedStep{name: c.name, step: env.planStep(c)})
	}
	// What the rules must keep accepting: Immuta's own example of a user
	// name, a database name with a space, a bare IPv6 address. The script
	// request is the one change this step may make, which also proves that
	// the counters count.
	valid := script("data", createScript, "", "host", `"2001:db8::1"`, "database", `"my db"`, "username", `"taylor@redshift.com"`)
	steps = append(steps, namedStep{name: "valid names", changes: []string{"POST /integrations/scripts/create"}, step: resource.TestStep{
		Config: env.providerBlock() + valid,
		Check:  resource.TestMatchResourceAttr("data.immuta_integration_script.test", "script", regexp.MustCompile(`taylor@redshift\.com`)),
	}})
	env.runSteps(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders}, steps, true)
}

func TestAccValidation_ephemeral(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.runTable(t, resource.TestCase{TerraformVersionChecks: wo111, ProtoV6ProviderFactories: testAccProviders}, scriptCases("ephemeral"), env.planStep)
}

// The provider block's cases configure the provider themselves, against
// the emulator where the URL allows.
func TestAccValidation_provider(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	const use = "\n" + `data "immuta_integration_script" "test" {
  action         = "delete"
  integration_id = "1"
}
`
	p := func(host, token, extra string) string {
		return fmt.Sprintf("provider \"immuta\" {\n  host      = %s\n  api_token = %s\n%s}\n", host, token, extra) + use
	}
	url, token := fmt.Sprintf("%q", env.url), fmt.Sprintf("%q", env.token)
	const invalidImmuta = "Invalid Immuta host"
	cases := []badInput{
		{"host with a port that cannot exist", p(`"https://127.0.0.1:99999"`, token, ""), invalidImmuta, "host", "host has a port outside 1 to 65535."},
		{"host with port zero", p(`"https://127.0.0.1:0"`, token, ""), invalidImmuta, "host", "host has a port outside 1 to 65535."},
		{"host from a sensitive variable", "variable \"immuta_host\" {\n  type      = string\n  sensitive = true\n  default   = \"https://tenant-secret.example:99999\"\n}\n" +
			p("var.immuta_host", token, ""), invalidImmuta, "host", "host has a port outside 1 to 65535."},
		{"host with an empty port", p(`"https://127.0.0.1:"`, token, ""), invalidImmuta, "host", "host has an empty port"},
		{"host with another scheme", p(`"ftp://acme.immuta.com"`, token, ""), invalidImmuta, "host", "host must start with https://"},
		{"host with a path", p(`"https://acme.immuta.com/api"`, token, ""), invalidImmuta, "host", "host must be the tenant root, without a path"},
		{"host with a user", p(`"https://admin:pw@acme.immuta.com"`, token, ""), invalidImmuta, "host", "host must not hold a user name or password"},
		{"host with a query", p(`"https://acme.immuta.com?tenant=1"`, token, ""), invalidImmuta, "host", "host must not have a query or fragment."},
		{"host with a space", p(`"https://acme immuta.com"`, token, ""), invalidImmuta, "host", "host must not hold spaces or control characters."},
		{"empty host", p(`""`, token, ""), invalidImmuta, "host", "host must not be empty"},
		{"empty api_token", p(url, `""`, ""), invalidSec, "api_token", "api_token must not be empty or blank. (The value is not shown: it is sensitive.)"},
		{"api_token with a newline", p(url, `"tok\n"`, ""), invalidSec, "api_token", "api_token must not hold control characters"},
		{"ca_certificate as a file path", p(url, token, "  ca_certificate = \"/etc/ssl/private-ca.pem\"\n"), "Invalid CA certificate", "ca_certificate", "not a file path: use file()."},
	}
	env.runTable(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders}, cases, func(c badInput) resource.TestStep {
		return resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: oneError(c.summary, c.line, c.detail)}
	})
}

// Values unknown at plan (here the output of a terraform_data that every
// step replaces) pass the plan, and are refused at apply time by the same
// rules with the same messages, before any request.
func TestAccValidation_unknownAtPlan(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	host := env.host("unknown")
	// later renders a value known only at apply: the case's name replaces
	// the terraform_data at each step.
	later := func(name, input string) string {
		return fmt.Sprintf("resource \"terraform_data\" \"v\" {\n  input            = %s\n  triggers_replace = %q\n}\n", input, name)
	}
	const v = "terraform_data.v.output"
	hostSet := []string{"host", fmt.Sprintf("%q", host)}
	res := func(raw string, set ...string) string { return integration(raw, append(hostSet, set...)...) }
	resKeys := func(raw string, set ...string) string { return integrationKeys(raw, append(hostSet, set...)...) }
	cases := []badInput{
		{"resource: empty password", later("1", `""`) + res("", "password", v), invalidSec, "password", "password must not be empty or blank. (The value is not shown: it is sensitive.)"},
		{"resource: empty password_wo", later("2", `""`) + res("", "password", "-", "password_wo", v), invalidSec, "password_wo", "password_wo must not be empty or blank."},
		{"resource: blank username", later("3", `"  "`) + res("", "username", v), invalidName, "username", "username must not be blank."},
		{"resource: empty access_key_id", later("4", `""`) + resKeys("", "access_key_id", v), invalidSec, "access_key_id", "access_key_id must not be empty or blank."},
		{"resource: database with SQL", later("5", `"immuta\nDROP DATABASE prod;"`) + res("", "database", v), invalidName, "database", "database must not hold control characters"},
		{"resource: host with a port", later("6", `"h.example.com:5439"`) + res("", "host", v), invalidHost, "host", "host must not carry a port"},
		{"resource: zero create timeout", later("7", `"0s"`) + res("  timeouts = {\n    create = "+v+"\n  }\n"), "Invalid timeout", "", "timeouts.create must be a positive duration"},
		{"resource: role while impersonation is disabled", later("8", `"imp"`) + res("  impersonation = {\n    enabled = false\n    role    = "+v+"\n  }\n"),
			"Attribute needs impersonation.enabled = true", "", "impersonation.role can only be set when impersonation.enabled = true"},
		{"data source: empty password", later("9", `""`) + script("data", createScript, "", "password", v), invalidSec, "password", "password must not be empty or blank."},
		{"data source: integration_id with spaces", later("10", `" 8 "`) + script("data", deleteScript, "", "integration_id", v), invalidID, "integration_id", "integration_id must be the id of an Immuta integration"},
		{"ephemeral: database with SQL", later("11", `"immuta\nDROP DATABASE prod;"`) + script("ephemeral", createScript, "", "database", v) + `
resource "terraform_data" "run" {
  provisioner "local-exec" {
    command     = "true"
    environment = { SCRIPT = ephemeral.immuta_integration_script.test.script }
  }
}
`, invalidName, "", "database must not hold control characters"}, // Terraform shows no configuration line for Open's errors
	}
	var steps []namedStep
	for _, c := range cases {
		steps = append(steps, namedStep{name: c.name, step: resource.TestStep{
			Config: env.providerBlock() + c.config, ExpectError: oneError(c.summary, c.line, c.detail),
		}})
	}
	// An update whose new password is empty at apply time sends no PUT; the
	// create before it proves that the counters count.
	created := env.providerBlock() + later("update", `""`) + res("", "password", `"p"`)
	steps = append(steps,
		namedStep{name: "create before the update", step: resource.TestStep{Config: created}, changes: []string{"POST /integrations"}},
		namedStep{name: "resource update: empty password", step: resource.TestStep{
			Config:      env.providerBlock() + later("update-2", `""`) + res("", "password", v),
			ExpectError: oneError(invalidSec, "password", "password must not be empty or blank."),
		}},
		// The failed update changed nothing: the first configuration plans no change.
		namedStep{name: "after the update", step: resource.TestStep{
			Config: env.providerBlock() + later("update-2", `""`) + res("", "password", `"p"`), PlanOnly: true,
		}},
	)
	env.runSteps(t, resource.TestCase{TerraformVersionChecks: wo111, ProtoV6ProviderFactories: testAccProviders, CheckDestroy: env.emulatorEmpty}, steps, false)
}
