package durable

import (
	"time"

	"github.com/lambda-durable/durable/internal/engine"
)

// Future is a durable operation running on its own goroutine while the
// workflow goes on: StepAsync, RunInChildContextAsync, WaitAsync,
// InvokeAsync, WaitForCallbackAsync, WaitForConditionAsync, CallbackFuture. Get waits for its outcome (the invocation
// suspends meanwhile if nothing else can progress, and a later invocation
// resumes there). The combinators All, AllSettled, Race and Any wait on
// several futures and record their decision durably.
//
// Futures are started and awaited from workflow code (the workflow or a
// child context, map item or parallel branch); their methods are safe for
// concurrent use.
type Future[T any] struct{ h engine.Handle[T] }

// Get blocks until the operation ends and returns its outcome: the same
// value or error that the synchronous operation returns, live and on
// replay.
func (f *Future[T]) Get() (T, error) { return f.h.Get() }

// Done reports whether the outcome is known (Get will not block).
func (f *Future[T]) Done() bool { return f.h.Done() }

// OperationID returns the operation's id ("" if it failed before one was
// assigned, e.g. a validation error).
func (f *Future[T]) OperationID() string { return f.h.OperationID() }

// Cancel gives the operation up if it has not ended, and reports whether
// anything was cancelled:
//   - a wait, callback or invoke is closed with CANCEL; Get returns
//     ErrWaitCancelled (waits) or an error matching ErrCancelled;
//   - a child context refuses every further update, its open waits,
//     callbacks and invokes are cancelled and it is recorded FAILED; Get
//     returns a *ChildContextError matching ErrCancelled;
//   - a step or wait-for-condition cannot be cancelled: it runs to its
//     outcome and Cancel returns false.
//
// A replay sees the cancelled outcome. An operation that completed at the
// service before the CANCEL arrived keeps its real outcome: Cancel returns
// false and Get returns that outcome, as a replay will.
func (f *Future[T]) Cancel() bool { return f.h.Cancel() }

// Untyped returns a future of the same operation whose value is an any, so
// that futures of different types can be combined (Race a callback against
// a wait, for example).
func (f *Future[T]) Untyped() *Future[any] { return &Future[any]{h: untyped[T]{f.h}} }

type untyped[T any] struct{ engine.Handle[T] }

func (u untyped[T]) Get() (any, error) {
	v, err := u.Handle.Get()
	if err != nil {
		return nil, err
	}
	return v, nil
}

// StepAsync is Step on its own goroutine: it returns as soon as the step has
// its id, and the future's Get returns what Step would.
func StepAsync[T any](ctx Context, name string, fn func(StepContext) (T, error), opts ...StepOption) *Future[T] {
	body, o := stepArgs(fn, opts)
	return &Future[T]{h: engine.StepAsync(ctx.engine(), name, body, o)}
}

// RunInChildContextAsync is RunInChildContext on its own goroutine: it
// returns once the child context has started, and the future's Get returns
// what RunInChildContext would. Cancel abandons the child context.
func RunInChildContextAsync[T any](ctx Context, name string, fn func(Context) (T, error), opts ...ChildOption) *Future[T] {
	body, o := childArgs(fn, opts)
	return &Future[T]{h: engine.RunInChildContextAsync(ctx.engine(), name, body, o)}
}

// WaitAsync is Wait on its own goroutine: it returns once the wait has
// started; Get returns when it is over (ErrWaitCancelled after Cancel). A
// WaitAsync raced against other futures makes a durable timeout.
func WaitAsync(ctx Context, name string, d time.Duration) *Future[struct{}] {
	return &Future[struct{}]{h: engine.WaitAsync(ctx.engine(), name, d)}
}

// InvokeAsync is Invoke on its own goroutine: it returns once the invoke has
// started, and Get returns what Invoke would. Cancel closes the invoke with
// CANCEL (Get then returns an *InvokeError matching ErrCancelled).
func InvokeAsync[O any](ctx Context, name, functionName string, input any, opts ...InvokeOption) *Future[O] {
	return &Future[O]{h: engine.InvokeAsync[O](ctx.engine(), name, functionName, input, invokeOptions(opts))}
}

// CallbackFuture returns the outcome of cb as a future (its Get returns
// what cb.Get returns), so a callback can be combined with other futures.
func CallbackFuture[T any](cb *Callback[T]) *Future[T] { return &Future[T]{h: cb.Handle()} }
