package tenantcheck

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// redshiftCredentials are the Redshift config fields that come back as
// "<REDACTED>" (contract: Integration object).
var redshiftCredentials = []string{"username", "password", "databaseUser", "accessKeyId", "secretKey", "sessionToken"}

// readBack are the credential fields the provider reads back into state
// when they hold anything but "<REDACTED>" (provider: redshiftIntegrationModel.apply).
var readBack = map[string]bool{"username": true, "databaseUser": true}

// credentialKey reports whether a config key names a credential, in any
// integration type (the other types' names are those the client's log
// masking knows, and a few more of the same kind), compared in lower case.
func credentialKey(k string) bool {
	switch strings.ToLower(k) {
	case "username", "password", "databaseuser", "accesskeyid", "secretkey", "sessiontoken",
		"token", "privatekey", "privatekeypassword", "passphrase", "clientsecret", "apikey",
		"secret", "accesstoken", "refreshtoken", "secretaccesskey":
		return true
	}
	return false
}

// redactionForm sorts a credential's value: "redacted" ("<REDACTED>"),
// "masked" (another redaction marker: "REDACTED", "****"), "empty", or
// "clear" (anything else: a value someone could use).
func redactionForm(v any) string {
	switch s := v.(type) {
	case nil:
		return "empty"
	case string:
		t := strings.TrimSpace(s)
		switch {
		case s == client.Redacted:
			return "redacted"
		case t == "":
			return "empty"
		case strings.Contains(strings.ToLower(t), "redacted"), len(t) >= 3 && strings.Trim(t, "*•xX") == "":
			return "masked"
		}
		return "clear"
	case bool:
		return "empty" // a flag, no secret
	case json.Number, map[string]any, []any:
		return "clear"
	}
	return "clear"
}

// credentialFinding is one credential field of one answer; never its value.
type credentialFinding struct {
	id, typ, path, form string
	redshift            bool
}

// credentialFindings walks the configs of every answer for credential fields.
func credentialFindings(entries []entry, existing *entry) []credentialFinding {
	var out []credentialFinding
	for i, e := range allEntries(entries, existing) {
		if e.config == nil {
			continue
		}
		where := "list entry " + itoa(i+1)
		if existing != nil && i == len(entries) {
			where = "the read by id"
		}
		id := firstNonEmpty(excerpt(e.idText, 40), "("+where+")")
		walkCredentials(e.config, "config.", func(path string, v any) {
			out = append(out, credentialFinding{id: id, typ: typeOr(e.typ), path: path, form: redactionForm(v), redshift: e.isRedshift()})
		})
	}
	return out
}

func walkCredentials(obj map[string]any, prefix string, visit func(string, any)) {
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		if credentialKey(k) {
			visit(prefix+excerpt(k, 40), v)
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			walkCredentials(sub, prefix+excerpt(k, 40)+".", visit)
		}
	}
}

// ClearCredentials returns every credential value an answer holds in inClear,
// for the scrubber: the report must not repeat them in any form.
func ClearCredentials(o *Observations) []string {
	var out []string
	var collect func(v any)
	collect = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				if credentialKey(k) && redactionForm(sub) == "clear" {
					b, _ := json.Marshal(sub)
					if s, ok := sub.(string); ok {
						out = append(out, s)
					} else {
						out = append(out, string(b))
					}
					continue
				}
				collect(sub)
			}
		case []any:
			for _, sub := range x {
				collect(sub)
			}
		}
	}
	for _, e := range o.Exchanges() {
		if v, ok := decodeValue(e.Body); ok {
			collect(v)
		}
	}
	return out
}

func redactionFact(entries []entry, existing *entry) Fact {
	f := Fact{Name: FactRedaction, Assumed: `every credential field (username, password, secretKey, sessionToken, accessKeyId, databaseUser) answers "<REDACTED>"`}
	findings := credentialFindings(entries, existing)
	if len(findings) == 0 {
		return unchecked(FactRedaction, "no credential field in the answers")
	}
	byForm := map[string]int{}
	var inClear, masked, absent []string
	for _, c := range findings {
		if c.form == "masked" && !c.redshift {
			byForm["masked by another type"]++
		} else {
			byForm[c.form]++
		}
		switch {
		case c.form == "clear":
			inClear = append(inClear, fmt.Sprintf("integration %s (%s) %s", c.id, c.typ, c.path))
		case c.form == "masked" && c.redshift:
			masked = append(masked, fmt.Sprintf("integration %s %s", c.id, c.path))
		}
	}
	// A Redshift answer without its credential fields is no leak; said as a note.
	for _, e := range allEntries(entries, existing) {
		if e.isRedshift() && e.config != nil {
			for _, k := range redshiftCredentials {
				if _, ok := e.config[k]; !ok && (k == "username" || k == "password") && e.config["authenticationType"] != client.AuthAccessKey {
					absent = append(absent, fmt.Sprintf("integration %s config.%s", firstNonEmpty(excerpt(e.idText, 40), "?"), k))
				}
			}
		}
	}
	forms := sortedKeys(byForm)
	sort.SliceStable(forms, func(i, j int) bool { return byForm[forms[i]] > byForm[forms[j]] })
	var parts []string
	for _, k := range forms {
		label := map[string]string{"redacted": `"<REDACTED>"`, "masked": "masked otherwise", "empty": "empty", "clear": "IN CLEAR",
			"masked by another type": `masked otherwise by another integration type (e.g. "REDACTED")`}[k]
		parts = append(parts, fmt.Sprintf("%s %d", label, byForm[k]))
	}
	f.Seen = fmt.Sprintf("%s in the list and the read by id: %s", plural(len(findings), "credential field", "credential fields"), strings.Join(parts, ", "))
	var provider []string
	inClear, masked = dedupe(inClear), dedupe(masked)
	if len(inClear) > 0 {
		f.Seen += "; in inClear (values not shown): " + strings.Join(inClear, "; ")
		provider = append(provider, "Immuta hands these secrets to anyone holding an API key with APPLICATION_ADMIN: tell Immuta. "+
			"The provider never reads a password, secret key or session token back (it keeps those of your configuration) and masks credential fields by name in its logs; "+
			"a username or database_user in inClear is read back into state, where it is not treated as a secret")
	}
	if len(masked) > 0 {
		f.Seen += "; a Redshift credential masked otherwise than \"<REDACTED>\": " + strings.Join(masked, "; ")
		for _, m := range masked {
			for k := range readBack {
				if strings.HasSuffix(m, "config."+k) {
					provider = append(provider, "the provider takes any value but \"<REDACTED>\" in config.username or config.databaseUser as the real one: "+
						"it reads the mask into state, and every plan proposes to set yours again (a PUT each time)")
					break
				}
			}
		}
	}
	if len(absent) > 0 {
		f.Seen += "; not answered at all: " + strings.Join(absent, "; ") + " (no leak; the provider keeps yours)"
	}
	if len(inClear) == 0 && len(masked) == 0 {
		f.Verdict = Match
		return f
	}
	f.Verdict = Mismatch
	if len(provider) == 0 {
		provider = append(provider, "harmless for a password, secret key, access key id or session token, which the provider never reads back")
	}
	f.Provider = strings.Join(dedupe(provider), "; ") + ". " + tellUs
	return f
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
