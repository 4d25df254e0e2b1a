package provider

// Rules for single attribute values, one type per rule. Each rule is a pure
// function (…Problem) that returns what is wrong, or "" when nothing is; the
// validator type wraps it, and Configure (values from the environment) uses
// the same function, so that a value meets the same words wherever it comes
// from. The apply-time re-check (connection_validate.go) calls the validators
// themselves.
//
// No message repeats the value: it may come from a sensitive variable, which
// the provider cannot tell. A message names the attribute and, for names that
// are not secrets, the kind of character at fault.

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The rules in words, for the validators' descriptions and the attributes' docs.
const (
	redshiftHostRule = "a host name of ASCII letters, digits, hyphens and dots (labels of 1 to 63 characters that neither begin " +
		"nor end with a hyphen, at most 253 characters in all), or an IPv4 or IPv6 address without brackets; no scheme, port or path"
	sqlNameRule = "1 to 127 bytes (Redshift's limit) of printable UTF-8, not blank, without leading or trailing spaces, " +
		"control characters, `\"`, `'`, `` ` ``, `\\`, `;` or SQL comment markers (`--`, `/*`, `*/`), " +
		"so that it cannot break out of the SQL that Immuta generates"
	secretRule      = "a value that is not blank and holds no control characters (such as newlines, tabs or NUL)"
	portRule        = "a whole number between 1 and 65535"
	integrationRule = "Immuta's id of an integration: digits only, such as `123456789`"
	immutaURLRule   = "an `https://` (or `http://`) URL of the tenant root: a host name or IP address and, optionally, a port between 1 and 65535; " +
		"no path, query, fragment or user name"
	caCertRule = "one or more PEM-encoded certificates (`-----BEGIN CERTIFICATE-----`), not a file path"
)

// maxTimeout bounds every wait: a day is longer than any Immuta operation
// takes, and a longer timeout is more likely a typo than a need.
const maxTimeout = 24 * time.Hour

// timeoutRule is the timeouts' rule in words.
const timeoutRule = "a positive duration of at most `24h`, such as `30m` or `1h30m`"

// A stringCheck is one rule over a string: the summary of its error, its
// words and its problem function.
type stringCheck interface {
	summary() string
	rule() string
	problem(string) string
}

// stringValidator is the validator.String of the rule C, one type per rule
// (hostValidator{}, sqlNameValidator{}, ...). Null and unknown values are
// left alone: unknown ones are checked again at apply time, when they are
// known.
type stringValidator[C stringCheck] struct{}

func (stringValidator[C]) Description(context.Context) string {
	var c C
	return "must be " + c.rule()
}

func (v stringValidator[C]) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (stringValidator[C]) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var c C
	if p := c.problem(req.ConfigValue.ValueString()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary(), req.Path.String()+" "+p)
	}
}

type (
	// hostValidator is for the Redshift host: redshiftHostProblem.
	hostValidator = stringValidator[hostCheck]
	// sqlNameValidator is for names that Immuta writes into the SQL it
	// generates: database, initial_database, database_user, username and the
	// impersonation role.
	sqlNameValidator = stringValidator[sqlNameCheck]
	// secretValidator is for credentials; its messages never hold any part
	// of the value.
	secretValidator = stringValidator[secretCheck]
	// integrationIDValidator accepts an Immuta integration id.
	integrationIDValidator = stringValidator[integrationIDCheck]
	// immutaURLValidator is for the provider's host.
	immutaURLValidator = stringValidator[immutaURLCheck]
	// caCertValidator is for the provider's ca_certificate.
	caCertValidator = stringValidator[caCertCheck]
	// timeoutValidator bounds a timeouts.* duration. An unparsable one is
	// left to the timeouts library's own validator, so that it gets one error.
	timeoutValidator = stringValidator[timeoutCheck]
)

type (
	hostCheck          struct{}
	sqlNameCheck       struct{}
	secretCheck        struct{}
	integrationIDCheck struct{}
	immutaURLCheck     struct{}
	caCertCheck        struct{}
	timeoutCheck       struct{}
)

func (hostCheck) summary() string         { return "Invalid Redshift host" }
func (hostCheck) rule() string            { return redshiftHostRule }
func (hostCheck) problem(s string) string { return redshiftHostProblem(s) }

func (sqlNameCheck) summary() string         { return "Invalid name" }
func (sqlNameCheck) rule() string            { return sqlNameRule }
func (sqlNameCheck) problem(s string) string { return sqlNameProblem(s) }

func (secretCheck) summary() string         { return "Invalid secret value" }
func (secretCheck) rule() string            { return secretRule }
func (secretCheck) problem(s string) string { return secretProblem(s) }

func (integrationIDCheck) summary() string         { return "Invalid integration id" }
func (integrationIDCheck) rule() string            { return integrationRule }
func (integrationIDCheck) problem(s string) string { return integrationIDProblem(s) }

