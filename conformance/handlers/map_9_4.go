package handlers

import "github.com/lambda-durable/durable"

// map9_4: a map over no items completes at once, empty.
func map9_4(ctx durable.Context, numbers []int) ([]int, error) {
	r, err := durable.Map(ctx, "", numbers, double)
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
