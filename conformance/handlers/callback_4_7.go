package handlers

import "github.com/lambda-durable/durable"

// callbackStepResult creates a callback, runs a step, then waits for the
// callback's result.
func callbackStepResult(ctx durable.Context, name string, opts ...durable.CallbackOption) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name, opts...)
	if err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "prepare", func(durable.StepContext) (string, error) {
		return "prepared", nil
	}); err != nil {
		return "", err
	}
	return cb.Get()
}

// callback4_7: a callback, then a step, then the callback's result: the
// external system fails the callback and the handler lets the error through.
func callback4_7(ctx durable.Context, name string) (string, error) {
	return callbackStepResult(ctx, name)
}
