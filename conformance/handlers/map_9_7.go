package handlers

import "github.com/lambda-durable/durable"

// map9_7: four items, complete once two succeeded.
func map9_7(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Map(ctx, "", []string{"a", "b", "c", "d"}, failOn(),
		durable.WithMaxConcurrency(1), durable.WithMinSuccessful(2))
	if err != nil {
		return counts{}, err
	}
	return project(r, false, false), nil
}
