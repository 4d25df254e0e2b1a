package api

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanMessages(t *testing.T) {
	got := clean("a\x00b\r\n\tc \xff"+strings.Repeat("é", 400), 20)
	if !utf8.ValidString(got) || strings.ContainsAny(got, "\x00\r\n\t") || len(got) > 20+len("…") {
		t.Errorf("clean: %q", got)
	}
}
