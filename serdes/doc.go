// Package serdes turns the values a durable workflow produces into the
// strings the durable execution service stores, and back.
//
// JSON is the default for step results, context results and the workflow's
// input and output. Raw passes strings and byte slices through unchanged and
// is the default for callback results. Typed adapts a pair of functions for
// one Go type into a Serdes.
//
// Every failure is reported as an *Error that names the direction and the
// operation. The engine treats a failed Deserialize as terminal: the stored
// data will not change, so retrying cannot help.
package serdes

// Context tells a Serdes whose data it handles.
type Context struct {
	// OperationID is the id of the durable operation the data belongs to
	// (empty for the execution's own input and output).
	OperationID string
	// ExecutionARN is the durable execution's ARN.
	ExecutionARN string
}

// Serdes turns values into the strings the service stores, and back.
type Serdes interface {
	// Serialize encodes v.
	Serialize(sc Context, v any) (string, error)
	// Deserialize decodes data into into, which must be a non-nil pointer.
	Deserialize(sc Context, data string, into any) error
}
