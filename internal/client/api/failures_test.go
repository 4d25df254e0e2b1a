package api

import (
	"errors"
	"testing"
)

func TestCheckCreated(t *testing.T) {
	for _, tc := range []struct {
		in   *Integration
		fail bool
	}{
		{&Integration{ID: "1", Status: StatusCreating}, false},
		{&Integration{ID: "1", Type: TypeRedshift, Config: RedshiftConfig{Host: "Mine.Example."}}, false},
		{&Integration{ID: "1", Type: "Snowflake"}, true},
		{&Integration{ID: "1", Config: RedshiftConfig{Host: "theirs.example"}}, true},
	} {
		err := CheckCreated(tc.in, "mine.example")
		var ba *BadAnswerError
		if tc.fail != (err != nil) || (err != nil && !errors.As(err, &ba)) {
			t.Errorf("%+v: %v", tc.in, err)
		}
	}
}

func TestIsTransientAndMayHaveReached(t *testing.T) {
	for _, tc := range []struct {
		err                error
		transient, reached bool
	}{
		{&Error{StatusCode: 502, Method: "POST", Path: "/integrations"}, true, true},
		// A gateway's 503 page proves nothing; Immuta's own 503 and 429 say it did not act.
		{&Error{StatusCode: 503, Method: "POST", Path: "/integrations"}, true, true},
		{&Error{StatusCode: 503, Method: "POST", Path: "/integrations", FromImmuta: true}, true, false},
		{&Error{StatusCode: 429, Method: "POST", Path: "/integrations", FromImmuta: true}, true, false},
		{&Error{StatusCode: 500, Method: "POST", Path: "/integrations", FromImmuta: true}, true, true},
		{&Error{StatusCode: 504, Method: "GET", Path: "/integrations/1"}, true, false},
		{&Error{StatusCode: 409, Method: "POST", Path: "/integrations"}, false, false},
		{&Error{StatusCode: 401}, false, false},
		{&BadAnswerError{Reason: "x"}, true, false},
		{&RedirectError{Location: "http://x"}, true, false},
		{&maybeSentError{err: errors.New("reset")}, true, true},
	} {
		if got := IsTransient(tc.err); got != tc.transient {
			t.Errorf("IsTransient(%v) = %v", tc.err, got)
		}
		if got := MayHaveReachedImmuta(tc.err); got != tc.reached {
			t.Errorf("MayHaveReachedImmuta(%v) = %v", tc.err, got)
		}
	}
}
