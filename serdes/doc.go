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

// Serializer encodes values into the strings the service stores. Options
// that only ever encode (an invoke's payload) take one.
type Serializer interface {
	// Serialize encodes v.
	Serialize(sc Context, v any) (string, error)
}

// Deserializer decodes the strings the service stores. Options that only
// ever decode (a callback's or an invoke's result) take one, so a type with
// just a Deserialize method will do there.
type Deserializer interface {
	// Deserialize decodes data into into, which must be a non-nil pointer.
	// Empty data (a callback completed without a result) decodes to the
	// zero value in the SDK's serdes.
	Deserialize(sc Context, data string, into any) error
}

// Serdes turns values into the strings the service stores, and back: what
// results that are both written and read back on replay need.
type Serdes interface {
	Serializer
	Deserializer
}
