package handlers

import "github.com/lambda-durable/durable"

// parallel8_13: 25% of four branches may fail; the second failure (50%) ends
// the batch.
func parallel8_13(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Parallel(ctx, "tolerated-pct",
		durable.Branches(failingBranch(0), failingBranch(1), constant("c"), constant("d")),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailurePercentage(25))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, false), nil
}
