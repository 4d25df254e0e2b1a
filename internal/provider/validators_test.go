package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// problemCase is one value for a rule: want is "" for a value the rule
// accepts, else a part of the expected problem.
type problemCase struct {
	value, want string
}

// checkProblems runs a rule over a table. A refused value must never be
// repeated in the message (it may come from a sensitive variable); values
// too short to tell from the message's own words are not checked.
func checkProblems(t *testing.T, rule string, problem func(string) string, cases []problemCase) {
	t.Helper()
	for _, tc := range cases {
		got := problem(tc.value)
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s(%q) = %q, want it accepted", rule, tc.value, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s(%q) = %q, want a problem with %q", rule, tc.value, got, tc.want)
		case tc.want != "" && len(tc.value) > 8 && strings.Contains(got, tc.value):
			t.Errorf("%s(%q) = %q repeats the value", rule, tc.value, got)
		}
	}
}

func TestRedshiftHostProblem(t *testing.T) {
	t.Parallel()
	label63 := strings.Repeat("a", 63)
	host253 := strings.Repeat(label63+".", 3) + strings.Repeat("b", 61) // 4*63 + 1 = 253
	checkProblems(t, "redshiftHostProblem", redshiftHostProblem, []problemCase{
		{"acme.abc123.us-east-1.redshift.amazonaws.com", ""},
		{"localhost", ""},
		{"Redshift-1.Example.COM", ""},
		{"10.0.0.12", ""},
		{"::1", ""},
		{"2001:db8::1", ""},
		{label63 + ".example.com", ""},
		{host253, ""},
		{"", "must not be empty"},
		{"   ", "must not be empty"},
		{"h.example.com\r", "control character (U+000D)"},
		{"h\x00.example.com", "control character (U+0000)"},
		{"hüst.example.com", "non-ASCII character (U+00FC)"},
		{strings.Repeat("a", 300) + ".example.com", "at most 63 characters; one has 300"},
		{host253 + "b", "at most 253 characters"},
		{"h;x.example.com", "the character ';'"},
		{"h'x.example.com", `the character "'"`},
		{"h,x.example.com", "the character ','"},
		{"h x.example.com", "a space"},
		{"h_x.example.com", "the character '_'"},
		{"[::1]", "without brackets"},
		{"[::1]:5439", "brackets"},
		{"-h.example.com", "begins or ends with a hyphen"},
		{"h-.example.com", "begins or ends with a hyphen"},
		{"h..example.com", "empty label"},
		{"h.example.com.", "empty label"},
		{"https://h.example.com", "without a scheme"},
		{"h.example.com/db", "without a path"},
		{"h.example.com?x=1", "without a path"},
		{"h.example.com:5439", "must not carry a port"},
		{"999.1.1.1", "not a valid IPv4 address"},
		{"1.2.3", "not a valid IPv4 address"},
		{"fe80::1%eth0", "neither a host name nor a valid IP address"},
		{"::g", "neither a host name nor a valid IP address"},
	})
}

func TestSQLNameProblem(t *testing.T) {
	t.Parallel()
	checkProblems(t, "sqlNameProblem", sqlNameProblem, []problemCase{
		{"immuta", ""},
		{"immuta_system", ""},
		{"taylor@redshift.com", ""}, // Immuta's own example of a username
		{"ci+bot@example.org", ""},
		{"my db", ""},
		{"données", ""},
		{"a$b-c", ""},
		{strings.Repeat("d", 127), ""},
		{"", "must not be blank"},
		{"   ", "must not be blank"},
		{"immuta\nDROP DATABASE prod;", "control characters"},
		{"immuta\tx", "control character (U+0009)"},
		{"a\x00b", "control character (U+0000)"},
		{"a\u200bb", "printable characters; it holds a non-ASCII character (U+200B)"},
		{"a\u202eb", "printable"},
		{"\xff\xfe", "valid UTF-8"},
		{strings.Repeat("d", 128), "at most 127 bytes long (Redshift's limit); it has 128"},
		{strings.Repeat("é", 64), "it has 128"},
		{strings.Repeat("x", 10000), "it has 10000"},
		{`dev"; DROP DATABASE prod; --`, `the character '"'`},
		{"o'brien", `the character "'"`},
		{"a`b", "the character '`'"},
		{`a\b`, `the character '\'`},
		{"a;b", "the character ';'"},
		{"a--b", `"--"`},
		{"a/*b", `"/*"`},
		{"a*/b", `"*/"`},
		{" immuta", "begin or end with a space"},
		{"immuta ", "begin or end with a space"},
	})
}

