package provider

import (
	"encoding/json"
	"html"
	"net/url"
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
