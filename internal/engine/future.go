package engine

import (
	"sync"

	"github.com/lambda-durable/durable/checkpoint"
)

// Handle is an operation running on its own tracked goroutine whose outcome
// is a T: *Async[T] (steps, waits, callbacks, invokes) and *ChildAsync[T]
// (child contexts). The combinators wait on handles of any T through
// Awaitable.
type Handle[T any] interface {
	Awaitable
	// Get blocks until the operation ends and returns its outcome.
	Get() (T, error)
	// Cancel gives the operation up if it has not ended (see the
	// implementations) and reports whether anything was cancelled.
	Cancel() bool
	// Done reports whether the outcome is known.
	Done() bool
	// OperationID returns the operation's id ("" when it failed before
	// one was assigned).
	OperationID() string
}

// Awaitable is what the combinators need from a handle, whatever its T.
type Awaitable interface {
	execution() *Execution
	doneEvent() *Event
	outcomeErr() error
	cancel() bool
}

func (a *Async[T]) execution() *Execution { return a.exec }
func (a *Async[T]) doneEvent() *Event     { return a.done }
func (a *Async[T]) cancel() bool          { return a.Cancel() }

// outcomeErr returns the error of an ended operation (nil while running).
func (a *Async[T]) outcomeErr() error {
	if !a.done.Fired() {
		return nil
	}
	return a.err
}

// StepAsync is Step on its own goroutine: it returns once the step's id is
// assigned, and the handle's Get returns the step's outcome. A step cannot
// be cancelled: Cancel does nothing and the step runs to its outcome.
func StepAsync[T any](c *Context, name string, fn func(*StepContext) (T, error), o StepOptions) *Async[T] {
	if fn == nil {
		return failedAsync[T](c.exec, &ValidationError{Field: "step function", Message: "nil"})
	}
	s := newStep(c, name, fn, o)
	return goRun(c, &s.run, func() T { return s.out }, nil)
}

// CancelledErrorType is the ErrorType recorded for a child context closed
// by Cancel; its *ChildContextError matches ErrCancelled.
const CancelledErrorType = "Cancelled"

// Is makes the error of a child context closed by Cancel match
// ErrCancelled, live and on replay.
func (e *ChildContextError) Is(target error) bool {
	return target == ErrCancelled && e.Object.ErrorType == CancelledErrorType
}

// ChildAsync is a child context running on its own goroutine
// (RunInChildContextAsync).
type ChildAsync[T any] struct {
	*Async[T]
	run *childRun[T]

	mu        sync.Mutex
	child     *Context // set when the body starts
	cancelled error    // the outcome once cancelled
}

// RunInChildContextAsync is RunInChildContext on its own goroutine: it
// returns once the child context has started (or has been replayed), and
// the handle's Get returns its outcome.
func RunInChildContextAsync[T any](c *Context, name string, fn func(*Context) (T, error), o ChildOptions) *ChildAsync[T] {
	if fn == nil {
		return &ChildAsync[T]{Async: failedAsync[T](c.exec, &ValidationError{Field: "child context function", Message: "nil"})}
	}
	h := &ChildAsync[T]{}
	h.run = newChild(name, func(child *Context) (T, error) {
		h.mu.Lock()
		h.child = child
		h.mu.Unlock()
		h.run.markStarted()
		return fn(child)
	}, o)
	h.Async = goRun(c, &h.run.run, func() T { return h.run.out }, nil)
	return h
}

// Get blocks until the child context ends and returns its outcome; after
// Cancel it returns at once a *ChildContextError matching ErrCancelled.
func (h *ChildAsync[T]) Get() (T, error) {
	h.mu.Lock()
	err := h.cancelled
	h.mu.Unlock()
	if err != nil {
		var zero T
		return zero, err
	}
	return h.Async.Get()
}

// outcomeErr returns the error once ended or cancelled.
func (h *ChildAsync[T]) outcomeErr() error {
	h.mu.Lock()
	err := h.cancelled
	h.mu.Unlock()
	if err != nil {
		return err
	}
	return h.Async.outcomeErr()
}

func (h *ChildAsync[T]) cancel() bool { return h.Cancel() }

// Cancel gives up a child context that has not ended: the context refuses
// every further update, its open waits, callbacks and invokes are closed
// with CANCEL, and it is recorded FAILED with ErrorType "Cancelled" (so a
// replay sees the same outcome). Its goroutine may still run until its next
// durable operation. It reports whether the context was cancelled.
func (h *ChildAsync[T]) Cancel() bool {
	e := h.exec
	e.enqMu.Lock()
	h.mu.Lock()
	child := h.child
	ok := child != nil && h.cancelled == nil && !child.closedChain() && !h.done.Fired()
	if ok {
		child.closed.Store(true) // its own completion is refused from now on
	}
	h.mu.Unlock()
	e.enqMu.Unlock()
	if !ok {
		return false
	}
	child.CancelPending()

	obj := checkpoint.ErrorObject{ErrorType: CancelledErrorType, ErrorMessage: "child context cancelled"}
	u := h.run.update(checkpoint.ActionFail)
	u.Error = &obj
	e.enqMu.Lock()
	err := e.cp.Enqueue(u)
	e.enqMu.Unlock()
	if err != nil {
		e.checkpointFailed(err)
	}
	e.commit(e.ctx)
	h.mu.Lock()
	h.cancelled = &ChildContextError{OperationID: h.run.op.ID, Name: h.run.op.Name, Object: obj}
	h.mu.Unlock()
	// The handle is over now: wake whoever waits on it. Every read of the
	// outcome checks h.cancelled first, so the goroutine that still runs
	// never races with them.
	h.done.Fire()
	return true
}

// Handle returns the callback's outcome as a handle, for the combinators
// (its Get and the handle's Get return the same outcome).
func (cb *Callback[T]) Handle() Handle[T] { return cb.async }

// FailedHandle returns a handle of c's invocation that has already ended
// with err (an invalid call detected before the operation started).
func FailedHandle[T any](c *Context, err error) Handle[T] { return failedAsync[T](c.exec, err) }
