package handlers

import "github.com/lambda-durable/durable"

// map9_1: each name is greeted by a step in its own iteration, one at a time.
func map9_1(ctx durable.Context, names []string) ([]string, error) {
	r, err := durable.Map(ctx, "map", names, func(ctx durable.Context, _ int, name string) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return "Hello, " + name + "!", nil
		})
	}, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
