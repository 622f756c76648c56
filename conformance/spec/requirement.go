package spec

import (
	"regexp"
	"time"

	"gopkg.in/yaml.v3"
)

// Requirement is one conformance requirement file.
//
// Values taken from YAML are plain Go values: map[string]any, []any, string,
// int64, float64, bool or nil.
type Requirement struct {
	Suite string // folder name, e.g. "step"
	ID    string // file name without extension, e.g. "1-1"
	Path  string // path the file was read from

	Description string // prose
	Handler     string // prose: what the handler does
	Invocations string // prose: what each invocation checkpoints

	// Input is the value the execution starts with (nil for JSON null, which is
	// also what an absent or empty Input means).
	Input any
	// InputJSON is Input encoded the way AWS's Python runner sends it. It is set
	// by Resolve; before that it encodes the unresolved Input.
	InputJSON []byte

	// Variables lists the file's variables in file order, with their
	// expressions (before Resolve) or generated values (after Resolve).
	Variables []Variable

	// ExpectedResult is nil when the file does not state one.
	ExpectedResult *ExpectedResult
	// ExpectedExecutionHistory is the expected events, each a map of the
	// fields to check.
	ExpectedExecutionHistory []map[string]any
	// CallbackActions is what the external system does, in file order.
	CallbackActions []CallbackAction
	// ExpectedLogs is the structured log expectations, in file order.
	ExpectedLogs []LogExpectation

	// Async is true when the file sets AsyncInvoke or async.
	Async bool
	// Optional is true when the file marks the requirement optional.
	Optional bool
	// DefaultRetryParameters is the file's DefaultRetryParameters, or nil.
	DefaultRetryParameters map[string]any

	// Extra holds the keys this package does not know, by name.
	Extra map[string]any

	root *yaml.Node // the parsed document, kept for Resolve
}

// Variable is one entry of a requirement's Variables.
type Variable struct {
	Name  string
	Value string // the expression before Resolve, the generated value after
}

// ExpectedResult is the outcome a requirement expects.
type ExpectedResult struct {
	// ExecutionStatus is the terminal status (SUCCEEDED, FAILED, ...).
	ExecutionStatus string
	// Result is compared with the execution's result after one JSON decode.
	// It is meaningful only when HasResult is true (Result may be nil: JSON null).
	Result    any
	HasResult bool
}

// The operations a CallbackAction can perform.
const (
	CallbackSuccess   = "success"
	CallbackFailure   = "failure"
	CallbackHeartbeat = "heartbeat"
)

// CallbackAction is what the external system does when a CallbackStarted event
// with a matching name appears.
type CallbackAction struct {
	// CallbackName is the name to match; "*" matches any callback.
	CallbackName string
	// Operation is CallbackSuccess, CallbackFailure or CallbackHeartbeat.
	Operation string
	// Payload is the YAML payload (nil when absent; see HasPayload).
	Payload    any
	HasPayload bool
	// Body is the request body of a success: Payload encoded the way Python's
	// json.dumps writes it, or empty when there is no Payload.
	Body []byte
	// Error is the error object of a failure, taken from Payload.
	Error *ErrorObject
	// Delay is how long after the CallbackStarted event the action is sent.
	Delay time.Duration
}

// Matches reports whether the action applies to a callback with the given
// name: CallbackName is "*", the name itself, or a ${/regex/} found in it.
func (a CallbackAction) Matches(name string) bool {
	if re, ok := PlaceholderRegex(a.CallbackName); ok {
		rx, err := regexp.Compile(re) // checked when the file was read
		return err == nil && rx.MatchString(name)
	}
	return a.CallbackName == "*" || a.CallbackName == name
}

// ErrorObject is the error a failure callback reports.
type ErrorObject struct {
	ErrorType    string
	ErrorMessage string
	ErrorData    string
	StackTrace   []string
}

// LogExpectation is one entry of ExpectedLogs.
type LogExpectation struct {
	// Match lists the fields a record must have (ANDed). A string of the form
	// "/.../" is a regular expression searched in the field's value.
	Match map[string]any
	// Count, MinCount and MaxCount bound the number of matching records; nil
	// means unset. With none set, at least one record must match.
	Count, MinCount, MaxCount *int
	// After and Before are anchors: every matching record must come at or after
	// (at or before) every record that matches each anchor.
	After, Before []map[string]any
}
