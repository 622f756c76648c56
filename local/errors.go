package local

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// The service's error codes (the contract's error table).
const (
	CodeInvalidParameterValue = "InvalidParameterValueException"
	CodeCallbackTimeout       = "CallbackTimeoutException"
	CodeResourceNotFound      = "ResourceNotFoundException"
	CodeRequestTooLarge       = "RequestTooLargeException"
	CodeTooManyRequests       = "TooManyRequestsException"
	CodeService               = "ServiceException"
	CodeResourceConflict      = "ResourceConflictException"
)

// APIError is an error answer of the service API. The HTTP front writes it
// as the status, the X-Amzn-ErrorType header and the JSON body.
type APIError struct {
	// Code is the error name, e.g. "InvalidParameterValueException".
	Code string
	// HTTPStatus is the HTTP status the error maps to.
	HTTPStatus int
	// Message explains the error.
	Message string
	// RetryAfter is the Retry-After hint of a throttling error.
	RetryAfter time.Duration
}

// Error implements error.
func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Is reports whether target is an *APIError with the same Code, so that
// errors.Is(err, local.ErrNotFound) matches any not-found error.
func (e *APIError) Is(target error) bool {
	var t *APIError
	return errors.As(target, &t) && t.Code == e.Code
}

// Sentinel errors to match with errors.Is (only Code is compared).
var (
	// ErrInvalidParameter matches every validation error.
	ErrInvalidParameter error = &APIError{Code: CodeInvalidParameterValue, HTTPStatus: http.StatusBadRequest}
	// ErrCallbackTimeout matches errors for unknown, expired or closed callbacks.
	ErrCallbackTimeout error = &APIError{Code: CodeCallbackTimeout, HTTPStatus: http.StatusBadRequest}
	// ErrNotFound matches errors for unknown executions and functions.
	ErrNotFound error = &APIError{Code: CodeResourceNotFound, HTTPStatus: http.StatusNotFound}
	// ErrRequestTooLarge matches errors for oversized requests and payloads.
	ErrRequestTooLarge error = &APIError{Code: CodeRequestTooLarge, HTTPStatus: http.StatusRequestEntityTooLarge}
	// ErrTooManyRequests matches throttling errors.
	ErrTooManyRequests error = &APIError{Code: CodeTooManyRequests, HTTPStatus: http.StatusTooManyRequests, RetryAfter: time.Second}
	// ErrService matches server faults.
	ErrService error = &APIError{Code: CodeService, HTTPStatus: http.StatusInternalServerError}
	// ErrConflict matches a start request that reuses an execution name.
	ErrConflict error = &APIError{Code: CodeResourceConflict, HTTPStatus: http.StatusConflict}
)

// ErrRuntimeExit, returned (possibly wrapped) by a Function, makes the
// service record the invocation as a crash of the Lambda runtime
// (ErrorType "Runtime.ExitError"), the way a process exit is recorded.
var ErrRuntimeExit = errors.New("runtime exited")

// ErrClosed is returned by calls on a closed Service.
var ErrClosed = errors.New("local: service closed")

func invalidf(format string, args ...any) *APIError {
	return &APIError{Code: CodeInvalidParameterValue, HTTPStatus: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func notFoundf(format string, args ...any) *APIError {
	return &APIError{Code: CodeResourceNotFound, HTTPStatus: http.StatusNotFound, Message: fmt.Sprintf(format, args...)}
}

func tooLargef(format string, args ...any) *APIError {
	return &APIError{Code: CodeRequestTooLarge, HTTPStatus: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf(format, args...)}
}

func callbackTimeoutf(format string, args ...any) *APIError {
	return &APIError{Code: CodeCallbackTimeout, HTTPStatus: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func conflictf(format string, args ...any) *APIError {
	return &APIError{Code: CodeResourceConflict, HTTPStatus: http.StatusConflict, Message: fmt.Sprintf(format, args...)}
}
