package engine

import "fmt"

// PayloadTooLargeError reports an operation result that is larger than the
// service stores for one operation (MaxPayloadBytes, 256 KiB by default).
// The step fails with it instead of sending a checkpoint the service would
// reject; it is not retried, since the same result would be too large again.
// The workflow sees it, like every step failure, as a *StepError whose
// ErrorType is "PayloadTooLargeError".
type PayloadTooLargeError struct {
	// OperationID is the operation whose result was too large.
	OperationID string
	// Size is the serialized result's size in bytes.
	Size int
	// Limit is the largest payload allowed, in bytes.
	Limit int
}

// Error implements error.
func (e *PayloadTooLargeError) Error() string {
	return fmt.Sprintf("durable: operation %s: serialized result is %d bytes, over the %d-byte payload limit", e.OperationID, e.Size, e.Limit)
}

// ErrorType names the error in the ErrorObject recorded for the step.
func (e *PayloadTooLargeError) ErrorType() string { return "PayloadTooLargeError" }
