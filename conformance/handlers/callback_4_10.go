package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_10: a callback, a 5 s wait, then the callback's result; the
// external system fails the callback during the wait.
func callback4_10(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name)
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "", 5*time.Second); err != nil {
		return "", err
	}
	return cb.Get()
}
