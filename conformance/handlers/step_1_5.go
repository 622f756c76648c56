package handlers

import "github.com/lambda-durable/durable"

// step1_5: a step that returns null.
func step1_5(ctx durable.Context, _ any) (any, error) {
	return durable.Step(ctx, "", func(durable.StepContext) (any, error) {
		return nil, nil
	})
}
