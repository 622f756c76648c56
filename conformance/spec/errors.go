package spec

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error that reports a malformed requirement file.
var ErrInvalid = errors.New("invalid requirement")

// Error reports a problem in a requirement file: which file, where, and which key.
type Error struct {
	File string // path of the file, as given to Load
	Line int    // 1-based line of the offending node; 0 when unknown
	Key  string // dotted path of the key, e.g. "ExpectedLogs[2].count"; empty for the whole file
	Err  error  // what is wrong
}

// Error formats the problem as "file:line: key: message".
func (e *Error) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key == "" {
		return where + ": " + e.Err.Error()
	}
	return where + ": " + e.Key + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports that every Error is an ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }
