package engine

import (
	"fmt"
	"math"

	"github.com/lambda-durable/durable/serdes"
)

// BatchOptions configures a map or parallel operation.
type BatchOptions struct {
	// MaxConcurrency bounds the items running at once (nil: unbounded). It
	// must be at least 1.
	MaxConcurrency *int
	// Completion decides when the batch completes (zero value: when every
	// item is done, or at the first failure).
	Completion Completion
	// ItemSerdes encodes each item's result (nil: the handler's serdes).
	ItemSerdes serdes.Serdes
	// Serdes encodes the whole BatchResult[O] value stored as the batch's
	// result (nil: a JSON form whose item results use ItemSerdes).
	Serdes serdes.Serdes
	// Flat runs the items in virtual child contexts that are not
	// checkpointed: the items' operations are recorded as children of the
	// batch's context, and an item's outcome is rebuilt on replay by running
	// it again over its recorded operations.
	Flat bool
	// ItemName names item i's operation ("" or nil: unnamed).
	ItemName func(i int) string
}

// Completion says when a batch completes. With no field set, the batch
// completes when every item is done or, at the first failure, with
// FAILURE_TOLERANCE_EXCEEDED (fail fast).
type Completion struct {
	// MinSuccessful completes the batch (MIN_SUCCESSFUL_REACHED) once this
	// many items succeeded (at least 1).
	MinSuccessful *int
	// ToleratedFailureCount completes the batch
	// (FAILURE_TOLERANCE_EXCEEDED) once more items than this failed.
	ToleratedFailureCount *int
	// ToleratedFailurePercentage completes the batch
	// (FAILURE_TOLERANCE_EXCEEDED) once the failed items exceed this
	// percentage (0 to 100) of all items.
	ToleratedFailurePercentage *float64
	// Check, when set, is asked after each item completes; a non-empty
	// reason completes the batch with that reason. When it returns "" the
	// other criteria apply.
	Check func(BatchProgress) CompletionReason
}

// BatchProgress is the state of a batch when an item completes.
type BatchProgress struct {
	// Total is the number of items of the batch.
	Total int
	// Started, Succeeded and Failed count the items started, succeeded and
	// failed so far.
	Started, Succeeded, Failed int
}

func (o *BatchOptions) validate() error {
	if o.MaxConcurrency != nil && *o.MaxConcurrency < 1 {
		return &ValidationError{Field: "max concurrency", Message: fmt.Sprintf("must be at least 1, got %d", *o.MaxConcurrency)}
	}
	c := &o.Completion
	if c.MinSuccessful != nil && *c.MinSuccessful < 1 {
		return &ValidationError{Field: "min successful", Message: fmt.Sprintf("must be at least 1, got %d", *c.MinSuccessful)}
	}
	if c.ToleratedFailureCount != nil && *c.ToleratedFailureCount < 0 {
		return &ValidationError{Field: "tolerated failure count", Message: fmt.Sprintf("must not be negative, got %d", *c.ToleratedFailureCount)}
	}
	if p := c.ToleratedFailurePercentage; p != nil && (math.IsNaN(*p) || *p < 0 || *p > 100) {
		return &ValidationError{Field: "tolerated failure percentage", Message: fmt.Sprintf("must be between 0 and 100, got %v", *p)}
	}
	return nil
}

// decide returns the reason the batch completes now, or "".
func (c *Completion) decide(p BatchProgress) CompletionReason {
	if c.Check != nil {
		if r := c.Check(p); r != "" {
			return r
		}
	}
	if p.Failed > 0 {
		none := c.MinSuccessful == nil && c.ToleratedFailureCount == nil && c.ToleratedFailurePercentage == nil && c.Check == nil
		switch {
		case none,
			c.ToleratedFailureCount != nil && p.Failed > *c.ToleratedFailureCount,
			c.ToleratedFailurePercentage != nil && float64(p.Failed)*100/float64(p.Total) > *c.ToleratedFailurePercentage:
			return CompletionFailureToleranceExceeded
		}
	}
	if p.Succeeded+p.Failed == p.Total {
		return CompletionAllCompleted
	}
	if c.MinSuccessful != nil && p.Succeeded >= *c.MinSuccessful {
		return CompletionMinSuccessfulReached
	}
	return ""
}
