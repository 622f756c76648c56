package handlers

import "github.com/lambda-durable/durable"

// stepBranch is a branch that returns v from a step.
func stepBranch(v string) func(durable.Context) (string, error) {
	return func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) { return v, nil })
	}
}

// parallel8_1: two branches run one at a time, each a step returning a
// constant; the handler returns the results in branch order.
func parallel8_1(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "parallel",
		durable.Branches(stepBranch("task-1"), stepBranch("task-2")),
		durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
