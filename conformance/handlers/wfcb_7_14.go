package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
)

// waitForCallback7_14: the handler catches the timeout of a wait-for-callback
// with a 3 s timeout and returns a fixed message.
func waitForCallback7_14(ctx durable.Context, name string) (string, error) {
	v, err := durable.WaitForCallback[string](ctx, name, submitNothing, durable.WithCallbackTimeout(3*time.Second))
	var timeout *durable.CallbackTimeoutError
	if errors.As(err, &timeout) {
		return "timed-out-handled", nil
	}
	return v, err
}
