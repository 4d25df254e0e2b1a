package tenantcheck

import (
	"net/http"
	"strings"
	"testing"
)

func TestDecodeImmutaError(t *testing.T) {
	for _, tc := range []struct {
		name, ct, body string
		status         int
		shaped         bool
		why            string
	}{
		{"Immuta's", "application/json; charset=utf-8", `{"statusCode":404,"error":"Not Found","message":"m"}`, 404, true, ""},
		{"no message", "application/json", `{"statusCode":404,"error":"Not Found"}`, 404, false, `no string "message"`},
		{"message not a string", "application/json", `{"statusCode":404,"error":"Not Found","message":3}`, 404, false, `no string "message"`},
		{"statusCode as a string", "application/json", `{"statusCode":"404","error":"Not Found","message":"m"}`, 404, false, "statusCode is not 404"},
		{"no statusCode", "application/json", `{"error":"Not Found","message":"m"}`, 404, false, "no statusCode"},
		{"an array", "application/json", `[]`, 404, false, "a JSON array, not an object"},
		{"HTML", "text/html", `<html></html>`, 404, false, "an HTML page"},
		{"no content type", "", `{"statusCode":401,"error":"Unauthorized","message":"m"}`, 401, false, "content type is absent"},
		{"trailing data", "application/json", `{"statusCode":404,"error":"e","message":"m"} x`, 404, false, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Exchange{Status: tc.status, Header: http.Header{}, Body: []byte(tc.body)}
			if tc.ct != "" {
				e.Header.Set("Content-Type", tc.ct)
			}
			got := decodeImmutaError(e)
			if got.shaped != tc.shaped || !strings.Contains(got.why, tc.why) {
				t.Errorf("shaped %v why %q, want %v %q", got.shaped, got.why, tc.shaped, tc.why)
			}
		})
	}
}

func TestRedactionForm(t *testing.T) {
	for v, want := range map[any]string{
		"<REDACTED>": "redacted", "REDACTED": "masked", "[redacted]": "masked", "********": "masked",
		"": "empty", nil: "empty", "hunter22": "clear", "<redacted>x": "masked", "x": "clear",
	} {
		if got := redactionForm(v); got != want {
			t.Errorf("redactionForm(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestListEntriesShapes(t *testing.T) {
	for body, want := range map[string]string{
		`[{"id":"1"}]`:               "array",
		`{"integrations":[]}`:        "wrapped",
		`{"count":0}`:                "other",
		`null`:                       "other",
		`<html>`:                     "html",
		``:                           "empty",
		`[{"id":"1"}`:                "not JSON",
		`{"a":1,"data":[{}],"z":[]}`: "wrapped",
	} {
		if _, shape := listEntries([]byte(body)); shape.kind != want {
			t.Errorf("%s: %q, want %q", body, shape.kind, want)
		}
	}
}

// The id that cannot exist is never one the list holds, and stays within
// 32 bits so that no integer column refuses it.
func TestMissingID(t *testing.T) {
	if got := missingID(map[string]bool{}); got != "2147483647" {
		t.Errorf("got %s", got)
	}
	if got := missingID(map[string]bool{"2147483647": true, "2147483646": true}); got != "2147483645" {
		t.Errorf("got %s", got)
	}
}

// A number id keeps its digits, however large: never through float64.
func TestNewEntryKeepsLargeNumericIDs(t *testing.T) {
	entries, _ := listEntries([]byte(`[{"id":123456789012345678901,"status":"enabled","type":"Redshift"}]`))
	if len(entries) != 1 || entries[0].idText != "123456789012345678901" || entries[0].idKind != "number" {
		t.Errorf("got %+v", entries)
	}
}

func TestScrubberForms(t *testing.T) {
	s := NewScrubber("k3y&<v>", "pw-secret", "<REDACTED>", "abc")
	for _, text := range []string{"k3y&<v>", `k3y\u0026\u003cv\u003e`, "azN5Jjx2Pg==", "k3y%26%3Cv%3E", "pw-secret", "cHctc2VjcmV0"} {
		if got := s.Scrub("x " + text + " y"); got != "x *** y" {
			t.Errorf("Scrub(%q) = %q", text, got)
		}
	}
	// Short values and the redaction marker are left alone.
	if got := s.Scrub("abc <REDACTED>"); got != "abc <REDACTED>" {
		t.Errorf("got %q", got)
	}
}
