package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// child3_7: a step in a child context fails once, is retried and returns the
// input.
func child3_7(ctx durable.Context, input string) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
			if sc.Attempt() == 1 {
				return "", errors.New("first attempt fails")
			}
			return input, nil
		}, durable.WithRetry(retry.Fixed(2, time.Second)))
	})
}
