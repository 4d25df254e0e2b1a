package tenantcheck

import (
	"fmt"
	"io"
	"strings"
)

// Exit codes of the command.
const (
	ExitMatch    = 0 // every fact matches the contract (notes are fine)
	ExitMismatch = 1 // at least one fact does not
	ExitStop     = 2 // usage error, or the tenant could not be reached
)

// ExitCode is the command's exit code for these facts.
func ExitCode(facts []Fact) int {
	if Counts(facts)[Mismatch] > 0 {
		return ExitMismatch
	}
	return ExitMatch
}

const width = 100

// Render prints the report: the requests sent, then the facts. Everything it
// writes goes through s.
func Render(w io.Writer, o *Observations, facts []Fact, s *Scrubber) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Immuta tenant check of %s\n", o.BaseURL)
	b.WriteString(wrap("Reads only: every request is a GET; nothing is created, changed or deleted. Not sent: PUT, DELETE, and the script "+
		"endpoints (POST /integrations/scripts/... and POST /integrations/{id}/scripts/...), which are POSTs: their answers are not checked.", "", width))
	b.WriteString("\nRequests\n")
	for _, e := range o.Exchanges() {
		status := "-"
		if e.Status != 0 {
			status = itoa(e.Status)
		}
		line := fmt.Sprintf("  %-3s %-30s %3s %9s %9d bytes  (%s)", e.Method, excerpt(e.Path, 30), status, roundLatency(e.Latency), e.Size, e.Why)
		if e.Err != nil {
			line += ": no answer: " + excerpt(e.Err.Error(), 200)
		}
		b.WriteString(line + "\n")
	}
	if len(facts) > 0 {
		b.WriteString("\nFacts\n")
	}
	for _, f := range facts {
		head := fmt.Sprintf("  %-11s ", f.Verdict)
		pad := strings.Repeat(" ", len(head))
		b.WriteString(wrap(f.Name+": "+f.Seen, head, width))
		if f.Verdict == Mismatch && f.Assumed != "" {
			b.WriteString(wrap("contract: "+f.Assumed, pad+"  ", width))
		}
		if f.Provider != "" {
			label := "provider: "
			if f.Verdict != Mismatch {
				label = ""
			}
			b.WriteString(wrap(label+f.Provider, pad+"  ", width))
		}
	}
	if len(facts) > 0 {
		n := Counts(facts)
		fmt.Fprintf(&b, "\nResult: %s, %s, %s, %d not checked: ", plural(n[Match], "fact matches", "facts match"),
			plural(n[Mismatch], "mismatch", "mismatches"), plural(n[Note], "note", "notes"), n[Unchecked])
		if n[Mismatch] > 0 {
			b.WriteString("exit 1. Read each MISMATCH's \"provider:\" line before you create anything with the provider.\n")
		} else {
			b.WriteString("exit 0. The tenant answers as the provider assumes.\n")
		}
	}
	_, err := io.WriteString(w, s.Scrub(b.String()))
	return err
}

// wrap breaks text into lines of at most n characters, the first after
// first, the others after the same width of spaces (or after indent when
// first is shorter than it).
func wrap(text, first string, n int) string {
	indent := strings.Repeat(" ", len(first))
	var b strings.Builder
	line := first
	empty := true
	for _, w := range strings.Fields(text) {
		if !empty && len(line)+1+len(w) > n {
			b.WriteString(line + "\n")
			line, empty = indent, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}
