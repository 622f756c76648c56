package durable

import (
	"context"
	"log/slog"

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

// durableContext adapts the engine's context to Context.
type durableContext struct{ *engine.Context }

func (c durableContext) engine() *engine.Context { return c.Context }

func wrap(c *engine.Context) Context { return durableContext{c} }
