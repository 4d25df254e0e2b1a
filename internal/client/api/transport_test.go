package api

import (
	"net/url"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"https://a.example.com/x", "https://a.example.com:443/y", true},
		{"https://a.example.com", "https://A.example.com", true},
		{"https://a.example.com", "http://a.example.com", false},
		{"https://a.example.com", "https://evil.a.example.com", false},
		{"http://127.0.0.1:1", "http://127.0.0.1:2", false},
	}
	for _, tc := range cases {
		a, b := mustURL(t, tc.a), mustURL(t, tc.b)
		if got := sameOrigin(a, b); got != tc.want {
			t.Errorf("sameOrigin(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}
