package tenantcheck

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

func listAnswerFact(o *Observations) Fact {
	e := &o.List
	f := Fact{Name: FactList, Assumed: "GET /integrations answers 200 with the integrations of every type"}
	if e.Status == 200 {
		f.Verdict, f.Seen = Match, "200"
		if e.Cut {
			f.Verdict, f.Seen = Unchecked, fmt.Sprintf("200, but the answer is larger than the %d MiB the check keeps (%d bytes)", maxKeptBody>>20, e.Size)
		}
		return f
	}
	f.Verdict = Mismatch
	f.Seen, f.Provider = unexpectedStatus(e, o.BaseURL,
		"every call of the provider meets it: nothing can be created, read or listed")
	return f
}

// unexpectedStatus describes an answer that is not the one expected, and
// what the provider would do about it; every means what a persistent
// failure of this request costs.
func unexpectedStatus(e *Exchange, base, every string) (seen, provider string) {
	seen = fmt.Sprintf("%d", e.Status)
	if e.Status >= 300 && e.Status < 400 {
		loc := e.Header.Get("Location")
		seen += " redirecting to " + quoteOr(locationForReport(loc), "nowhere (no Location)")
		if sameOriginAs(loc, base, e.Path) {
			return seen, "The provider follows a redirect to the same host, at the cost of one more request each time, but a write must never meet one " +
				"(Go turns a POST, PUT or DELETE redirected with 301, 302 or 303 into a GET): set IMMUTA_HOST to the address that answers without a redirect."
		}
		return seen, "The provider refuses a redirect to another host, so that the API key and request bodies never leave the tenant: " + every +
			". If the tenant moved, set IMMUTA_HOST to the new address; if it is a login page (single sign-on), the API is not reachable with an API key at this address."
	}
	if m := errorSummary(e); m != "" {
		seen += ": " + m
	}
	switch {
	case e.Status == 404:
		return seen, "Is IMMUTA_HOST the tenant root? The API hangs off it (/integrations, no /api prefix); " + every + "."
	case e.Status == 429 || e.Status >= 500:
		return seen, "The provider retries this (up to 8 times, with backoff) and fails when it persists: " + every + ". Run the check again later; if it stays, tell us (open an issue with this output; it holds no secret)."
	case e.Status >= 200 && e.Status < 300:
		return seen, "The provider expects 200 with a body: " + every + ". " + tellUs
	}
	return seen, "The provider fails the call with this status: " + every + ". " + tellUs
}

// errorSummary is Immuta's message of an error answer, or what the body is.
func errorSummary(e *Exchange) string {
	ie := decodeImmutaError(e)
	if ie.shaped {
		return excerpt(ie.message, 160)
	}
	return "not Immuta's error object (" + ie.why + ")"
}

// locationForReport keeps a redirect's origin and path; its query may hold
// anything (a login page's state, a token) and is left out.
func locationForReport(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || loc == "" {
		return excerpt(loc, 0)
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return excerpt(u.String(), 120)
}

func sameOriginAs(loc, base, path string) bool {
	b, err := url.Parse(base + path)
	if err != nil {
		return false
	}
	u, err := b.Parse(loc)
	return err == nil && strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host)
}

