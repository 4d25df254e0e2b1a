package client

import "github.com/immuta/terraform-provider-immuta/internal/client/api"

// The API layer's vocabulary (package api), re-exported so that the provider keeps
// importing one package and maps schema to these names. Aliases, not new types: a
// value of one is a value of the other.
type (
	Status              = api.Status
	Payload             = api.Payload
	RedshiftConfig      = api.RedshiftConfig
	Impersonation       = api.Impersonation
	Integration         = api.Integration
	ValidationResults   = api.ValidationResults
	Credentials         = api.Credentials
	Error               = api.Error
	BadAnswerError      = api.BadAnswerError
	RedirectError       = api.RedirectError
	PermanentError      = api.PermanentError
	FailureKind         = api.FailureKind
	RequestTimeoutError = api.RequestTimeoutError
	Level               = api.Level
	ScriptAction        = api.ScriptAction
)

// Constants of the API layer.
const (
	TypeRedshift        = api.TypeRedshift
	Redacted            = api.Redacted
	AuthUserPassword    = api.AuthUserPassword
	AuthAccessKey       = api.AuthAccessKey
	DefaultRedshiftPort = api.DefaultRedshiftPort

	StatusCreating                 = api.StatusCreating
	StatusCreateError              = api.StatusCreateError
	StatusEnabled                  = api.StatusEnabled
	StatusEditing                  = api.StatusEditing
	StatusEditError                = api.StatusEditError
	StatusDeleting                 = api.StatusDeleting
	StatusDeleteError              = api.StatusDeleteError
	StatusDeleted                  = api.StatusDeleted
	StatusDisabled                 = api.StatusDisabled
	StatusMigrating                = api.StatusMigrating
	StatusMigrateError             = api.StatusMigrateError
	StatusRecurringValidationError = api.StatusRecurringValidationError

	FailureDNS          = api.FailureDNS
	FailureCertificate  = api.FailureCertificate
	FailureRefused      = api.FailureRefused
	FailureUnauthorized = api.FailureUnauthorized
	FailureForbidden    = api.FailureForbidden

	LevelTrace = api.LevelTrace
	LevelInfo  = api.LevelInfo
	LevelWarn  = api.LevelWarn
)

// Functions of the API layer the provider calls.
var (
	IsNotFound    = api.IsNotFound
	AsPermanent   = api.AsPermanent
	SecretForms   = api.SecretForms
	ScriptActions = api.ScriptActions
)

// ErrInvalidCACert: Config.CACertPEM holds no certificate that can be parsed.
var ErrInvalidCACert = api.ErrInvalidCACert
