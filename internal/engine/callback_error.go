package engine

import (
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
)

// The ErrorType values the service records for a callback that timed out.
const (
	// ErrorTypeCallbackTimeout: the callback's overall timeout elapsed.
	ErrorTypeCallbackTimeout = "Callback.Timeout"
	// ErrorTypeCallbackHeartbeat: no heartbeat arrived within the heartbeat
	// timeout.
	ErrorTypeCallbackHeartbeat = "Callback.Heartbeat"
	// ErrorTypeCallbackCancelled is the ErrorType of a cancelled callback's
	// error object (the service records no error for it).
	ErrorTypeCallbackCancelled = "Callback.Cancelled"
)

// CallbackError is a callback that the external system completed with a
// failure (Status FAILED, Object is the error it sent), or that was
// cancelled (Status CANCELLED; the error matches ErrCancelled). Live and
// replayed runs return equal errors.
type CallbackError struct {
	// OperationID and Name identify the operation: the callback, or the
	// wait-for-callback context (whose CallbackID is then empty).
	OperationID string
	Name        string
	// CallbackID is the service's id of the callback, when known.
	CallbackID string
	// Status is FAILED or CANCELLED.
	Status checkpoint.Status
	// Object is the error as recorded.
	Object checkpoint.ErrorObject
}

// Error implements error.
func (e *CallbackError) Error() string {
	if e.Status == checkpoint.StatusCancelled {
		return fmt.Sprintf("durable: callback %q (id %s) was cancelled", e.Name, e.OperationID)
	}
	return "durable: " + describe("callback", e.OperationID, e.Name, &e.Object)
}

// Is makes a cancelled callback's error match ErrCancelled.
func (e *CallbackError) Is(target error) bool {
	return target == ErrCancelled && e.Status == checkpoint.StatusCancelled
}

// ErrorObject returns the recorded error.
func (e *CallbackError) ErrorObject() checkpoint.ErrorObject { return e.Object }

// ErrorType returns the recorded error type.
func (e *CallbackError) ErrorType() string { return e.Object.ErrorType }

// ErrorData returns the recorded error data.
func (e *CallbackError) ErrorData() string { return e.Object.ErrorData }

// CallbackTimeoutError is a callback that timed out: no answer within its
// timeout, or (Heartbeat) no heartbeat within its heartbeat timeout. Live
// and replayed runs return equal errors.
type CallbackTimeoutError struct {
	// OperationID and Name identify the operation: the callback, or the
	// wait-for-callback context (whose CallbackID is then empty).
	OperationID string
	Name        string
	// CallbackID is the service's id of the callback, when known.
	CallbackID string
	// Heartbeat is true when the heartbeat timeout elapsed, false for the
	// overall timeout.
	Heartbeat bool
	// Object is the error as recorded (ErrorType Callback.Timeout or
	// Callback.Heartbeat).
	Object checkpoint.ErrorObject
}

// Error implements error.
func (e *CallbackTimeoutError) Error() string {
	what := "timeout"
	if e.Heartbeat {
		what = "heartbeat timeout"
	}
	return fmt.Sprintf("durable: callback %q (id %s) timed out: its %s elapsed", e.Name, e.OperationID, what)
}

// ErrorObject returns the recorded error.
func (e *CallbackTimeoutError) ErrorObject() checkpoint.ErrorObject { return e.Object }

// ErrorType returns the recorded error type.
func (e *CallbackTimeoutError) ErrorType() string { return e.Object.ErrorType }

// ErrorData returns the recorded error data.
func (e *CallbackTimeoutError) ErrorData() string { return e.Object.ErrorData }

// callbackFailure builds the error of a callback that ended with status
// (FAILED, TIMED_OUT, CANCELLED) and the recorded error obj (may be nil).
func callbackFailure(id, name, callbackID string, status checkpoint.Status, obj *checkpoint.ErrorObject) error {
	var o checkpoint.ErrorObject
	if obj != nil {
		o = *obj
	}
	switch status {
	case checkpoint.StatusTimedOut:
		if o.ErrorType == "" {
			o.ErrorType = ErrorTypeCallbackTimeout
		}
		return &CallbackTimeoutError{OperationID: id, Name: name, CallbackID: callbackID,
			Heartbeat: o.ErrorType == ErrorTypeCallbackHeartbeat, Object: o}
	case checkpoint.StatusCancelled:
		if obj == nil {
			o = checkpoint.ErrorObject{ErrorType: ErrorTypeCallbackCancelled, ErrorMessage: "the callback was cancelled"}
		}
	default:
		status = checkpoint.StatusFailed
	}
	return &CallbackError{OperationID: id, Name: name, CallbackID: callbackID, Status: status, Object: o}
}

// callbackFailureOf rebuilds a callback error from a recorded error object
// alone (the failure of a wait-for-callback context), so that live and
// replayed runs agree.
func callbackFailureOf(id, name string, obj checkpoint.ErrorObject) error {
	switch obj.ErrorType {
	case ErrorTypeCallbackTimeout, ErrorTypeCallbackHeartbeat:
		return callbackFailure(id, name, "", checkpoint.StatusTimedOut, &obj)
	case ErrorTypeCallbackCancelled, CancelledErrorType: // the callback, or the whole context, cancelled
		return callbackFailure(id, name, "", checkpoint.StatusCancelled, &obj)
	}
	return callbackFailure(id, name, "", checkpoint.StatusFailed, &obj)
}
