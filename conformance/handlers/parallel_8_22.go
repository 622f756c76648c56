package handlers

import "github.com/lambda-durable/durable"

// parallel8_22: one failure among four is exactly the tolerated 25%, so all
// branches run.
func parallel8_22(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Parallel(ctx, "pct-boundary",
		durable.Branches(failingBranch(0), constant("b"), constant("c"), constant("d")),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailurePercentage(25))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, true), nil
}
