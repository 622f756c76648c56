package handlers

import "github.com/lambda-durable/durable"

// waitForCallback7_2: a wait-for-callback named "approval".
func waitForCallback7_2(ctx durable.Context, _ any) (string, error) {
	return durable.WaitForCallback[string](ctx, "approval", submitNothing)
}
