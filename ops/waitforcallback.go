package ops

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
// submitter step; the context stores the answer as sent and the result is
// decoded from it, live and on replay alike.
//
// Its failures are rebuilt from the context's recorded error so that live
// and replayed runs agree: a *CallbackTimeoutError for a timeout, a
// *CallbackError otherwise (an external failure, a cancellation, or the
// submitter's error when its retries are exhausted).
func WaitForCallback[T any](c *Context, name string, submit func(sc *StepContext, callbackID string) error, o WaitForCallbackOptions) (T, error) {
	var zero T
	if submit == nil {
		return zero, &ValidationError{Field: "submitter function", Message: "nil"}
	}
	if _, err := o.Callback.validate(); err != nil {
		return zero, err
	}
	cbOpts := o.Callback
	cbOpts.Serdes = serdes.Raw{}
	stepOpts := o.Submitter
	stepOpts.Serdes, stepOpts.SubType = nil, ""
	body := func(cc *Context) (string, error) {
		cb, err := CreateCallback[string](cc, "", cbOpts)
		if err != nil {
			return "", err
		}
		_, err = Step(cc, "", func(sc *StepContext) (struct{}, error) {
			return struct{}{}, submit(sc, cb.ID())
		}, stepOpts)
		if err != nil {
			return "", err
		}
		return cb.Result()
	}
	raw, err := RunInChildContext(c, name, body, ChildOptions{SubType: checkpoint.SubTypeWaitForCallback, Serdes: serdes.Raw{}})
	if err != nil {
		var ce *ChildContextError
		if errors.As(err, &ce) {
			return zero, callbackFailureOf(ce.OperationID, ce.Name, ce.Object)
		}
		return zero, err
	}
	sd := o.Callback.Serdes
	if sd == nil {
		sd = rawSerdesFor[T]()
	}
	if sd == nil {
		sd = c.exec.en.cfg.Serdes
	}
	var out T
	if err := sd.Deserialize(serdes.Context{ExecutionARN: c.exec.arn}, raw, &out); err != nil {
		c.exec.abort(asSerdesError(err, "", serdes.OpDeserialize))
	}
	return out, nil
}
