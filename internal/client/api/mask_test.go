package api

import (
	"strings"
	"testing"
)

func TestMaskJSON(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"password": "x", "host": "h"}`, `{"host":"h","password":"***"}`},
		{`{"config": {"PassWord": "x", "impersonation": {"enabled": true}}}`, `{"config":{"PassWord":"***","impersonation":{"enabled":true}}}`},
		{`[{"secretKey": {"deep": "x"}}, {"script": "DROP"}]`, `[{"secretKey":"***"},{"script":"***"}]`},
		{`{"port": 5439, "big": 12345678901234567890}`, `{"big":12345678901234567890,"port":5439}`},
		{`"plain"`, `"plain"`},
	}
	for _, tc := range cases {
		got, ok := maskJSON([]byte(tc.in))
		if !ok || got != tc.want {
			t.Errorf("maskJSON(%s) = %s %v, want %s", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{`{"password": "x"`, `{} {"password": "x"}`, `nope`} {
		if got, ok := maskJSON([]byte(bad)); ok {
			t.Errorf("maskJSON(%s) = %s, want refusal", bad, got)
		}
		if got := maskBody([]byte(bad), "application/json", false, nil); strings.Contains(got, "password") {
			t.Errorf("maskBody shows %s", got)
		}
	}
}
