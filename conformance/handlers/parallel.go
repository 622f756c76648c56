package handlers

import (
	"fmt"

	"github.com/lambda-durable/durable"
)

// constant is a branch that returns v without any durable operation.
func constant[O any](v O) func(durable.Context) (O, error) {
	return func(durable.Context) (O, error) { return v, nil }
}

// failingBranch is a branch that fails.
func failingBranch(i int) func(durable.Context) (string, error) {
	return func(durable.Context) (string, error) {
		return "", fmt.Errorf("branch %d failed", i)
	}
}

// counts projects a batch result on its completion reason and counts.
type counts struct {
	CompletionReason string `json:"completionReason"`
	Status           string `json:"status,omitempty"`
	SuccessCount     int    `json:"successCount"`
	FailureCount     *int   `json:"failureCount,omitempty"`
	TotalCount       int    `json:"totalCount"`
}

// project builds the counts of r, with the failure count and the status
// when asked for.
func project[O any](r *durable.BatchResult[O], withFailures, withStatus bool) counts {
	c := counts{
		CompletionReason: string(r.CompletionReason),
		SuccessCount:     r.SuccessCount(),
		TotalCount:       r.TotalCount(),
	}
	if withFailures {
		n := r.FailureCount()
		c.FailureCount = &n
	}
	if withStatus {
		c.Status = string(r.Status())
	}
	return c
}