func (immutaURLCheck) summary() string         { return "Invalid Immuta host" }
func (immutaURLCheck) rule() string            { return immutaURLRule }
func (immutaURLCheck) problem(s string) string { return immutaURLProblem(s) }

func (caCertCheck) summary() string         { return "Invalid CA certificate" }
func (caCertCheck) rule() string            { return caCertRule }
func (caCertCheck) problem(s string) string { return caCertProblem(s) }

func (timeoutCheck) summary() string         { return "Invalid timeout" }
func (timeoutCheck) rule() string            { return timeoutRule }
func (timeoutCheck) problem(s string) string { return timeoutProblem(s) }

// redshiftHostProblem: the Redshift endpoint as Immuta takes it, a bare
// host name or IP address.
func redshiftHostProblem(h string) string {
	switch {
	case strings.TrimSpace(h) == "":
		return "must not be empty."
	case strings.Contains(h, "://"):
		return "must be a bare host name, without a scheme such as https://."
	case strings.ContainsAny(h, "[]"):
		return "must not hold brackets: give an IPv6 address without brackets, such as 2001:db8::1, and the port in port."
	case net.ParseIP(h) != nil:
		return ""
	case strings.ContainsAny(h, "/?#"):
		return "must be a bare host name, without a path."
	case strings.Contains(h, ":"):
		if name, _, err := net.SplitHostPort(h); err == nil && hostNameProblem(name) == "" {
			return "must not carry a port; set the port attribute instead."
		}
		return "is neither a host name nor a valid IP address."
	}
	return hostNameProblem(h)
}

// hostNameProblem checks a DNS host name (RFC 1123): ASCII letters, digits
// and hyphens in dot-separated labels.
func hostNameProblem(h string) string {
	for _, r := range h {
		if !hostNameRune(r) {
			return "may hold only ASCII letters, digits, hyphens and dots; it holds " + describeRune(r) + "."
		}
	}
	numeric := true
	for _, label := range strings.Split(h, ".") {
		switch {
		case label == "":
			return "must not have an empty label: no leading, trailing or doubled dots."
		case len(label) > 63:
			return fmt.Sprintf("must have labels (the parts between dots) of at most 63 characters; one has %d.", len(label))
		case label[0] == '-' || label[len(label)-1] == '-':
			return "must not have a label (a part between dots) that begins or ends with a hyphen."
		}
		if strings.Trim(label, "0123456789") != "" {
			numeric = false
		}
	}
	if len(h) > 253 {
		return fmt.Sprintf("must be at most 253 characters long; it has %d.", len(h))
	}
	if numeric {
		return "is not a valid IPv4 address."
	}
	return ""
}

func hostNameRune(r rune) bool {
	return r == '-' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
}

// sqlNameProblem: Redshift's identifier rules (1 to 127 bytes of printable
// UTF-8), less what could end a quoted identifier, a string literal, a
// statement or a line of the generated script.
func sqlNameProblem(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "must not be blank."
	case !utf8.ValidString(s):
		return "must be valid UTF-8."
	case len(s) > 127:
		return fmt.Sprintf("must be at most 127 bytes long (Redshift's limit); it has %d.", len(s))
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return "must not hold control characters such as newlines or tabs; it holds " + describeRune(r) + "."
		case !unicode.IsPrint(r):
			return "must hold only printable characters; it holds " + describeRune(r) + "."
		case strings.ContainsRune("\"'`\\;", r):
			return fmt.Sprintf("must not hold %s: it would end a quoted name, a string or a statement in the SQL that Immuta generates.", describeRune(r))
		}
	}
	for _, marker := range []string{"--", "/*", "*/"} {
		if strings.Contains(s, marker) {
			return fmt.Sprintf("must not hold %q, which starts or ends an SQL comment.", marker)
		}
	}
	if strings.TrimSpace(s) != s {
		return "must not begin or end with a space."
	}
	return ""
}

// secretProblem: a credential. Nothing of the value is ever described.
func secretProblem(s string) string {
	if strings.TrimSpace(s) == "" {
		return "must not be empty or blank. (The value is not shown: it is sensitive.)"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "must not hold control characters such as newlines, tabs or NUL. (The value is not shown: it is sensitive.)"
		}
	}
	return ""
}

// integrationIDProblem: Immuta's ids are numbers (a string in every
// example); anything else would change the request path.
func integrationIDProblem(s string) string {
	if s == "" {
		return "must not be empty."
	}
	if strings.Trim(s, "0123456789") != "" || len(s) > 20 {
		return "must be the id of an Immuta integration: digits only, such as 123456789, without spaces or other characters."
	}
	return ""
}