func listShapeFact(e *Exchange, shape listShape) Fact {
	f := Fact{Name: FactListShape, Assumed: "a JSON array of integration objects"}
	ct := quoteOr(e.Header.Get("Content-Type"), "no content type")
	every := "every create (it lists the integrations first, to know which hosts are taken) would stop before sending anything, " +
		"terraform query would fail, and refreshes would read each integration by id"
	switch shape.kind {
	case "array":
		f.Verdict, f.Seen = Match, "a JSON array ("+ct+")"
		return f
	case "wrapped":
		f.Seen = fmt.Sprintf("a JSON object holding the list in %q (%s)", shape.field, ct)
	case "html":
		f.Seen = "an HTML page with status 200 (" + ct + "): a login or error page of a proxy?"
		f.Verdict, f.Provider = Mismatch, "The provider takes a 200 HTML page as a spoiled answer, retries it and then fails with "+
			"\"the answer is an HTML page … is the base URL the Immuta tenant?\": "+every+". Set IMMUTA_HOST to the address of Immuta's API itself."
		return f
	case "empty":
		f.Seen = "an empty body with status 200"
	case "not JSON":
		f.Seen = "a body that is not JSON (" + ct + ")"
	default:
		f.Seen = "a JSON " + shape.jsonKind + " holding no array (" + ct + ")"
	}
	f.Verdict = Mismatch
	f.Provider = "The provider reads GET /integrations as a JSON array only: it takes this answer as spoiled, retries it and then fails: " + every + ". " + tellUs
	return f
}

func listSizeFact(e *Exchange, entries []entry) Fact {
	byType := map[string]int{}
	for _, en := range entries {
		t := en.typ
		if t == "" {
			t = "(no type)"
		}
		byType[excerpt(t, 40)]++
	}
	types := sortedKeys(byType)
	sort.SliceStable(types, func(i, j int) bool { return byType[types[i]] > byType[types[j]] })
	var parts []string
	for _, t := range types {
		parts = append(parts, fmt.Sprintf("%s %d", t, byType[t]))
	}
	seen := plural(len(entries), "integration", "integrations")
	if len(parts) > 0 {
		seen += " (" + strings.Join(parts, ", ") + ")"
	}
	seen += fmt.Sprintf(", %d bytes, in %s", e.Size, roundLatency(e.Latency))
	if len(entries) > 0 {
		seen += fmt.Sprintf("; a plan that refreshes %d resources or more shares one list among them (at most 50 integrations of the list per resource)",
			max(2, (len(entries)+49)/50))
	}
	return Fact{Name: FactListSize, Verdict: Note, Seen: seen}
}

func listEntriesFact(entries []entry) Fact {
	f := Fact{Name: FactListEntries, Assumed: "every entry is an object with an id, a status and a type"}
	var notObj, noID, noStatus, noType int
	for _, e := range entries {
		switch {
		case e.obj == nil:
			notObj++
			continue
		case e.idText == "":
			noID++
		}
		if !e.hasStatus {
			noStatus++
		}
		if e.typ == "" {
			noType++
		}
	}
	if notObj+noID+noStatus+noType == 0 {
		f.Verdict = Match
		f.Seen = "every entry has an id, a status and a type"
		if len(entries) == 0 {
			f.Verdict, f.Seen = Unchecked, "the list is empty"
		}
		return f
	}
	var problems, effects []string
	of := fmt.Sprintf(" of %d", len(entries))
	if notObj > 0 {
		problems = append(problems, fmt.Sprintf("%d%s entries are not JSON objects", notObj, of))
		effects = append(effects, "an entry that is not an object fails the whole list: the provider retries it, then fails every create and terraform query")
	}
	if noID > 0 {
		problems = append(problems, fmt.Sprintf("%d%s have no usable id", noID, of))
		effects = append(effects, "an entry without a usable id cannot be tied to a resource, imported or listed by terraform query")
	}
	if noStatus > 0 {
		problems = append(problems, fmt.Sprintf("%d%s have no status", noStatus, of))
		effects = append(effects, "an entry without a status is never taken as an answer about its integration, and counts as holding its host")
	}
	if noType > 0 {
		problems = append(problems, fmt.Sprintf("%d%s have no type", noType, of))
		effects = append(effects, "an entry without a type is taken for another type than Redshift: a create on its host would meet a 409 the provider cannot explain, and terraform query would not list it")
	}
	f.Verdict = Mismatch
	f.Seen = strings.Join(problems, "; ")
	f.Provider = strings.Join(effects, "; ") + ". " + tellUs
	return f
}
