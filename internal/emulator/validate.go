package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"sort"

	"github.com/goccy/go-yaml"
)

const maxBodyBytes = 1 << 20

const (
	typeRedshift     = "Redshift"
	authUserPassword = "userPassword"
	authAccessKey    = "accessKey"
	defaultPort      = 5439
)

// credentialKeys are the config fields that never come back in answers.
var credentialKeys = []string{"username", "password", "databaseUser", "accessKeyId", "secretKey", "sessionToken"}

var configKeys = []string{
	"host", "port", "database", "initialDatabase", "authenticationType",
	"username", "password", "databaseUser", "accessKeyId", "secretKey", "sessionToken",
	"impersonation",
}

// payload is a validated request payload; config is normalized with the
// defaults GET shows (port, impersonation, authenticationType).
type payload struct {
	typ           string
	autoBootstrap bool
	config        map[string]any
}

func isYAML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml":
		return true
	}
	return false
}

// readBody decodes a JSON or YAML body into generic values, keeping numbers
// as json.Number so that a non-integer port can be told apart. present is
// false for an empty body.
func readBody(w http.ResponseWriter, r *http.Request) (v any, present bool, e *apiErr) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, false, newErr(http.StatusRequestEntityTooLarge, "Payload content length greater than maximum allowed: %d", maxBodyBytes)
		}
		return nil, false, badRequest("Unable to read the request payload")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, false, nil
	}
	if isYAML(r.Header.Get("Content-Type")) {
		if data, err = yaml.YAMLToJSON(data); err != nil {
			return nil, false, badRequest(msgBadYAML)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false, badRequest(msgBadJSON)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, badRequest(msgBadJSON)
	}
	return v, true, nil
}

func readPayload(w http.ResponseWriter, r *http.Request) (*payload, *apiErr) {
	v, _, e := readBody(w, r)
	if e != nil {
		return nil, e
	}
	return validatePayload(v)
}

// validatePayload mimics Immuta's schema validation: the first problem found
// is reported with the path of the bad field, in Joi's wording.
func validatePayload(v any) (*payload, *apiErr) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest(`"value" must be of type object`)
	}
	p := &payload{}
	t, ok := obj["type"]
	switch {
	case !ok:
		return nil, badRequest(`"type" is required`)
	case !isString(t):
		return nil, badRequest(`"type" must be a string`)
	case t != typeRedshift:
		return nil, badRequest(`"type" must be [%s]`, typeRedshift)
	}
	p.typ = typeRedshift
	if ab, ok := obj["autoBootstrap"]; ok {
		b, isBool := ab.(bool)
		if !isBool {
			return nil, badRequest(`"autoBootstrap" must be a boolean`)
		}
		p.autoBootstrap = b
	}
	c, ok := obj["config"]
	if !ok {
		return nil, badRequest(`"config" is required`)
	}
	cfg, ok := c.(map[string]any)
	if !ok {
		return nil, badRequest(`"config" must be of type object`)
	}
	if e := unknownKeys(obj, "", "type", "autoBootstrap", "config"); e != nil {
		return nil, e
	}
	norm, e := validateConfig(cfg)
	if e != nil {
		return nil, e
	}
	p.config = norm
	return p, nil
}

func validateConfig(cfg map[string]any) (map[string]any, *apiErr) {
	for _, k := range []string{"host", "database"} {
		if e := requireString(cfg, "config.", k); e != nil {
			return nil, e
		}
	}
	for _, k := range []string{"initialDatabase", "authenticationType", "username", "password", "databaseUser", "accessKeyId", "secretKey", "sessionToken"} {
		if e := optionalString(cfg, "config.", k); e != nil {
			return nil, e
		}
	}
	out := make(map[string]any, len(cfg)+3)
	for k, v := range cfg {
		out[k] = v
	}
	port, e := validatePort(cfg)
	if e != nil {
		return nil, e
	}
	out["port"] = port

	auth, _ := cfg["authenticationType"].(string)
	if auth == "" {
		auth = authUserPassword
	}
	out["authenticationType"] = auth
	var required, forbidden []string
	switch auth {
	case authUserPassword:
		required = []string{"username", "password"}
		forbidden = []string{"databaseUser", "accessKeyId", "secretKey", "sessionToken"}
	case authAccessKey:
		required = []string{"databaseUser", "accessKeyId", "secretKey"}
		forbidden = []string{"username", "password"}
	default:
		return nil, badRequest(`"config.authenticationType" must be one of [%s, %s]`, authUserPassword, authAccessKey)
	}
	for _, k := range required {
		if e := requireString(cfg, "config.", k); e != nil {
			return nil, e
		}
	}
	for _, k := range forbidden {
		if _, ok := cfg[k]; ok {
			return nil, badRequest(`"config.%s" is not allowed`, k)
		}
	}

	imp, e := validateImpersonation(cfg["impersonation"])
	if e != nil {
		return nil, e
	}
	out["impersonation"] = imp
	if e := unknownKeys(cfg, "config.", configKeys...); e != nil {
		return nil, e
	}
	return out, nil
}

