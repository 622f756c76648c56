package handlers

import (
	"fmt"

	"github.com/lambda-durable/durable"
)

// failOn returns a map function that returns item, except for the item at
// index bad, which fails.
func failOn(bad ...int) func(durable.Context, int, string) (string, error) {
	return func(_ durable.Context, i int, item string) (string, error) {
		for _, b := range bad {
			if i == b {
				return "", fmt.Errorf("item %d failed", i)
			}
		}
		return item, nil
	}
}

// map9_5: fail fast (no failure tolerated): item 1 fails and item 2 never
// starts; the map returns its result rather than an error.
func map9_5(ctx durable.Context, _ any) (counts, error) {
	r, err := durable.Map(ctx, "", []string{"ok", "bad", "never"}, failOn(1),
		durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(0))
	if err != nil {
		return counts{}, err
	}
	return project(r, true, true), nil
}
