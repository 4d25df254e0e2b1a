package tenantcheck

import (
	"fmt"
	"strings"
	"time"
)

func notFoundFact(o *Observations) Fact {
	f := Fact{Name: FactNotFound, Assumed: `404 with Immuta's error object: a JSON content type and {"statusCode": 404, "error": "...", "message": "..."}`}
	e := o.Missing
	if e == nil {
		return unchecked(FactNotFound, "not sent")
	}
	gone := "only Immuta's 404 (or the status deleted) takes an integration out of state or ends a deletion"
	switch {
	case e.Status == 404:
		ie := decodeImmutaError(e)
		if ie.shaped {
			f.Verdict, f.Seen = Match, fmt.Sprintf("404 with Immuta's error object (%s), for id %s", e.Header.Get("Content-Type"), o.MissingID)
			return f
		}
		f.Verdict = Mismatch
		f.Seen = fmt.Sprintf("404 for id %s, but not Immuta's error object: %s", o.MissingID, ie.why)
		f.Provider = "The provider would take it for a gateway's 404, a spoiled answer, and retry: so a deleted integration would never leave state, " +
			"and a destroy would wait for the deletion until its timeout. " + tellUs
	case e.Status >= 300 && e.Status < 400:
		f.Verdict = Mismatch
		f.Seen, f.Provider = unexpectedStatus(e, o.BaseURL, "a deleted integration could not be seen gone")
	default:
		f.Verdict = Mismatch
		f.Seen = fmt.Sprintf("%d for id %s, which no integration has", e.Status, o.MissingID)
		if m := errorSummary(e); m != "" && e.Status != 200 {
			f.Seen += ": " + m
		}
		f.Provider = "The provider expects 404 for an integration that is gone; " + gone +
			": a deleted integration would stay in state, and a destroy would wait for the deletion until its timeout. " + tellUs
		if e.Status == 200 {
			f.Provider = "An answer 200 for an id that does not exist (a gateway's catch-all page?) is a spoiled answer to the provider, retried; " + gone +
				", so a deleted integration would stay in state. " + tellUs
		}
	}
	return f
}

func notFoundTextFact(o *Observations) Fact {
	want := fmt.Sprintf(documented404Text, o.MissingID)
	f := Fact{Name: FactNotFoundText, Assumed: fmt.Sprintf("%q (documented)", want)}
	e := o.Missing
	if e == nil || e.Status != 404 {
		return unchecked(FactNotFoundText, "no 404 came back")
	}
	ie := decodeImmutaError(e)
	if !ie.shaped {
		return unchecked(FactNotFoundText, "the 404 is not Immuta's error object")
	}
	if ie.message == want {
		f.Verdict, f.Seen = Match, fmt.Sprintf("%q", excerpt(ie.message, 160))
		return f
	}
	f.Verdict = Mismatch
	f.Seen = fmt.Sprintf("%q", excerpt(ie.message, 160))
	f.Provider = "Harmless: the provider goes by the status and the error object's shape, never by this text. Our documentation quotes it: " + tellUs
	return f
}

func unauthorizedFact(name, how string, e *Exchange) Fact {
	f := Fact{Name: name, Assumed: "401 with Immuta's error object (JSON content type; statusCode 401, error, message)"}
	if e == nil {
		return unchecked(name, "not sent")
	}
	switch {
	case e.Status == 401:
		ie := decodeImmutaError(e)
		if ie.shaped {
			f.Verdict, f.Seen = Match, fmt.Sprintf("401 with Immuta's error object: %q", excerpt(ie.message, 160))
			return f
		}
		f.Verdict = Mismatch
		f.Seen = "401, but not Immuta's error object: " + ie.why
		f.Provider = "Mostly harmless: the provider stops at once on any 401 and says to set api_token or IMMUTA_API_TOKEN, " +
			"quoting what the body holds (a gateway's page title) rather than Immuta's words. A gateway in front of the API may be answering instead of Immuta."
	case e.Status == 403:
		f.Verdict, f.Seen = Mismatch, "403 "+how+": "+errorSummary(e)
		f.Provider = "The provider would say the API key's user lacks the APPLICATION_ADMIN permission, when the key itself is missing or wrong: " +
			"a misleading error for a mistyped IMMUTA_API_TOKEN. " + tellUs
	case e.Status >= 200 && e.Status < 300:
		f.Verdict, f.Seen = Mismatch, fmt.Sprintf("%d: the list was answered %s", e.Status, how)
		f.Provider = "The tenant (or a gateway in front of it) lets anyone read the integrations " + how + ": tell Immuta. The provider is not affected."
	case e.Status >= 300 && e.Status < 400:
		f.Verdict = Mismatch
		f.Seen, f.Provider = unexpectedStatus(e, "", "a missing or wrong API key would be reported as a redirect, not as a refused key")
		f.Seen += " " + how
	default:
		f.Verdict = Mismatch
		f.Seen = fmt.Sprintf("%d %s", e.Status, how)
		if m := errorSummary(e); m != "" {
			f.Seen += ": " + m
		}
		f.Provider = "A missing or wrong API key would not be reported as one: the provider would retry or fail with this status, without naming IMMUTA_API_TOKEN. " + tellUs
	}
	return f
}

// slowList is how long the provider's refreshes wait for a shared list
// before each reads by id (client: refreshPatience).
const slowList = 2 * time.Second

func latencyFact(o *Observations) Fact {
	f := Fact{Name: FactLatency, Verdict: Note}
	var parts []string
	var slowest time.Duration
	for _, e := range o.Exchanges() {
		if e.Latency > slowest {
			slowest = e.Latency
		}
	}
	parts = append(parts, "list "+roundLatency(o.List.Latency).String())
	if o.Existing != nil {
		parts = append(parts, "read by id "+roundLatency(o.Existing.Latency).String())
	}
	if o.Missing != nil {
		parts = append(parts, "missing id "+roundLatency(o.Missing.Latency).String())
	}
	if o.NoKey != nil && o.WrongKey != nil {
		parts = append(parts, "401s "+roundLatency(o.NoKey.Latency).String()+" and "+roundLatency(o.WrongKey.Latency).String())
	}
	f.Seen = strings.Join(parts, ", ")
	if o.List.Latency > slowList {
		f.Provider = fmt.Sprintf("The list takes over %s: a plan's refreshes stop waiting for a shared list after %s and read each resource by id.", slowList, slowList)
	}
	return f
}
