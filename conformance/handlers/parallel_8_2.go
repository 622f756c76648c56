package handlers

import "github.com/lambda-durable/durable"

// parallel8_2: an unnamed parallel of two branches returning constants.
func parallel8_2(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "", durable.Branches(constant("alpha"), constant("beta")), durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
