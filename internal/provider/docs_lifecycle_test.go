package provider

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// The resource docs' Lifecycle section is the status table: one row per status of
// client.StatusTable, and its Plan and Refresh columns say what the table decides.
func TestDocsLifecycleIsTheStatusTable(t *testing.T) {
	b, err := os.ReadFile("../../templates/resources/redshift_integration.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	rowRe := regexp.MustCompile("(?m)^\\| `([A-Za-z]+)` \\|(.*)$")
	rows := map[client.Status][]string{}
	for _, m := range rowRe.FindAllStringSubmatch(string(b), -1) {
		rows[client.Status(m[1])] = strings.Split(m[2], "|")
	}
	table := client.StatusTable()
	if len(rows) != len(table) {
		t.Errorf("the docs have %d status rows, the table %d", len(rows), len(table))
	}
	for _, r := range table {
		cells, ok := rows[r.Status]
		if !ok {
			t.Errorf("%s: no row in the docs", r.Status)
			continue
		}
		if len(cells) < 5 {
			t.Errorf("%s: %d cells", r.Status, len(cells))
			continue
		}
		refresh, plan := cells[1], cells[2]
		if got := strings.Contains(plan, "**replace**"); got != r.Replace {
			t.Errorf("%s: the docs' plan says replace = %v, the table %v", r.Status, got, r.Replace)
		}
		if got := strings.Contains(refresh, "stays in state"); got != r.HoldsHost {
			t.Errorf("%s: the docs' refresh says stays in state = %v, the table %v", r.Status, got, r.HoldsHost)
		}
	}
}
