package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// waitForCallback7_5: nobody answers within the 3 s timeout and the handler
// lets the timeout through.
func waitForCallback7_5(ctx durable.Context, name string) (string, error) {
	return durable.WaitForCallback[string](ctx, name, submitNothing, durable.WithCallbackTimeout(3*time.Second))
}
