package tenantcheck

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

func idTypeFact(entries []entry, existing *entry) Fact {
	f := Fact{Name: FactIDType, Assumed: "a string of digits (every example) or a JSON integer (the schema table); the provider accepts both"}
	// One id per integration; the read by id counts apart only when its id
	// is not of the documented kinds (the list's entry for it may be).
	all := integrations(entries, existing)
	if existing != nil && len(all) == len(entries) && !isDigits(existing.idText) {
		all = append(append([]entry(nil), entries...), *existing)
	}
	var digitStrings, integers, otherStrings, badNumbers, none int
	var example, odd string
	for _, e := range all {
		if e.obj == nil {
			continue
		}
		switch {
		case e.idKind == "string" && isDigits(e.idText):
			digitStrings++
			example = firstNonEmpty(example, `"`+excerpt(e.idText, 24)+`"`)
		case e.idKind == "number" && isDigits(e.idText):
			integers++
			example = firstNonEmpty(example, excerpt(e.idText, 24))
		case e.idKind == "string" || (e.idKind == "number" && e.idText != ""):
			otherStrings++
			odd = firstNonEmpty(odd, excerpt(e.idText, 40))
		case e.idKind == "number":
			badNumbers++
		default:
			none++
		}
	}
	total := digitStrings + integers + otherStrings + badNumbers + none
	if total == 0 {
		return unchecked(FactIDType, "no integration in the answers")
	}
	switch {
	case otherStrings+badNumbers+none == 0 && integers == 0:
		f.Verdict, f.Seen = Match, fmt.Sprintf("JSON strings of digits, e.g. %s (%d ids)", example, total)
	case otherStrings+badNumbers+none == 0 && digitStrings == 0:
		f.Verdict, f.Seen = Match, fmt.Sprintf("JSON numbers, e.g. %s (%d ids)", example, total)
	case otherStrings+badNumbers+none == 0:
		f.Verdict, f.Seen = Match, fmt.Sprintf("both: %d strings of digits and %d JSON numbers", digitStrings, integers)
	default:
		f.Verdict = Mismatch
		var seen, provider []string
		if otherStrings > 0 {
			seen = append(seen, fmt.Sprintf("%d of %d ids are not digits, e.g. %q", otherStrings, total, odd))
			provider = append(provider, "the provider keeps such an id as text in answers, but import and immuta_integration_script's integration_id accept digits only: "+
				"such an integration could not be imported or named in a configuration")
		}
		if badNumbers > 0 {
			seen = append(seen, fmt.Sprintf("%d of %d ids are numbers that are not integers", badNumbers, total))
			provider = append(provider, "the provider refuses an answer whose id is not a string or an integer (\"want a string or an integer\"): "+
				"every answer holding one is spoiled, retried and then failed, the list's included, so no create could start")
		}
		if none > 0 {
			seen = append(seen, fmt.Sprintf("%d of %d answers have no id, or a null or non-scalar one", none, total))
			provider = append(provider, "an integration without an id cannot be tied to a resource, imported or listed")
		}
		f.Seen = strings.Join(seen, "; ")
		f.Provider = strings.Join(provider, "; ") + ". " + tellUs
	}
	return f
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func readFact(o *Observations, existing *entry) Fact {
	f := Fact{Name: FactRead, Assumed: "GET /integrations/{id} of an integration of the list answers 200 with that integration"}
	e := o.Existing
	switch {
	case e == nil && o.List.Status != 200:
		return unchecked(FactRead, "the list did not answer, so no integration of it could be read")
	case e == nil:
		return unchecked(FactRead, "the list names no integration to read (an empty tenant?); run the check again once one exists")
	}
	every := "every refresh of this integration would fail"
	switch {
	case e.Status == 404:
		f.Verdict, f.Seen = Mismatch, fmt.Sprintf("404 for integration %s, which the list holds", o.ExistingID)
		f.Provider = "A refresh reads each resource by id: an integration of the list would look deleted, and (with Immuta's 404) leave state, so the next apply would try to create it again and meet a 409. " + tellUs
	case e.Status != 200:
		f.Verdict = Mismatch
		f.Seen, f.Provider = unexpectedStatus(e, o.BaseURL, every)
	case existing == nil:
		_, bad := objectAnswer(e.Body)
		f.Verdict, f.Seen = Mismatch, "200 with "+bad
		f.Provider = "The provider takes it as a spoiled answer (a login page, a cut answer), retries it and then fails: " + every + ". " + tellUs
	case existing.idText != "" && existing.idText != o.ExistingID:
		f.Verdict, f.Seen = Mismatch, fmt.Sprintf("200 about integration %s, not %s", excerpt(existing.idText, 40), o.ExistingID)
		f.Provider = "The provider takes an answer about another id as a cached or misrouted answer and retries it: " + every + ". " + tellUs
	default:
		f.Verdict, f.Seen = Match, fmt.Sprintf("200 with integration %s (%s)", o.ExistingID, typeOr(existing.typ))
	}
	return f
}

func typeOr(t string) string {
	if t == "" {
		return "no type"
	}
	return excerpt(t, 40)
}

// field is one field the contract documents in an answer.
type field struct {
	name string
	// ok says whether a value present has the documented type; nil accepts any.
	ok func(any) bool
	// missing is what the provider does when the field is absent.
	missing string
	// wrong is what it does when the type is wrong.
	wrong string
}

const spoiled = "the provider's strict decoding of a Redshift answer fails on it: every read of this integration is a spoiled answer, retried and then failed"

var topFields = []field{
	{name: "id", ok: func(v any) bool { _, s := v.(string); _, n := v.(json.Number); return s || n },
		missing: "the provider takes the answer as about the id it asked for", wrong: "see " + FactIDType},
	{name: "status", ok: isString,
		missing: "the provider cannot tell the integration's state: a wait stops with `status \"\", which this client does not know`", wrong: spoiled},
	{name: "type", ok: isString,
		missing: "the provider cannot tell a Redshift integration from another type: terraform query and the host lookup before a create would miss it", wrong: spoiled},
	{name: "autoBootstrap", ok: isBool,
		missing: "read as false: for one created with auto_bootstrap = true, every plan would propose to set it again (a PUT each time)", wrong: spoiled},
	{name: "validationResults", ok: isObject,
		missing: "validation_status and validation_results stay empty, and an error after a failed create names no failed test", wrong: spoiled},
	{name: "config", ok: isObject,
		missing: "nothing of the configuration is read back: drift goes unseen, and import and terraform query produce an empty configuration", wrong: spoiled},
}

const keptConfigured = "a refresh keeps the configured value (drift in it goes unseen), and import and terraform query produce a configuration without it"

var redshiftConfigFields = []field{
	{name: "host", ok: isString, missing: keptConfigured, wrong: spoiled},
	{name: "database", ok: isString, missing: keptConfigured, wrong: spoiled},
	{name: "port", ok: isPort, missing: keptConfigured, wrong: spoiled},
	{name: "authenticationType", ok: isString, missing: keptConfigured, wrong: spoiled},
	{name: "impersonation", ok: func(v any) bool { m, ok := v.(map[string]any); return ok && isBool(m["enabled"]) },
		missing: keptConfigured, wrong: spoiled + " (impersonation must be an object with a boolean enabled)"},
}

func isString(v any) bool { _, ok := v.(string); return ok }
func isBool(v any) bool   { _, ok := v.(bool); return ok }
func isObject(v any) bool { _, ok := v.(map[string]any); return ok }

// isPort: a JSON integer, or a string holding one (tolerated by the client).
func isPort(v any) bool {
	switch p := v.(type) {
	case json.Number:
		return isDigits(p.String())
	case string:
		return isDigits(strings.TrimSpace(p))
	}
	return false
}

// documentedConfig are the config fields of the contract, credentials included.
var documentedConfig = map[string]bool{
	"host": true, "port": true, "database": true, "initialDatabase": true, "authenticationType": true,
	"username": true, "password": true, "databaseUser": true, "accessKeyId": true, "secretKey": true,
	"sessionToken": true, "impersonation": true,
}

func fieldsFact(existing *entry) Fact {
	f := Fact{Name: FactFields, Assumed: "id, status, type, autoBootstrap, validationResults and config; a Redshift config has host, database, port (a number), authenticationType and impersonation {enabled}"}
	if existing == nil {
		return unchecked(FactFields, "no integration was read by id")
	}
	var problems, effects []string
	check := func(prefix string, fields []field, obj map[string]any) {
		for _, fd := range fields {
			v, present := obj[fd.name]
			switch {
			case !present || v == nil:
				problems = append(problems, prefix+fd.name+" is missing")
				effects = append(effects, prefix+fd.name+": "+fd.missing)
			case fd.ok != nil && !fd.ok(v):
				problems = append(problems, prefix+fd.name+" is a JSON "+jsonType(v))
				effects = append(effects, prefix+fd.name+": "+fd.wrong)
			}
		}
	}
	check("", topFields, existing.obj)
	var notes []string
	if existing.isRedshift() && existing.config != nil {
		check("config.", redshiftConfigFields, existing.config)
		if p, ok := existing.config["port"].(string); ok && isDigits(strings.TrimSpace(p)) {
			notes = append(notes, "config.port is a string, which the provider tolerates")
		}
		var extra []string
		for _, k := range sortedKeys(existing.config) {
			if !documentedConfig[k] {
				extra = append(extra, excerpt(k, 40))
			}
		}
		if len(extra) > 0 {
			notes = append(notes, "config also holds "+strings.Join(extra, ", ")+" (ignored by the provider)")
		}
	} else if !existing.isRedshift() {
		notes = append(notes, "the config of a Redshift integration was not checked: the tenant has none")
	}
	if len(problems) == 0 {
		f.Verdict, f.Seen = Match, "every documented field is there, of the documented type"
	} else {
		f.Verdict, f.Seen = Mismatch, strings.Join(problems, "; ")
		f.Provider = strings.Join(effects, "; ") + ". " + tellUs
	}
	if len(notes) > 0 {
		f.Seen += " (" + strings.Join(notes, "; ") + ")"
	}
	return f
}

// readMatchesFact compares the integration read by id with its list entry.
func readMatchesFact(id string, entries []entry, existing *entry) Fact {
	f := Fact{Name: FactReadMatches, Assumed: "GET /integrations/{id} and the integration's entry in GET /integrations hold the same"}
	if existing == nil {
		return unchecked(FactReadMatches, "no integration was read by id")
	}
	var listed *entry
	for i := range entries {
		if entries[i].idText == id {
			listed = &entries[i]
			break
		}
	}
	if listed == nil {
		return unchecked(FactReadMatches, "the list answer could not be read")
	}
	if _, ok := listed.obj["config"]; !ok && existing.config != nil {
		f.Verdict = Note
		f.Seen = "the list's entries are summaries without config"
		f.Provider = "A plan's refreshes cannot be answered by one shared list: each resource is read by id (one GET per resource per plan)."
		return f
	}
	var diffs []string
	keys := map[string]bool{}
	for k := range listed.obj {
		keys[k] = true
	}
	for k := range existing.obj {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		a, b := listed.obj[k], existing.obj[k]
		if k == "config" {
			ca, _ := a.(map[string]any)
			cb, _ := b.(map[string]any)
			sub := map[string]bool{}
			for kk := range ca {
				sub[kk] = true
			}
			for kk := range cb {
				sub[kk] = true
			}
			for _, kk := range sortedKeys(sub) {
				if !reflect.DeepEqual(ca[kk], cb[kk]) {
					diffs = append(diffs, "config."+excerpt(kk, 40))
				}
			}
			continue
		}
		if !reflect.DeepEqual(a, b) {
			diffs = append(diffs, excerpt(k, 40))
		}
	}
	switch {
	case len(diffs) == 0:
		f.Verdict, f.Seen = Match, "the same, field for field"
	case len(diffs) == 1 && (diffs[0] == "status" || diffs[0] == "validationResults"),
		len(diffs) == 2 && diffs[0] == "status" && diffs[1] == "validationResults":
		f.Verdict = Note
		f.Seen = "they differ only in " + strings.Join(diffs, " and ") + ": the integration changed between the two reads? Run the check again."
	default:
		f.Verdict = Mismatch
		f.Seen = "they differ in " + strings.Join(diffs, ", ") + " (values not shown)"
		f.Provider = "A plan that refreshes several resources may read them all from one shared GET /integrations, a lone refresh reads by id: " +
			"the plan's result would depend on how many resources it refreshes. " + tellUs
	}
	return f
}
