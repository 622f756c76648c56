package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// child3_5: a failing child context is caught and a recovery step returns
// the input.
func child3_5(ctx durable.Context, input string) (string, error) {
	_, err := durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return "", errors.New("child step failed")
		}, durable.WithRetry(retry.None()))
	})
	if err == nil {
		return "", errors.New("the failing child context succeeded")
	}
	return durable.Step(ctx, "recover", func(durable.StepContext) (string, error) {
		return input, nil
	})
}
