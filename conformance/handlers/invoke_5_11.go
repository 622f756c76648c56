package handlers

import "github.com/lambda-durable/durable"

// invoke5_11: a step, then an invoke of the echo function with its result.
func invoke5_11(ctx durable.Context, _ any) (string, error) {
	v, err := durable.Step(ctx, "prepare", func(durable.StepContext) (string, error) {
		return "prepared", nil
	})
	if err != nil {
		return "", err
	}
	return durable.Invoke[string](ctx, "", echoFunction, v)
}
