package tenantcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// The check decodes answers itself, generically (numbers kept as their text),
// because the question is what the wire holds, not what the client makes of it.

// entry is one integration object as answered.
type entry struct {
	obj map[string]any // nil when the element is not a JSON object
	// idKind is the id's JSON type: "string", "number", "absent", "null" or
	// another JSON type's name.
	idKind string
	// idText is the id as a path holds it; "" when there is no usable id.
	idText string
	status string
	// hasStatus: a "status" field that is a non-empty string.
	hasStatus bool
	typ       string
	config    map[string]any // nil when absent or not an object
}

func (e entry) isRedshift() bool { return strings.EqualFold(e.typ, client.TypeRedshift) }

// decodeValue decodes one JSON value, numbers as json.Number; ok is false
// for anything but exactly one JSON value.
func decodeValue(b []byte) (v any, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false // trailing data
	}
	return v, true
}

func newEntry(v any) entry {
	e := entry{idKind: "absent"}
	obj, ok := v.(map[string]any)
	if !ok {
		e.idKind = ""
		return e
	}
	e.obj = obj
	if raw, present := obj["id"]; present {
		e.idKind = jsonType(raw)
		switch id := raw.(type) {
		case string:
			e.idText = id
		case json.Number:
			if isInteger(id.String()) {
				e.idText = id.String()
			}
		}
	}
	e.status, e.hasStatus = obj["status"].(string)
	e.hasStatus = e.hasStatus && e.status != ""
	e.typ, _ = obj["type"].(string)
	e.config, _ = obj["config"].(map[string]any)
	return e
}

// jsonType names v's JSON type.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func isInteger(s string) bool {
	d := strings.TrimPrefix(s, "-")
	return d != "" && strings.Trim(d, "0123456789") == ""
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// listShape says how GET /integrations wrapped its integrations.
type listShape struct {
	// kind: "array" (as documented), "wrapped" (an object holding the array
	// in field), "html", "empty", "not JSON", or "other" (JSON of another shape).
	kind  string
	field string
	// jsonKind is the JSON type of the whole answer when it is JSON.
	jsonKind string
}

// listEntries finds the integrations of a list answer. An object that wraps
// one array (e.g. {"integrations": [...]}) is unwrapped, so that the other
// checks can go on, and its shape reported.
func listEntries(body []byte) ([]entry, listShape) {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return nil, listShape{kind: "empty"}
	case t[0] == '<':
		return nil, listShape{kind: "html"}
	}
	v, ok := decodeValue(t)
	if !ok {
		return nil, listShape{kind: "not JSON"}
	}
	shape := listShape{kind: "array", jsonKind: jsonType(v)}
	arr, isArr := v.([]any)
	if !isArr {
		shape.kind = "other"
		obj, isObj := v.(map[string]any)
		if !isObj {
			return nil, shape
		}
		keys := sortedKeys(obj)
		for _, k := range keys {
			if a, ok := obj[k].([]any); ok {
				shape.kind, shape.field, arr = "wrapped", k, a
				break
			}
		}
		if shape.kind != "wrapped" {
			return nil, shape
		}
	}
	out := make([]entry, 0, len(arr))
	for _, el := range arr {
		out = append(out, newEntry(el))
	}
	return out, shape
}

// objectAnswer decodes an answer that should be one integration.
func objectAnswer(body []byte) (entry, string) {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return entry{}, "an empty body"
	case t[0] == '<':
		return entry{}, "an HTML page"
	}
	v, ok := decodeValue(t)
	if !ok {
		return entry{}, "not valid JSON"
	}
	if _, isObj := v.(map[string]any); !isObj {
		return entry{}, "a JSON " + jsonType(v) + ", not an object"
	}
	return newEntry(v), ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// immutaError is an error answer decoded as Immuta's error object.
type immutaError struct {
	// shaped: JSON content type and {statusCode: <the status>, error: string,
	// message: string}, the contract's (and client.Error.FromImmuta's) test.
	shaped  bool
	jsonCT  bool
	why     string // what is not Immuta's about it, when !shaped
	message string
}

func decodeImmutaError(e *Exchange) immutaError {
	var out immutaError
	ct := strings.ToLower(e.Header.Get("Content-Type"))
	out.jsonCT = strings.Contains(ct, "json")
	t := bytes.TrimSpace(e.Body)
	var problems []string
	if !out.jsonCT {
		problems = append(problems, "its content type is "+quoteOr(e.Header.Get("Content-Type"), "absent")+", not JSON")
	}
	var obj map[string]any
	switch v, ok := decodeValue(t); {
	case len(t) == 0:
		problems = append(problems, "its body is empty")
	case len(t) > 0 && t[0] == '<':
		problems = append(problems, "its body is an HTML page")
	case !ok:
		problems = append(problems, "its body is not JSON")
	default:
		if obj, ok = v.(map[string]any); !ok {
			problems = append(problems, "its body is a JSON "+jsonType(v)+", not an object")
		}
	}
	if obj != nil {
		sc, _ := obj["statusCode"].(json.Number)
		switch {
		case obj["statusCode"] == nil:
			problems = append(problems, "it has no statusCode")
		case sc.String() != itoa(e.Status):
			problems = append(problems, "its statusCode is not "+itoa(e.Status))
		}
		if _, ok := obj["error"].(string); !ok {
			problems = append(problems, `it has no string "error"`)
		}
		if m, ok := obj["message"].(string); ok {
			out.message = m
		} else {
			problems = append(problems, `it has no string "message"`)
		}
	}
	out.shaped = len(problems) == 0
	out.why = strings.Join(problems, "; ")
	return out
}

func quoteOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return `"` + s + `"`
}
