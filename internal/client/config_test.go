package client

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeBaseURL(t *testing.T) {
	cases := []struct{ in, want, wantErr string }{
		{"https://acme.immuta.com", "https://acme.immuta.com", ""},
		{"https://acme.immuta.com/", "https://acme.immuta.com", ""},
		{"  acme.immuta.com  ", "https://acme.immuta.com", ""},
		{"acme.immuta.com:8443", "https://acme.immuta.com:8443", ""},
		{"http://127.0.0.1:8089", "http://127.0.0.1:8089", ""},
		{"HTTPS://Acme.Immuta.com", "https://acme.immuta.com", ""},
		{"http://[::1]:8089/", "http://[::1]:8089", ""},
		{"", "", "empty"},
		{"ftp://acme.immuta.com", "", "scheme"},
		{"https://acme.immuta.com/api", "", "without a path"},
		{"https://acme.immuta.com/?x=1", "", "query"},
		{"https://acme.immuta.com/?", "", "query"},
		{"https://acme.immuta.com#frag", "", "fragment"},
		{"https://user:pw@acme.immuta.com", "", "user info"},
		{"https://", "", "no host"},
		{"https://:8080", "", "no host"},
	}
	for _, tc := range cases {
		got, err := NormalizeBaseURL(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: got %q, %v; want error with %q", tc.in, got, err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "pw@") {
				t.Errorf("%q: error repeats user info: %v", tc.in, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNew(t *testing.T) {
	c, err := New(Config{Connection: Connection{BaseURL: "acme.immuta.com/", APIToken: "  key  "}})
	if err != nil {
		t.Fatal(err)
	}
	// The API layer's defaults are checked in api.TestNew; the lifecycle's here.
	if c.BaseURL() != "https://acme.immuta.com" || c.api.RetryMax() != DefaultRetryMax || c.poll != DefaultPollSchedule {
		t.Errorf("defaults not applied: %+v", c)
	}
	c, err = New(Config{Connection: Connection{BaseURL: "http://x", APIToken: "k", RetryMax: -1, RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond}})
	if err != nil || c.api.RetryMax() != 0 {
		t.Errorf("got %+v, %v", c, err)
	}
	for _, tc := range []struct {
		cfg     Config
		wantErr string
	}{
		{Config{Connection: Connection{BaseURL: "https://acme.immuta.com"}}, "token is empty"},
		{Config{Connection: Connection{BaseURL: "https://acme.immuta.com", APIToken: "   "}}, "token is empty"},
		{Config{Connection: Connection{BaseURL: "https://acme.immuta.com", APIToken: "sekrit\nvalue"}}, "control character"},
		{Config{Connection: Connection{BaseURL: "ftp://acme.immuta.com", APIToken: "k"}}, "scheme"},
	} {
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%+v: got %v, want %q", tc.cfg, err, tc.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "sekrit") {
			t.Errorf("error repeats the token: %v", err)
		}
	}
}

func TestStatusKnown(t *testing.T) {
	known := []Status{StatusCreating, StatusCreateError, StatusEnabled, StatusEditing, StatusEditError, StatusDeleting,
		StatusDeleteError, StatusDeleted, StatusDisabled, StatusMigrating, StatusMigrateError, StatusRecurringValidationError}
	for _, s := range known {
		if !Known(s) {
			t.Errorf("%s not known", s)
		}
	}
	for _, s := range []Status{"", "Enabled", "frobnicating"} {
		if Known(s) {
			t.Errorf("%q known", s)
		}
	}
	if (*ValidationResults)(nil).Failed() != nil {
		t.Error("Failed on nil")
	}
}
