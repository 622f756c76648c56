package handlers

import "github.com/lambda-durable/durable"

// map9_11: three items, two at a time; results in item order.
func map9_11(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "", []string{"r0", "r1", "r2"}, failOn(), durable.WithMaxConcurrency(2))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
