package checkpoint

import (
	"context"
	"errors"
	"fmt"
)

// MaxOperations is the most operations one durable execution may hold (the
// service's limit). Paging through more than that is an error.
const MaxOperations = 3000

// ErrEndlessPaging is wrapped by the error ReadPages returns when the
// service's pages do not end: a NextMarker repeats, or the pages hold more
// operations, or are more, than an execution can hold (MaxOperations).
var ErrEndlessPaging = errors.New("the service's pages do not end")

// ErrInvalidOperation is wrapped by the error ValidateOperations returns.
var ErrInvalidOperation = errors.New("invalid operation")

// statePageSize is the MaxItems of every GetDurableExecutionState call.
const statePageSize = 1000

// ReadPages hands first, then each page that follows it
// (GetDurableExecutionState from first.NextMarker on, with token), to fn in
// order, until a page has no NextMarker or fn fails. It never loops: a
// repeated marker, more than MaxOperations operations or more than
// MaxOperations pages end it with a terminal *Error wrapping
// ErrEndlessPaging.
func ReadPages(ctx context.Context, c Client, arn, token string, first *ExecutionState, fn func(*ExecutionState) error) error {
	var seen map[string]bool
	pages, ops := 0, 0
	for st := first; st != nil; {
		pages++
		ops += len(st.Operations)
		if ops > MaxOperations || pages > MaxOperations {
			return endless(fmt.Sprintf("%d pages holding %d operations, more than an execution can hold (%d)", pages, ops, MaxOperations))
		}
		if err := fn(st); err != nil {
			return err
		}
		marker := st.NextMarker
		if marker == "" {
			return nil
		}
		if seen == nil {
			seen = make(map[string]bool)
		}
		if seen[marker] {
			return endless(fmt.Sprintf("NextMarker %q returned twice", marker))
		}
		seen[marker] = true
		var err error
		st, err = c.GetExecutionState(ctx, &StateInput{DurableExecutionArn: arn, CheckpointToken: token, Marker: marker, MaxItems: statePageSize})
		if err != nil {
			return err
		}
	}
	return nil
}

func endless(msg string) error {
	return &Error{Operation: OpGetExecutionState, Message: ErrEndlessPaging.Error() + ": " + msg, Err: ErrEndlessPaging}
}

// ValidateOperations checks operations received from the service: each has
// an Id and a known Type and Status. The error wraps ErrInvalidOperation.
func ValidateOperations(ops []Operation) error {
	for i := range ops {
		op := &ops[i]
		switch {
		case op.Id == "":
			return fmt.Errorf("%w: operation %d has no Id", ErrInvalidOperation, i)
		case !op.Type.Valid():
			return fmt.Errorf("%w: operation %s has unknown type %q", ErrInvalidOperation, op.Id, op.Type)
		case !op.Status.Valid():
			return fmt.Errorf("%w: operation %s has unknown status %q", ErrInvalidOperation, op.Id, op.Status)
		}
	}
	return nil
}
