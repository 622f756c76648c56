package handlers

import "github.com/lambda-durable/durable"

// step1_1: a single step that takes the input and returns a greeting.
func step1_1(ctx durable.Context, name string) (string, error) {
	return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "Hello, " + name + "!", nil
	})
}
