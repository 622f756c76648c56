package checkpoint

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a failed call to the durable execution service, classified the
// way the service contract prescribes.
type Error struct {
	// Operation is the API operation that failed, e.g. "CheckpointDurableExecution".
	Operation string
	// Code is the service's error code (e.g. "InvalidParameterValueException"),
	// empty for network failures.
	Code string
	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int
	// Message is the service's message.
	Message string
	// Retryable is true when the invocation should end with an error so that
	// Lambda invokes the function again (throttling, 5xx, network, stale
	// token); false when the execution must fail (other 4xx, KMS errors,
	// payload too large).
	Retryable bool
	// Err is the underlying error, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("checkpoint: ")
	b.WriteString(e.Operation)
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Retryable {
		b.WriteString(" [retryable]")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// IsRetryable reports whether err is, or wraps, a retryable *Error.
func IsRetryable(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.Retryable
}

// InvalidTokenPrefix starts the message of the error the service returns for a
// stale or foreign checkpoint token.
const InvalidTokenPrefix = "Invalid Checkpoint Token"

// IsStaleToken reports whether e is the service's answer to a stale or
// foreign checkpoint token: a 400 (or an answer without status) whose
// message starts with InvalidTokenPrefix, in any case. AWS's emulator sends
// it without an error type ("Invalid checkpoint token").
func IsStaleToken(e *Error) bool {
	if e == nil || e.StatusCode != 0 && e.StatusCode != 400 {
		return false
	}
	return len(e.Message) >= len(InvalidTokenPrefix) && strings.EqualFold(e.Message[:len(InvalidTokenPrefix)], InvalidTokenPrefix)
}
