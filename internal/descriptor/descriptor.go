// Package descriptor holds the data behind the middleware package's
// descriptors. Interceptors receive a *middleware.Operation, which only
// reads this data (its identity through Spec, its outcome through methods);
// the engine, which cannot reach the unexported fields of another package,
// fills it through the accessors package middleware installs here when it
// is initialised. The accessors are set once, before any code of the module
// that imports middleware runs, and never change.
package descriptor

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// Op is one operation's data, owned by the engine.
type Op struct {
	// Identity (read-only to interceptors).
	ID           string
	ParentID     string
	Name         string
	Type         checkpoint.OperationType
	SubType      string
	ExecutionARN string
	// Attempt is the 1-based attempt of a step (0 for other operations).
	Attempt int
	// Replaying: the outcome comes from history (the engine's view).
	Replaying bool
	// Resumed: the service recorded the outcome while the execution was
	// suspended, so the code observes it for the first time in this
	// invocation; interceptors see such an operation as live.
	Resumed bool
	// StartTime is when the operation started.
	StartTime time.Time
	// AttemptStart and AttemptEnd bound the current attempt (attempt chain).
	AttemptStart time.Time
	AttemptEnd   time.Time

	// Outcome.
	Status  checkpoint.Status
	EndTime time.Time
	Result  any
	Payload string
	Err     error

	// State is the engine's per-call state.
	State any
}

// Accessors installed by package middleware (see the package comment). op
// is a *middleware.Operation, inv a *middleware.Invocation.
var (
	// Bind makes op describe d.
	Bind func(op any, d *Op)
	// Of returns the data op describes (nil for a descriptor the engine did
	// not create).
	Of func(op any) *Op
	// SetInvocationState attaches the engine's state to inv.
	SetInvocationState func(inv any, state any)
	// InvocationState returns the state attached to inv (nil if none).
	InvocationState func(inv any) any
)
