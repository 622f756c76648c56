package middleware

import (
	"context"

	"github.com/lambda-durable/durable/checkpoint"
)

// CheckpointMiddleware wraps the client through which the SDK calls the
// durable execution service: every Checkpoint and GetExecutionState call of
// an invocation goes through it. Errors returned to the SDK should keep
// wrapping *checkpoint.Error so that they stay classified.
type CheckpointMiddleware func(next checkpoint.Client) checkpoint.Client

// ChainCheckpoint composes checkpoint middlewares, the first outermost. Nil
// entries are skipped.
func ChainCheckpoint(mws ...CheckpointMiddleware) CheckpointMiddleware {
	mws = append([]CheckpointMiddleware(nil), mws...)
	return func(next checkpoint.Client) checkpoint.Client {
		for i := len(mws) - 1; i >= 0; i-- {
			if mws[i] != nil {
				next = mws[i](next)
			}
		}
		return next
	}
}

// ClientFuncs adapts functions to checkpoint.Client, which makes small
// checkpoint middlewares easy to write. A nil function is an error.
type ClientFuncs struct {
	// CheckpointFunc implements Checkpoint.
	CheckpointFunc func(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error)
	// GetExecutionStateFunc implements GetExecutionState.
	GetExecutionStateFunc func(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error)
}

// Checkpoint calls CheckpointFunc.
func (c ClientFuncs) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	if c.CheckpointFunc == nil {
		return nil, &checkpoint.Error{Operation: "CheckpointDurableExecution", Message: "middleware.ClientFuncs: CheckpointFunc is nil"}
	}
	return c.CheckpointFunc(ctx, in)
}

// GetExecutionState calls GetExecutionStateFunc.
func (c ClientFuncs) GetExecutionState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	if c.GetExecutionStateFunc == nil {
		return nil, &checkpoint.Error{Operation: "GetDurableExecutionState", Message: "middleware.ClientFuncs: GetExecutionStateFunc is nil"}
	}
	return c.GetExecutionStateFunc(ctx, in)
}
