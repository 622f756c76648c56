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

// Callback returns the open callback with the given operation name.
func (r *Runner) Callback(name string) (local.OpenCallback, error) {
	for _, cb := range r.OpenCallbacks() {
		if cb.Name == name {
			return cb, nil
		}
	}
	return local.OpenCallback{}, fmt.Errorf("durabletest: no open callback named %q", name)
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
