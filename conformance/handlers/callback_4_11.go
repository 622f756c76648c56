package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_11: a callback with a 3 s timeout, a 6 s wait, then the
// callback's result: the callback times out during the wait.
func callback4_11(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name, durable.WithCallbackTimeout(3*time.Second))
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "", 6*time.Second); err != nil {
		return "", err
	}
	return cb.Get()
}
