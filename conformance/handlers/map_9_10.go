package handlers

import "github.com/lambda-durable/durable"

// map9_10: 25% of four items may fail; the second failure (50%) ends the
// map.
func map9_10(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Map(ctx, "", []string{"a", "b", "c", "d"}, failOn(0, 1),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailurePercentage(25))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, false), nil
}
