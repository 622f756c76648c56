package handlers

import "github.com/lambda-durable/durable"

// invoke5_5: the invoked function fails; the error fails the execution.
func invoke5_5(ctx durable.Context, _ any) (any, error) {
	return durable.Invoke[any](ctx, "", failingFunction, any(nil))
}
