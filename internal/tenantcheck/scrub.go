package tenantcheck

import (
	"encoding/base64"
	"sort"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// Scrubber removes secrets from text, in every form the client's scrubbing
// knows (raw, JSON-escaped, URL-encoded, HTML-escaped: client.SecretForms)
// and base64. The report never prints a credential's value by construction
// (facts name fields, not values); scrubbing the whole report on top of that
// covers what a hostile answer could smuggle into the text that is printed
// (a status, an id, an error message echoing the API key).
type Scrubber struct{ forms []string }

const scrubbed = "***"

// minSecretLen: shorter values would turn every "a" of a report into ***;
// the API key is scrubbed whatever its length.
const minSecretLen = 4

// NewScrubber scrubs token and every value of secrets.
func NewScrubber(token string, secrets ...string) *Scrubber {
	s := &Scrubber{}
	seen := map[string]bool{}
	add := func(v string) {
		for _, f := range secretForms(v) {
			if f != "" && !seen[f] {
				seen[f] = true
				s.forms = append(s.forms, f)
			}
		}
	}
	if token != "" {
		add(token)
	}
	for _, v := range secrets {
		if len(v) >= minSecretLen && v != client.Redacted {
			add(v)
		}
	}
	// Longest first, so that a secret holding another is replaced whole.
	sort.Slice(s.forms, func(i, j int) bool { return len(s.forms[i]) > len(s.forms[j]) })
	return s
}

func secretForms(v string) []string {
	out := client.SecretForms(v)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		out = append(out, enc.EncodeToString([]byte(v)))
	}
	return out
}

// Scrub replaces every form of every secret with ***.
func (s *Scrubber) Scrub(text string) string {
	if s == nil {
		return text
	}
	for _, f := range s.forms {
		text = strings.ReplaceAll(text, f, scrubbed)
	}
	return text
}
