package engine

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// Asynchronous operations. An operation can run on its own tracked goroutine
// while the code that started it goes on (a callback whose Get is asked
// for later, a future). Ids must stay deterministic and the updates keep the
// order of the code, so the starter blocks until the operation has started:
// its id is assigned and its START is queued (the kind calls markStarted
// right before blocking on the service), or it has already ended (replayed,
// failed validation). The whole operation, from start to outcome, still runs
// through the operation chain on that goroutine.

// markStarted tells the code that started r asynchronously that r has
// started (it does nothing more for an operation run synchronously), and
// notes the scope of a wait, callback or invoke about to block so that
// CancelPending finds it.
func (r *run) markStarted() {
	if cancellableType(r.op.Type) {
		r.scope.exec.noteScope(r.op.ID, r.scope)
	}
	if r.started != nil {
		r.started.Fire()
	}
}

// Async is a handle on an operation running on its own tracked goroutine,
// started without blocking: a callback, a chained invoke, a wait, a step.
// Its methods are safe for concurrent use.
type Async[T any] struct {
	exec *Execution
	id   string
	done *Event
	val  T
	err  error
}

// goRun starts r (kind, type, subtype and name set) on a new tracked
// goroutine and returns once r has started. value is called on that
// goroutine after a successful run and gives the handle's value. before, if
// not nil, runs on the goroutine right after the chain returns and before
// the starter resumes when the operation did not signal its start itself
// (replayed or failed early).
func goRun[T any](c *Context, r *run, value func() T, before func()) *Async[T] {
	e := c.exec
	a := &Async[T]{exec: e}
	r.started = e.NewEvent()
	a.done = e.Go(func() {
		defer r.started.Fire()
		err := c.run(r)
		if before != nil && !r.started.Fired() {
			before()
		}
		if err == nil {
			a.val = value()
		}
		a.err = err
	})
	r.started.Wait()
	a.id = r.op.ID
	return a
}

// OperationID returns the operation's id ("" if it failed before one was
// assigned, e.g. a validation error).
func (a *Async[T]) OperationID() string { return a.id }

// Done reports whether the operation has ended in this invocation.
func (a *Async[T]) Done() bool { return a.done.Fired() }

// Get blocks until the operation ends and returns its value and error. If
// the invocation suspends meanwhile, the calling goroutine exits like any
// durable code blocked on the service.
func (a *Async[T]) Get() (T, error) {
	a.done.Wait()
	return a.val, a.err
}

// Cancel closes the operation with CANCEL if it is a wait, callback or
// chained invoke the service still has as started; Get then returns its
// cancelled outcome. It reports whether a CANCEL was sent.
func (a *Async[T]) Cancel() bool {
	if a.id == "" {
		return false
	}
	return a.exec.CancelOperation(a.id)
}

// WaitAsync is Wait on its own goroutine: it returns once the wait has
// started, and the handle's Get returns when the wait is over (or
// ErrWaitCancelled after Cancel).
func WaitAsync(c *Context, name string, d time.Duration) *Async[struct{}] {
	w, err := newWait(name, d)
	if err != nil {
		return failedAsync[struct{}](c.exec, err)
	}
	return goRun(c, &w.run, func() struct{} { return struct{}{} }, nil)
}

// failedAsync returns a handle that has already ended with err.
func failedAsync[T any](e *Execution, err error) *Async[T] {
	a := &Async[T]{exec: e, done: e.NewEvent(), err: err}
	a.done.Fire()
	return a
}

// awaitOutcome signals that r has started, blocks until the service
// completes it (a callback answered, a chained invoke done), records its
// final status and, on success, decodes its result into dest. A result that
// cannot be decoded ends the execution (as it would on replay). It returns
// false and the recorded error (possibly nil) when r did not succeed.
func awaitOutcome(r *run, dest any) (*checkpoint.ErrorObject, bool) {
	e := r.scope.exec
	r.markStarted()
	rec := e.awaitOp(r.op.ID)
	r.rec = rec
	r.op.Status = rec.Status
	r.op.EndTime = rec.EndTimestamp.Time
	payload, obj := recordedOutcome(rec)
	if rec.Status != checkpoint.StatusSucceeded {
		return obj, false
	}
	r.op.Payload = payload
	if err := r.serdes.Deserialize(r.serdesContext(), payload, dest); err != nil {
		e.abort(asSerdesError(err, r.op.ID, serdes.OpDeserialize))
	}
	return nil, true
}
