package faultinject

import (
	"net/http"
	"time"

	"github.com/lambda-durable/durable/local"
)

// Kind is a fault.
type Kind int

// The faults. The comment says what the SDK meets.
const (
	// Throttle: 429 TooManyRequestsException with Retry-After.
	Throttle Kind = iota + 1
	// ServerError: 500 ServiceException.
	ServerError
	// NetworkReset: the connection drops; the service never sees the call.
	NetworkReset
	// Timeout: the call times out; the service never sees it.
	Timeout
	// LostResponse: the service applies the call, the answer is lost.
	LostResponse
	// LostResponseRetried: the service applies the call, the answer is
	// lost and the call is sent again with the same client token, as the
	// AWS client's retryer does; the service must answer it idempotently.
	LostResponseRetried
	// StaleToken: 400 InvalidParameterValueException "Invalid Checkpoint
	// Token ...".
	StaleToken
	// NoToken: the service applies the call and answers without a
	// checkpoint token (CheckpointDurableExecution only).
	NoToken
	// BadRequest: 400 InvalidParameterValueException (a validation error).
	BadRequest
	// KMS: 502 KMSAccessDeniedException.
	KMS
	// TooLarge: 413 RequestTooLargeException.
	TooLarge
	// Crash: the invocation dies before the call is sent (needs Function).
	Crash
	// CrashAfterApply: the invocation dies after the service applied the
	// call, before the answer reaches it (needs Function).
	CrashAfterApply
)

// AllKinds returns every fault, in declaration order.
func AllKinds() []Kind {
	return []Kind{Throttle, ServerError, NetworkReset, Timeout, LostResponse, LostResponseRetried,
		StaleToken, NoToken, BadRequest, KMS, TooLarge, Crash, CrashAfterApply}
}

// String returns the fault's name, e.g. "throttle".
func (k Kind) String() string {
	switch k {
	case Throttle:
		return "throttle"
	case ServerError:
		return "server-error"
	case NetworkReset:
		return "network-reset"
	case Timeout:
		return "timeout"
	case LostResponse:
		return "lost-response"
	case LostResponseRetried:
		return "lost-response-retried"
	case StaleToken:
		return "stale-token"
	case NoToken:
		return "no-token"
	case BadRequest:
		return "bad-request"
	case KMS:
		return "kms"
	case TooLarge:
		return "too-large"
	case Crash:
		return "crash"
	case CrashAfterApply:
		return "crash-after-apply"
	}
	return "unknown-fault"
}

// Retryable reports whether the service contract classifies the fault as
// retryable: the invocation ends with an error and Lambda invokes the
// function again. It is false for the terminal faults (BadRequest, KMS,
// TooLarge, NoToken), for LostResponseRetried (the retry is answered and
// nothing fails) and for crashes (the invocation gives no answer at all).
func (k Kind) Retryable() bool {
	switch k {
	case Throttle, ServerError, NetworkReset, Timeout, LostResponse, StaleToken:
		return true
	}
	return false
}

// Terminal reports whether the fault must end the execution FAILED.
func (k Kind) Terminal() bool {
	switch k {
	case BadRequest, KMS, TooLarge, NoToken:
		return true
	}
	return false
}

// Applies reports whether the service applies the faulted call (the fault
// happens on the way back).
func (k Kind) Applies() bool {
	switch k {
	case LostResponse, LostResponseRetried, NoToken, CrashAfterApply:
		return true
	}
	return false
}

// APIError returns the error the service answers for a service-side fault,
// nil for the others.
func (k Kind) APIError() *local.APIError {
	switch k {
	case Throttle:
		return &local.APIError{Code: local.CodeTooManyRequests, HTTPStatus: http.StatusTooManyRequests,
			Message: "Rate exceeded (injected)", RetryAfter: time.Second}
	case ServerError:
		return &local.APIError{Code: local.CodeService, HTTPStatus: http.StatusInternalServerError,
			Message: "injected server fault"}
	case StaleToken:
		return &local.APIError{Code: local.CodeInvalidParameterValue, HTTPStatus: http.StatusBadRequest,
			Message: "Invalid Checkpoint Token: injected stale token"}
	case BadRequest:
		return &local.APIError{Code: local.CodeInvalidParameterValue, HTTPStatus: http.StatusBadRequest,
			Message: "injected validation failure"}
	case KMS:
		return &local.APIError{Code: "KMSAccessDeniedException", HTTPStatus: http.StatusBadGateway,
			Message: "injected KMS failure"}
	case TooLarge:
		return &local.APIError{Code: local.CodeRequestTooLarge, HTTPStatus: http.StatusRequestEntityTooLarge,
			Message: "injected: request too large"}
	}
	return nil
}
