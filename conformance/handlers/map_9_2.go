package handlers

import "github.com/lambda-durable/durable"

// double returns twice n.
func double(_ durable.Context, _ int, n int) (int, error) { return 2 * n, nil }

// map9_2: an unnamed map doubles each number without a step.
func map9_2(ctx durable.Context, numbers []int) ([]int, error) {
	r, err := durable.Map(ctx, "", numbers, double, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
