package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// waitForCallback7_10: a 1 s wait, a step, then a wait-for-callback whose
// answer the handler returns.
func waitForCallback7_10(ctx durable.Context, name string) (string, error) {
	if err := durable.Wait(ctx, "", time.Second); err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "fetch", func(durable.StepContext) (map[string]int, error) {
		return map[string]int{"items": 3}, nil
	}); err != nil {
		return "", err
	}
	return durable.WaitForCallback[string](ctx, name, submitNothing)
}
