package durable

import (
	"time"

	"github.com/lambda-durable/durable/internal/engine"
)

// Callback is a callback created by CreateCallback. ID returns the id an
// external system answers with (SendDurableExecutionCallbackSuccess,
// ...Failure, ...Heartbeat); Result blocks, suspending the invocation if
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

// ErrCancelled is matched (errors.Is) by the error of a callback or invoke
// that was closed with CANCEL (a cancelled wait returns ErrWaitCancelled).
var ErrCancelled = engine.ErrCancelled

// CallbackOption configures CreateCallback.
type CallbackOption interface{ applyCallback(*engine.CallbackOptions) }

// WaitForCallbackOption configures WaitForCallback.
type WaitForCallbackOption interface {
	applyWaitForCallback(*engine.WaitForCallbackOptions)
}

// CallbackSetting is the result of WithCallbackTimeout and
// WithHeartbeatTimeout: a CallbackOption and a WaitForCallbackOption.
type CallbackSetting func(*engine.CallbackOptions)

func (f CallbackSetting) applyCallback(o *engine.CallbackOptions) { f(o) }
func (f CallbackSetting) applyWaitForCallback(o *engine.WaitForCallbackOptions) {
	f(&o.Callback)
}

// WithCallbackTimeout bounds how long the external system has to answer
// (whole seconds; default: no timeout). When it elapses the callback fails
// with a *CallbackTimeoutError.
func WithCallbackTimeout(d time.Duration) CallbackSetting {
	return func(o *engine.CallbackOptions) { o.Timeout = d }
}

// WithHeartbeatTimeout requires a heartbeat from the external system at
// least every d (whole seconds; default: none). When none arrives in time
// the callback fails with a *CallbackTimeoutError whose Heartbeat is true.
func WithHeartbeatTimeout(d time.Duration) CallbackSetting {
	return func(o *engine.CallbackOptions) { o.HeartbeatTimeout = d }
}

func (o SerdesOption) applyCallback(c *engine.CallbackOptions) { c.Serdes = o.s }
func (o SerdesOption) applyWaitForCallback(c *engine.WaitForCallbackOptions) {
	c.Callback.Serdes = o.s
}

type waitForCallbackOption func(*engine.WaitForCallbackOptions)

func (f waitForCallbackOption) applyWaitForCallback(o *engine.WaitForCallbackOptions) { f(o) }

// WithSubmitterOptions configures the step that runs WaitForCallback's
// submitter, e.g. WithSubmitterOptions(WithRetry(retry.Fixed(3,
// 2*time.Second))). Its serdes and subtype options are ignored.
func WithSubmitterOptions(opts ...StepOption) WaitForCallbackOption {
	return waitForCallbackOption(func(o *engine.WaitForCallbackOptions) {
		for _, opt := range opts {
			if opt != nil {
				opt.applyStep(&o.Submitter)
			}
		}
	})
}

// CreateCallback creates a durable callback named name ("" for unnamed).
// When it returns, the callback is recorded and ID can be handed to an
// external system; call Result to wait for the answer. The result is the
// answer as sent for a string, []byte or any T (serdes.Raw), and decoded
// with the handler's serdes (JSON by default) for other types; WithSerdes
// chooses another. Options: WithCallbackTimeout, WithHeartbeatTimeout,
// WithSerdes. Invalid options are a *ValidationError, before anything is
// recorded.
//
// A callback whose answer is not needed any more can be closed with
// Cancel, so the execution does not stay pending on it.
func CreateCallback[T any](ctx Context, name string, opts ...CallbackOption) (*Callback[T], error) {
	var o engine.CallbackOptions
	for _, opt := range opts {
		if opt != nil {
			opt.applyCallback(&o)
		}
	}
	return engine.CreateCallback[T](ctx.engine(), name, o)
}

// WaitForCallback creates a callback, hands its id to submitter (run as a
// step, so it is retried per WithSubmitterOptions and not run again once it
// succeeded) and waits for the answer, which it returns decoded like
// CreateCallback's Result. It is recorded as a child context (subtype
// WaitForCallback) holding the callback and the submitter step.
//
// Failures: a *CallbackTimeoutError for a timeout, a *CallbackError for an
// external failure, a cancellation, or the submitter's last error once its
// retries are exhausted (its ErrorType and message are kept). Options:
// WithCallbackTimeout, WithHeartbeatTimeout, WithSerdes,
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
	for _, opt := range opts {
		if opt != nil {
			opt.applyWaitForCallback(&o)
		}
	}
	var submit func(*engine.StepContext, string) error
	if submitter != nil {
		submit = func(sc *engine.StepContext, id string) error { return submitter(sc, id) }
	}
	return submit, o
}