func validatePort(cfg map[string]any) (int, *apiErr) {
	v, ok := cfg["port"]
	if !ok {
		return defaultPort, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return 0, badRequest(`"config.port" must be a number`)
	}
	port, err := n.Int64()
	if err != nil {
		if f, ferr := n.Float64(); ferr == nil && f < 1 {
			return 0, badRequest(`"config.port" must be greater than or equal to 1`)
		}
		return 0, badRequest(`"config.port" must be an integer`)
	}
	switch {
	case port < 1:
		return 0, badRequest(`"config.port" must be greater than or equal to 1`)
	case port > 65535:
		return 0, badRequest(`"config.port" must be less than or equal to 65535`)
	}
	return int(port), nil
}

func validateImpersonation(v any) (map[string]any, *apiErr) {
	if v == nil {
		return map[string]any{"enabled": false}, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest(`"config.impersonation" must be of type object`)
	}
	en, ok := obj["enabled"]
	if !ok {
		return nil, badRequest(`"config.impersonation.enabled" is required`)
	}
	enabled, ok := en.(bool)
	if !ok {
		return nil, badRequest(`"config.impersonation.enabled" must be a boolean`)
	}
	out := map[string]any{"enabled": enabled}
	if e := optionalString(obj, "config.impersonation.", "role"); e != nil {
		return nil, e
	}
	if role, ok := obj["role"]; ok {
		out["role"] = role
	}
	if e := unknownKeys(obj, "config.impersonation.", "enabled", "role"); e != nil {
		return nil, e
	}
	return out, nil
}

var deleteBodyKeys = append([]string{"authenticationType"}, credentialKeys...)

// validateDeleteBody applies the DELETE rule: privileged credentials are
// required exactly when Immuta bootstrapped the integration itself.
func validateDeleteBody(v any, present, autoBootstrap bool) *apiErr {
	var obj map[string]any
	if present && v != nil {
		var ok bool
		if obj, ok = v.(map[string]any); !ok {
			return badRequest(`"value" must be of type object`)
		}
		if e := unknownKeys(obj, "", deleteBodyKeys...); e != nil {
			return e
		}
		for _, k := range deleteBodyKeys {
			if e := optionalString(obj, "", k); e != nil {
				return e
			}
		}
	}
	if !autoBootstrap {
		if len(obj) > 0 {
			return badRequest(msgDeleteNoCredentials)
		}
		return nil
	}
	auth, _ := obj["authenticationType"].(string)
	var required []string
	switch auth {
	case "", authUserPassword:
		required = []string{"username", "password"}
	case authAccessKey:
		required = []string{"databaseUser", "accessKeyId", "secretKey"}
	default:
		return badRequest(`"authenticationType" must be one of [%s, %s]`, authUserPassword, authAccessKey)
	}
	for _, k := range required {
		if s, _ := obj[k].(string); s == "" {
			return badRequest(msgDeleteNeedsCredentials)
		}
	}
	return nil
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func requireString(obj map[string]any, prefix, key string) *apiErr {
	v, ok := obj[key]
	if !ok || v == nil {
		return badRequest(`"%s%s" is required`, prefix, key)
	}
	return optionalString(obj, prefix, key)
}

func optionalString(obj map[string]any, prefix, key string) *apiErr {
	v, ok := obj[key]
	if !ok {
		return nil
	}
	s, isStr := v.(string)
	if !isStr {
		return badRequest(`"%s%s" must be a string`, prefix, key)
	}
	if s == "" {
		return badRequest(`"%s%s" is not allowed to be empty`, prefix, key)
	}
	return nil
}

func unknownKeys(obj map[string]any, prefix string, known ...string) *apiErr {
	var bad []string
	for k := range obj {
		if !slices.Contains(known, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return badRequest(`"%s%s" is not allowed`, prefix, bad[0])
}
