package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lambda-durable/durable/checkpoint"
)

// CompletionReason says why a map or parallel operation completed.
type CompletionReason string

// The completion reasons of the contract. A custom completion check may
// return its own reasons too.
const (
	// CompletionAllCompleted: every item ran to an outcome.
	CompletionAllCompleted CompletionReason = "ALL_COMPLETED"
	// CompletionMinSuccessfulReached: MinSuccessful items succeeded.
	CompletionMinSuccessfulReached CompletionReason = "MIN_SUCCESSFUL_REACHED"
	// CompletionFailureToleranceExceeded: more items failed than tolerated
	// (with no completion criteria at all, the first failure).
	CompletionFailureToleranceExceeded CompletionReason = "FAILURE_TOLERANCE_EXCEEDED"
)

// ItemStatus is the state of one item of a batch when it completed.
type ItemStatus string

// The item statuses.
const (
	// ItemSucceeded: the item returned a result.
	ItemSucceeded ItemStatus = "SUCCEEDED"
	// ItemFailed: the item returned an error.
	ItemFailed ItemStatus = "FAILED"
	// ItemStarted: the item was still running when the batch completed; it
	// was abandoned.
	ItemStarted ItemStatus = "STARTED"
)

// BatchItem is the outcome of one item of a map or branch of a parallel.
type BatchItem[O any] struct {
	// Index is the item's position in the input.
	Index int
	// Name is the item's operation name (empty when unnamed).
	Name string
	// Status is SUCCEEDED, FAILED or STARTED (abandoned).
	Status ItemStatus
	// Result is the item's value when it succeeded.
	Result O
	// Err is the item's error when it failed: a *ChildContextError carrying
	// the recorded ErrorObject, equal on replay.
	Err error
}

// BatchResult is the outcome of a map or parallel operation. Items holds
// the items that started, in index order; items that never started (the
// batch completed first) are absent.
type BatchResult[O any] struct {
	// Items are the started items in index order.
	Items []BatchItem[O]
	// CompletionReason says why the batch completed.
	CompletionReason CompletionReason
}

// Results returns the results of the items that succeeded, in index order.
func (b BatchResult[O]) Results() []O {
	out := make([]O, 0, len(b.Items))
	for _, it := range b.Items {
		if it.Status == ItemSucceeded {
			out = append(out, it.Result)
		}
	}
	return out
}

// Succeeded returns the items that succeeded, in index order.
func (b BatchResult[O]) Succeeded() []BatchItem[O] { return b.with(ItemSucceeded) }

// Failed returns the items that failed, in index order.
func (b BatchResult[O]) Failed() []BatchItem[O] { return b.with(ItemFailed) }

// Started returns the items that were still running when the batch
// completed (abandoned), in index order.
func (b BatchResult[O]) Started() []BatchItem[O] { return b.with(ItemStarted) }

func (b BatchResult[O]) with(s ItemStatus) []BatchItem[O] {
	var out []BatchItem[O]
	for _, it := range b.Items {
		if it.Status == s {
			out = append(out, it)
		}
	}
	return out
}

// Errors returns the errors of the items that failed, in index order.
func (b BatchResult[O]) Errors() []error {
	var out []error
	for _, it := range b.Items {
		if it.Status == ItemFailed {
			out = append(out, it.Err)
		}
	}
	return out
}

// SuccessCount is the number of items that succeeded.
func (b BatchResult[O]) SuccessCount() int { return b.count(ItemSucceeded) }

// FailureCount is the number of items that failed.
func (b BatchResult[O]) FailureCount() int { return b.count(ItemFailed) }

// StartedCount is the number of items abandoned while running.
func (b BatchResult[O]) StartedCount() int { return b.count(ItemStarted) }

// TotalCount is the number of items that started (len(Items)).
func (b BatchResult[O]) TotalCount() int { return len(b.Items) }

func (b BatchResult[O]) count(s ItemStatus) int {
	n := 0
	for _, it := range b.Items {
		if it.Status == s {
			n++
		}
	}
	return n
}

// HasFailure reports whether any item failed.
func (b BatchResult[O]) HasFailure() bool { return b.count(ItemFailed) > 0 }

// Status is FAILED when any item failed, else SUCCEEDED.
func (b BatchResult[O]) Status() checkpoint.Status {
	if b.HasFailure() {
		return checkpoint.StatusFailed
	}
	return checkpoint.StatusSucceeded
}

// Err returns nil when no item failed, else a *BatchError holding every
// item error (errors.As finds the first one of a given type).
func (b BatchResult[O]) Err() error {
	errs := b.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &BatchError{Reason: b.CompletionReason, Total: len(b.Items), Errors: errs}
}

// BatchError reports the failed items of a map or parallel operation (see
// BatchResult.Err). Its ErrorType, ErrorData and StackTrace are those of the
// first failure, so a workflow that returns it fails the way the first item
// failed.
type BatchError struct {
	// Reason is the batch's completion reason.
	Reason CompletionReason
	// Total is the number of items that started.
	Total int
	// Errors are the item errors in index order (at least one).
	Errors []error
}

// Error implements error.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "durable: %d of %d items failed", len(e.Errors), e.Total)
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	if len(e.Errors) > 0 && e.Errors[0] != nil {
		b.WriteString(": ")
		b.WriteString(e.Errors[0].Error())
	}
	return b.String()
}

// Unwrap returns the item errors.
func (e *BatchError) Unwrap() []error { return e.Errors }

// ErrorObject maps the error to the first failure's object with this
// error's message, so the execution's recorded error names the batch.
func (e *BatchError) ErrorObject() checkpoint.ErrorObject {
	var o checkpoint.ErrorObject
	if len(e.Errors) > 0 {
		o = ErrorObjectOf(e.Errors[0])
	}
	if o.ErrorType == "" {
		o.ErrorType = "BatchError"
	}
	o.ErrorMessage = e.Error()
	return o
}

// AggregateError is the failure of Any when every future failed.
type AggregateError struct {
	// Errors are the futures' errors in argument order.
	Errors []error
}

// Error implements error.
func (e *AggregateError) Error() string {
	if len(e.Errors) == 0 {
		return "durable: no future to wait for"
	}
	return fmt.Sprintf("durable: all %d futures failed: %v", len(e.Errors), errors.Join(e.Errors...))
}

// Unwrap returns the futures' errors.
func (e *AggregateError) Unwrap() []error { return e.Errors }

// ErrorType names the error in the ErrorObject.
func (e *AggregateError) ErrorType() string { return "AggregateError" }
