package handlers

import "github.com/lambda-durable/durable"

// parallel8_11: three branches, two at a time; results in branch order.
func parallel8_11(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "concurrent",
		durable.Branches(constant("r0"), constant("r1"), constant("r2")),
		durable.WithMaxConcurrency(2))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
