package client

import (
	"context"
	"net/http"
	"slices"
	"testing"
)

// listAnswer mixes types, statuses, host spellings and a foreign config
// that does not decode as Redshift's.
const listAnswer = `[
 {"id": "1", "type": "Snowflake", "status": "enabled", "config": {"host": "a.redshift.amazonaws.com", "port": 443}},
 {"id": 2, "type": "Redshift", "status": "enabled", "config": {"host": "a.redshift.amazonaws.com", "database": "immuta", "port": 5439}},
 {"id": "3", "type": "redshift", "status": "createError", "config": {"host": "B.eu-west-1.redshift.amazonaws.com.", "database": "immuta"}},
 {"id": "4", "type": "Redshift", "status": "disabled", "config": {"host": "c.eu-west-1.redshift.amazonaws.com", "database": "immuta"}},
 {"id": "5", "type": "Redshift", "status": "deleted", "config": {"host": "d.eu-west-1.redshift.amazonaws.com", "database": "immuta"}},
 {"id": "6", "type": "Databricks", "status": "enabled", "config": {"workspaceUrl": "x.cloud.databricks.com", "port": {"odd": true}}},
 {"id": "7", "type": "Redshift", "status": "recurringValidationError", "config": {"host": "e.us-east-1.redshift.amazonaws.com", "database": "immuta"}}
]`

func TestListRedshiftIntegrations(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method != http.MethodGet || r.URL.Path != "/integrations" {
			replyErr(w, http.StatusNotFound, "unexpected "+r.Method+" "+r.URL.Path)
			return
		}
		reply(w, http.StatusOK, listAnswer)
	})
	c, _ := newTestClient(t, f.URL)
	for _, tc := range []struct {
		name   string
		filter RedshiftFilter
		want   []string
	}{
		{"default: Redshift in use, never other types", RedshiftFilter{}, []string{"2", "3", "7"}},
		{"host, without case or trailing dot", RedshiftFilter{Host: "b.EU-WEST-1.redshift.amazonaws.com"}, []string{"3"}},
		{"host of another type only", RedshiftFilter{Host: "x.cloud.databricks.com"}, nil},
		{"pattern", RedshiftFilter{HostPattern: "*.eu-west-1.redshift.amazonaws.com"}, []string{"3"}},
		{"pattern without case", RedshiftFilter{HostPattern: "*.US-EAST-1.*"}, []string{"7"}},
		{"pattern and host", RedshiftFilter{HostPattern: "*.eu-west-1.*", Host: "a.redshift.amazonaws.com"}, nil},
		{"statuses", RedshiftFilter{Statuses: []Status{StatusCreateError, StatusRecurringValidationError}}, []string{"3", "7"}},
		{"disabled on request", RedshiftFilter{Statuses: []Status{StatusDisabled}}, []string{"4"}},
		{"statuses and pattern", RedshiftFilter{Statuses: []Status{StatusDisabled, StatusCreateError}, HostPattern: "c.*"}, []string{"4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.ListRedshiftIntegrations(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, in := range got {
				ids = append(ids, in.ID.String())
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("ids = %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestListRedshiftIntegrationsBadPattern(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { reply(w, http.StatusOK, listAnswer) })
	c, _ := newTestClient(t, f.URL)
	if _, err := c.ListRedshiftIntegrations(context.Background(), RedshiftFilter{HostPattern: "[a-"}); err == nil {
		t.Fatal("a malformed pattern was accepted")
	}
	if n := f.count(http.MethodGet, "/integrations"); n != 0 {
		t.Errorf("%d requests for a malformed pattern, want none", n)
	}
}
