package handlers

import "github.com/lambda-durable/durable"

// parallel8_7: fail fast (no failure tolerated): branch 0 fails, branch 1
// never starts, and the handler rethrows the failure.
func parallel8_7(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "throwing",
		durable.Branches(failingBranch(0), constant("never")),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(0))
	if err != nil {
		return nil, err
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return r.Results(), nil
}
