package handlers

import "github.com/lambda-durable/durable"

// waitForCallback7_8: a wait-for-callback inside a child context named
// "wrapper", whose result the child context returns.
func waitForCallback7_8(ctx durable.Context, name string) (string, error) {
	return durable.RunInChildContext(ctx, "wrapper", func(ctx durable.Context) (string, error) {
		return durable.WaitForCallback[string](ctx, name, submitNothing)
	})
}
