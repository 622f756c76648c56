package handlers

import "github.com/lambda-durable/durable"

// callback4_1: a callback named after the input; the handler returns its result.
func callback4_1(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name)
	if err != nil {
		return "", err
	}
	return cb.Get()
}
