package handlers

import "github.com/lambda-durable/durable"

// map9_8: one failure among three items is tolerated, so all items run.
func map9_8(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Map(ctx, "", []string{"a", "b", "c"}, failOn(1),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(1))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, true), nil
}
