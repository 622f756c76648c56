package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
)

// failingCheck is a wait-for-condition check that fails.
func failingCheck(durable.StepContext, int) (int, error) {
	return 0, errors.New("the check failed")
}

// waitForCondition6_7: the check fails at once; the operation fails without
// retry and so does the execution.
func waitForCondition6_7(ctx durable.Context, _ any) (int, error) {
	return durable.WaitForCondition(ctx, "", failingCheck, durable.WithWaitStrategy(durable.WaitUntil(func(int) bool { return true }, nil)))
}
