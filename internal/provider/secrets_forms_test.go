package provider

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
)

// encodedForms are the ways a secret may be echoed, spelt out here apart from the
// client's own list so that a gap in one is not hidden by the other.
func encodedForms(s string) []string {
	esc := func(v string, htmlSafe bool) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(htmlSafe)
		_ = enc.Encode(v)
		q := strings.TrimSpace(b.String())
		return q[1 : len(q)-1]
	}
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s)}
	for _, h := range []bool{true, false} {
		once := esc(s, h)
		forms = append(forms, once, html.EscapeString(once), url.QueryEscape(once), esc(once, true), esc(once, false), esc(esc(once, false), false))
	}
	return forms
}

// encodedFormsYAML adds the YAML-quoted forms (single-quoted with ' doubled, and
// double-quoted) to the forms of encodedForms.
func encodedFormsYAML(s string) []string {
	forms := encodedForms(s)
	for _, q := range []string{strings.ReplaceAll(s, "'", "''")} {
		forms = append(forms, encodedForms(q)...)
	}
	return forms
}

var base64RunRe = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}`)

// decodesFromBase64 decodes every run of base64 characters in text, from each of
// its 4 alignments and in both alphabets, and reports the first that holds frag:
// a secret inside a base64-encoded body does not appear as base64(secret), so
// only decoding finds it.
func decodesFromBase64(text, frag string) (string, bool) {
	for _, run := range base64RunRe.FindAllString(text, -1) {
		for skip := range 4 {
			r := run[min(skip, len(run)):]
			r = strings.NewReplacer("-", "+", "_", "/").Replace(r[:len(r)/4*4])
			if d, err := base64.StdEncoding.DecodeString(r); err == nil && strings.Contains(string(d), frag) {
				return run, true
			}
		}
	}
	return "", false
}
