package api

import (
	"errors"
	"net/http"
)

// What each create POST's answer proves. Immuta allows one Redshift integration per
// host, and a second pipeline (another state) may create on the same host at the same
// moment; the API cannot say who made the integration found there. So a create sorts
// every attempt by what its answer proves, and adopts an integration found on its
// host only when one of its own attempts may have made it:
//
//   - Immuta did not act (attemptRefused): Immuta's own error object refusing the
//     request (429, 503, and any 4xx of its own), a redirect refused before anything
//     was sent, a request that never left (connection refused, headers not written).
//     Such an attempt is re-sent without a look.
//   - The answer proves nothing (attemptUnknown): a gateway's page (502, 503, 504 in
//     HTML or text: Envoy answers 503 after the upstream reset mid-request), any 500,
//     a reset or timeout after the request left, a 2xx that cannot be read, any answer
//     not in Immuta's shape. Immuta may have created the integration.
//
// After attempts of the first kind only, an integration on the host (a 409, or one
// found by a look) is someone else's, whatever the snapshot of the hosts said. After
// one of the second kind, one that the snapshot did not show, with the configuration
// sent, is adopted, and the caller is told (Creation.Adopted) so that the user is.

// attemptKind is what one create attempt's answer proves.
type attemptKind int

const (
	attemptRefused attemptKind = iota // Immuta did not act
	attemptUnknown                    // Immuta may have acted
)

// AttemptEvidence counts a create's attempts by what they prove. It lives on the
// create's creation and is written by do, one attempt at a time (never concurrently).
type AttemptEvidence struct {
	refused int
	unknown int
	// lost is the failure of the latest attempt that proves nothing: the reason the
	// create's answer counts as lost, for the user.
	Lost error
}

// note records one failed attempt of the create POST and reports whether it may be
// sent again without a look (Immuta certainly did not act on it). res is nil for a
// transport failure; sent says whether the request's headers were written.
func (ev *AttemptEvidence) Note(res *Response, sent bool, err error) bool {
	if ev == nil {
		return classifyAttempt(res, sent, err) == attemptRefused
	}
	if classifyAttempt(res, sent, err) == attemptRefused {
		ev.refused++
		return true
	}
	ev.AnswerLost(err)
	return false
}

// AnswerLost records an attempt whose answer proves nothing, and why.
func (ev *AttemptEvidence) AnswerLost(cause error) {
	ev.unknown++
	ev.Lost = cause
}

// MayHaveActed: one of the attempts so far may have created the integration.
func (ev *AttemptEvidence) MayHaveActed() bool { return ev.unknown > 0 }

// classifyAttempt sorts one failed create attempt (see the top of this file).
func classifyAttempt(res *Response, sent bool, err error) attemptKind {
	var (
		ms *maybeSentError
		re *RedirectError
		e  *Error
	)
	switch {
	case errors.As(err, &ms):
		return attemptUnknown
	case errors.As(err, &re):
		return attemptRefused
	case res != nil && res.Status >= 200 && res.Status < 300:
		// Accepted, or a gateway's 200 page: either way not an answer to believe.
		return attemptUnknown
	case errors.As(err, &e):
		return errorKind(e)
	case !sent:
		return attemptRefused
	}
	return attemptUnknown
}

// errorKind: only Immuta's own error object proves that Immuta did not act, and only
// when it refuses (a 4xx, or 503: Immuta unavailable). Its 500 may come after a part
// of the work; any status in another shape is a gateway's, which may have given up
// after Immuta acted.
func errorKind(e *Error) attemptKind {
	if e.FromImmuta && (e.StatusCode < 500 || e.StatusCode == http.StatusServiceUnavailable) {
		return attemptRefused
	}
	return attemptUnknown
}

// EndsCreate: a failure after which the create stops, whatever its earlier attempts
// did: Immuta refused the request as it is (400, 422, ...: sent again, it would be
// refused again), or no request can reach Immuta (a permanent failure). A 409 is
// handled before (client.StartCreate), and a 429 is a reason to come back.
func EndsCreate(err error) bool {
	if AsPermanent(err) != nil {
		return true
	}
	// A 4xx in another shape than Immuta's (a gateway's 404 page or empty 404)
	// proves nothing: Immuta may have acted behind it, so the create looks by host.
	var e *Error
	return errors.As(err, &e) && e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests &&
		!spoiledNotFound(e)
}
