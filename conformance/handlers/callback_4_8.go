package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_8: a callback with a 5 s timeout, then a step, then the
// callback's result: nobody answers, the callback times out and the
// execution fails.
func callback4_8(ctx durable.Context, name string) (string, error) {
	return callbackStepResult(ctx, name, durable.WithCallbackTimeout(5*time.Second))
}
