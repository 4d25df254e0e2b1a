package tenantcheck

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Verdict says how one fact compares with the contract.
type Verdict string

const (
	// Match: the tenant answers as the contract assumes.
	Match Verdict = "ok"
	// Mismatch: it does not; the fact says what the provider would do.
	Mismatch Verdict = "MISMATCH"
	// Note: what the tenant answered, where no assumption is at stake.
	Note Verdict = "note"
	// Unchecked: the answers hold nothing to check it on.
	Unchecked Verdict = "not checked"
)

// Fact is one thing the contract assumes, and what the tenant answered.
type Fact struct {
	Name    string
	Verdict Verdict
	// Seen is what the tenant answered; never a credential's value.
	Seen string
	// Assumed is what the contract assumes (printed with a mismatch).
	Assumed string
	// Provider is what the provider would do about a mismatch, and what to do.
	Provider string
}

// The facts' names, in report order.
const (
	FactList          = "list answer"
	FactListShape     = "list shape"
	FactListSize      = "list size"
	FactListEntries   = "list entries"
	FactIDType        = "id type"
	FactRead          = "read by id"
	FactFields        = "answer fields"
	FactStatuses      = "statuses"
	FactValidation    = "validation results"
	FactReadMatches   = "read matches list"
	FactRedaction     = "credentials redacted"
	FactHostCase      = "host case"
	FactNotFound      = "404 of a missing id"
	FactNotFoundText  = "404 message"
	FactNoKey         = "401 without a key"
	FactWrongKey      = "401 with a wrong key"
	FactLatency       = "latency"
	tellUs            = "Tell us (open an issue with this output; it holds no secret)."
	documented404Text = "No Integration found with ID %s."
)

// Check compares the answers with the contract, fact by fact. It is a pure
// function of the answers.
func Check(o *Observations) []Fact {
	entries, shape := listEntries(o.List.Body)
	listOK := o.List.answered() && o.List.Status == 200 && !o.List.Cut
	if !listOK {
		entries = nil
	}
	var existing *entry
	if o.Existing.answered() && o.Existing.Status == 200 {
		if e, bad := objectAnswer(o.Existing.Body); bad == "" {
			existing = &e
		}
	}
	var facts []Fact
	facts = append(facts, listAnswerFact(o))
	if listOK {
		facts = append(facts, listShapeFact(&o.List, shape), listSizeFact(&o.List, entries), listEntriesFact(entries))
	} else {
		facts = append(facts, unchecked(FactListShape, "the list did not answer 200 with all of its body"))
	}
	facts = append(facts,
		idTypeFact(entries, existing),
		readFact(o, existing),
		fieldsFact(existing),
		statusesFact(entries, existing),
		validationFact(entries, existing),
		readMatchesFact(o.ExistingID, entries, existing),
		redactionFact(entries, existing),
		hostCaseFact(o.HostTyped, entries, existing),
		notFoundFact(o),
		notFoundTextFact(o),
		unauthorizedFact(FactNoKey, "without an API key", o.NoKey),
		unauthorizedFact(FactWrongKey, "with a wrong API key", o.WrongKey),
		latencyFact(o),
	)
	return facts
}

// Counts tallies the facts by verdict.
func Counts(facts []Fact) map[Verdict]int {
	n := map[Verdict]int{}
	for _, f := range facts {
		n[f.Verdict]++
	}
	return n
}

func unchecked(name, why string) Fact { return Fact{Name: name, Verdict: Unchecked, Seen: why} }

// excerpt is a short, printable form of text an answer holds. (Render scrubs
// secrets out of the whole report as well.)
func excerpt(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func roundLatency(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
