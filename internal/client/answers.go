package client

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

// integrationAnswer decodes a 2xx answer about one integration and checks its shape:
// a JSON object (not null, an array or a string) with an id and a status. id is the
// id asked for ("" for the create, which learns it from the answer).
func integrationAnswer(res *response, method, path, id string) (*Integration, error) {
	what := method + " " + path
	if err := wantObject(res, what); err != nil {
		return nil, err
	}
	in, err := decodeIntegration(res, what)
	if err != nil {
		return nil, err
	}
	return in, checkShape(method, path, id, in)
}

// wantObject refuses an answer that is valid JSON but not an object: null, [], a
// string, a number. Other bodies are left to decodeJSON, which names them.
func wantObject(res *response, what string) error {
	t := bytes.TrimSpace(res.body)
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
