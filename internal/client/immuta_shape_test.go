package client

import (
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

func TestImmutaShaped(t *testing.T) {
	const js = "application/json; charset=utf-8"
	cases := []struct {
		name   string
		ct     string
		status int
		body   string
		want   bool
	}{
		{"Immuta's 404", js, 404, `{"statusCode":404,"error":"Not Found","message":"No Integration found with ID 7."}`, true},
		{"Immuta's 409", "application/json", 409, `{"statusCode":409,"error":"Conflict","message":"x"}`, true},
		{"status code of another answer", js, 404, `{"statusCode":409,"error":"Conflict","message":"x"}`, false},
		{"statusCode as a string", js, 404, `{"statusCode":"404","error":"Not Found","message":"x"}`, false},
		{"no message", js, 404, `{"statusCode":404,"error":"Not Found"}`, false},
		{"no error", js, 404, `{"statusCode":404,"message":"x"}`, false},
		{"gateway HTML page", "text/html", 404, `<html><head><title>404 Not Found</title></head></html>`, false},
		{"empty body", js, 404, ``, false},
		{"JSON null", js, 404, `null`, false},
		{"another JSON shape", js, 404, `{"detail":"not found"}`, false},
		{"Immuta's shape, but served as HTML", "text/html", 404, `{"statusCode":404,"error":"Not Found","message":"x"}`, false},
		{"no content type", "", 404, `{"statusCode":404,"error":"Not Found","message":"x"}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := api.ImmutaShaped(tc.ct, tc.status, []byte(tc.body)); got != tc.want {
				t.Errorf("api.ImmutaShaped(%q, %d, %q) = %v, want %v", tc.ct, tc.status, tc.body, got, tc.want)
			}
		})
	}
}
