package engine

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/lambda-durable/durable/checkpoint"
)

// ErrContextClosed is returned by an operation started on a child context
// that has already completed or was abandoned: its updates are never sent.
var ErrContextClosed = errors.New("durable: operation on a child context that is already closed")

// ErrWaitCancelled is returned by a wait that was cancelled. It matches
// ErrCancelled (errors.Is), like every cancelled operation's error.
var ErrWaitCancelled error = waitCancelled{}

type waitCancelled struct{}

func (waitCancelled) Error() string { return "durable: wait cancelled" }

// Unwrap returns ErrCancelled.
func (waitCancelled) Unwrap() error { return ErrCancelled }

// ErrorType names the error in a recorded ErrorObject.
func (waitCancelled) ErrorType() string { return "WaitCancelled" }

// StepError is the failure of a step whose retries are exhausted (or that
// does not retry). Live and replayed runs return equal StepErrors, so code
// that handles the error behaves the same on replay.
type StepError struct {
	// OperationID and Name identify the step.
	OperationID string
	Name        string
	// Object is the error as the service recorded it.
	Object checkpoint.ErrorObject
}

// Error implements error.
func (e *StepError) Error() string { return describe("step", e.OperationID, e.Name, &e.Object) }

// ErrorObject returns the recorded error.
func (e *StepError) ErrorObject() checkpoint.ErrorObject { return e.Object }

// ErrorType returns the recorded error type.
func (e *StepError) ErrorType() string { return e.Object.ErrorType }

// ErrorData returns the recorded error data.
func (e *StepError) ErrorData() string { return e.Object.ErrorData }

// ChildContextError is the failure of a child context, as recorded.
type ChildContextError struct {
	// OperationID and Name identify the child context.
	OperationID string
	Name        string
	// Object is the error as the service recorded it.
	Object checkpoint.ErrorObject
}

// Error implements error.
func (e *ChildContextError) Error() string {
	return describe("child context", e.OperationID, e.Name, &e.Object)
}

// ErrorObject returns the recorded error.
func (e *ChildContextError) ErrorObject() checkpoint.ErrorObject { return e.Object }

// ErrorType returns the recorded error type.
func (e *ChildContextError) ErrorType() string { return e.Object.ErrorType }

// ErrorData returns the recorded error data.
func (e *ChildContextError) ErrorData() string { return e.Object.ErrorData }

func describe(kind, id, name string, o *checkpoint.ErrorObject) string {
	var b strings.Builder
	b.WriteString(kind)
	if name != "" {
		fmt.Fprintf(&b, " %q", name)
	}
	fmt.Fprintf(&b, " (id %s) failed", id)
	if o.ErrorType != "" {
		b.WriteString(": ")
		b.WriteString(o.ErrorType)
	}
	if o.ErrorMessage != "" {
		b.WriteString(": ")
		b.WriteString(o.ErrorMessage)
	}
	return b.String()
}

// OperationSignature is what identifies an operation's kind for the
// determinism check.
type OperationSignature struct {
	Type    checkpoint.OperationType
	SubType string
	Name    string
}

func (s OperationSignature) String() string {
	return fmt.Sprintf("%s/%s name=%q", s.Type, s.SubType, s.Name)
}

// NonDeterministicExecutionError reports that the workflow asked for a
// different operation than the one recorded at the same position: the code
// changed, or depends on something that is not replay-safe. The execution
// ends FAILED.
type NonDeterministicExecutionError struct {
	OperationID string
	// Recorded is what history holds (zero when history holds nothing at
	// this position: a replay went past the end of a finished execution);
	// Requested is what the code asked for.
	Recorded, Requested OperationSignature
	// Source is the workflow's file:line that asked for the operation (the
	// first caller outside the SDK), when known.
	Source string
}

// Error implements error.
func (e *NonDeterministicExecutionError) Error() string {
	recorded := "nothing"
	if e.Recorded != (OperationSignature{}) {
		recorded = e.Recorded.String()
	}
	msg := fmt.Sprintf("durable: non-deterministic execution at operation %s: history recorded %s, code requested %s",
		e.OperationID, recorded, e.Requested)
	if e.Source != "" {
		msg += " at " + e.Source
	}
	return msg
}

// ErrorType names the error in the ErrorObject.
func (e *NonDeterministicExecutionError) ErrorType() string { return "NonDeterministicExecutionError" }

// ValidationError reports an invalid argument to a durable operation or
// option; it is raised before anything is checkpointed.
type ValidationError struct {
	// Field names what was invalid (e.g. "duration").
	Field string
	// Message says why.
	Message string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("durable: invalid %s: %s", e.Field, e.Message)
}

// ErrorType names the error in the ErrorObject.
func (e *ValidationError) ErrorType() string { return "ValidationError" }

