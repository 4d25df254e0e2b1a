// Package api is the lower layer of the Immuta client: one typed call per endpoint,
// answers checked against the shape Immuta gives, redirects policed, secrets
// scrubbed, and one family of error types. It knows nothing of waiting, sharing or
// learning; those live in the package client above it.
package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// TypeRedshift is the integration type this client manages.
const TypeRedshift = "Redshift"

// Redacted is what Immuta answers in place of a credential: credentials can never be read back.
const Redacted = "<REDACTED>"

// Authentication types of a Redshift configuration.
const (
	AuthUserPassword = "userPassword"
	AuthAccessKey    = "accessKey"
)

// DefaultRedshiftPort is what Immuta reports when the payload did not name a port.
const DefaultRedshiftPort = 5439

// ID identifies an integration. Every documented example sends a string, the schema
// table says number: both decode to the same ID.
type ID string

// String returns the id as Immuta spells it in paths.
func (id ID) String() string { return string(id) }

// UnmarshalJSON accepts a JSON string, a JSON integer or null. Integers are kept as
// their decimal text, never converted through float64, so large ids survive intact.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("id: empty value")
	}
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return fmt.Errorf("id: invalid value %.20q", b)
		}
		*id = ""
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("id: %w", err)
		}
		*id = ID(s)
		return nil
	}
	s := string(b)
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return fmt.Errorf("id: want a string or an integer, got %.20q", s)
	}
	*id = ID(s)
	return nil
}

// Status is the lifecycle state of an integration.
type Status string

// The statuses Immuta documents. Their rules are the status table, in the layer
// above (internal/client/status.go).
const (
	StatusCreating                 Status = "creating"
	StatusCreateError              Status = "createError"
	StatusEnabled                  Status = "enabled"
	StatusEditing                  Status = "editing"
	StatusEditError                Status = "editError"
	StatusDeleting                 Status = "deleting"
	StatusDeleteError              Status = "deleteError"
	StatusDeleted                  Status = "deleted"
	StatusDisabled                 Status = "disabled"
	StatusMigrating                Status = "migrating"
	StatusMigrateError             Status = "migrateError"
	StatusRecurringValidationError Status = "recurringValidationError"
)

// Payload is the body of POST /integrations, PUT /integrations/{id} and the script calls.
type Payload struct {
	Type          string         `json:"type"`
	AutoBootstrap bool           `json:"autoBootstrap"`
	Config        RedshiftConfig `json:"config"`
}

// RedshiftConfig is the "config" object of a Redshift integration. In answers the
// credential fields hold Redacted.
type RedshiftConfig struct {
	Host               string         `json:"host"`
	Port               int            `json:"port,omitempty"`
	Database           string         `json:"database"`
	InitialDatabase    string         `json:"initialDatabase,omitempty"`
	AuthenticationType string         `json:"authenticationType,omitempty"`
	Username           string         `json:"username,omitempty"`
	Password           string         `json:"password,omitempty"`
	DatabaseUser       string         `json:"databaseUser,omitempty"`
	AccessKeyID        string         `json:"accessKeyId,omitempty"`
	SecretKey          string         `json:"secretKey,omitempty"`
	SessionToken       string         `json:"sessionToken,omitempty"`
	Impersonation      *Impersonation `json:"impersonation,omitempty"`
}

