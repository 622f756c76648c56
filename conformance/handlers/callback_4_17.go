package handlers

import "github.com/lambda-durable/durable"

// callback4_17: callback A, its result, then callback B, its result.
func callback4_17(ctx durable.Context, names []string) ([]string, error) {
	var results []string
	for _, name := range names {
		cb, err := durable.CreateCallback[string](ctx, name)
		if err != nil {
			return nil, err
		}
		r, err := cb.Get()
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	return results, nil
}
