package emulator

import (
	"net/http"
	"testing"
)

// WithNameNormalisation answers names as a normalising service does; without it
// they come back as sent.
func TestNameNormalisation(t *testing.T) {
	for _, on := range []bool{true, false} {
		var opts []Option
		if on {
			opts = append(opts, WithNameNormalisation())
		}
		s := start(t, opts...)
		body := docPayload(t, func(_, c map[string]any) {
			c["host"], c["database"] = "A6.Example.COM.", "Immuta_DB"
			c["impersonation"] = map[string]any{"enabled": true, "role": "Imp_Role"}
		})
		a := do(t, s, req{method: "POST", path: "/integrations", body: body})
		wantCode(t, a, http.StatusOK)
		id, _ := a.json(t)["id"].(string)
		got := do(t, s, req{method: "GET", path: "/integrations/" + id}).json(t)["config"].(map[string]any)
		imp, _ := got["impersonation"].(map[string]any)
		want := map[bool][3]string{true: {"a6.example.com", "immuta_db", "imp_role"}, false: {"A6.Example.COM.", "Immuta_DB", "Imp_Role"}}[on]
		if got["host"] != want[0] || got["database"] != want[1] || imp["role"] != want[2] {
			t.Errorf("normalisation %v: config %v, want %v", on, got, want)
		}
	}
}
