package durable

import (
	"time"

	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/serdes"
)

// Callback is a callback created by CreateCallback. ID returns the id an
// external system answers with (SendDurableExecutionCallbackSuccess,
// ...Failure, ...Heartbeat); Get blocks, suspending the invocation if
// needed, until the answer arrives; Cancel closes a callback that is no
// longer needed. Its methods are safe for concurrent use.
type Callback[T any] = engine.Callback[T]

// Callback and invoke errors. Live and replayed runs return equal errors.
type (
	// CallbackError is a callback the external system failed (Status
	// FAILED, Object is the error it sent) or that was cancelled (Status
	// CANCELLED, matches ErrCancelled).
	CallbackError = engine.CallbackError
	// CallbackTimeoutError is a callback that timed out; Heartbeat tells
	// the heartbeat timeout from the overall one.
	CallbackTimeoutError = engine.CallbackTimeoutError
)

// The ErrorType values of a timed-out callback's recorded error.
const (
	ErrorTypeCallbackTimeout   = engine.ErrorTypeCallbackTimeout
	ErrorTypeCallbackHeartbeat = engine.ErrorTypeCallbackHeartbeat
)

// ErrCancelled is matched (errors.Is) by the error of every operation that
// was closed with CANCEL: callbacks, invokes, child contexts and waits
// (whose ErrWaitCancelled wraps it).
var ErrCancelled = engine.ErrCancelled

// CallbackOption configures CreateCallback.
type CallbackOption interface{ applyCallback(*engine.CallbackOptions) }

// WaitForCallbackOption configures WaitForCallback (and
// WaitForCallbackAsync).
type WaitForCallbackOption interface {
	applyWaitForCallback(*engine.WaitForCallbackOptions)
}

// CallbackTimeoutOption is the result of WithCallbackTimeout and
// WithHeartbeatTimeout: a CallbackOption and a WaitForCallbackOption.
type CallbackTimeoutOption struct{ set func(*engine.CallbackOptions) }

func (o CallbackTimeoutOption) applyCallback(c *engine.CallbackOptions) { o.set(c) }
func (o CallbackTimeoutOption) applyWaitForCallback(w *engine.WaitForCallbackOptions) {
	o.set(&w.Callback)
}

// WithCallbackTimeout bounds how long the external system has to answer
// (whole seconds; default: no timeout). When it elapses the callback fails
// with a *CallbackTimeoutError.
func WithCallbackTimeout(d time.Duration) CallbackTimeoutOption {
	return CallbackTimeoutOption{func(o *engine.CallbackOptions) { o.Timeout = d }}
}

// WithHeartbeatTimeout requires a heartbeat from the external system at
// least every d (whole seconds; default: none). When none arrives in time
// the callback fails with a *CallbackTimeoutError whose Heartbeat is true.
func WithHeartbeatTimeout(d time.Duration) CallbackTimeoutOption {
	return CallbackTimeoutOption{func(o *engine.CallbackOptions) { o.HeartbeatTimeout = d }}
}

// ResultSerdesOption is WithResultSerdes's result: an InvokeOption, a
// CallbackOption and a WaitForCallbackOption.
type ResultSerdesOption struct{ d serdes.Deserializer }

func (o ResultSerdesOption) applyInvoke(i *engine.InvokeOptions)     { i.ResultSerdes = o.d }
func (o ResultSerdesOption) applyCallback(c *engine.CallbackOptions) { c.Serdes = o.d }
func (o ResultSerdesOption) applyWaitForCallback(w *engine.WaitForCallbackOptions) {
	w.Callback.Serdes = o.d
}

// WithResultSerdes decodes the result of an invoke or a callback with d.
// Those results are only ever decoded, so d needs only a Deserialize
// method. Default: for a callback, the answer as sent for a string, []byte
// or any result (serdes.Raw) and the handler's serdes otherwise; for an
// invoke, the handler's serdes. An empty callback result decodes to the
// zero value with either default.
func WithResultSerdes(d serdes.Deserializer) ResultSerdesOption { return ResultSerdesOption{d} }

