package handlers

import "github.com/lambda-durable/durable"

// parallel8_4: branches returning a string, a number and an object keep
// their types.
func parallel8_4(ctx durable.Context, _ any) ([]any, error) {
	r, err := durable.Parallel(ctx, "hetero", durable.Branches(
		constant[any]("hello"),
		constant[any](42),
		constant[any](map[string]string{"k": "v"}),
	), durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
