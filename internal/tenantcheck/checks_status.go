package tenantcheck

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// documentedStatus reports whether s is in the client's status table, the
// one place that knows the contract's statuses.
func documentedStatus(s string) bool { return client.Known(client.Status(s)) }

var validationStatuses = map[string]bool{"passed": true, "failed": true, "warning": true, "skipped": true}

// allEntries is every answer about an integration: the list's entries and
// the read by id.
func allEntries(entries []entry, existing *entry) []entry {
	all := append([]entry(nil), entries...)
	if existing != nil {
		all = append(all, *existing)
	}
	return all
}

// integrations is one answer per integration: the list's entries, and the
// read by id only when the list does not hold its integration, so that
// counts are of integrations, not answers.
func integrations(entries []entry, existing *entry) []entry {
	if existing == nil {
		return entries
	}
	for _, e := range entries {
		if e.idText != "" && e.idText == existing.idText {
			return entries
		}
	}
	return allEntries(entries, existing)
}

func statusesFact(entries []entry, existing *entry) Fact {
	f := Fact{Name: FactStatuses, Assumed: "every status is one the contract documents (creating, enabled, editError, …)"}
	count := map[string]int{}
	for _, e := range integrations(entries, existing) {
		if e.hasStatus {
			count[excerpt(e.status, 40)]++
		}
	}
	if len(count) == 0 {
		return unchecked(FactStatuses, "no status in the answers")
	}
	var seen, unknown []string
	for _, s := range byCount(count) {
		seen = append(seen, fmt.Sprintf("%s %d", s, count[s]))
		if !documentedStatus(s) {
			unknown = append(unknown, s)
		}
	}
	f.Seen = strings.Join(seen, ", ")
	if len(unknown) == 0 {
		f.Verdict = Match
		return f
	}
	f.Verdict = Mismatch
	f.Seen += "; not documented: " + strings.Join(unknown, ", ")
	f.Provider = "A wait that meets an undocumented status stops with \"Immuta reports status …, which this client does not know\": " +
		"a create that ends in it is tainted, an update keeps the old values in state; a refresh keeps the integration in state, " +
		"and a create takes it as holding its host. Tell us the status and what it means (open an issue with this output; it holds no secret)."
	return f
}

func validationFact(entries []entry, existing *entry) Fact {
	f := Fact{Name: FactValidation, Assumed: "validationResults.status and each test's status are passed, failed, warning or skipped"}
	count := map[string]int{}
	n := 0
	for _, e := range integrations(entries, existing) {
		vr, ok := e.obj["validationResults"].(map[string]any)
		if !ok {
			continue
		}
		n++
		if s, ok := vr["status"].(string); ok {
			count[excerpt(s, 40)]++
		}
		tests, _ := vr["validationTests"].([]any)
		for _, t := range tests {
			if tm, ok := t.(map[string]any); ok {
				if s, ok := tm["status"].(string); ok {
					count[excerpt(s, 40)]++
				}
			}
		}
	}
	if n == 0 {
		return unchecked(FactValidation, "no validationResults in the answers")
	}
	var seen, unknown []string
	for _, s := range byCount(count) {
		seen = append(seen, fmt.Sprintf("%s %d", s, count[s]))
		if !validationStatuses[s] {
			unknown = append(unknown, s)
		}
	}
	f.Seen = fmt.Sprintf("in %s: %s", plural(n, "integration", "integrations"), strings.Join(seen, ", "))
	if len(unknown) == 0 {
		f.Verdict = Match
		return f
	}
	f.Verdict = Mismatch
	f.Seen += "; not documented: " + strings.Join(unknown, ", ")
	f.Provider = "The provider counts a test as failed only when its status is \"failed\": a failure under another word would not be named in its errors " +
		"(validation_results shows it as answered). " + tellUs
	return f
}

func byCount(count map[string]int) []string {
	keys := sortedKeys(count)
	sort.SliceStable(keys, func(i, j int) bool { return count[keys[i]] > count[keys[j]] })
	return keys
}

// hostCaseFact reports how Immuta spells the Redshift hosts it answers,
// and the case of IMMUTA_HOST. Host names are not secrets, but the fact
// needs only their case, so it counts and does not print them.
func hostCaseFact(typed string, entries []entry, existing *entry) Fact {
	f := Fact{Name: FactHostCase, Verdict: Note}
	var lower, mixed, dotted int
	seen := map[string]bool{}
	for _, e := range integrations(entries, existing) {
		h, _ := e.config["host"].(string)
		if !e.isRedshift() || h == "" || seen[h] {
			continue
		}
		seen[h] = true
		if strings.HasSuffix(h, ".") {
			dotted++
		}
		if strings.IndexFunc(h, unicode.IsUpper) >= 0 {
			mixed++
		} else {
			lower++
		}
	}
	var parts []string
	switch {
	case lower+mixed == 0:
		parts = append(parts, "no Redshift host in the answers")
	case mixed == 0:
		parts = append(parts, fmt.Sprintf("Redshift hosts: %s, all in lower case", plural(lower, "host", "hosts")))
	default:
		parts = append(parts, fmt.Sprintf("Redshift hosts: %d of %d with capitals (Immuta keeps the case it was sent)", mixed, lower+mixed))
	}
	if dotted > 0 {
		parts = append(parts, fmt.Sprintf("%d with a trailing dot", dotted))
	}
	if strings.IndexFunc(typed, unicode.IsUpper) >= 0 {
		parts = append(parts, "IMMUTA_HOST has capitals; the provider lower-cases it")
	}
	f.Seen = strings.Join(parts, "; ")
	if lower+mixed > 0 {
		f.Provider = "The provider finds an integration on its host without regard to case; write hosts in your configuration as Immuta answers them, " +
			"so that a refresh shows no difference."
	}
	return f
}
