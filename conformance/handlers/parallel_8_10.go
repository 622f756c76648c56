package handlers

import "github.com/lambda-durable/durable"

// parallel8_10: one failure tolerated; the second failure ends the batch
// before branch 2 starts.
func parallel8_10(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Parallel(ctx, "tolerated-exceeded",
		durable.Branches(failingBranch(0), failingBranch(1), constant("never")),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(1))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, false), nil
}
