package handlers

import "github.com/lambda-durable/durable"

// child3_1: a child context runs one step that returns the input.
func child3_1(ctx durable.Context, input string) (string, error) {
	return durable.RunInChildContext(ctx, "", func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return input, nil
		})
	})
}
