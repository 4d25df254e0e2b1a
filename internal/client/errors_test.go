package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

func TestErrorBodies(t *testing.T) {
	long := strings.Repeat("x", 5000)
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        string // Error()
	}{
		{"doc 409 update", 409, "application/json", string(testdata(t, "error_409_update.json")),
			"PUT /integrations/12: 409 Conflict: Unable to edit integration with ID 123456789 in current state editing."},
		{"JSON without error field", 400, "application/json", `{"message": "\"config.host\" is required"}`,
			`PUT /integrations/12: 400 Bad Request: "config.host" is required`},
		{"JSON with non-string message", 422, "application/json", `{"error": "Unprocessable Entity", "message": {"field": "port", "password": "hunter22"}}`,
			`PUT /integrations/12: 422 Unprocessable Entity: {"field":"port","password":"***"}`},
		{"HTML 502 from a proxy", 502, "text/html", string(testdata(t, "error_502.html")),
			"PUT /integrations/12: 502 Bad Gateway: 502 Bad Gateway"},
		{"HTML without title", 504, "text/html; charset=utf-8", "<html><body><h1>Gateway &amp; Timeout</h1></body></html>",
			"PUT /integrations/12: 504 Gateway Timeout: Gateway & Timeout"},
		{"HTML with nothing", 503, "", "<html><body>down</body></html>",
			"PUT /integrations/12: 503 Service Unavailable: HTML page (30 bytes)"},
		{"plain text, first line", 500, "text/plain", "\n  upstream connect error\nreset reason: overflow\n",
			"PUT /integrations/12: 500 Internal Server Error: upstream connect error"},
		{"empty body", 401, "", "", "PUT /integrations/12: 401 Unauthorized"},
		{"truncated JSON", 500, "application/json", `{"statusCode": 500, "mess`,
			"PUT /integrations/12: 500 Internal Server Error: malformed JSON (25 bytes)"},
		{"unknown status code", 599, "", "", "PUT /integrations/12: 599"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			c, _ := newTestClient(t, f.URL, func(c *Config) { c.RetryMax = -1 })
			_, err := c.UpdateIntegration(context.Background(), "12", docPayload())
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			if e.Error() != tc.want {
				t.Errorf("Error()\n got %q\nwant %q", e.Error(), tc.want)
			}
			if !strings.HasPrefix(err.Error(), "update integration 12: ") {
				t.Errorf("not wrapped with the operation: %q", err.Error())
			}
			if e.StatusCode != tc.status || e.Method != "PUT" || e.Path != "/integrations/12" {
				t.Errorf("fields %+v", e)
			}
			if strings.Contains(err.Error(), "abc1234") || strings.Contains(err.Error(), "taylor@redshift.com") {
				t.Errorf("error holds the request body: %q", err.Error())
			}
		})
	}
	// A huge text body is cut to a short, printable excerpt.
	_, msg := api.ParseErrorBody("text/plain", []byte(long))
	if len(msg) > api.MaxMessage+len("…") {
		t.Errorf("message of %d bytes", len(msg))
	}
}

func TestErrorPredicates(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.URL.Path {
		case "/integrations/404":
			replyErr(w, 404, "No Integration found with ID 404.")
		case "/integrations/401":
			replyErr(w, 401, "bad key")
		default:
			replyErr(w, 409, "Unable to edit integration with ID 409 in current state createError.")
		}
	})
	c, _ := newTestClient(t, f.URL)
	ctx := context.Background()
	_, err := c.GetIntegration(ctx, "404")
	if !IsNotFound(err) || api.IsConflict(err) || err.Error() != "get integration 404: GET /integrations/404: 404 Not Found: No Integration found with ID 404." {
		t.Errorf("404: %v", err)
	}
	_, err = c.DeleteIntegration(ctx, "404", nil)
	if !IsNotFound(err) {
		t.Errorf("DELETE 404: %v", err)
	}
	_, err = c.GetIntegration(ctx, "401")
	if !api.IsUnauthorized(err) {
		t.Errorf("401: %v", err)
	}
	// createError is not a state Immuta leaves by itself: no waiting, one PUT.
	_, err = c.UpdateIntegration(ctx, "409", docPayload())
	if !api.IsConflict(err) || IsNotFound(err) || f.count("PUT", "/integrations/409") != 1 {
		t.Errorf("409: %v after %v", err, f.sequence())
	}
	if IsNotFound(nil) || api.IsConflict(errors.New("409")) {
		t.Error("predicates must need an *Error")
	}
}

func TestStatusErrorMessages(t *testing.T) {
	failed := []api.ValidationTest{
		{Name: "Initial Validation: Basic Connection Test", Status: "failed", Result: json.RawMessage(`["connection refused"]`)},
		{Name: "Validate Automatic: User Grants", Status: "failed", Result: json.RawMessage(`[null]`)},
	}
	cases := []struct {
		err  StatusError
		want []string
	}{
		{StatusError{ID: "12", Op: OpCreate, Status: StatusCreateError, FailedTests: failed},
			[]string{"integration 12 (status createError) failed to be created", `"Initial Validation: Basic Connection Test" (["connection refused"])`, `"Validate Automatic: User Grants"`}},
		{StatusError{ID: "12", Op: OpUpdate, Status: StatusEditError}, []string{"rolled back to the previous configuration"}},
		{StatusError{ID: "12", Op: OpDelete, Status: StatusDeleteError}, []string{"integration 12 (status deleteError) was not deleted", "still there"}},
		{StatusError{ID: "12", Op: OpCreate, Status: StatusRecurringValidationError}, []string{"periodic validation"}},
		{StatusError{ID: "12", Op: OpCreate, Status: StatusDisabled}, []string{"disabled"}},
		{StatusError{ID: "12", Op: OpCreate, Status: StatusMigrateError}, []string{"migration"}},
		{StatusError{ID: "12", Op: OpDelete, Status: StatusEnabled}, []string{`status "enabled"`, "during its deletion"}},
	}
	for _, tc := range cases {
		msg := tc.err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tc.err.Status, msg, w)
			}
		}
		if strings.Contains(msg, "[null]") {
			t.Errorf("%q shows an empty result", msg)
		}
	}
}

func TestParseConflicts(t *testing.T) {
	e := &Error{StatusCode: 409, Message: "Redshift integration already exists on host organization.aws.amazon.com (id = 123456789)"}
	ex := existingFromConflict(e, "fallback")
	if ex == nil || ex.ID != "123456789" || ex.Host != "organization.aws.amazon.com" || ex.Ambiguous || !errors.Is(ex, e) {
		t.Fatalf("got %+v", ex)
	}
	if existingFromConflict(&Error{StatusCode: 400, Message: e.Message}, "") != nil {
		t.Error("only a 409 is a conflict")
	}
	for msg, want := range map[string]Status{
		"Unable to edit integration with ID 12 in current state editing.":    StatusEditing,
		"Unable to delete integration with ID 12 in current state deleting.": StatusDeleting,
		"Unable to edit integration with ID 12 in current state Migrating":   StatusMigrating,
		"Unable to edit integration with ID 12 in current state creating.":   StatusCreating,
	} {
		got, busy := settlingConflict(&Error{StatusCode: 409, Message: msg})
		if !busy || got != want {
			t.Errorf("%q: got %q, %v", msg, got, busy)
		}
	}
	if _, busy := settlingConflict(&Error{StatusCode: 409, Message: "in current state editError."}); busy {
		t.Error("editError is settled")
	}
}
