package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Which answers are believed. An answer is believed only when it has the shape
// Immuta gives; the list of what can go wrong on the way is open-ended (gateways,
// proxies, caches, load balancers), so the rules below say what is believed, and
// everything else is a spoiled answer: retried like a transient fault, inside a wait
// a failed look, never an outcome and never a value in state.
//
//   - An error answer is Immuta's only in Immuta's error shape (Error.FromImmuta:
//     a JSON object {statusCode, error, message} whose statusCode is the answer's).
//     Only Immuta's 404 says an integration is gone; a 404 of any other shape (a
//     gateway's HTML page, an empty body) is spoiled.
//   - A 2xx answer about one integration is a JSON object with the integration's id
//     (the id asked for) and its status. The one exception is documented
//     tolerance: a PUT or DELETE may answer 204 or an empty 200.
//   - An answer comes by the method that was sent: no redirect may turn a write into
//     a read (transport.go).

// spoiledNotFound: a 404 that is not Immuta's error object.
func spoiledNotFound(e *Error) bool {
	return e.StatusCode == http.StatusNotFound && !e.FromImmuta
}

// spoiledStatus reports an error answer that did not come from Immuta's API and is
// not believed for what its status says (today: a 404 of another shape). do retries
// it, IsTransient says so, and a create treats it as a gateway's page: it proves
// nothing about whether Immuta acted.
func spoiledStatus(err error) bool {
	var e *Error
	return errors.As(err, &e) && spoiledNotFound(e)
}

// answerShape says in a few words what an error answer's body is, for the errors of
// answers that are not believed: "an HTML page", "an empty body", ...
func answerShape(contentType string, body []byte) string {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return "an empty body"
	case isHTML(contentType, t):
		return "an HTML page"
	case json.Valid(t) && t[0] == '{':
		return "a JSON object that is not Immuta's error object"
	case json.Valid(t):
		return "JSON that is not Immuta's error object"
	}
	return "a body of " + contentTypeOr(contentType)
}

// spoiledText is Error.Error for an answer that is not believed.
func (e *Error) spoiledText(b *strings.Builder) {
	fmt.Fprintf(b, "%d from something other than Immuta (%s", e.StatusCode, e.shape)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	b.WriteString("): not believed; Immuta's own errors are JSON objects with statusCode, error and message, " +
		"so a gateway, proxy or load balancer between the provider and Immuta answered, and the integration may still exist. " +
		"Check that the provider's host is the Immuta tenant's own address and that nothing in front of it answers for its API paths, then run again")
}

// IntegrationAnswer decodes a 2xx answer about one integration and checks its shape:
// a JSON object (not null, an array or a string) with an id and a status. id is the
// id asked for ("" for the create, which learns it from the answer).
func IntegrationAnswer(res *Response, method, path, id string) (*Integration, error) {
	what := method + " " + path
	if err := wantObject(res, what); err != nil {
		return nil, err
	}
	in, err := DecodeIntegration(res, what)
	if err != nil {
		return nil, err
	}
	return in, checkShape(method, path, id, in)
}

// wantObject refuses an answer that is valid JSON but not an object: null, [], a
// string, a number. Other bodies are left to DecodeJSON, which names them.
func wantObject(res *Response, what string) error {
	t := bytes.TrimSpace(res.Body)
	if len(t) == 0 || t[0] == '{' || !json.Valid(t) {
		return nil
	}
	kind := "a JSON " + map[byte]string{'[': "array", '"': "string", 'n': "null", 't': "boolean", 'f': "boolean"}[t[0]]
	if kind == "a JSON " {
		kind = "a JSON number"
	}
	if string(t) == "null" {
		kind = "JSON null"
	}
	return fmt.Errorf("%s: the answer is %s, not an integration (a gateway that lost the answer's body?)", what, kind)
}

// checkShape refuses an integration answer without the fields every answer about one
// integration has: its id (the one asked for) and its status.
func checkShape(method, path, id string, in *Integration) error {
	switch {
	case id != "":
		if err := checkID(method, path, id, in.ID); err != nil {
			return err
		}
	case in.ID == "":
		return noID(method, path)
	}
	if in.Status == "" {
		return &BadAnswerError{Method: method, Path: path,
			Reason: fmt.Sprintf("the answer about integration %s has no status (a shapeless answer, not Immuta's)", in.ID)}
	}
	return nil
}

func noID(method, path string) error {
	return &BadAnswerError{Method: method, Path: path,
		Reason: "the answer names no integration id (an empty or shapeless answer, not Immuta's)"}
}

// checkID refuses an answer about another integration than id, and one that names
// none: an answer without an id is shapeless (null, {}, a gateway's stand-in), not
// Immuta's, and says nothing about the integration asked for.
func checkID(method, path, id string, got ID) error {
	if got == "" {
		return noID(method, path)
	}
	if got.String() == id {
		return nil
	}
	return &BadAnswerError{Method: method, Path: path,
		Reason: fmt.Sprintf("the answer is about integration %s, not integration %s (a cached or misrouted answer)", got, id)}
}

