package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// InvokeOptions configures a chained invoke.
type InvokeOptions struct {
	// TenantID is passed to the target function for tenant isolation.
	TenantID string
	// PayloadSerdes encodes the input (nil: the handler's serdes).
	PayloadSerdes serdes.Serializer
	// ResultSerdes decodes the result (nil: the handler's serdes).
	ResultSerdes serdes.Deserializer
}

// InvokeError is a chained invoke that did not succeed: the target
// function failed (Status FAILED), timed out (TIMED_OUT), was stopped
// (STOPPED) or the invoke was cancelled (CANCELLED, matching ErrCancelled).
// Live and replayed runs return equal errors.
type InvokeError struct {
	// OperationID and Name identify the invoke operation.
	OperationID string
	Name        string
	// FunctionName is the target function as given to Invoke.
	FunctionName string
	// Status is the invoke's final status.
	Status checkpoint.Status
	// Object is the error as recorded (a description of the status when the
	// service recorded none).
	Object checkpoint.ErrorObject
}

// Error implements error.
func (e *InvokeError) Error() string {
	return fmt.Sprintf("durable: invoke %q of %s (id %s) %s: %s",
		e.Name, e.FunctionName, e.OperationID, invokeOutcome(e.Status), (&RemoteError{Object: e.Object}).Error())
}

// Is makes a cancelled invoke's error match ErrCancelled.
func (e *InvokeError) Is(target error) bool {
	return target == ErrCancelled && e.Status == checkpoint.StatusCancelled
}

// ErrorObject returns the recorded error.
func (e *InvokeError) ErrorObject() checkpoint.ErrorObject { return e.Object }

// ErrorType returns the recorded error type.
func (e *InvokeError) ErrorType() string { return e.Object.ErrorType }

// ErrorData returns the recorded error data.
func (e *InvokeError) ErrorData() string { return e.Object.ErrorData }

func invokeOutcome(s checkpoint.Status) string {
	switch s {
	case checkpoint.StatusTimedOut:
		return "timed out"
	case checkpoint.StatusStopped:
		return "was stopped"
	case checkpoint.StatusCancelled:
		return "was cancelled"
	}
	return "failed"
}

type invokeRun[O any] struct {
	run
	function      string
	tenant        string
	input         any
	payloadSerdes serdes.Serializer
	out           O
}

// Invoke calls the function functionName (a name or an ARN, optionally
// qualified) with input as a chained invoke named name on c, and returns
// its decoded result. The invocation suspends while the target runs. A
// failed, timed-out, stopped or cancelled target is an *InvokeError.
func Invoke[O any](c *Context, name, functionName string, input any, o InvokeOptions) (O, error) {
	k, err := newInvoke[O](name, functionName, input, o)
	if err != nil {
		var zero O
		return zero, err
	}
	if err := c.run(&k.run); err != nil {
		var zero O
		return zero, err
	}
	return k.out, nil
}

// InvokeAsync is Invoke on its own goroutine: it returns once the invoke has
// started, and the handle's Wait returns Invoke's result.
func InvokeAsync[O any](c *Context, name, functionName string, input any, o InvokeOptions) *Async[O] {
	k, err := newInvoke[O](name, functionName, input, o)
	if err != nil {
		return failedAsync[O](c.exec, err)
	}
	return goRun(c, &k.run, func() O { return k.out }, nil)
}

func newInvoke[O any](name, functionName string, input any, o InvokeOptions) (*invokeRun[O], error) {
	if strings.TrimSpace(functionName) == "" {
		return nil, &ValidationError{Field: "function name", Message: "empty"}
	}
	k := &invokeRun[O]{function: functionName, tenant: o.TenantID, input: input, payloadSerdes: o.PayloadSerdes}
	k.kind = k
	k.op.Type = checkpoint.TypeChainedInvoke
	k.op.SubType = checkpoint.SubTypeChainedInvoke
	k.op.Name = name
	k.serdes = decoding(o.ResultSerdes)
	return k, nil
}

func (k *invokeRun[O]) result() any { return k.out }
func (k *invokeRun[O]) dest() any   { return &k.out }

func (k *invokeRun[O]) failed(r *run, obj *checkpoint.ErrorObject) error {
	e := &InvokeError{OperationID: r.op.ID, Name: r.op.Name, FunctionName: k.function, Status: r.op.Status}
	if e.Status != checkpoint.StatusTimedOut && e.Status != checkpoint.StatusStopped && e.Status != checkpoint.StatusCancelled {
		e.Status = checkpoint.StatusFailed
	}
	if obj != nil {
		e.Object = *obj
	} else {
		e.Object = checkpoint.ErrorObject{
			ErrorType:    "ChainedInvoke." + string(e.Status),
			ErrorMessage: fmt.Sprintf("the invoke of %s %s", k.function, invokeOutcome(e.Status)),
		}
	}
	return e
}

func (k *invokeRun[O]) execute(ctx context.Context, r *run) error {
	e := r.scope.exec
	if r.rec == nil {
		var ps serdes.Serializer = e.en.cfg.Serdes
		if k.payloadSerdes != nil {
			ps = k.payloadSerdes
		}
		payload, err := ps.Serialize(r.serdesContext(), k.input)
		if err != nil {
			return asSerdesError(err, r.op.ID, serdes.OpSerialize)
		}
		u := r.update(checkpoint.ActionStart)
		u.Payload = payload
		u.ChainedInvokeOptions = &checkpoint.ChainedInvokeOptions{FunctionName: k.function, TenantId: k.tenant}
		if err := e.enqueue(r.scope, u); err != nil {
			return err
		}
		r.op.Status = checkpoint.StatusStarted
		e.commit(ctx)
	}
	if obj, ok := awaitOutcome(r, &k.out); !ok {
		return k.failed(r, obj)
	}
	return nil
}
