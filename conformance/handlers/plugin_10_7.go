package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// plugin10_7: a step that always fails, without retries, under
// invocationPlugin: invocation-end reports FAILED.
func plugin10_7(ctx durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "", errors.New("always fails")
	}, durable.WithRetry(retry.None()))
}
