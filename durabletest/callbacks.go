package durabletest

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// OpenCallbacks lists the callbacks waiting for an answer, in every
// execution the runner drives, oldest first.
func (r *Runner) OpenCallbacks() []local.OpenCallback {
	cbs, _ := r.svc.OpenCallbacks("")
	return cbs
}

// Callback returns the open callback named name: the callback operation of
// that name (CreateCallback), or the callback of the WaitForCallback of
// that name (the callback inside its context).
func (r *Runner) Callback(name string) (local.OpenCallback, error) {
	for _, cb := range r.OpenCallbacks() {
		if cb.Name == name {
			return cb, nil
		}
		if parent, ok := r.waitForCallbackOf(cb); ok && parent.Name == name {
			return cb, nil
		}
	}
	return local.OpenCallback{}, fmt.Errorf("durabletest: no open callback named %q", name)
}

// waitForCallbackOf returns the WaitForCallback context that holds cb, if
// cb belongs to one.
func (r *Runner) waitForCallbackOf(cb local.OpenCallback) (checkpoint.Operation, bool) {
	if cb.ParentId == "" {
		return checkpoint.Operation{}, false
	}
	ops, _ := r.svc.Operations(cb.DurableExecutionArn)
	for _, o := range ops {
		if o.Id == cb.ParentId && o.Type == checkpoint.TypeContext && o.SubType == checkpoint.SubTypeWaitForCallback {
			return o, true
		}
	}
	return checkpoint.Operation{}, false
}

// callbackHandedOut reports whether an open callback's id has reached the
// outside world: it was made by CreateCallback (the workflow holds the id),
// or its WaitForCallback's submitter has succeeded.
func (r *Runner) callbackHandedOut() bool {
	for _, cb := range r.OpenCallbacks() {
		wfc, ok := r.waitForCallbackOf(cb)
		if !ok || r.submitted(cb.DurableExecutionArn, wfc.Id) {
			return true
		}
	}
	return false
}

// submitted reports whether the submitter step of the WaitForCallback
// context id has succeeded.
func (r *Runner) submitted(arn, id string) bool {
	ops, _ := r.svc.Operations(arn)
	for _, o := range ops {
		if o.ParentId == id && o.Type == checkpoint.TypeStep && o.Status == checkpoint.StatusSucceeded {
			return true
		}
	}
	return false
}

// SendCallbackSuccess completes a callback with result (the raw body the
// external system would send). Resume runs the execution on.
func (r *Runner) SendCallbackSuccess(ctx context.Context, callbackId string, result []byte) error {
	return r.svc.SendCallbackSuccess(ctx, &local.SendCallbackSuccessInput{CallbackId: callbackId, Result: result})
}

// SendCallbackFailure fails a callback with e.
func (r *Runner) SendCallbackFailure(ctx context.Context, callbackId string, e checkpoint.ErrorObject) error {
	return r.svc.SendCallbackFailure(ctx, &local.SendCallbackFailureInput{CallbackId: callbackId, Error: &e})
}

// SendCallbackHeartbeat restarts a callback's heartbeat timeout.
func (r *Runner) SendCallbackHeartbeat(ctx context.Context, callbackId string) error {
	return r.svc.SendCallbackHeartbeat(ctx, &local.SendCallbackHeartbeatInput{CallbackId: callbackId})
}

// Stop stops the execution with e.
func (r *Runner) Stop(ctx context.Context, e checkpoint.ErrorObject) error {
	if r.arn == "" {
		return ErrNotStarted
	}
	_, err := r.svc.StopExecution(ctx, &local.StopExecutionInput{DurableExecutionArn: r.arn, Error: &e})
	return err
}
