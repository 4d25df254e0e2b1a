package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// The documented messages. Clients may match on them, so they are kept
// verbatim, including the contract's trailing "..." of the second one.
const (
	msgDeleteNeedsCredentials = "Integrations that are automatically configured require privileged credentials to disable. Please provide them in your payload."
	msgDeleteNoCredentials    = "Credentials are not required for disable unless the integration was configured automatically. ..."
	msgBadJSON                = "Invalid request payload JSON format"
	msgBadYAML                = "Invalid request payload YAML format"
)

// apiErr is an error answer waiting to be written.
type apiErr struct {
	code int
	msg  string
}

func newErr(code int, format string, args ...any) *apiErr {
	return &apiErr{code: code, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiErr {
	return newErr(http.StatusBadRequest, format, args...)
}

func errNotFoundGet(id string) *apiErr {
	return newErr(http.StatusNotFound, "No Integration found with ID %s.", id)
}

// The DELETE wording differs from GET's in the case of "integration".
func errNotFoundDelete(id string) *apiErr {
	return newErr(http.StatusNotFound, "No integration found with ID %s.", id)
}

func errHostTaken(host, id string) *apiErr {
	return newErr(http.StatusConflict, "Redshift integration already exists on host %s (id = %s)", host, id)
}

func errCannotEdit(id, status string) *apiErr {
	return newErr(http.StatusConflict, "Unable to edit integration with ID %s in current state %s.", id, status)
}

func errCannotDelete(id, status string) *apiErr {
	return newErr(http.StatusConflict, "Unable to delete integration with ID %s in current state %s.", id, status)
}

func writeError(w http.ResponseWriter, e *apiErr) {
	writeJSON(w, e.code, APIError{StatusCode: e.code, Error: http.StatusText(e.code), Message: e.msg})
}

// writeJSON leaves <, > and & unescaped, as Immuta's Node server does, so
// that "<REDACTED>" reads as documented.
func writeJSON(w http.ResponseWriter, code int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		code = http.StatusInternalServerError
		buf.Reset()
		_ = enc.Encode(APIError{StatusCode: code, Error: http.StatusText(code), Message: "An internal server error occurred"})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
