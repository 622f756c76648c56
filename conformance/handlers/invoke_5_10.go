package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
)

// invoke5_10: the failure of an invoked function is caught, then a wait; the
// replay returns the recorded failure without invoking again.
func invoke5_10(ctx durable.Context, _ any) (string, error) {
	_, err := durable.Invoke[any](ctx, "", failingFunction, any(nil))
	var invokeErr *durable.InvokeError
	if !errors.As(err, &invokeErr) {
		return "", errors.New("the failing invoke did not fail with an InvokeError")
	}
	return "handled", durable.Wait(ctx, "", time.Second)
}
