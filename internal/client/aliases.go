package client

import "github.com/immuta/terraform-provider-immuta/internal/client/api"

// The API layer's vocabulary (package api), re-exported so that the provider keeps
// importing one package and maps schema to these names. Aliases, not new types: a
// value of one is a value of the other.
type (
	ID                  = api.ID
	Status              = api.Status
	Payload             = api.Payload
	RedshiftConfig      = api.RedshiftConfig
	Impersonation       = api.Impersonation
	Integration         = api.Integration
	ValidationResults   = api.ValidationResults
	ValidationTest      = api.ValidationTest
	IntegrationStatus   = api.IntegrationStatus
	Credentials         = api.Credentials
	Error               = api.Error
	BadAnswerError      = api.BadAnswerError
	RedirectError       = api.RedirectError
	PermanentError      = api.PermanentError
	FailureKind         = api.FailureKind
	RequestTimeoutError = api.RequestTimeoutError
	RateLimitError      = api.RateLimitError
	Logger              = api.Logger
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

	LevelTrace    = api.LevelTrace
	LevelDebug    = api.LevelDebug
	LevelInfo     = api.LevelInfo
	LevelWarn     = api.LevelWarn
	LogMsgAttempt = api.LogMsgAttempt
	LogMsgBodies  = api.LogMsgBodies
	LogMsgWait    = api.LogMsgWait

	ScriptCreate        = api.ScriptCreate
	ScriptInitialCreate = api.ScriptInitialCreate
	ScriptEdit          = api.ScriptEdit
	ScriptDelete        = api.ScriptDelete
	ScriptCleanup       = api.ScriptCleanup
)

// Functions of the API layer the provider calls.
var (
	IsNotFound           = api.IsNotFound
	IsConflict           = api.IsConflict
	IsUnauthorized       = api.IsUnauthorized
	AsPermanent          = api.AsPermanent
	CheckCreated         = api.CheckCreated
	SecretForms          = api.SecretForms
	ScriptActions        = api.ScriptActions
	IsTransient          = api.IsTransient
	MayHaveReachedImmuta = api.MayHaveReachedImmuta
)

// ErrInvalidCACert: Config.CACertPEM holds no certificate that can be parsed.
var ErrInvalidCACert = api.ErrInvalidCACert
