package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
)

// waitForCondition6_8: the check fails at once and the handler recovers.
func waitForCondition6_8(ctx durable.Context, _ any) (string, error) {
	_, err := durable.WaitForCondition(ctx, "", failingCheck, durable.WithWaitStrategy(durable.WaitUntil(func(int) bool { return true }, nil)))
	var stepErr *durable.StepError
	if !errors.As(err, &stepErr) {
		return "", errors.New("the failing check did not fail the operation with a StepError")
	}
	return "recovered", nil
}
