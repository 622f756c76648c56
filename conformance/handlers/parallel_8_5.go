package handlers

import "github.com/lambda-durable/durable"

// parallel8_5: a parallel without branches completes at once, empty.
func parallel8_5(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel[string](ctx, "empty", nil)
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
