package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// The scripts are plausible Redshift SQL. The create and edit scripts carry
// the system account's password, as Immuta's do, which is why clients must
// treat scripts as secrets.

const defaultImpersonationRole = "immuta_impersonation"

var immutaSchemas = []string{"immuta_procedures", "immuta_functions"}

type sqlScript struct{ b strings.Builder }

func newScript(action string, cfg map[string]any) *sqlScript {
	s := &sqlScript{}
	s.line("-- Immuta %s script for %s/%s", action, str(cfg, "host"), str(cfg, "database"))
	return s
}

func (s *sqlScript) line(format string, args ...any) {
	fmt.Fprintf(&s.b, format, args...)
	s.b.WriteByte('\n')
}

func (s *sqlScript) String() string { return s.b.String() }

func str(cfg map[string]any, key string) string {
	v, _ := cfg[key].(string)
	return v
}

func ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func literal(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// systemUser is the Redshift user Immuta connects as.
func systemUser(cfg map[string]any) string {
	if str(cfg, "authenticationType") == authAccessKey {
		return str(cfg, "databaseUser")
	}
	return str(cfg, "username")
}

// impersonationRole returns the role and whether impersonation is on.
func impersonationRole(cfg map[string]any) (string, bool) {
	imp, _ := cfg["impersonation"].(map[string]any)
	if imp == nil || imp["enabled"] != true {
		return "", false
	}
	if role, _ := imp["role"].(string); role != "" {
		return role, true
	}
	return defaultImpersonationRole, true
}

func createUserSQL(s *sqlScript, cfg map[string]any) {
	user := ident(systemUser(cfg))
	if str(cfg, "authenticationType") == authAccessKey {
		s.line("CREATE USER %s PASSWORD DISABLED;", user)
	} else {
		s.line("CREATE USER %s WITH PASSWORD %s;", user, literal(str(cfg, "password")))
	}
}

func grantDatabaseSQL(s *sqlScript, db, user string) {
	s.line("GRANT ALL PRIVILEGES ON DATABASE %s TO %s;", ident(db), ident(user))
	s.line("GRANT TEMP ON DATABASE %s TO %s;", ident(db), ident(user))
	for _, schema := range immutaSchemas {
		s.line("CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION %s;", schema, ident(user))
	}
}

func createScript(cfg map[string]any) string {
	s := newScript("create", cfg)
	user := systemUser(cfg)
	createUserSQL(s, cfg)
	grantDatabaseSQL(s, str(cfg, "database"), user)
	if role, on := impersonationRole(cfg); on {
		s.line("CREATE ROLE %s;", ident(role))
		s.line("GRANT ROLE %s TO %s;", ident(role), ident(user))
	}
	return s.String()
}

func initialCreateScript(cfg map[string]any) string {
	s := newScript("initial-create", cfg)
	if initial := str(cfg, "initialDatabase"); initial != "" {
		s.line("-- Run while connected to database %s.", initial)
	}
	db := ident(str(cfg, "database"))
	s.line("CREATE DATABASE %s;", db)
	s.line("REVOKE ALL PRIVILEGES ON DATABASE %s FROM PUBLIC;", db)
	return s.String()
}

// editScript moves Redshift from the integration's current configuration to
// the new one.
func editScript(old, cfg map[string]any) string {
	s := newScript("edit", cfg)
	changed := false
	if !strings.EqualFold(str(old, "host"), str(cfg, "host")) {
		s.line("-- The host changes from %s: run this script on the new host.", str(old, "host"))
		createUserSQL(s, cfg)
		changed = true
	}
	oldUser, user := systemUser(old), systemUser(cfg)
	if oldUser != user {
		s.line("ALTER USER %s RENAME TO %s;", ident(oldUser), ident(user))
		changed = true
	}
	switch {
	case str(cfg, "authenticationType") == authAccessKey && str(old, "authenticationType") != authAccessKey:
		s.line("ALTER USER %s PASSWORD DISABLED;", ident(user))
		changed = true
	case str(cfg, "authenticationType") != authAccessKey && str(old, "password") != str(cfg, "password"):
		s.line("ALTER USER %s PASSWORD %s;", ident(user), literal(str(cfg, "password")))
		changed = true
	}
	if oldDB, db := str(old, "database"), str(cfg, "database"); oldDB != db {
		s.line("REVOKE ALL PRIVILEGES ON DATABASE %s FROM %s;", ident(oldDB), ident(user))
		grantDatabaseSQL(s, db, user)
		changed = true
	}
	oldRole, wasOn := impersonationRole(old)
	role, on := impersonationRole(cfg)
	switch {
	case on && !wasOn:
		s.line("CREATE ROLE %s;", ident(role))
		s.line("GRANT ROLE %s TO %s;", ident(role), ident(user))
		changed = true
	case wasOn && !on:
		s.line("REVOKE ROLE %s FROM %s;", ident(oldRole), ident(user))
		s.line("DROP ROLE %s;", ident(oldRole))
		changed = true
	case on && role != oldRole:
		s.line("ALTER ROLE %s RENAME TO %s;", ident(oldRole), ident(role))
		changed = true
	}
	if !changed {
		s.line("-- No change is needed in Redshift.")
	}
	return s.String()
}

func deleteScript(cfg map[string]any) string {
	s := newScript("delete", cfg)
	user := systemUser(cfg)
	for _, schema := range immutaSchemas {
		s.line("DROP SCHEMA %s CASCADE;", schema)
	}
	if role, on := impersonationRole(cfg); on {
		s.line("REVOKE ROLE %s FROM %s;", ident(role), ident(user))
		s.line("DROP ROLE %s;", ident(role))
	}
	s.line("REVOKE ALL PRIVILEGES ON DATABASE %s FROM %s;", ident(str(cfg, "database")), ident(user))
	s.line("DROP USER %s;", ident(user))
	return s.String()
}

// cleanupScript removes whatever a failed creation may have left, so every
// statement must tolerate a missing object.
func cleanupScript(cfg map[string]any) string {
	s := newScript("cleanup", cfg)
	for _, schema := range immutaSchemas {
		s.line("DROP SCHEMA IF EXISTS %s CASCADE;", schema)
	}
	if role, on := impersonationRole(cfg); on {
		s.line("DROP ROLE IF EXISTS %s FORCE;", ident(role))
	}
	s.line("DROP USER IF EXISTS %s;", ident(systemUser(cfg)))
	return s.String()
}

func (srv *Server) writeScript(w http.ResponseWriter, sql string) {
	switch srv.cfg.scriptFormat {
	case ScriptJSONString:
		writeJSON(w, http.StatusOK, sql)
	case ScriptJSONObject:
		writeJSON(w, http.StatusOK, ScriptAnswer{Script: sql})
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(sql))
	}
}
