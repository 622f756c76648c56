package handlers

import "github.com/lambda-durable/durable"

// parallel8_17: three successes are required but one branch fails; all
// branches run.
func parallel8_17(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Parallel(ctx, "min-not-reached",
		durable.Branches(constant("a"), failingBranch(1), constant("c")),
		durable.WithMaxConcurrency(1), durable.WithMinSuccessful(3))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, true), nil
}
