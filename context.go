package durable

import (
	"context"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable/internal/engine"
)

// Context is the durable context a workflow receives. It embeds
// context.Context, so it can be passed to any API that takes one (AWS SDK
// calls included). It is safe to use from several goroutines (its operation
// counter is atomic), but operation ids follow the order of calls: for
// concurrent durable work use the SDK's concurrency operations, which give
// each branch its own child context and let the SDK track its goroutine
// (see docs/determinism.md). Durable operations take it as their first
// argument.
//
// Context is sealed: only the SDK implements it.
type Context interface {
	context.Context
	// Logger returns a replay-aware logger: records logged while the
	// workflow replays recorded history are dropped (or marked replay=true
	// with WithShowReplayLogs). It carries executionArn and requestId.
	Logger() *slog.Logger
	// ExecutionARN returns the durable execution's ARN.
	ExecutionARN() string
	// IsReplaying reports whether the code is re-running operations recorded
	// by earlier invocations.
	IsReplaying() bool
	// InputPayload returns the execution's original input as recorded (a
	// JSON text, possibly empty).
	InputPayload() string

	engine() *engine.Context
}

// StepContext is what a step body receives. It offers no durable
// operations: a step is the unit of work that is checkpointed.
type StepContext interface {
	context.Context
	// Logger returns a logger with executionArn, requestId, operationId,
	// operationName, parentId and attempt.
	Logger() *slog.Logger
	// Attempt returns the 1-based attempt number.
	Attempt() int
	// OperationID returns the step's operation id.
	OperationID() string
}

// durableContext adapts the engine's context to Context. It holds the
// engine context in an unexported field instead of embedding it, so a type
// assertion on a Context finds only the methods listed above, never the
// engine's own (ids, abandonment, cancellation, seeds).
type durableContext struct{ c *engine.Context }

// Deadline implements context.Context.
func (d durableContext) Deadline() (time.Time, bool) { return d.c.Deadline() }

// Done implements context.Context.
func (d durableContext) Done() <-chan struct{} { return d.c.Done() }

// Err implements context.Context.
func (d durableContext) Err() error { return d.c.Err() }

// Value implements context.Context.
func (d durableContext) Value(key any) any { return d.c.Value(key) }

// Logger implements Context.
func (d durableContext) Logger() *slog.Logger { return d.c.Logger() }

// ExecutionARN implements Context.
func (d durableContext) ExecutionARN() string { return d.c.ExecutionARN() }

// IsReplaying implements Context.
func (d durableContext) IsReplaying() bool { return d.c.IsReplaying() }

// InputPayload implements Context.
func (d durableContext) InputPayload() string { return d.c.InputPayload() }

func (d durableContext) engine() *engine.Context { return d.c }

func wrap(c *engine.Context) Context { return durableContext{c} }
