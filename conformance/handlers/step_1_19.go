package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// step1_19: a step that always fails, without retries.
func step1_19(ctx durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "", errors.New("something went wrong")
	}, durable.WithRetry(retry.None()))
}
