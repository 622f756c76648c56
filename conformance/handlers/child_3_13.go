package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// child3_13: a child context holding only a wait, then a step outside it.
func child3_13(ctx durable.Context, input string) (string, error) {
	v, err := durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return input, durable.Wait(ctx, "", time.Second)
	})
	if err != nil {
		return "", err
	}
	return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return v, nil
	})
}