// UnmarshalJSON tolerates a port sent as a string ("5439") as well as a number, since
// the documentation shows numbers but YAML-fed tenants have been seen to echo strings.
func (c *RedshiftConfig) UnmarshalJSON(b []byte) error {
	type plain RedshiftConfig
	var aux struct {
		plain
		Port json.RawMessage `json:"port"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	port, err := decodePort(aux.Port)
	if err != nil {
		return err
	}
	*c = RedshiftConfig(aux.plain)
	c.Port = port
	return nil
}

func decodePort(raw json.RawMessage) (int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("port: %w", err)
		}
		if strings.TrimSpace(s) == "" {
			return 0, nil
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != float64(int(f)) || f < 0 || f > 65535 {
		return 0, fmt.Errorf("port: want an integer 0-65535, got %.20q", s)
	}
	return int(f), nil
}

// Impersonation is the impersonation object of a Redshift configuration.
type Impersonation struct {
	Enabled bool   `json:"enabled"`
	Role    string `json:"role,omitempty"`
}

// Integration is an integration as Immuta answers it. The POST, PUT and DELETE answers
// may fill only ID, Status and ValidationResults.
type Integration struct {
	ID                ID                 `json:"id"`
	Status            Status             `json:"status"`
	Type              string             `json:"type"`
	AutoBootstrap     bool               `json:"autoBootstrap"`
	ValidationResults *ValidationResults `json:"validationResults"`
	// Config of another type (Snowflake, Databricks...) fills only the fields it shares.
	Config RedshiftConfig `json:"config"`
}

// UnmarshalJSON decodes strictly, except for integrations of other types: GET
// /integrations lists every type, and one whose config happens to clash with a
// Redshift field (say a port that is an object) must not make the whole list, and so
// the duplicate check before a create, fail. For those only what decodes is kept.
func (in *Integration) UnmarshalJSON(b []byte) error {
	type plain Integration
	var p plain
	err := json.Unmarshal(b, &p)
	if err == nil {
		*in = Integration(p)
		return nil
	}
	var head struct {
		ID     ID     `json:"id"`
		Status Status `json:"status"`
		Type   string `json:"type"`
	}
	if json.Unmarshal(b, &head) != nil || head.Type == "" || strings.EqualFold(head.Type, TypeRedshift) {
		return err
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return err
	}
	out := Integration{ID: head.ID, Status: head.Status, Type: head.Type}
	_ = json.Unmarshal(raw["autoBootstrap"], &out.AutoBootstrap)
	var vr ValidationResults
	if json.Unmarshal(raw["validationResults"], &vr) == nil {
		out.ValidationResults = &vr
	}
	out.Config = lenientConfig(raw["config"])
	*in = out
	return nil
}

// lenientConfig keeps each field of a foreign config that decodes on its own.
func lenientConfig(b json.RawMessage) RedshiftConfig {
	var c RedshiftConfig
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return c
	}
	strs := map[string]*string{
		"host": &c.Host, "database": &c.Database, "initialdatabase": &c.InitialDatabase,
		"authenticationtype": &c.AuthenticationType, "username": &c.Username, "password": &c.Password,
		"databaseuser": &c.DatabaseUser, "accesskeyid": &c.AccessKeyID, "secretkey": &c.SecretKey,
		"sessiontoken": &c.SessionToken,
	}
	for k, v := range raw {
		key := strings.ToLower(k)
		switch dst, ok := strs[key]; {
		case ok:
			_ = json.Unmarshal(v, dst)
		case key == "port":
			c.Port, _ = decodePort(v)
		case key == "impersonation":
			var imp Impersonation
			if json.Unmarshal(v, &imp) == nil {
				c.Impersonation = &imp
			}
		}
	}
	return c
}

// ValidationResults are the validation tests Immuta ran on the configuration.
type ValidationResults struct {
	Status string           `json:"status"`
	Tests  []ValidationTest `json:"validationTests"`
}

// ValidationTest is one validation test; Status is passed, failed, warning or skipped.
type ValidationTest struct {
	Name   string          `json:"name"`
	Status string          `json:"status"`
	Result json.RawMessage `json:"result,omitempty"`
}

// Failed returns the tests whose status is "failed"; safe on a nil receiver.
func (v *ValidationResults) Failed() []ValidationTest {
	if v == nil {
		return nil
	}
	var out []ValidationTest
	for _, t := range v.Tests {
		if strings.EqualFold(t.Status, "failed") {
			out = append(out, t)
		}
	}
	return out
}

// IntegrationStatus is the answer of GET /integrations/{id}/status.
type IntegrationStatus struct {
	ID                ID                 `json:"id"`
	Status            Status             `json:"status"`
	ValidationResults *ValidationResults `json:"validationResults"`
}

// Credentials are the privileged credentials a DELETE needs when Immuta bootstrapped the
// integration itself (autoBootstrap true); Immuta does not store them.
type Credentials struct {
	AuthenticationType string `json:"authenticationType,omitempty"`
	Username           string `json:"username,omitempty"`
	Password           string `json:"password,omitempty"`
	DatabaseUser       string `json:"databaseUser,omitempty"`
	AccessKeyID        string `json:"accessKeyId,omitempty"`
	SecretKey          string `json:"secretKey,omitempty"`
	SessionToken       string `json:"sessionToken,omitempty"`
}
