package serdes

import (
	"errors"
	"strings"
)

// The values of Error.Op.
const (
	OpSerialize   = "serialize"
	OpDeserialize = "deserialize"
)

// ErrNilPointer is wrapped by the *Error returned when Deserialize is given
// something other than a non-nil pointer.
var ErrNilPointer = errors.New("destination must be a non-nil pointer")

// ErrUnsupported is wrapped by the *Error returned when a Serdes cannot handle
// a value's type (for example Raw given a struct).
var ErrUnsupported = errors.New("unsupported type")

// Error is a failed serialization or deserialization.
type Error struct {
	// Op is OpSerialize or OpDeserialize.
	Op string
	// OperationID is the id of the operation whose data failed (may be empty).
	OperationID string
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("serdes: ")
	b.WriteString(e.Op)
	if e.OperationID != "" {
		b.WriteString(" operation ")
		b.WriteString(e.OperationID)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

func serErr(sc Context, err error) error {
	return &Error{Op: OpSerialize, OperationID: sc.OperationID, Err: err}
}

func deErr(sc Context, err error) error {
	return &Error{Op: OpDeserialize, OperationID: sc.OperationID, Err: err}
}
