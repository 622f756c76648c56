package plugin

import "context"

// Plugin is a set of lifecycle hooks. Every hook is optional: leave the
// ones you do not need nil. Hooks receive copies of the information, run
// synchronously on the goroutine that reached the lifecycle point, and never
// run concurrently with another hook of the same installation (Install), so
// a plugin may keep unsynchronized state between its own hooks.
//
// A hook that returns an error or panics is reported to the installation's
// logger and otherwise ignored: the execution's outcome, its history and the
// other hooks are unaffected. A hook must not block for long: it delays the
// code (or the checkpoint) that reached it.
type Plugin struct {
	// Name identifies the plugin in failure reports (optional).
	Name string

	// InvocationStart runs when an invocation begins, before any workflow
	// code runs.
	InvocationStart func(ctx context.Context, info InvocationInfo) error
	// InvocationEnd runs when the invocation's outcome is final: SUCCEEDED
	// or FAILED when the execution ended, PENDING when it suspended.
	InvocationEnd func(ctx context.Context, info InvocationInfo) error

	// OperationStart runs when the code reaches an operation that is new
	// (IsReplay false) or was left unfinished by an earlier invocation
	// (IsReplay true: a wait still running, a step waiting to retry, a
	// branch that suspended). An operation that had already ended before
	// this invocation does not start again.
	OperationStart func(ctx context.Context, info OperationInfo) error
	// OperationEnd runs once per operation over the whole execution, when
	// its terminal status (SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED)
	// is first observed: when it ends in this invocation, or, for an
	// operation the service completed while the execution was suspended (a
	// wait, a callback, a chained invoke), when the replay reaches it. A
	// step waiting to retry has not ended.
	OperationEnd func(ctx context.Context, info OperationInfo) error

	// AttemptStart runs before each live run of user code of an operation:
	// every attempt of a step (Attempt >= 1; wait-for-condition polls are
	// attempts) and every run of a child context's function (Type CONTEXT,
	// Attempt 0; IsReplayingChildren tells whether its recorded children
	// replay).
	AttemptStart func(ctx context.Context, info AttemptInfo) error
	// AttemptEnd runs after such a run returns; Status is the run's own
	// outcome (SUCCEEDED or FAILED), not the operation's: a failed attempt
	// may be retried. A run cut short by a suspension does not end.
	AttemptEnd func(ctx context.Context, info AttemptInfo) error

	// InvocationContext, when set, derives the context the invocation's
	// workflow code runs with. It is called right after InvocationStart,
	// with the same info; the context it returns (which must descend from
	// ctx) reaches the workflow function, every hook of the invocation after
	// it, InvocationEnd included, and the loggers the SDK builds there. Use
	// it to carry a plugin's per-invocation values, such as the active trace
	// span and the log attributes of logging.ContextWithAttrs.
	InvocationContext func(ctx context.Context, info InvocationInfo) context.Context
	// AttemptContext, when set, derives the context one run of user code
	// runs with (a step attempt, or a child context's function). It is
	// called right after AttemptStart, with the same info, and the context
	// it returns (which must descend from ctx) is the one the run receives.
	AttemptContext func(ctx context.Context, info AttemptInfo) context.Context

	// OperationChange runs for each checkpoint response that carries
	// updated operations (those the request touched and those the service
	// changed meanwhile), with the execution's operations as now known.
	OperationChange func(ctx context.Context, info ChangeInfo) error
}

// Hook names, as used in failure reports.
const (
	HookInvocationStart   = "InvocationStart"
	HookInvocationEnd     = "InvocationEnd"
	HookOperationStart    = "OperationStart"
	HookOperationEnd      = "OperationEnd"
	HookAttemptStart      = "AttemptStart"
	HookAttemptEnd        = "AttemptEnd"
	HookOperationChange   = "OperationChange"
	HookInvocationContext = "InvocationContext"
	HookAttemptContext    = "AttemptContext"
)
