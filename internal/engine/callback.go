package engine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// CallbackOptions configures a callback.
type CallbackOptions struct {
	// Timeout is how long the external system has to answer (whole
	// seconds; 0: no timeout).
	Timeout time.Duration
	// HeartbeatTimeout is the longest gap allowed between heartbeats (whole
	// seconds; 0: none).
	HeartbeatTimeout time.Duration
	// Serdes decodes the result (a callback's result is only decoded). nil:
	// serdes.Raw for string, []byte and any results (the answer as sent),
	// the handler's serdes otherwise.
	Serdes serdes.Deserializer
}

// validate checks the timeouts and converts them to seconds.
func (o CallbackOptions) validate() (*checkpoint.CallbackOptions, error) {
	timeout, err := timeoutSeconds("callback timeout", o.Timeout)
	if err != nil {
		return nil, err
	}
	heartbeat, err := timeoutSeconds("callback heartbeat timeout", o.HeartbeatTimeout)
	if err != nil {
		return nil, err
	}
	if timeout == 0 && heartbeat == 0 {
		return nil, nil
	}
	return &checkpoint.CallbackOptions{TimeoutSeconds: timeout, HeartbeatTimeoutSeconds: heartbeat}, nil
}

// timeoutSeconds checks a timeout (0, or whole seconds up to 366 days).
func timeoutSeconds(field string, d time.Duration) (int32, error) {
	switch {
	case d < 0:
		return 0, &ValidationError{Field: field, Message: fmt.Sprintf("%v is negative", d)}
	case d > retry.MaxDelayLimit:
		return 0, &ValidationError{Field: field, Message: fmt.Sprintf("%v is longer than 366 days", d)}
	case d%time.Second != 0:
		return 0, &ValidationError{Field: field, Message: fmt.Sprintf("%v is not a whole number of seconds", d)}
	}
	return int32(d / time.Second), nil
}

// rawSerdesFor returns serdes.Raw when T holds the answer as sent (string,
// []byte, any), else nil (the handler's serdes).
func rawSerdesFor[T any]() serdes.Serdes {
	switch t := reflect.TypeFor[T](); {
	case t == reflect.TypeFor[string](), t == reflect.TypeFor[[]byte](), t == reflect.TypeFor[any]():
		return serdes.Raw{}
	}
	return nil
}

// decodeOnly is the serdes of an operation whose result is only ever
// decoded (a callback's, an invoke's): the engine never serializes it.
type decodeOnly struct{ serdes.Deserializer }

func (decodeOnly) Serialize(sc serdes.Context, _ any) (string, error) {
	return "", &serdes.Error{Op: serdes.OpSerialize, OperationID: sc.OperationID, Err: errors.New("this serdes only decodes")}
}

// decoding returns d as the serdes of an operation that only decodes its
// result (nil for nil).
func decoding(d serdes.Deserializer) serdes.Serdes {
	if s, ok := d.(serdes.Serdes); ok || d == nil {
		return s
	}
	return decodeOnly{d}
}

// Callback is a callback created by CreateCallback. Its methods are safe for
// concurrent use.
type Callback[T any] struct {
	async      *Async[T]
	callbackID string
}

// ID returns the id the external system answers with
// (SendDurableExecutionCallbackSuccess / Failure / Heartbeat).
func (cb *Callback[T]) ID() string { return cb.callbackID }

// OperationID returns the callback operation's id.
func (cb *Callback[T]) OperationID() string { return cb.async.OperationID() }

// Done reports whether the callback's outcome is known in this invocation.
func (cb *Callback[T]) Done() bool { return cb.async.Done() }

// Get blocks until the callback is answered and returns the decoded
// result, or a *CallbackError (failure, cancellation) or a
// *CallbackTimeoutError. While nothing else can progress the invocation
// suspends and a later one resumes here.
func (cb *Callback[T]) Get() (T, error) { return cb.async.Get() }

// Cancel closes the callback with CANCEL if it is still waiting for an
// answer; Get then returns a *CallbackError matching ErrCancelled. It
// reports whether a CANCEL was sent.
func (cb *Callback[T]) Cancel() bool { return cb.async.Cancel() }

type callbackRun[T any] struct {
	run
	options    *checkpoint.CallbackOptions
	callbackID string
	out        T
}

// CreateCallback creates a callback named name on c. Its START is durable
// when CreateCallback returns, so ID can be handed to an external system at
// once. The callback then waits on its own goroutine: the operation chain
// sees it from creation to outcome, and Get returns that outcome.
// Validation errors, and errors that prevent the START, are returned here.
func CreateCallback[T any](c *Context, name string, o CallbackOptions) (*Callback[T], error) {
	opts, err := o.validate()
	if err != nil {
		return nil, err
	}
	k := &callbackRun[T]{options: opts}
	k.kind = k
	k.op.Type = checkpoint.TypeCallback
	k.op.SubType = checkpoint.SubTypeCallback
	k.op.Name = name
	k.serdes = decoding(o.Serdes)
	if k.serdes == nil {
		k.serdes = rawSerdesFor[T]()
	}
	a := goRun(c, &k.run, func() T { return k.out }, func() {
		if k.callbackID == "" {
			k.callbackID = callbackIDOf(k.rec)
		}
	})
	if k.callbackID == "" {
		_, err := a.Get()
		if err == nil {
			err = errors.New("durable: internal error: callback has no id")
		}
		return nil, err
	}
	return &Callback[T]{async: a, callbackID: k.callbackID}, nil
}

func callbackIDOf(rec *checkpoint.Operation) string {
	if rec == nil || rec.CallbackDetails == nil {
		return ""
	}
	return rec.CallbackDetails.CallbackId
}

func (k *callbackRun[T]) result() any { return k.out }
func (k *callbackRun[T]) dest() any   { return &k.out }

func (k *callbackRun[T]) failed(r *run, obj *checkpoint.ErrorObject) error {
	return callbackFailure(r.op.ID, r.op.Name, callbackIDOf(r.rec), r.op.Status, obj)
}

func (k *callbackRun[T]) execute(ctx context.Context, r *run) error {
	e := r.scope.exec
	if r.rec == nil {
		u := r.update(checkpoint.ActionStart)
		u.CallbackOptions = k.options
		// The callback id comes back in the response: the START must be
		// durable whatever the checkpoint mode.
		if err := e.checkpoint(ctx, r.scope, checkpoint.CallbackStart, u); err != nil {
			return err
		}
		r.op.Status = checkpoint.StatusStarted
		r.rec = e.Operation(r.op.ID)
		if callbackIDOf(r.rec) == "" {
			e.abort(fmt.Errorf("durable: the service returned no callback id for operation %s", r.op.ID))
		}
	}
	k.callbackID = callbackIDOf(r.rec)
	if obj, ok := awaitOutcome(r, &k.out); !ok {
		return k.failed(r, obj)
	}
	return nil
}
