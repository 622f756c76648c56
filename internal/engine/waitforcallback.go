package engine

import (
	"errors"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// WaitForCallbackOptions configures WaitForCallback.
type WaitForCallbackOptions struct {
	// Callback configures the callback: timeouts, and the serdes that
	// decodes the result (see CallbackOptions.Serdes for the default).
	Callback CallbackOptions
	// Submitter configures the step that runs the submitter (retry
	// strategy, at-most-once); its Serdes and SubType are ignored.
	Submitter StepOptions
}

// WaitForCallback creates a callback and hands its id to submit, run as a
// step (retried per o.Submitter), then waits for the answer. It is recorded
// as a CONTEXT (subtype WaitForCallback) holding the callback and the
// submitter step (named after it, see childName); the context stores the
// answer as sent and the result is decoded from it, live and on replay alike.
//
// Its failures are rebuilt from the context's recorded error so that live
// and replayed runs agree: a *CallbackTimeoutError for a timeout, a
// *CallbackError otherwise (an external failure, a cancellation, or the
// submitter's error when its retries are exhausted).
func WaitForCallback[T any](c *Context, name string, submit func(sc *StepContext, callbackID string) error, o WaitForCallbackOptions) (T, error) {
	w, err := newWaitForCallback[T](c, name, submit, o)
	if err != nil {
		var zero T
		return zero, err
	}
	raw, err := RunInChildContext(c, name, w.body, w.child)
	return w.outcome(raw, err)
}

// WaitForCallbackAsync is WaitForCallback on its own goroutine: it returns
// once the wait-for-callback context has started, and the handle's Get
// returns what WaitForCallback would. Cancel abandons the context (see
// ChildAsync.Cancel): its callback is closed with CANCEL and Get returns a
// *CallbackError matching ErrCancelled.
func WaitForCallbackAsync[T any](c *Context, name string, submit func(sc *StepContext, callbackID string) error, o WaitForCallbackOptions) Handle[T] {
	w, err := newWaitForCallback[T](c, name, submit, o)
	if err != nil {
		return failedAsync[T](c.exec, err)
	}
	return &waitForCallbackAsync[T]{ChildAsync: RunInChildContextAsync(c, name, w.body, w.child), w: w}
}

// waitForCallback is one WaitForCallback call: the child context's body and
// options, and how its raw outcome becomes the caller's.
type waitForCallback[T any] struct {
	exec  *Execution
	body  func(*Context) (string, error)
	child ChildOptions
	sd    serdes.Deserializer
}

func newWaitForCallback[T any](c *Context, name string, submit func(sc *StepContext, callbackID string) error, o WaitForCallbackOptions) (*waitForCallback[T], error) {
	if submit == nil {
		return nil, &ValidationError{Field: "submitter function", Message: "nil"}
	}
	if _, err := o.Callback.validate(); err != nil {
		return nil, err
	}
	cbOpts := o.Callback
	cbOpts.Serdes = serdes.Raw{}
	stepOpts := o.Submitter
	stepOpts.Serdes, stepOpts.SubType = nil, ""
	w := &waitForCallback[T]{exec: c.exec, sd: o.Callback.Serdes,
		child: ChildOptions{SubType: checkpoint.SubTypeWaitForCallback, Serdes: serdes.Raw{}}}
	if w.sd == nil {
		if raw := rawSerdesFor[T](); raw != nil {
			w.sd = raw
		} else {
			w.sd = c.exec.en.cfg.Serdes
		}
	}
	w.body = func(cc *Context) (string, error) {
		cb, err := CreateCallback[string](cc, childName(name, "callback"), cbOpts)
		if err != nil {
			return "", err
		}
		_, err = Step(cc, childName(name, "submitter"), func(sc *StepContext) (struct{}, error) {
			return struct{}{}, submit(sc, cb.ID())
		}, stepOpts)
		if err != nil {
			return "", err
		}
		return cb.Get()
	}
	return w, nil
}

// childName names a child of the wait-for-callback context called name:
// "<name>-callback" and "<name>-submitter", as AWS's Java and JavaScript SDKs
// do, so that traces and histories show which wait-for-callback a callback
// or submitter belongs to. The children of an unnamed one stay unnamed; a
// name too long for the suffix is cut to keep within the 256-character limit.
func childName(name, role string) string {
	if name == "" {
		return ""
	}
	if limit := maxNameLength - len(role) - 1; len(name) > limit {
		name = name[:limit]
	}
	return name + "-" + role
}

// outcome turns the child context's outcome into WaitForCallback's: the
// answer decoded, or the failure rebuilt from the recorded error.
func (w *waitForCallback[T]) outcome(raw string, err error) (T, error) {
	var out T
	if err != nil {
		var ce *ChildContextError
		if errors.As(err, &ce) {
			return out, callbackFailureOf(ce.OperationID, ce.Name, ce.Object)
		}
		return out, err
	}
	if err := w.sd.Deserialize(serdes.Context{ExecutionARN: w.exec.arn}, raw, &out); err != nil {
		w.exec.abort(asSerdesError(err, "", serdes.OpDeserialize))
	}
	return out, nil
}

// waitForCallbackAsync is the handle of WaitForCallbackAsync: the child
// context's handle, whose outcome Get converts.
type waitForCallbackAsync[T any] struct {
	*ChildAsync[string]
	w *waitForCallback[T]
}

// Get blocks until the operation ends and returns what WaitForCallback
// would.
func (h *waitForCallbackAsync[T]) Get() (T, error) { return h.w.outcome(h.ChildAsync.Get()) }
