package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestPeekType(t *testing.T) {
	cases := []struct {
		raw    string
		want   string
		wantOK bool
	}{
		{`{"id":"1","type":"Snowflake","config":{"type":"Redshift"}}`, "Snowflake", true},
		{` { "config" : { "type" : "x" } , "type" : "Databricks" } `, "Databricks", true},
		{`{"type":"Redshift"}`, "Redshift", true},
		{`{"name":"a \"type\": \"Snowflake\"","type":"Redshift"}`, "Redshift", true}, // a quote inside a value
		{`{"validationResults":{"validationTests":[{"type":"Snowflake"}]},"type":"Redshift"}`, "Redshift", true},
		{`{"id":"1"}`, "", false},                             // no type: decode in full
		{`{"type":"Snow\u0066lake"}`, "", false},              // escaped value
		{`{"typ\u0065":"Snowflake"}`, "", false},              // an escaped key may spell type
		{`{"type":"Snowflake","type":"Redshift"}`, "", false}, // twice: the full decode decides
		{`{"type":7}`, "", false},                             // not a string
		{`["type","Snowflake"]`, "", false},                   // not an object
		{`{"a":["type",{"type":"Snowflake"}],"type":"Oracle"}`, "Oracle", true},
	}
	for _, tc := range cases {
		got, ok := peekType([]byte(tc.raw))
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("peekType(%s) = %q, %v; want %q, %v", tc.raw, got, ok, tc.want, tc.wantOK)
		}
	}
}

// eachRedshift hands over every element that is or may be a Redshift integration,
// decoded as eachIntegration decodes it, counts every element, and does not decode
// those that plainly say they are of another type: a foreign element that cannot be
// decoded even leniently (an object for an id) fails eachIntegration's list, not
// this one. A Redshift element that does not decode still fails the list.
func TestEachRedshiftSkimsOtherTypes(t *testing.T) {
	list := `[
	  {"id":{"odd":1},"type":"Snowflake","status":"enabled"},
	  {"id":"2","type":"Databricks","status":"enabled","config":{"port":{"x":1}}},
	  {"id":"3","type":"Redshift","status":"enabled","config":{"host":"a.example.com","database":"d","port":5439}},
	  {"id":"4","type":"REDSHIFT","status":"disabled","config":{"host":"b.example.com","database":"d"}},
	  {"id":"5","typ\u0065":"Redshift","status":"enabled","config":{"host":"c.example.com","database":"d"}},
	  {"id":"6","status":"enabled","config":{"host":"d.example.com","database":"d"}}
	]`
	bad := `[{"id":"7","type":"Redshift","status":"enabled","config":{"port":{"x":1}}}]`
	body := list
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, body) })
	c, _ := newTestClient(t, f.URL)

	if err := c.EachIntegration(context.Background(), func() {}, func(*Integration) {}); err == nil {
		t.Fatal("eachIntegration decoded the odd foreign element: the test proves nothing")
	}
	var got []string
	total, err := c.EachRedshift(context.Background(), func() { got = nil }, func(in *Integration) {
		got = append(got, in.ID.String()+":"+in.Config.Host)
	})
	if err != nil {
		t.Fatalf("eachRedshift: %v", err)
	}
	if want := "3:a.example.com 4:b.example.com 5:c.example.com 6:d.example.com"; strings.Join(got, " ") != want || total != 6 {
		t.Errorf("visited %q of %d elements, want %q of 6", strings.Join(got, " "), total, want)
	}

	body = bad
	if _, err := c.EachRedshift(context.Background(), func() {}, func(*Integration) {}); err == nil {
		t.Error("a Redshift element that does not decode was skipped, want the list to fail")
	}
	body = `[{"id":"1","type":"Snowflake"}, {"id":`
	if _, err := c.EachRedshift(context.Background(), func() {}, func(*Integration) {}); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a cut list: %v, want truncated", err)
	}
}
