package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// step1_10: a step that fails for good, caught, then a wait; the replay
// returns the recorded error without running the step again.
func step1_10(ctx durable.Context, _ any) (any, error) {
	_, err := durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("step executed")
		return "", errors.New("step failed")
	}, durable.WithRetry(retry.None()))
	if err == nil {
		return nil, errors.New("the failing step succeeded")
	}
	return nil, durable.Wait(ctx, "", time.Second)
}
