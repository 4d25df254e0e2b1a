package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func seedFiles(f *testing.F, add func(name string, body []byte)) {
	names, err := filepath.Glob(filepath.Join("..", "testdata", "*.*"))
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

func FuzzDecodeScript(f *testing.F) {
	for _, ct := range []string{"text/plain", "application/json", "", "text/html"} {
		f.Add(ct, []byte(sampleSQL))
		f.Add(ct, []byte(`"SELECT 1;"`))
		f.Add(ct, []byte(`{"script": "SELECT 1;"}`))
		f.Add(ct, []byte(`{"script": "SEL`))
		f.Add(ct, []byte(`<html><title>x</title>`))
	}
	seedFiles(f, func(_ string, b []byte) { f.Add("application/json", b) })
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		s, err := decodeScript(ct, body)
		if err != nil {
			if s != "" {
				t.Fatalf("a script and an error: %q, %v", s, err)
			}
			return
		}
		if trimmed := strings.TrimSpace(string(body)); strings.HasPrefix(trimmed, "<") {
			t.Fatalf("HTML accepted as a script: %q", s)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("script is not valid UTF-8: %q", s)
		}
	})
}