// InvocationError is retryable trouble (a retryable checkpoint error, the
// invocation's deadline): the handler returns it to Lambda, which invokes the
// function again.
type InvocationError struct{ Err error }

// Error implements error.
func (e *InvocationError) Error() string {
	return "durable: invocation failed (retryable): " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *InvocationError) Unwrap() error { return e.Err }

// StepInterruptedError is what the retry strategy of an at-most-once step
// sees when a previous attempt started but never recorded an outcome.
type StepInterruptedError struct {
	OperationID string
	Name        string
	Attempt     int
}

// Error implements error.
func (e *StepInterruptedError) Error() string {
	return fmt.Sprintf("durable: step %q (id %s) attempt %d was interrupted before recording an outcome",
		e.Name, e.OperationID, e.Attempt)
}

// ErrorType names the error in the ErrorObject.
func (e *StepInterruptedError) ErrorType() string { return "StepInterruptedError" }

// PanicError is a panic recovered from user code (a step body or the
// workflow), turned into an error.
type PanicError struct {
	Value any
	Stack string
}

// Error implements error.
func (e *PanicError) Error() string { return fmt.Sprintf("durable: panic: %v", e.Value) }

// ErrorType names the error in the ErrorObject.
func (e *PanicError) ErrorType() string { return "Panic" }

// StackTrace returns the stack at the panic, one frame line per entry.
func (e *PanicError) StackTrace() []string { return strings.Split(strings.TrimSpace(e.Stack), "\n") }

func newPanicError(v any) *PanicError { return &PanicError{Value: v, Stack: string(debug.Stack())} }

// ErrorObjectOf maps err to the service's ErrorObject:
//   - an error that itself has an ErrorObject() checkpoint.ErrorObject method
//     (StepError, ChildContextError, RemoteError...) gives that object
//     unchanged, so recorded errors round-trip;
//   - otherwise ErrorType comes from an ErrorType() string method, else the
//     Go type name of the first error in the Unwrap chain that has a type of
//     its own ("fs.PathError"), else "Error" for errors made by errors.New,
//     fmt.Errorf and errors.Join, as AWS's JS SDK names a plain Error;
//     ErrorData from an ErrorData() string method; StackTrace
//     from a StackTrace() []string method; ErrorMessage is err.Error().
//
// ErrorType, ErrorData and StackTrace methods are looked up along the Unwrap
// chain, so wrapping a recorded error keeps its ErrorType.
func ErrorObjectOf(err error) checkpoint.ErrorObject {
	if err == nil {
		return checkpoint.ErrorObject{}
	}
	if direct, ok := err.(interface{ ErrorObject() checkpoint.ErrorObject }); ok {
		return direct.ErrorObject()
	}
	o := checkpoint.ErrorObject{ErrorMessage: err.Error()}
	var typed interface{ ErrorType() string }
	if errors.As(err, &typed) {
		o.ErrorType = typed.ErrorType()
	} else {
		o.ErrorType = goTypeName(err)
	}
	var data interface{ ErrorData() string }
	if errors.As(err, &data) {
		o.ErrorData = data.ErrorData()
	}
	var st interface{ StackTrace() []string }
	if errors.As(err, &st) {
		o.StackTrace = st.StackTrace()
	}
	return o
}

// ErrorTypePlain is the ErrorType of an error without a type of its own
// (errors.New, fmt.Errorf, errors.Join).
const ErrorTypePlain = "Error"

// goTypeName names err by its Go type, looking through the standard
// library's anonymous wrappers; see ErrorObjectOf.
func goTypeName(err error) string {
	for err != nil {
		name := strings.TrimLeft(fmt.Sprintf("%T", err), "*")
		switch name {
		case "errors.errorString", "fmt.wrapError", "fmt.wrapErrors", "errors.joinError":
		default:
			return name
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			break
		}
		err = u.Unwrap()
	}
	return ErrorTypePlain
}

// RemoteError is an error rebuilt from an ErrorObject (for example the
// failure of a child context or an invoked function). Its ErrorObject method
// returns the object unchanged.
type RemoteError struct{ Object checkpoint.ErrorObject }

// Error implements error.
func (e *RemoteError) Error() string {
	switch {
	case e.Object.ErrorType != "" && e.Object.ErrorMessage != "":
		return e.Object.ErrorType + ": " + e.Object.ErrorMessage
	case e.Object.ErrorMessage != "":
		return e.Object.ErrorMessage
	case e.Object.ErrorType != "":
		return e.Object.ErrorType
	}
	return "durable: unknown error"
}

// ErrorObject returns the object.
func (e *RemoteError) ErrorObject() checkpoint.ErrorObject { return e.Object }

// ErrorType returns the recorded error type.
func (e *RemoteError) ErrorType() string { return e.Object.ErrorType }

// ErrorData returns the recorded error data.
func (e *RemoteError) ErrorData() string { return e.Object.ErrorData }
