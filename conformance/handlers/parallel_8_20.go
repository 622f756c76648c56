package handlers

import "github.com/lambda-durable/durable"

type accessors struct {
	HasFailure   bool `json:"hasFailure"`
	SuccessCount int  `json:"successCount"`
	FailureCount int  `json:"failureCount"`
	ErrorCount   int  `json:"errorCount"`
}

// parallel8_20: the batch result's accessors after one failure among three.
func parallel8_20(ctx durable.Context, _ any) (accessors, error) {
	r, err := durable.Parallel(ctx, "accessors",
		durable.Branches(constant("a"), failingBranch(1), constant("c")),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(1))
	if err != nil {
		return accessors{}, err
	}
	return accessors{
		HasFailure:   r.HasFailure(),
		SuccessCount: len(r.Succeeded()),
		FailureCount: len(r.Failed()),
		ErrorCount:   len(r.Errors()),
	}, nil
}
