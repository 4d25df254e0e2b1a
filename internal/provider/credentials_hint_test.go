package provider

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestAddMissingCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, auth string
		auto       bool
		want       []string
	}{
		{"userPassword", authUserPassword, false, []string{"username", "password_wo", "password_wo_version"}},
		{"userPassword, auto_bootstrap", authUserPassword, true, []string{"username", "password"}},
		{"accessKey", authAccessKey, false, []string{"database_user", "access_key_id", "secret_key_wo", "secret_key_wo_version"}},
		{"accessKey, auto_bootstrap", authAccessKey, true, []string{"database_user", "access_key_id", "secret_key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addMissingCredentials(&diags, tc.auth, types.BoolValue(tc.auto))
			if diags.ErrorsCount() != 1 {
				t.Fatalf("%d errors, want 1: %v", diags.ErrorsCount(), diags)
			}
			detail := diags.Errors()[0].Detail()
			var got []string
			for _, m := range regexp.MustCompile(`(?m)^  ([a-z_]+) +=`).FindAllStringSubmatch(detail, -1) {
				got = append(got, m[1])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("lines for %v, want %v:\n%s", got, tc.want, detail)
			}
			if !strings.Contains(detail, `"`+tc.auth+`"`) || !strings.Contains(detail, "credentials_override.tf") {
				t.Errorf("the error does not name the authentication type and the override file:\n%s", detail)
			}
		})
	}
}

func TestHasNoCredentials(t *testing.T) {
	null, unknown, set := types.StringNull(), types.StringUnknown(), types.StringValue("x")
	for name, tc := range map[string]struct {
		values map[string]attr.Value
		want   bool
	}{
		"all null":   {map[string]attr.Value{"username": null, "password_wo": null}, true},
		"one set":    {map[string]attr.Value{"username": set, "password_wo": null}, false},
		"an unknown": {map[string]attr.Value{"username": null, "password_wo": unknown}, false},
	} {
		if got := hasNoCredentials(tc.values); got != tc.want {
			t.Errorf("%s: hasNoCredentials = %t, want %t", name, got, tc.want)
		}
	}
}
