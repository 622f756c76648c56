package handlers

import "github.com/lambda-durable/durable"

// parallel8_16: every branch fails within a tolerance of three failures.
func parallel8_16(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Parallel(ctx, "all-fail",
		durable.Branches(failingBranch(0), failingBranch(1), failingBranch(2)),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(3))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, true), nil
}