// CheckCreated cross-checks an answer about the integration created on host: the
// create answer may hold only id and status, but when it (or the first look at the
// id it gave) names a host or a type, they must be this create's, or the answer is
// another request's (a cached or misrouted answer) and its id is not ours.
func CheckCreated(in *Integration, host string) error {
	switch {
	case in == nil:
		return nil
	case in.Type != "" && !strings.EqualFold(in.Type, TypeRedshift):
		return &BadAnswerError{Method: http.MethodPost, Path: "/integrations",
			Reason: fmt.Sprintf("integration %s is a %s integration, not the Redshift integration created on host %q", in.ID, in.Type, host)}
	case in.Config.Host != "" && NormalizeHost(in.Config.Host) != NormalizeHost(host):
		return &BadAnswerError{Method: http.MethodPost, Path: "/integrations",
			Reason: fmt.Sprintf("integration %s is on host %q, not on %q where it was created", in.ID, in.Config.Host, host)}
	}
	return nil
}

// badAnswer turns a decoding failure of a 2xx answer into a *BadAnswerError.
func badAnswer(method, path string, err error) error {
	var ba *BadAnswerError
	if err == nil || errors.As(err, &ba) {
		return err
	}
	reason := strings.TrimPrefix(err.Error(), method+" "+path+": ")
	return &BadAnswerError{Method: method, Path: path, Reason: reason, Err: err}
}

// Response is one answer to one attempt, as the retry loop hands it to the checks of
// this file.
type Response struct {
	Status int
	Header http.Header
	// Body is the answer read whole; nil when it was streamed (StreamErr).
	Body []byte
	// StreamErr is the failure of decoding a streamed answer's body from the wire.
	StreamErr error
}

// errorAnswer builds the *Error of an answer that is not a 2xx, with every form of the
// secrets sent scrubbed from what it quotes of the body.
func errorAnswer(method, path string, res *Response, secrets secretSet) *Error {
	ct := res.Header.Get("Content-Type")
	// Scrub first, then cut: ParseErrorBody bounds the message's length, and a secret
	// straddling the cut would leave a fragment that no longer matches it.
	errText, msg := ParseErrorBody(ct, []byte(secrets.scrub(string(res.Body))))
	return &Error{
		StatusCode: res.Status,
		ErrorText:  secrets.scrub(errText),
		Message:    secrets.scrub(msg),
		Method:     method,
		Path:       path,
		FromImmuta: ImmutaShaped(ct, res.Status, res.Body),
		shape:      answerShape(ct, res.Body),
	}
}

// DecodeJSON decodes a 2xx answer, turning anything that is not the expected JSON into
// an error that says what came instead, never a panic and never the body itself.
func DecodeJSON(res *Response, what string, v any) error {
	body := bytes.TrimSpace(res.Body)
	ct := res.Header.Get("Content-Type")
	if len(body) == 0 {
		return fmt.Errorf("%s: empty answer (status %d)", what, res.Status)
	}
	if body[0] == '<' {
		_, title := ParseErrorBody(ct, body)
		return fmt.Errorf("%s: the answer is an HTML page (%s), not JSON; is the base URL the Immuta tenant, not a login page or proxy?", what, title)
	}
	if err := json.Unmarshal(body, v); err != nil {
		// json.Unmarshal checks the syntax before decoding: any other error (a field
		// of the wrong type, an id that is an object or a bool) is about the shape.
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return fmt.Errorf("%s: the answer has an unexpected shape: %v", what, err)
		}
		return fmt.Errorf("%s: the answer is not valid JSON (%d bytes of %s; truncated?): %v", what, len(res.Body), contentTypeOr(ct), err)
	}
	return nil
}

func contentTypeOr(ct string) string {
	if ct == "" {
		return "no content type"
	}
	return ct
}

// DecodeIntegration decodes a 2xx answer as one integration (DecodeJSON), without
// the checks of IntegrationAnswer.
func DecodeIntegration(res *Response, what string) (*Integration, error) {
	var in Integration
	if err := DecodeJSON(res, what, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// integrationOrEmpty allows a PUT or DELETE to answer 204 or an empty 200: what
// was asked is then known, and the wait that follows reads the rest. Any other answer
// must be an integration with the id asked for and a status (IntegrationAnswer): null, {}
// or an object without them is a spoiled answer.
func integrationOrEmpty(res *Response, method, path, id string, status Status) (*Integration, error) {
	if len(bytes.TrimSpace(res.Body)) == 0 {
		return &Integration{ID: ID(id), Status: status}, nil
	}
	return IntegrationAnswer(res, method, path, id)
}

// NormalizeHost is the form in which two Redshift host names are compared: without
// case, surrounding spaces or a trailing dot.
func NormalizeHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}
