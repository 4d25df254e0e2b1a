package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const masked = "***"

// sensitiveKeys are JSON keys whose values never reach a log, compared in lower case.
// The Redshift credential fields, the script a script call returns, and the credential
// names other integration types use in GET /integrations.
var sensitiveKeys = map[string]bool{
	"password":     true,
	"secretkey":    true,
	"sessiontoken": true,
	"accesskeyid":  true,
	"username":     true,
	"databaseuser": true,
	"script":       true,
	"token":        true,
	"privatekey":   true,
	"clientsecret": true,
	"apikey":       true,
}

// maskJSON replaces, at any depth, the values of sensitive keys. ok is false when body
// is not one JSON value, in which case nothing of it may be shown.
func maskJSON(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return "", false
	}
	if _, err := dec.Token(); err == nil {
		return "", false // trailing data
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(maskValue(v)) != nil {
		return "", false
	}
	return strings.TrimSuffix(b.String(), "\n"), true
}

// maskJSONString is maskJSON for places that must print something.
func maskJSONString(body []byte) string {
	if s, ok := maskJSON(body); ok {
		return s
	}
	return fmt.Sprintf("<%d bytes of malformed JSON>", len(body))
}

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if sensitiveKeys[strings.ToLower(k)] {
				t[k] = masked
			} else {
				t[k] = maskValue(val)
			}
		}
	case []any:
		for i := range t {
			t[i] = maskValue(t[i])
		}
	}
	return v
}

