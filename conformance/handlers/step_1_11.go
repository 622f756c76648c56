package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// step1_11: a step fails on its first attempt and succeeds on the second.
func step1_11(ctx durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("transient failure")
		}
		return "Operation succeeded", nil
	}, durable.WithRetry(retry.Fixed(3, time.Second)))
}
