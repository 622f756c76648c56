package handlers

import "github.com/lambda-durable/durable"

// step1_2: a single step with an explicit name.
func step1_2(ctx durable.Context, name string) (string, error) {
	return durable.Step(ctx, "custom_step_name", func(durable.StepContext) (string, error) {
		return "Hello, " + name + "!", nil
	})
}
