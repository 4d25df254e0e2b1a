package emulator

// The emulator's status table: what Immuta does with an integration in each status,
// as the contract describes it. It is written apart from the client's table
// (internal/client/status.go) on purpose, and shares no code with it: the
// acceptance test that walks every status (TestAccRedshiftIntegration_statusTable)
// cross-checks the two.
//
//	status                    PUT    DELETE  holds its host  leaves it by itself
//	creating                  409    409     yes             yes: enabled or createError
//	createError               409    yes     yes             no
//	enabled                   yes    yes     yes             no
//	editing                   409    409     yes             yes: enabled or editError
//	editError                 yes    yes     yes             no
//	deleting                  409    409     yes             yes: gone or deleteError
//	deleteError               yes    yes     yes             no
//	deleted                   409    409     no              yes: gone after the retention
//	disabled                  409    yes     yes             no
//	migrating                 409    409     yes             yes: enabled or migrateError
//	migrateError              409    yes     yes             no
//	recurringValidationError  yes    yes     yes             no
type lifecycleRow struct {
	editable  bool // PUT is accepted
	deletable bool // DELETE is accepted
}

var lifecycle = map[string]lifecycleRow{
	StatusCreating:                 {},
	StatusCreateError:              {deletable: true},
	StatusEnabled:                  {editable: true, deletable: true},
	StatusEditing:                  {},
	StatusEditError:                {editable: true, deletable: true},
	StatusDeleting:                 {},
	StatusDeleteError:              {editable: true, deletable: true},
	StatusDeleted:                  {},
	StatusDisabled:                 {deletable: true},
	StatusMigrating:                {},
	StatusMigrateError:             {deletable: true},
	StatusRecurringValidationError: {editable: true, deletable: true},
}

func editable(status string) bool  { return lifecycle[status].editable }
func deletable(status string) bool { return lifecycle[status].deletable }
