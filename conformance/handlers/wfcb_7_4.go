package handlers

import "github.com/lambda-durable/durable"

// waitForCallback7_4: the external system fails the callback and the handler
// lets the error through.
func waitForCallback7_4(ctx durable.Context, name string) (string, error) {
	return durable.WaitForCallback[string](ctx, name, submitNothing)
}