type waitForCallbackOption func(*engine.WaitForCallbackOptions)

func (f waitForCallbackOption) applyWaitForCallback(o *engine.WaitForCallbackOptions) { f(o) }

// WithSubmitterOptions configures the step that runs WaitForCallback's
// submitter, e.g. WithSubmitterOptions(WithRetry(retry.Fixed(3,
// 2*time.Second))). Its serdes and subtype options are ignored.
func WithSubmitterOptions(opts ...StepOption) WaitForCallbackOption {
	return waitForCallbackOption(func(o *engine.WaitForCallbackOptions) {
		apply(opts, func(opt StepOption) { opt.applyStep(&o.Submitter) })
	})
}

// CreateCallback creates a durable callback named name ("" for unnamed).
// When it returns, the callback is recorded and ID can be handed to an
// external system; call Get to wait for the answer. The result is the
// answer as sent for a string, []byte or any T (serdes.Raw), and decoded
// with the handler's serdes (JSON by default) for other types;
// WithResultSerdes chooses another. An answer without a result decodes to
// the zero value (nil for any). Options: WithCallbackTimeout,
// WithHeartbeatTimeout, WithResultSerdes. Invalid options are a
// *ValidationError, before anything is recorded.
//
// A callback whose answer is not needed any more can be closed with
// Cancel, so the execution does not stay pending on it.
func CreateCallback[T any](ctx Context, name string, opts ...CallbackOption) (*Callback[T], error) {
	var o engine.CallbackOptions
	apply(opts, func(opt CallbackOption) { opt.applyCallback(&o) })
	return engine.CreateCallback[T](ctx.engine(), name, o)
}

// WaitForCallback creates a callback, hands its id to submitter (run as a
// step, so it is retried per WithSubmitterOptions and not run again once it
// succeeded) and waits for the answer, which it returns decoded like
// Callback.Get. It is recorded as a child context (subtype
// WaitForCallback) holding the callback and the submitter step.
//
// Failures: a *CallbackTimeoutError for a timeout, a *CallbackError for an
// external failure, a cancellation, or the submitter's last error once its
// retries are exhausted (its ErrorType and message are kept). Options:
// WithCallbackTimeout, WithHeartbeatTimeout, WithResultSerdes,
// WithSubmitterOptions.
func WaitForCallback[T any](ctx Context, name string, submitter func(sc StepContext, callbackID string) error, opts ...WaitForCallbackOption) (T, error) {
	submit, o := waitForCallbackArgs(submitter, opts)
	return engine.WaitForCallback[T](ctx.engine(), name, submit, o)
}

// WaitForCallbackAsync is WaitForCallback on its own goroutine: it returns
// once the wait-for-callback context has started (the submitter may not
// have run yet), and the future's Get returns what WaitForCallback would.
// Cancel gives the whole operation up: its callback is closed with CANCEL
// and Get returns a *CallbackError matching ErrCancelled.
func WaitForCallbackAsync[T any](ctx Context, name string, submitter func(sc StepContext, callbackID string) error, opts ...WaitForCallbackOption) *Future[T] {
	submit, o := waitForCallbackArgs(submitter, opts)
	return &Future[T]{h: engine.WaitForCallbackAsync[T](ctx.engine(), name, submit, o)}
}

func waitForCallbackArgs(submitter func(StepContext, string) error, opts []WaitForCallbackOption) (func(*engine.StepContext, string) error, engine.WaitForCallbackOptions) {
	var o engine.WaitForCallbackOptions
	apply(opts, func(opt WaitForCallbackOption) { opt.applyWaitForCallback(&o) })
	var submit func(*engine.StepContext, string) error
	if submitter != nil {
		submit = func(sc *engine.StepContext, id string) error { return submitter(sc, id) }
	}
	return submit, o
}
