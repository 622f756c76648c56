package middleware

import (
	"context"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// Invocation describes one Lambda invocation of a durable function. The
// identity fields are set before the chain runs; Status, Response and Err
// when the next handler returns.
type Invocation struct {
	// ExecutionARN is the durable execution's ARN.
	ExecutionARN string
	// RequestID is the Lambda request id (empty outside Lambda).
	RequestID string
	// First is true for the execution's first invocation (nothing but the
	// EXECUTION operation recorded yet).
	First bool
	// StartTime is when the invocation began.
	StartTime time.Time
	// Operations is the recorded state the invocation received (the event's
	// first page; further pages come through the checkpoint chain's
	// GetExecutionState calls). Read-only.
	Operations []checkpoint.Operation
	// UpdatedOperationIDs lists the operations the service changed while the
	// execution was suspended (the event's UpdatedOperationIds).
	UpdatedOperationIDs []string

	// Status is the invocation's outcome: SUCCEEDED, FAILED or PENDING; empty
	// when the invocation ends with an error for Lambda to retry (Err set).
	Status checkpoint.InvocationStatus
	// Response is what the handler returns to Lambda (nil when Err is set).
	Response *checkpoint.InvocationResponse
	// Err is the error returned to Lambda (retryable trouble), if any.
	Err error

	state any // the engine's (the event and client of the invocation)
}

// InvocationHandler runs one invocation. An invocation middleware may pass
// any context to next (it need not descend from the one received): the SDK
// keeps the invocation's state with inv.
type InvocationHandler func(ctx context.Context, inv *Invocation) error

// InvocationMiddleware wraps an InvocationHandler.
type InvocationMiddleware func(next InvocationHandler) InvocationHandler

// ChainInvocation composes invocation middlewares, the first outermost. Nil
// entries are skipped.
func ChainInvocation(mws ...InvocationMiddleware) InvocationMiddleware {
	mws = append([]InvocationMiddleware(nil), mws...)
	return func(next InvocationHandler) InvocationHandler {
		for i := len(mws) - 1; i >= 0; i-- {
			if mws[i] != nil {
				next = mws[i](next)
			}
		}
		return next
	}
}
