package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// The 409 hint reads right on Terraform and OpenTofu: an import block (both have
// them), no `terraform import` command, no placeholder to fill in.
func TestImportHintReadsOnBothCLIs(t *testing.T) {
	hint := importHint("11")
	for _, bad := range []string{"terraform import", "tofu import", "<", ">"} {
		if strings.Contains(hint, bad) {
			t.Errorf("hint holds %q:\n%s", bad, hint)
		}
	}
	for _, want := range []string{"import block", `id = "11"`, `"to"`, "address"} {
		if !strings.Contains(hint, want) {
			t.Errorf("hint lacks %q:\n%s", want, hint)
		}
	}
}

// Interruptions and timeouts say what happened in Immuta and what the next plan
// shows, and never Go's error chain.
func TestWaitErrorsReadPlainly(t *testing.T) {
	cases := []struct {
		te   client.TimeoutError
		want []string
	}{
		{client.TimeoutError{ID: "2", Op: client.OpUpdate, LastStatus: client.StatusEditing, Err: context.Canceled},
			[]string{"interrupted", `"editing"`, "goes on", "previous values", "next plan"}},
		{client.TimeoutError{ID: "2", Op: client.OpCreate, LastStatus: client.StatusCreating, Err: context.DeadlineExceeded},
			[]string{"create timeout ran out", `"creating"`, "tainted", "timeouts.create"}},
		{client.TimeoutError{ID: "5", Op: client.OpDelete, LastStatus: client.StatusCreating, Refused: true, Err: context.DeadlineExceeded},
			[]string{"was not deleted", "refuses to delete", "until it settles", `"creating"`, "nothing was deleted", "stays in state", "timeouts.delete"}},
		{client.TimeoutError{ID: "5", Op: client.OpDelete, LastStatus: client.StatusDeleting, Err: context.Canceled},
			[]string{"accepted the deletion", "goes on deleting", "next plan"}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s %v", tc.te.Op, tc.te.LastStatus, tc.te.Err), func(t *testing.T) {
			var diags diag.Diagnostics
			m := redshiftIntegrationModel{Status: types.StringValue("enabled")}
			te := tc.te
			err := fmt.Errorf("wait for integration %s: %w", te.ID, &te)
			addWaitError(&diags, &m, te.Op, te.ID, err)
			if len(diags) != 1 {
				t.Fatalf("diagnostics %v", diags)
			}
			text := diags[0].Summary() + "\n" + diags[0].Detail()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "context canceled") || strings.Contains(text, "deadline exceeded") {
				t.Errorf("shows Go's error chain:\n%s", text)
			}
			if m.Status.ValueString() != string(te.LastStatus) {
				t.Errorf("state status %s, want the last one seen, %s", m.Status, te.LastStatus)
			}
		})
	}
}

// Failures retrying cannot fix name the Immuta endpoint and what to set.
func TestPermanentFailuresSayWhatToSet(t *testing.T) {
	c, err := client.New(client.Config{Connection: client.Connection{BaseURL: "https://acme.immuta.example", APIToken: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[client.FailureKind][]string{
		client.FailureUnauthorized: {"api_token", EnvAPIToken, "APPLICATION_ADMIN"},
		client.FailureForbidden:    {"api_token", EnvAPIToken, "APPLICATION_ADMIN"},
		client.FailureDNS:          {"host", EnvHost},
		client.FailureCertificate:  {"ca_certificate", EnvCACertificate},
		client.FailureRefused:      {"host", EnvHost},
	} {
		var diags diag.Diagnostics
		err := fmt.Errorf("create integration: %w", &client.PermanentError{Kind: kind, Endpoint: c.BaseURL(), Err: errors.New("x")})
		addCreateError(&diags, c, "redshift.example.internal", err)
		text := diags[0].Summary() + "\n" + diags[0].Detail()
		for _, w := range append(want, "https://acme.immuta.example") {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q:\n%s", kind, w, text)
			}
		}
		if strings.Contains(diags[0].Summary(), "redshift.example.internal") {
			t.Errorf("%s: the summary names the Redshift host: %s", kind, diags[0].Summary())
		}
	}
	// No answer at all: the summary names the Immuta endpoint, not the Redshift host.
	var diags diag.Diagnostics
	addCreateError(&diags, c, "redshift.example.internal", errors.New("POST /integrations: read: connection reset by peer"))
	if s := diags[0].Summary(); !strings.Contains(s, "Immuta at https://acme.immuta.example") {
		t.Errorf("summary %q", s)
	}
}

// An imported auto_bootstrap integration has no credentials in state: deleting it
// is refused before any request, with what to do.
func TestDeleteNeedsCredentialsInState(t *testing.T) {
	m := redshiftIntegrationModel{ID: types.StringValue("7")}
	m.AutoBootstrap = types.BoolValue(true)
	m.Username, m.Password = types.StringNull(), types.StringNull()
	var diags diag.Diagnostics
	checkDeleteCredentials(&diags, m)
	if !diags.HasError() {
		t.Fatal("no error")
	}
	text := diags[0].Summary() + "\n" + diags[0].Detail()
	for _, w := range []string{"auto_bootstrap", "username", "password", "apply first", "Nothing was sent"} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q:\n%s", w, text)
		}
	}
	m.Username, m.Password = types.StringValue("admin"), types.StringValue("pw")
	diags = nil
	checkDeleteCredentials(&diags, m)
	if diags.HasError() {
		t.Errorf("credentials in state, still refused: %v", diags)
	}
}
