package api

import (
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	c, err := New(Config{BaseURL: "acme.immuta.com/", APIToken: "  key  "})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://acme.immuta.com" || c.token != "key" || c.retryMax != DefaultRetryMax ||
		c.waitMin != DefaultMinRetryWait || c.waitMax != DefaultMaxRetryWait ||
		c.userAgent != DefaultUserAgent || c.attemptTimeout != DefaultAttemptTimeout {
		t.Errorf("defaults not applied: %+v", c)
	}
	c, err = New(Config{BaseURL: "http://x", APIToken: "k", RetryMax: -1, RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond})
	if err != nil || c.retryMax != 0 || c.waitMax != time.Second {
		t.Errorf("got %+v, %v", c, err)
	}
}
