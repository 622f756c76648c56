package durable

import (
	"errors"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/serdes"
)

// The error hierarchy. Execution errors are terminal: the execution ends
// FAILED (StepError, ChildContextError, NonDeterministicExecutionError,
// ValidationError, serdes failures, non-retryable checkpoint errors).
// Invocation errors are retryable: the handler returns them to Lambda, which
// invokes the function again (InvocationError, retryable checkpoint errors).
// Use errors.As to inspect them.
type (
	// StepError is a step that failed for good (retries exhausted or none).
	// Live and replayed runs return equal errors.
	StepError = engine.StepError
	// ChildContextError is a failed child context, as recorded.
	ChildContextError = engine.ChildContextError
	// NonDeterministicExecutionError reports that the code asked for a
	// different operation than the one recorded at the same position.
	NonDeterministicExecutionError = engine.NonDeterministicExecutionError
	// ValidationError reports an invalid argument, before any checkpoint.
	ValidationError = engine.ValidationError
	// InvocationError is retryable trouble returned to Lambda.
	InvocationError = engine.InvocationError
	// StepInterruptedError is what the retry strategy of an at-most-once
	// step sees when an attempt started but recorded no outcome.
	StepInterruptedError = engine.StepInterruptedError
	// PanicError is a panic in user code turned into an error.
	PanicError = engine.PanicError
	// RemoteError is an error rebuilt from a recorded ErrorObject.
	RemoteError = engine.RemoteError
	// PayloadTooLargeError is a step result larger than the service stores
	// for one operation; the step fails with it and is not retried.
	PayloadTooLargeError = engine.PayloadTooLargeError
	// CheckpointError is a failed call to the durable execution service;
	// its Retryable field tells which class it belongs to.
	CheckpointError = checkpoint.Error
	// SerdesError is a failed serialization (the operation fails) or
	// deserialization (terminal: the execution fails).
	SerdesError = serdes.Error
	// ErrorObject is the service's representation of an error.
	ErrorObject = checkpoint.ErrorObject
)

// Sentinel errors.
var (
	// ErrContextClosed: an operation was started on a child context that
	// already completed or was abandoned; nothing was recorded.
	ErrContextClosed = engine.ErrContextClosed
	// ErrWaitCancelled: a wait was cancelled (Future.Cancel, or by the
	// service). It matches ErrCancelled.
	ErrWaitCancelled = engine.ErrWaitCancelled
	// ErrNotDurable: the Lambda event is not a durable invocation.
	ErrNotDurable = engine.ErrNotDurable
	// ErrMalformedEvent: the Lambda event could not be understood.
	ErrMalformedEvent = engine.ErrMalformedEvent
)

// ToErrorObject maps err to the ErrorObject the service records. Errors
// control the mapping with methods ErrorType() string, ErrorData() string and
// StackTrace() []string; recorded errors (StepError, ...) map to their
// object unchanged.
func ToErrorObject(err error) ErrorObject { return engine.ErrorObjectOf(err) }

// FromErrorObject rebuilds an error from a recorded ErrorObject;
// ToErrorObject(FromErrorObject(o)) == o.
func FromErrorObject(o ErrorObject) error { return &engine.RemoteError{Object: o} }

// IsRetryable reports whether err is invocation-level trouble that Lambda
// should retry (an InvocationError or a retryable checkpoint error).
func IsRetryable(err error) bool {
	var ie *InvocationError
	return errors.As(err, &ie) || checkpoint.IsRetryable(err)
}
