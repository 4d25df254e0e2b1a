package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Seed is an integration that exists before the first request, as on a
// tenant whose integrations were made in Immuta's UI or by another tool:
// what import and terraform query start from.
type Seed struct {
	// Type defaults to "Redshift". Other types (Snowflake, Databricks, ...)
	// keep Config as given.
	Type string
	// Status defaults to "enabled"; any status of the contract, e.g.
	// "disabled", "createError" or "recurringValidationError".
	Status        string
	AutoBootstrap bool
	// Config is what a POST would send, credentials in clear (answers
	// redact them). A Redshift config is normalized as a POST's is (port,
	// authenticationType and impersonation defaults) and must be valid.
	Config map[string]any
}

// WithIntegrations seeds integrations, with ids following the seeds'
// order (after those of WithForeignIntegrations and WithForeignCount). A Redshift seed that a
// POST would refuse panics: it is a mistake in the test.
func WithIntegrations(seeds ...Seed) Option {
	return func(c *config) { c.seeds = append(c.seeds, seeds...) }
}

func (s *Server) seed(seeds []Seed) {
	for i, sd := range seeds {
		rec := &record{
			id:            strconv.Itoa(s.store.nextID),
			typ:           sd.Type,
			autoBootstrap: sd.AutoBootstrap,
			config:        seedConfig(sd.Config),
			status:        sd.Status,
		}
		if rec.typ == "" {
			rec.typ = typeRedshift
		}
		if rec.status == "" {
			rec.status = StatusEnabled
		}
		if rec.typ == typeRedshift {
			norm, e := validateConfig(rec.config)
			if e != nil {
				panic(fmt.Sprintf("emulator: seed %d: %s", i, e.msg))
			}
			if owner := s.store.hostOwner(rec.host(), ""); owner != "" && rec.status != StatusDeleted {
				panic(fmt.Sprintf("emulator: seed %d: host %s already has integration %s", i, rec.host(), owner))
			}
			rec.config = norm
		}
		rec.validation = passedValidation(rec)
		switch rec.status {
		case StatusCreateError, StatusEditError, StatusDeleteError, StatusMigrateError, StatusRecurringValidationError:
			rec.validation = failedValidation(rec, opCreate, []string{testBasicConnection})
		}
		s.store.records[rec.id] = rec
		s.store.nextID++
	}
}

// seedConfig copies c the way a request body is decoded (numbers as
// json.Number), so that the POST's normalization applies unchanged.
func seedConfig(c map[string]any) map[string]any {
	b, err := json.Marshal(c)
	if err != nil {
		panic("emulator: seed config: " + err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		panic("emulator: seed config: " + err.Error())
	}
	return out
}
