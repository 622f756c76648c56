package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// child3_10: a child context runs a step then a wait, and returns the input.
func child3_10(ctx durable.Context, input string) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		v, err := durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return input, nil
		})
		if err != nil {
			return "", err
		}
		return v, durable.Wait(ctx, "", time.Second)
	})
}
