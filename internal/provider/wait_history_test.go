package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

type fakePrivate map[string][]byte

func (f fakePrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return f[key], nil
}

func (f fakePrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	f[key] = value
	return nil
}

func TestWaitHistoryPrivateState(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, stored, want string
	}{
		{"nothing kept", "", "{}"},
		{"kept", `{"update":[31000]}`, `{"update":[31000]}`},
		{"spoiled: not JSON", `{"update":`, "{}"},
		{"spoiled: wrong shape", `["update"]`, "{}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fakePrivate{}
			if tc.stored != "" {
				p[waitHistoryKey] = []byte(tc.stored)
			}
			h := loadWaitHistory(ctx, p)
			if d := saveWaitHistory(ctx, p, h); d.HasError() {
				t.Fatal(d)
			}
			if got := string(p[waitHistoryKey]); got != tc.want {
				t.Errorf("kept %s, want %s", got, tc.want)
			}
			if !json.Valid(p[waitHistoryKey]) {
				t.Errorf("private state must be JSON: %s", p[waitHistoryKey])
			}
		})
	}
}
