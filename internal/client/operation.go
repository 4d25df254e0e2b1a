package client

// Operation names what a wait is waiting for, since the same status means different
// things after a create and after a delete.
type Operation string

// Operations understood by WaitForIntegration.
const (
	OpCreate Operation = "create"
	OpUpdate Operation = "update"
	OpDelete Operation = "delete"
)