func TestSecretProblem(t *testing.T) {
	t.Parallel()
	checkProblems(t, "secretProblem", secretProblem, []problemCase{
		{"p", ""},
		{`Pa55 word!'"\;`, ""},
		{"AKIAIOSFODNN7EXAMPLE", ""},
		{"", "must not be empty"},
		{"  ", "must not be empty"},
		{"hunter2\n", "control characters"},
		{"hun\x00ter2", "control characters"},
		{"\thunter2", "control characters"},
	})
	// Nothing of the value, not even a character, is described.
	for _, v := range []string{"hunter2\n", "zq\x01zq"} {
		if p := secretProblem(v); strings.Contains(p, "U+") || strings.Contains(p, "hunter") || strings.Contains(p, "zq") {
			t.Errorf("secretProblem(%q) = %q describes the value", v, p)
		}
	}
}

func TestIntegrationIDProblem(t *testing.T) {
	t.Parallel()
	checkProblems(t, "integrationIDProblem", integrationIDProblem, []problemCase{
		{"8", ""},
		{"123456789", ""},
		{"", "must not be empty"},
		{" 8 ", "digits only"},
		{"8?x=1", "digits only"},
		{"8/../9", "digits only"},
		{"-1", "digits only"},
		{"1e3", "digits only"},
		{"８", "digits only"},
		{strings.Repeat("9", 21), "digits only"},
	})
}

func TestImmutaURLProblem(t *testing.T) {
	t.Parallel()
	checkProblems(t, "immutaURLProblem", immutaURLProblem, []problemCase{
		{"https://acme.immuta.com", ""},
		{"acme.immuta.com", ""},
		{"https://acme.immuta.com/", ""},
		{"HTTPS://Acme.Immuta.com", ""},
		{"http://127.0.0.1:8089", ""},
		{"https://[::1]:8443", ""},
		{"https://acme.immuta.com:65535", ""},
		{"https://127.0.0.1:99999", "port outside 1 to 65535"},
		{"https://acme.immuta.com:0", "port outside 1 to 65535"},
		{"https://acme.immuta.com:", "empty port"},
		{"https://acme.immuta.com:https", "invalid port"},
		{"ftp://acme.immuta.com", "must start with https://"},
		{"https://admin:pw@acme.immuta.com", "user name or password"},
		{"https://acme.immuta.com/api", "without a path"},
		{"https://acme.immuta.com?x=1", "query or fragment"},
		{"https://acme.immuta.com#x", "query or fragment"},
		{"https://", "must name a host"},
		{"", "must not be empty"},
		{"https://acme immuta.com", "spaces or control characters"},
		{"https://acme.immuta.com\n", "spaces or control characters"},
		{"https://acme_x.immuta.com", "host name that may hold only"},
		{"https://acme..immuta.com", "empty label"},
	})
	// The host part of a refused URL is not repeated either.
	if p := immutaURLProblem("https://secret-tenant.example:99999"); strings.Contains(p, "secret-tenant") || strings.Contains(p, "99999") {
		t.Errorf("the problem %q repeats the URL", p)
	}
}

func TestTimeoutProblem(t *testing.T) {
	t.Parallel()
	if maxTimeout != 24*time.Hour || !strings.Contains(timeoutRule, "24h") {
		t.Fatalf("the documented bound (%q) is not maxTimeout (%s)", timeoutRule, maxTimeout)
	}
	checkProblems(t, "timeoutProblem", timeoutProblem, []problemCase{
		{"30m", ""},
		{"1s", ""},
		{"24h", ""},
		{"1h30m", ""},
		{"soon", ""}, // the timeouts library's own validator reports it
		{"0s", "must be a positive duration"},
		{"0", "must be a positive duration"},
		{"-5m", "must be a positive duration"},
		{"24h0m1s", "at most 24h"},
		{"48h", "at most 24h"},
	})
}

