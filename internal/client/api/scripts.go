package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ScriptAction names one of the script endpoints. The scripts change nothing in
// Immuta: they are SQL for the user to run in Redshift.
type ScriptAction string

// Script actions.
const (
	ScriptCreate        ScriptAction = "create"
	ScriptInitialCreate ScriptAction = "initial-create"
	ScriptEdit          ScriptAction = "edit"
	ScriptDelete        ScriptAction = "delete"
	ScriptCleanup       ScriptAction = "cleanup"
)

// ScriptActions lists every action, in the order a lifecycle meets them.
func ScriptActions() []ScriptAction {
	return []ScriptAction{ScriptInitialCreate, ScriptCreate, ScriptEdit, ScriptDelete, ScriptCleanup}
}

// Valid reports whether a is a known action.
func (a ScriptAction) Valid() bool {
	switch a {
	case ScriptCreate, ScriptInitialCreate, ScriptEdit, ScriptDelete, ScriptCleanup:
		return true
	}
	return false
}

// NeedsIntegrationID reports whether the script is about an existing integration.
func (a ScriptAction) NeedsIntegrationID() bool { return a == ScriptEdit || a == ScriptDelete }

// NeedsPayload reports whether the script is generated from a configuration.
func (a ScriptAction) NeedsPayload() bool { return a.Valid() && a != ScriptDelete }

func (a ScriptAction) path(id string) string {
	if a.NeedsIntegrationID() {
		return integrationPath(id) + "/scripts/" + string(a)
	}
	return "/integrations/scripts/" + string(a)
}

// Script fetches the SQL of action. integrationID is required for edit and delete, p
// for every action but delete (and ignored there).
func (c *Client) Script(ctx context.Context, action ScriptAction, integrationID string, p *Payload) (string, error) {
	op := "get " + string(action) + " script"
	if integrationID != "" {
		op += " for integration " + integrationID
	}
	if !action.Valid() {
		return "", fmt.Errorf("%s: unknown script action %q", op, action)
	}
	if action.NeedsIntegrationID() && integrationID == "" {
		return "", fmt.Errorf("%s: the %s script needs an integration id", op, action)
	}
	var body []byte
	if action.NeedsPayload() {
		if p == nil {
			return "", fmt.Errorf("%s: the %s script needs a payload", op, action)
		}
		b, err := json.Marshal(p)
		if err != nil {
			return "", fmt.Errorf("%s: %w", op, err)
		}
		body = b
	}
	path := action.path(integrationID)
	// A script request changes nothing in Immuta, so a spoiled answer (an HTML page,
	// JSON cut short) is asked again.
	var s string
	_, err := c.do(ctx, call{method: http.MethodPost, path: path, body: body, script: true, accept: func(res *Response) error {
		var derr error
		s, derr = decodeScript(res.Header.Get("Content-Type"), res.Body)
		return derr
	}})
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return s, nil
}

// decodeScript accepts the three representations a tenant may use: text/plain SQL, a
// JSON string, a JSON object with a "script" field. Content types lie (SQL labeled
// application/json, JSON labeled text/plain), so the first non-space byte decides and
// the label only breaks the tie when JSON fails to parse. An HTML page is refused:
// SQL never starts with '<', and a login page must not end up in a Redshift console.
func decodeScript(contentType string, body []byte) (string, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "", nil
	}
	ct := strings.ToLower(contentType)
	declaredJSON := strings.Contains(ct, "json")
	switch trimmed[0] {
	case '<':
		_, title := ParseErrorBody(contentType, trimmed)
		return "", fmt.Errorf("the answer is an HTML page (%s), not a script", title)
	case '"':
		var s string
		if err := json.Unmarshal(trimmed, &s); err == nil {
			return s, nil
		} else if declaredJSON {
			return "", fmt.Errorf("the answer is not valid JSON (%d bytes; truncated?): %v", len(body), err)
		}
	case '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &obj); err == nil {
			raw, ok := obj["script"]
			if !ok {
				return "", errors.New("the answer is a JSON object without a \"script\" field")
			}
			var s string
			if string(raw) == "null" {
				return "", nil
			}
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", errors.New("the \"script\" field of the answer is not a string")
			}
			return s, nil
		} else if declaredJSON {
			return "", fmt.Errorf("the answer is not valid JSON (%d bytes; truncated?): %v", len(body), err)
		}
	case '[':
		if declaredJSON {
			return "", errors.New("the answer is a JSON array, not a script")
		}
	}
	// Plain SQL. Keep the body as sent: leading comments and indentation are the script.
	return strings.ToValidUTF8(string(body), "\uFFFD"), nil
}
