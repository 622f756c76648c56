package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_13: the handler catches the callback's failure, waits 2 s and
// returns a message about it.
func callback4_13(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name)
	if err != nil {
		return "", err
	}
	msg, err := cb.Get()
	var cbErr *durable.CallbackError
	if errors.As(err, &cbErr) {
		msg = "callback failed: " + cbErr.Error()
	} else if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "", 2*time.Second); err != nil {
		return "", err
	}
	return msg, nil
}
