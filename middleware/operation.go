package middleware

import (
	"context"
	"errors"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/descriptor"
)

// ErrSuspended is the error next returns when the invocation suspends while
// the operation waits for the service (a wait's timer, a callback's answer,
// a chained invoke, a step's scheduled retry, or anything inside a child
// context waiting for one of those). The operation has not ended: Status
// reports where it stands (STARTED or PENDING) and a later invocation
// resumes it. An interceptor may act on it (log, end a span) and should
// return it; whatever it returns, the SDK parks the operation's goroutine
// once the interceptor returns, so no workflow code runs past the
// suspension point and replay is unaffected.
var ErrSuspended = errors.New("durable: the invocation suspended while the operation waits for the service")

// ErrMisuse is wrapped by the error an operation returns when an
// interceptor broke the contract of Middleware: it passed next a descriptor
// the SDK did not create, called next twice, or returned nil without
// calling it.
var ErrMisuse = errors.New("a middleware broke the interception contract")

// Spec is an operation's identity: what it is, not how it went. The engine
// sets it before the chain runs; an interceptor reads it with
// Operation.Spec, which returns a copy, so the identity recorded in the
// history cannot be changed by an interceptor.
type Spec struct {
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
	// without attempts). In the attempt chain it is the attempt being run.
	Attempt int
	// Replaying is true when the operation's outcome was observed by an
	// earlier invocation and now comes from recorded history instead of
	// running its code. An operation the service completed while the
	// execution was suspended (a wait that elapsed, a callback answered) is
	// not replaying in the invocation that first observes its outcome.
	Replaying bool
	// StartTime is when the operation started (recorded time on replay).
	StartTime time.Time
}

// Operation describes one durable operation as it flows through the
// pipeline. Its identity (Spec) is read-only; its outcome (Status,
// EndTime, Result, Payload, Err) is set by the SDK's stages and read with
// methods. An interceptor changes the outcome only through the error it
// returns (see Middleware).
//
// The same descriptor is passed to the attempt chain of a step, where
// Spec().Attempt is the attempt being run and AttemptStart / AttemptEnd
// bound it.
type Operation struct {
	d *descriptor.Op
}

func init() {
	descriptor.Bind = func(op any, d *descriptor.Op) { op.(*Operation).d = d }
	descriptor.Of = func(op any) *descriptor.Op {
		if o, _ := op.(*Operation); o != nil {
			return o.d
		}
		return nil
	}
	descriptor.SetInvocationState = func(inv any, state any) { inv.(*Invocation).state = state }
	descriptor.InvocationState = func(inv any) any {
		if i, _ := inv.(*Invocation); i != nil {
			return i.state
		}
		return nil
	}
}

// data returns the descriptor's data (an empty one for a zero Operation).
func (o *Operation) data() *descriptor.Op {
	if o == nil || o.d == nil {
		return &descriptor.Op{}
	}
	return o.d
}

// Spec returns a copy of the operation's identity.
func (o *Operation) Spec() Spec {
	d := o.data()
	return Spec{
		ID: d.ID, ParentID: d.ParentID, Name: d.Name, Type: d.Type, SubType: d.SubType,
		ExecutionARN: d.ExecutionARN, Attempt: d.Attempt, Replaying: d.Replaying && !d.Resumed,
		StartTime: d.StartTime,
	}
}

// Status is the operation's status: as recorded before the chain runs
// (empty for a new operation); after next returns, the final one, or
// STARTED / PENDING when next returned ErrSuspended. In the attempt chain,
// it is STARTED while the attempt runs.
func (o *Operation) Status() checkpoint.Status { return o.data().Status }

// EndTime is when the operation ended (zero while it runs, and if it has
// not ended in this invocation).
func (o *Operation) EndTime() time.Time { return o.data().EndTime }

// AttemptStart is when the attempt being run started (attempt chain only;
// zero in the operation chain).
func (o *Operation) AttemptStart() time.Time { return o.data().AttemptStart }

// AttemptEnd is when the attempt being run ended (attempt chain, after next
// returns; zero otherwise).
func (o *Operation) AttemptEnd() time.Time { return o.data().AttemptEnd }

// Result is the operation's Go value after next returns (nil for
// operations without one, and on failure).
func (o *Operation) Result() any { return o.data().Result }

// Payload is the serialized result as the service stores it.
func (o *Operation) Payload() string { return o.data().Payload }

// Err is the operation's error as the SDK's stages set it (ErrSuspended
// when the invocation suspended while the operation waits).
func (o *Operation) Err() error { return o.data().Err }

// Suspended reports whether the invocation suspended while the operation
// waits for the service (next returned ErrSuspended).
func (o *Operation) Suspended() bool { return o.data().Err == ErrSuspended }

// Handler runs an operation (or, in the attempt chain, one attempt).
type Handler func(ctx context.Context, op *Operation) error

// Middleware wraps a Handler. The contract:
//
//   - Read: op.Spec() (identity, attempt, replay state, start time) and the
//     outcome methods; they are set by the SDK, never by an interceptor.
//   - Pass on: call next at most once, with op and any context. The SDK
//     keeps its own state with op, not in the context, so a context that
//     does not descend from the one received (context.Background(),
//     context.WithoutCancel(...)) works; values and deadlines added to it
//     reach the step body (attempt chain) or the operation's code. A nil
//     context is replaced by the one received.
//   - Change: the error returned. In the attempt chain it is what the
//     retry strategy decides on and what is checkpointed (wrap or replace a
//     failure, or fail a successful attempt); in the operation chain it is
//     what the workflow receives. An interceptor cannot turn a failure into
//     a success (a nil return for a failed operation or attempt is ignored)
//     nor hide a suspension (see ErrSuspended).
//   - Not calling next skips the operation and must return an error
//     (returning nil is reported as an error to the workflow).
//   - A middleware must not retain op after it returns.
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
