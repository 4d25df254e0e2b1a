package client

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// seedFiles adds every testdata file to f's corpus; the seeds run as ordinary tests.
func seedFiles(f *testing.F, add func(name string, body []byte)) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		if strings.HasSuffix(n, ".md") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		add(filepath.Base(n), b)
		add(filepath.Base(n)+" truncated", b[:len(b)/2])
	}
}

func FuzzDecodeIntegration(f *testing.F) {
	seedFiles(f, func(_ string, b []byte) { f.Add(b) })
	for _, s := range []string{
		`{"id": 12, "config": {"port": "5439"}}`,
		`{"id": "1", "type": "Other", "config": {"port": {}}}`,
		`{"id": 1e3}`, `{"id": -7}`, `null`, `[]`, `"x"`, ``, `{"validationResults": {"validationTests": [null]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		res := &api.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
		if in, err := api.DecodeIntegration(res, "GET /integrations/1"); err == nil {
			if _, err := json.Marshal(in); err != nil {
				t.Fatalf("decoded value does not marshal: %v", err)
			}
			_ = in.ValidationResults.Failed()
			_ = Known(in.Status)
		} else if !strings.Contains(err.Error(), "GET /integrations/1") {
			t.Fatalf("error does not name the request: %v", err)
		}
		var list []Integration
		_ = api.DecodeJSON(res, "GET /integrations", &list)
		var st api.IntegrationStatus
		_ = api.DecodeJSON(res, "GET /integrations/1/status", &st)
	})
}

func FuzzDecodeError(f *testing.F) {
	seedFiles(f, func(name string, b []byte) {
		ct := "application/json"
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".html truncated") {
			ct = "text/html"
		}
		f.Add(ct, b)
	})
	f.Add("text/plain", []byte("line one\nline two"))
	f.Add("", []byte(`{"error": 12, "message": ["a", {"password": "p"}]}`))
	f.Add("text/html", []byte("<title>\x00\xff</title>"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		errText, msg := api.ParseErrorBody(ct, body)
		for _, s := range []string{errText, msg} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
			if strings.IndexFunc(s, unicode.IsControl) >= 0 {
				t.Fatalf("control character in %q", s)
			}
		}
		if len(msg) > api.MaxMessage+len("…") || len(errText) > 80+len("…") {
			t.Fatalf("too long: %d / %d bytes", len(errText), len(msg))
		}
		e := &Error{StatusCode: 500, ErrorText: errText, Message: msg, Method: "GET", Path: "/integrations"}
		if !strings.HasPrefix(e.Error(), "GET /integrations: 500") {
			t.Fatalf("Error() = %q", e.Error())
		}
	})
}