func TestPortProblem(t *testing.T) {
	t.Parallel()
	huge, _, _ := big.ParseFloat("99999999999999999999", 10, 512, big.ToNearestEven)
	for _, tc := range []struct {
		value *big.Float
		ok    bool
	}{
		{big.NewFloat(1), true},
		{big.NewFloat(5439), true},
		{big.NewFloat(65535), true},
		{big.NewFloat(0), false},
		{big.NewFloat(-1), false},
		{big.NewFloat(65536), false},
		{big.NewFloat(5439.5), false},
		{huge, false},
	} {
		if got := portProblem(tc.value); (got == "") != tc.ok {
			t.Errorf("portProblem(%s) = %q, want ok=%v", tc.value, got, tc.ok)
		}
	}
	if got := portInt(types.NumberValue(big.NewFloat(5440))); got != 5440 {
		t.Errorf("portInt(5440) = %d", got)
	}
	if got := portInt(types.NumberNull()); got != 0 {
		t.Errorf("portInt(null) = %d, want 0 (Immuta's default)", got)
	}
}

func TestCACertProblem(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca"}, NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	checkProblems(t, "caCertProblem", caCertProblem, []problemCase{
		{cert, ""},
		{cert + cert, ""},
		{"/etc/ssl/private-ca.pem", "not a file path"},
		{"", "not a file path"},
		{string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("junk")})), "cannot be parsed"},
	})
}

// The validator types name the attribute by its full path, with the
// problem, and leave null and unknown values to apply time.
func TestStringRuleValidators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := path.Root("impersonation").AtName("role")
	for _, tc := range []struct {
		name    string
		v       validator.String
		value   types.String
		summary string
		detail  string
	}{
		{"sql name", sqlNameValidator{}, types.StringValue("r;x"), "Invalid name", "impersonation.role must not hold the character ';'"},
		{"secret", secretValidator{}, types.StringValue(""), "Invalid secret value", "impersonation.role must not be empty"},
		{"host", hostValidator{}, types.StringValue("[::1]"), "Invalid Redshift host", "impersonation.role must not hold brackets"},
		{"integration id", integrationIDValidator{}, types.StringValue(" 8 "), "Invalid integration id", "impersonation.role must be the id"},
		{"immuta url", immutaURLValidator{}, types.StringValue("https://h:99999"), "Invalid Immuta host", "port outside"},
		{"ca certificate", caCertValidator{}, types.StringValue("x.pem"), "Invalid CA certificate", "not a file path"},
		{"timeout", timeoutValidator{}, types.StringValue("0s"), "Invalid timeout", "impersonation.role must be a positive duration"},
		{"null", sqlNameValidator{}, types.StringNull(), "", ""},
		{"unknown", secretValidator{}, types.StringUnknown(), "", ""},
	} {
		resp := &validator.StringResponse{}
		tc.v.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: p.Expression(), ConfigValue: tc.value}, resp)
		if tc.summary == "" {
			if resp.Diagnostics.HasError() {
				t.Errorf("%s: %v", tc.name, resp.Diagnostics)
			}
			continue
		}
		if len(resp.Diagnostics) != 1 {
			t.Errorf("%s: %d diagnostics, want 1: %v", tc.name, len(resp.Diagnostics), resp.Diagnostics)
			continue
		}
		d := resp.Diagnostics[0]
		if d.Summary() != tc.summary || !strings.Contains(d.Detail(), tc.detail) {
			t.Errorf("%s: %q / %q, want %q / %q", tc.name, d.Summary(), d.Detail(), tc.summary, tc.detail)
		}
		if tc.v.Description(ctx) == "" {
			t.Errorf("%s: no description", tc.name)
		}
	}
}
