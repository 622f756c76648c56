package handlers

import "github.com/lambda-durable/durable"

// parallel8_8: four branches, complete once two succeeded.
func parallel8_8(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Parallel(ctx, "min-successful",
		durable.Branches(constant("a"), constant("b"), constant("c"), constant("d")),
		durable.WithMaxConcurrency(1), durable.WithMinSuccessful(2))
	if err != nil {
		return counts{}, err
	}
	return project(r, false, false), nil
}
