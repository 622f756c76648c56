package handlers

import "github.com/lambda-durable/durable"

// callback4_2: a callback named "approval"; the handler returns its result.
func callback4_2(ctx durable.Context, _ any) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return "", err
	}
	return cb.Get()
}
