package durable

import (
	"time"

	"github.com/lambda-durable/durable/internal/engine"
)

// Step runs fn as a durable step named name ("" for an unnamed step). Once
// it succeeds its result is checkpointed and later invocations return the
// recorded result without running fn again. A failed attempt goes to the
// retry strategy (WithRetry; default retry.Default()): a retry is
// checkpointed with its delay and the invocation may suspend until it is
// due; when retries are exhausted the step fails with a *StepError, also on
// replay.
//
// By default a step is at-least-once per retry (an attempt interrupted by a
// crash runs again); WithAtMostOncePerRetry changes that.
func Step[T any](ctx Context, name string, fn func(StepContext) (T, error), opts ...StepOption) (T, error) {
	var o engine.StepOptions
	if len(opts) > 0 {
		o = stepOptions(opts)
	}
	return engine.StepFunc(ctx.engine(), name, fn, o)
}

// stepOptions applies a step's options (apart from Step so that, without
// options, no options value escapes to the heap).
func stepOptions(opts []StepOption) engine.StepOptions {
	var o engine.StepOptions
	for _, opt := range opts {
		if opt != nil {
			opt.applyStep(&o)
		}
	}
	return o
}

// stepArgs adapts a step's body and options to the engine's.
func stepArgs[T any](fn func(StepContext) (T, error), opts []StepOption) (func(*engine.StepContext) (T, error), engine.StepOptions) {
	o := stepOptions(opts)
	var body func(*engine.StepContext) (T, error)
	if fn != nil {
		body = func(sc *engine.StepContext) (T, error) { return fn(sc) }
	}
	return body, o
}

// Wait pauses the workflow durably for d (whole seconds, from 1 s to 366
// days; anything else is a *ValidationError and nothing is checkpointed).
// The invocation suspends while the service's timer runs.
func Wait(ctx Context, name string, d time.Duration) error {
	return engine.Wait(ctx.engine(), name, d)
}

// RunInChildContext runs fn in an isolated child context whose operation ids
// are prefixed by its own. Its result is checkpointed: results over the
// payload limit (256 KiB by default) are checkpointed with ReplayChildren and
// rebuilt on replay by re-running fn over its children's recorded results.
// An error from fn fails the child context and is returned as a
// *ChildContextError (equal on replay).
func RunInChildContext[T any](ctx Context, name string, fn func(Context) (T, error), opts ...ChildOption) (T, error) {
	body, o := childArgs(fn, opts)
	return engine.RunInChildContext(ctx.engine(), name, body, o)
}

// childArgs adapts a child context's body and options to the engine's.
func childArgs[T any](fn func(Context) (T, error), opts []ChildOption) (func(*engine.Context) (T, error), engine.ChildOptions) {
	var o engine.ChildOptions
	for _, opt := range opts {
		if opt != nil {
			opt.applyChild(&o)
		}
	}
	var body func(*engine.Context) (T, error)
	if fn != nil {
		body = func(c *engine.Context) (T, error) { return fn(wrap(c)) }
	}
	return body, o
}
