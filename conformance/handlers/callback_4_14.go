package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_14: the handler catches the timeout of a callback with a 3 s
// timeout, waits 2 s and returns.
func callback4_14(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name, durable.WithCallbackTimeout(3*time.Second))
	if err != nil {
		return "", err
	}
	msg, err := cb.Get()
	var timeout *durable.CallbackTimeoutError
	if errors.As(err, &timeout) {
		msg = "callback timed out"
	} else if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "", 2*time.Second); err != nil {
		return "", err
	}
	return msg, nil
}
