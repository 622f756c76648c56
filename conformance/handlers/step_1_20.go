package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// step1_20: a failing step is caught, and a second step succeeds.
func step1_20(ctx durable.Context, _ any) (string, error) {
	_, err := durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "", errors.New("primary failed")
	}, durable.WithRetry(retry.None()))
	if err == nil {
		return "", errors.New("the failing step succeeded")
	}
	return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "fallback_result", nil
	})
}