// immutaURLProblem: the provider's host, as client.NormalizeBaseURL takes
// it (a bare host name means https), with a port that can exist.
func immutaURLProblem(s string) string {
	if strings.TrimSpace(s) == "" {
		return "must not be empty: set the URL of your Immuta tenant, such as https://acme.immuta.com."
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return "must not hold spaces or control characters."
		}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		// The parser's error quotes the value: say what is wrong instead.
		if strings.Contains(err.Error(), "port") {
			return "has an invalid port: give a number between 1 and 65535, such as https://acme.immuta.com:8443."
		}
		return "is not a valid URL, such as https://acme.immuta.com."
	}
	switch scheme := strings.ToLower(u.Scheme); {
	case scheme != "http" && scheme != "https":
		return "must start with https:// (or http:// for an emulator on this machine)."
	case u.User != nil:
		return "must not hold a user name or password: the API key goes in api_token."
	case u.Hostname() == "":
		return "must name a host, such as https://acme.immuta.com."
	case (u.Path != "" && u.Path != "/") || u.Opaque != "":
		return "must be the tenant root, without a path (the API hangs off the root, e.g. /integrations)."
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return "must not have a query or fragment."
	}
	if strings.HasSuffix(u.Host, ":") {
		return "has an empty port: remove the colon or give a port between 1 and 65535."
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "has a port outside 1 to 65535."
		}
	}
	if net.ParseIP(u.Hostname()) == nil {
		if p := hostNameProblem(u.Hostname()); p != "" {
			return "has a host name that " + p
		}
	}
	return ""
}

// caCertProblem: ca_certificate holds the certificates, not their path.
func caCertProblem(s string) string {
	rest := []byte(s)
	found := false
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return "holds a certificate that cannot be parsed; give PEM-encoded certificates, as file() reads them."
		}
		found = true
	}
	if !found {
		return "must hold one or more PEM-encoded certificates (-----BEGIN CERTIFICATE-----), not a file path: use file()."
	}
	return ""
}

// timeoutProblem bounds a duration; an unparsable one is the timeouts
// library's to report.
func timeoutProblem(s string) string {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return ""
	case d <= 0:
		return "must be a positive duration, such as 30m: with zero or less, the wait would fail before Immuta is asked anything."
	case d > maxTimeout:
		return "must be at most 24h."
	}
	return ""
}

// describeRune names a character without quoting the value around it.
func describeRune(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "an invalid UTF-8 sequence"
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (U+%04X)", r)
	case r == ' ':
		return "a space"
	case r >= utf8.RuneSelf:
		return fmt.Sprintf("a non-ASCII character (U+%04X)", r)
	case r == '\'':
		return `the character "'"`
	default:
		return "the character '" + string(r) + "'"
	}
}

// portValidator is a validator.Number: port is a number-typed attribute so
// that a value no int64 can hold (port = 99999999999999999999) reaches this
// rule and its message, instead of the framework's conversion error.
type portValidator struct{}

func (portValidator) Description(context.Context) string { return "must be " + portRule }

func (v portValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (portValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if p := portProblem(req.ConfigValue.ValueBigFloat()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid port", req.Path.String()+" "+p)
	}
}

func portProblem(f *big.Float) string {
	if f == nil || !f.IsInt() || f.Cmp(big.NewFloat(1)) < 0 || f.Cmp(big.NewFloat(65535)) > 0 {
		return "must be a whole number between 1 and 65535 (Redshift's default port is 5439)."
	}
	return ""
}

// portInt is a validated port as an int; 0 (left out of the payload, so
// that Immuta applies its default) for null and unknown values.
func portInt(n types.Number) int {
	if n.IsNull() || n.IsUnknown() || portProblem(n.ValueBigFloat()) != "" {
		return 0
	}
	i, _ := n.ValueBigFloat().Int64()
	return int(i)
}

// onlyWhenTrue refuses a value unless the bool attribute at expr (relative
// to the validated attribute) is true: impersonation.role means nothing
// while impersonation.enabled is false.
type onlyWhenTrue struct {
	expr path.Expression
}

func (v onlyWhenTrue) Description(context.Context) string {
	return fmt.Sprintf("may be set only when %s is true", v.expr)
}

func (v onlyWhenTrue) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v onlyWhenTrue) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	paths, diags := req.Config.PathMatches(ctx, req.PathExpression.Merge(v.expr))
	resp.Diagnostics.Append(diags...)
	for _, p := range paths {
		var flag types.Bool
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, p, &flag)...)
		if flag.IsUnknown() || flag.ValueBool() {
			continue
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Attribute needs "+p.String()+" = true",
			fmt.Sprintf("%s can only be set when %s = true; remove it, or set %s = true.", req.Path, p, p))
	}
}

// withTimeoutValidators adds the bounds to the timeouts library's
// attributes, beside its own check that the value parses.
func withTimeoutValidators(attrs map[string]rschema.Attribute) map[string]rschema.Attribute {
	out := make(map[string]rschema.Attribute, len(attrs))
	for name, a := range attrs {
		if s, ok := a.(rschema.StringAttribute); ok {
			s.Validators = append(append([]validator.String{}, s.Validators...), timeoutValidator{})
			a = s
		}
		out[name] = a
	}
	return out
}
