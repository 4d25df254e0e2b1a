package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The documentation's examples must decode into the emulator's types and
// encode back unchanged: that pins the field names and the three shapes of
// "result" ([null], [] and absent).
func TestDocExamplesRoundTripThroughTypes(t *testing.T) {
	tests := []struct {
		file string
		into any
	}{
		{"payload.json", new(Payload)},
		{"create-response.json", new(IntegrationStatus)},
		{"edit-response.json", new(IntegrationStatus)},
		{"delete-response.json", new(IntegrationStatus)},
		{"get-response.json", new(Integration)},
		{"list-response.json", new([]Integration)},
		{"create-conflict.json", new(APIError)},
		{"edit-conflict.json", new(APIError)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, tt.into); err != nil {
				t.Fatalf("decode: %v", err)
			}
			again, err := json.Marshal(tt.into)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			_ = json.Unmarshal(data, &want)
			_ = json.Unmarshal(again, &got)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("round trip changed the example:\nwant %v\ngot  %v", want, got)
			}
		})
	}
}

func TestDocExampleValues(t *testing.T) {
	var st IntegrationStatus
	if err := json.Unmarshal(mustRead(t, "create-response.json"), &st); err != nil {
		t.Fatal(err)
	}
	if st.ID != "123456789" || st.Status != StatusCreating || st.ValidationResults.Status != "passed" || len(st.ValidationResults.ValidationTests) != 2 {
		t.Errorf("decoded %+v", st)
	}
	if r := st.ValidationResults.ValidationTests[0].Result; len(r) != 1 || r[0] != nil {
		t.Errorf("result of the first test: %#v, want [null]", r)
	}
	var list []Integration
	if err := json.Unmarshal(mustRead(t, "list-response.json"), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Type != "Snowflake" || list[1].Type != "Databricks" || list[0].Config["port"] != 443.0 {
		t.Errorf("decoded list %+v", list)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// sameShape checks that an answer has the documented field names: the same
// keys at the top and in validationResults, and test objects made of name,
// status and optionally result.
func sameShape(t *testing.T, what string, doc, got map[string]any) {
	t.Helper()
	if !slices.Equal(keysOf(doc), keysOf(got)) {
		t.Errorf("%s: keys %v, documented %v", what, keysOf(got), keysOf(doc))
	}
	dv, _ := doc["validationResults"].(map[string]any)
	gv, _ := got["validationResults"].(map[string]any)
	if !slices.Equal(keysOf(dv), keysOf(gv)) {
		t.Errorf("%s: validationResults keys %v, documented %v", what, keysOf(gv), keysOf(dv))
	}
	tests, _ := gv["validationTests"].([]any)
	if len(tests) == 0 {
		t.Errorf("%s: no validation tests", what)
	}
	for _, x := range tests {
		tm, _ := x.(map[string]any)
		if tm["name"] == nil || tm["status"] == nil {
			t.Errorf("%s: test without name or status: %v", what, tm)
		}
		for k := range tm {
			if k != "name" && k != "status" && k != "result" {
				t.Errorf("%s: undocumented test field %q", what, k)
			}
		}
	}
}

// Replaying the documentation's requests must give its answers, up to the id
// and the list of validation tests.
func TestAnswersMatchDoc(t *testing.T) {
	s := start(t)
	payload := readJSON(t, "payload.json")

	a := do(t, s, req{method: "POST", path: "/integrations", body: payload})
	wantCode(t, a, http.StatusOK)
	created := a.json(t)
	sameShape(t, "POST", readJSON(t, "create-response.json").(map[string]any), created)
	id := created["id"].(string)
	if created["status"] != StatusCreating {
		t.Errorf("POST status %v", created["status"])
	}

	conflict := do(t, s, req{method: "POST", path: "/integrations", body: payload})
	wantDocError(t, conflict, "create-conflict.json", id)

	waitStatus(t, s, id, StatusEnabled)
	got := getFull(t, s, id)
	doc := readJSON(t, "get-response.json").(map[string]any)
	sameShape(t, "GET", doc, got)
	for _, k := range []string{"status", "type", "autoBootstrap", "config"} {
		if !reflect.DeepEqual(doc[k], got[k]) {
			t.Errorf("GET %s = %v, documented %v", k, got[k], doc[k])
		}
	}

	// Held in editing, whatever the machine's speed, for the second PUT.
	s.SetOutcome(docHost, Outcome{Stuck: true})
	a = do(t, s, req{method: "PUT", path: "/integrations/" + id, body: payload})
	wantCode(t, a, http.StatusOK)
	sameShape(t, "PUT", readJSON(t, "edit-response.json").(map[string]any), a.json(t))
	wantDocError(t, do(t, s, req{method: "PUT", path: "/integrations/" + id, body: payload}), "edit-conflict.json", id)

	s.SetOutcome(docHost, Outcome{})
	waitStatus(t, s, id, StatusEnabled)
	a = do(t, s, req{method: "DELETE", path: "/integrations/" + id})
	wantCode(t, a, http.StatusOK)
	deleting := a.json(t)
	sameShape(t, "DELETE", readJSON(t, "delete-response.json").(map[string]any), deleting)
	if deleting["status"] != StatusDeleting {
		t.Errorf("DELETE status %v", deleting["status"])
	}
}

func wantDocError(t *testing.T, a answer, file, id string) {
	t.Helper()
	doc := readJSON(t, file).(map[string]any)
	doc["message"] = strings.ReplaceAll(doc["message"].(string), "123456789", id)
	if got := a.json(t); !reflect.DeepEqual(doc, got) {
		t.Errorf("%d answer %v, documented %v", a.code, got, doc)
	}
	if a.code != int(doc["statusCode"].(float64)) {
		t.Errorf("status %d, documented %v", a.code, doc["statusCode"])
	}
}

func TestForeignIntegrationsAreTheDocs(t *testing.T) {
	s := start(t, WithForeignIntegrations())
	id := create(t, s, readJSON(t, "payload.json"))
	if id != "3" {
		t.Errorf("first Redshift id %q, want 3 after the foreign ones", id)
	}
	a := do(t, s, req{method: "GET", path: "/integrations"})
	wantCode(t, a, http.StatusOK)
	var got []any
	if err := json.Unmarshal(a.body, &got); err != nil {
		t.Fatal(err)
	}
	doc := readJSON(t, "list-response.json").([]any)
	if len(got) != 3 {
		t.Fatalf("%d integrations listed, want 3", len(got))
	}
	if !reflect.DeepEqual(doc, got[:2]) {
		t.Errorf("foreign integrations differ from the documentation:\n%v\n%v", got[:2], doc)
	}
	if got[2].(map[string]any)["type"] != typeRedshift {
		t.Errorf("third integration %v", got[2])
	}
	snow := getFull(t, s, "1")
	if snow["type"] != "Snowflake" {
		t.Errorf("GET /integrations/1: %v", snow)
	}
	if all := s.Integrations(); len(all) != 3 || all[0].ID != "1" || all[1].ID != "2" || all[2].ID != "3" {
		t.Errorf("Integrations() = %+v", all)
	}
	// A Redshift payload cannot turn the Snowflake integration into Redshift.
	a = do(t, s, req{method: "PUT", path: "/integrations/1", body: payloadFor(t, "other.example.com")})
	wantMessage(t, a, http.StatusBadRequest, `"type" must be [Snowflake]`)
	a = do(t, s, req{method: "POST", path: "/integrations/2/scripts/delete"})
	wantCode(t, a, http.StatusBadRequest)
}
