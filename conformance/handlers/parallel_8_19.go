package handlers

import "github.com/lambda-durable/durable"

// parallel8_19: a max-concurrency of 0 is refused before anything runs, and
// the error fails the execution.
func parallel8_19(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "bad-concurrency",
		durable.Branches(constant("a"), constant("b")), durable.WithMaxConcurrency(0))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
