package middleware

import (
	"context"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// Operation describes one durable operation as it flows through the
// pipeline. The engine fills the identity fields (ID, ParentID, Name, Type,
// SubType, ExecutionARN) and the replay state before the chain runs; Status,
// EndTime, Result, Payload and Err are set when the next handler returns.
//
// The same descriptor is passed to the attempt chain of a step, with Attempt
// set to the attempt being run.
type Operation struct {
	// ID is the deterministic operation id ("1", "2-1", ...).
	ID string
	// ParentID is the id of the enclosing child context, empty at top level.
	ParentID string
	// Name is the user-supplied name, empty for unnamed operations.
	Name string
	// Type is the service's operation type (STEP, WAIT, CONTEXT, ...).
	Type checkpoint.OperationType
	// SubType is the SDK-level kind (Step, Wait, RunInChildContext, ...).
	SubType string
	// ExecutionARN is the durable execution's ARN.
	ExecutionARN string

	// Attempt is the 1-based attempt number of a step (0 for operations
	// without attempts).
	Attempt int
	// Replaying is true when the operation's outcome comes from recorded
	// history instead of running its code.
	Replaying bool
	// Status is the operation's status: as recorded before the chain runs
	// (empty for a new operation), the final one after next returns.
	Status checkpoint.Status
	// StartTime is when the operation started (recorded time on replay).
	StartTime time.Time
	// EndTime is when the operation ended (zero while it runs or if it has
	// not ended in this invocation).
	EndTime time.Time

	// Result is the operation's Go value after next returns (nil for
	// operations without one, and on failure).
	Result any
	// Payload is the serialized result as the service stores it.
	Payload string
	// Err is the operation's error after next returns.
	Err error
}

// Handler runs an operation (or, in the attempt chain, one attempt).
type Handler func(ctx context.Context, op *Operation) error

// Middleware wraps a Handler. It may act before and after calling next, read
// and modify op, and must return next's error unless it deliberately
// replaces it. A middleware must not retain op after it returns.
type Middleware func(next Handler) Handler

// Chain composes middlewares so that the first is the outermost. Compose
// once (for example when a handler is built) and reuse the result: calling
// the composed handler allocates nothing by itself. Nil entries are skipped.
func Chain(mws ...Middleware) Middleware {
	mws = append([]Middleware(nil), mws...)
	return func(next Handler) Handler {
		for i := len(mws) - 1; i >= 0; i-- {
			if mws[i] != nil {
				next = mws[i](next)
			}
		}
		return next
	}
}
