package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Integration statuses of the contract.
const (
	StatusCreating                 = "creating"
	StatusCreateError              = "createError"
	StatusEnabled                  = "enabled"
	StatusEditing                  = "editing"
	StatusEditError                = "editError"
	StatusDeleting                 = "deleting"
	StatusDeleteError              = "deleteError"
	StatusDeleted                  = "deleted"
	StatusDisabled                 = "disabled"
	StatusMigrating                = "migrating"
	StatusMigrateError             = "migrateError"
	StatusRecurringValidationError = "recurringValidationError"
)

// Redacted replaces every credential in answers.
const Redacted = "<REDACTED>"

// Integration is the full integration object of GET /integrations/{id}. The
// same type holds the unredacted snapshots of Server.Integrations.
type Integration struct {
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	Type              string            `json:"type"`
	AutoBootstrap     bool              `json:"autoBootstrap"`
	ValidationResults ValidationResults `json:"validationResults"`
	Config            map[string]any    `json:"config"`
}

// IntegrationStatus is the answer of POST, PUT, DELETE and
// GET /integrations/{id}/status.
type IntegrationStatus struct {
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	ValidationResults ValidationResults `json:"validationResults"`
}

// ValidationResults reports the tests Immuta ran against the warehouse.
type ValidationResults struct {
	Status          string           `json:"status"`
	ValidationTests []ValidationTest `json:"validationTests"`
}

// ValidationTest is one validation test. Result is omitted when nil but kept
// when empty, because the documentation shows both "result": [] and no result.
type ValidationTest struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Result []any  `json:"result,omitzero"`
}

// Payload is the body of POST, PUT and the script endpoints.
type Payload struct {
	Type          string         `json:"type"`
	AutoBootstrap bool           `json:"autoBootstrap"`
	Config        map[string]any `json:"config"`
}

// APIError is the error body of every error answer.
type APIError struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
}

// ScriptAnswer is the body of script answers in the ScriptJSONObject format.
type ScriptAnswer struct {
	Script string `json:"script"`
}

// UnmarshalJSON accepts the id as a string or a number, as the contract asks
// of clients, so that tests can decode answers of WithNumericIDs servers.
func (i *Integration) UnmarshalJSON(b []byte) error {
	type plain Integration
	aux := struct {
		*plain
		ID json.RawMessage `json:"id"`
	}{plain: (*plain)(i)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	id, err := decodeID(aux.ID)
	i.ID = id
	return err
}

// UnmarshalJSON accepts the id as a string or a number.
func (s *IntegrationStatus) UnmarshalJSON(b []byte) error {
	type plain IntegrationStatus
	aux := struct {
		*plain
		ID json.RawMessage `json:"id"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	id, err := decodeID(aux.ID)
	s.ID = id
	return err
}

func decodeID(raw json.RawMessage) (string, error) {
	t := strings.TrimSpace(string(raw))
	if t == "" || t == "null" {
		return "", nil
	}
	if t[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("id: %w", err)
	}
	return n.String(), nil
}