// collectSecrets returns the string values of sensitive keys in a request body, so they
// can be scrubbed from anything the server says back (an error that echoes a field).
func collectSecrets(body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				if s, ok := val.(string); ok && sensitiveKeys[strings.ToLower(k)] {
					out = append(out, s)
					continue
				}
				walk(val)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// secretSet scrubs known secret values out of text.
type secretSet []string

// minSecretLen avoids turning every "a" of a message into "***" for a one-letter
// value; Redshift passwords are at least 8 characters anyway.
const minSecretLen = 4

func newSecretSet(values ...string) secretSet {
	var s secretSet
	seen := map[string]bool{}
	for _, v := range values {
		if len(v) < minSecretLen || v == Redacted || v == masked {
			continue
		}
		for _, f := range SecretForms(v) {
			if !seen[f] {
				seen[f] = true
				s = append(s, f)
			}
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	return s
}

// SecretForms lists the forms in which a server, a proxy or a log may echo secret:
// raw; YAML-quoted (single-quoted with ' doubled; double-quoted with YAML's escapes, non-
// ASCII raw or escaped); JSON-escaped in Go's style (\u003c, \u0026, \") and Node's (only
// \" and \\); escaped twice, as a JSON log re-encodes an escaped message (\\u003c); with
// upper-case hex; URL-encoded (query and path style), raw or JSON-escaped; inside HTML
// (&lt; &amp; &#34; &quot;), raw or JSON-escaped; and base64-encoded (standard and URL
// alphabets, with and without padding, alone or anywhere inside an encoded body:
// base64Forms). Scrubbing each of them leaves nothing of secret in any encoding.
func SecretForms(secret string) []string {
	var out []string
	add := func(f string) {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	var once []string
	for _, base := range append([]string{secret}, yamlQuoted(secret)...) {
		for _, f := range []string{base, jsonEscape(base, true), jsonEscape(base, false)} {
			if !slices.Contains(once, f) {
				once = append(once, f)
			}
		}
	}
	for _, f := range once {
		add(f)
		add(upperHexEscapes(f))
		for _, h := range []bool{true, false} {
			add(jsonEscape(f, h))
		}
		add(html.EscapeString(f))
		add(strings.NewReplacer(`&#34;`, `&quot;`, `&#39;`, `&apos;`).Replace(html.EscapeString(f)))
		// A server that URL-encodes what it echoes encodes the JSON it was sent.
		add(url.QueryEscape(f))
		add(url.PathEscape(f))
		add(strings.ReplaceAll(url.QueryEscape(f), "+", "%20"))
		// A server that base64-encodes what it echoes encodes the JSON it was sent, in
		// which the secret is JSON-escaped: every form of once, encoded.
		for _, b := range base64Forms(f) {
			add(b)
		}
	}
	return out
}

// yamlQuoted is secret inside YAML quotes, as a server that echoes its input as YAML
// writes it: single-quoted (” for '), and double-quoted with the escapes of Go's
// emitters (\" \\, non-ASCII raw: strconv.Quote; \u00e4: QuoteToASCII) and libyaml's
// (\xE4 and \u20AC for non-ASCII, upper-case hex). A plain (unquoted) scalar is the raw
// secret. Written by hand because no YAML library exposes its quoting of one scalar.
func yamlQuoted(secret string) []string {
	unquote := func(q string) string { return q[1 : len(q)-1] }
	out := []string{
		strings.ReplaceAll(secret, "'", "''"),
		unquote(strconv.Quote(secret)),
		unquote(strconv.QuoteToASCII(secret)),
	}
	var libyaml strings.Builder
	for _, r := range secret {
		switch {
		case r == '"' || r == '\\':
			libyaml.WriteString(`\` + string(r))
		case r >= 0x20 && r < 0x7f:
			libyaml.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&libyaml, `\x%02X`, r)
		case r <= 0xffff:
			fmt.Fprintf(&libyaml, `\u%04X`, r)
		default:
			fmt.Fprintf(&libyaml, `\U%08X`, r)
		}
	}
	return append(out, libyaml.String())
}

// base64Forms are the base64 encodings of f in both alphabets: alone, with and without
// padding, and the three shifted encodings that find f anywhere inside an encoded body.
//
// Why shifted encodings rather than decoding what looks like base64 in the text: a
// secret inside an encoded body does not appear as base64(secret), because base64 maps
// 3-byte groups to 4 characters and the secret may start at any of 3 byte offsets of a
// group. For each offset k, encoding k filler bytes + f and keeping only the characters
// whose 6 bits all come from f gives a core that appears in every encoding of every body
// holding f at that offset, whatever its neighbours. This needs no guess at where a
// base64 run starts or ends (a run may sit inside a JSON string, be cut by a length
// limit or begin mid-body), and replacing the core leaves at most the few bits of f's
// first and last byte that share characters with its neighbours. Decoding runs instead
// would have to guess their bounds and alignment and miss any run that an escape (\/)
// interrupts. Base64 wrapped into lines (MIME's 76 columns) is not covered: a line
// break inside the core breaks the match.
func base64Forms(f string) []string {
	if len(f) < minSecretLen {
		return nil
	}
	var out []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, enc.EncodeToString([]byte(f)), enc.WithPadding(base64.NoPadding).EncodeToString([]byte(f)))
		raw := enc.WithPadding(base64.NoPadding)
		for k := range 3 {
			buf := make([]byte, k+len(f))
			copy(buf[k:], f)
			s := raw.EncodeToString(buf)
			first := (8*k + 5) / 6       // characters holding bits of the filler
			last := 8 * (k + len(f)) / 6 // characters beyond hold bits of what follows
			if last > first {
				out = append(out, s[first:last])
			}
		}
	}
	return out
}

// jsonEscape is s as it appears between the quotes of a JSON string.
func jsonEscape(s string, escapeHTML bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

var hexEscapeRe = regexp.MustCompile(`\\u[0-9a-f]{4}`)

func upperHexEscapes(s string) string {
	return hexEscapeRe.ReplaceAllStringFunc(s, func(m string) string { return `\u` + strings.ToUpper(m[2:]) })
}

func (s secretSet) scrub(text string) string {
	for _, v := range s {
		text = strings.ReplaceAll(text, v, masked)
	}
	return text
}

const maxLoggedBody = 2048

// maskBody renders a request or answer body for a trace log entry.
func maskBody(body []byte, contentType string, isScript bool, secrets secretSet) string {
	if len(body) == 0 {
		return ""
	}
	if isScript {
		return fmt.Sprintf("<script: %d bytes masked>", len(body))
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"') ||
		strings.Contains(strings.ToLower(contentType), "json") {
		s, ok := maskJSON(trimmed)
		if !ok {
			return fmt.Sprintf("<%d bytes of malformed JSON masked>", len(body))
		}
		return Truncate(secrets.scrub(s), maxLoggedBody)
	}
	limit := maxLoggedBody
	if isHTML(contentType, trimmed) {
		limit = 512
	}
	return Truncate(secrets.scrub(strings.ToValidUTF8(string(trimmed), "\uFFFD")), limit)
}
