package handlers

import "github.com/lambda-durable/durable"

// waitForCondition6_10: the check returns null and polling stops at once.
func waitForCondition6_10(ctx durable.Context, _ any) (*int, error) {
	return durable.WaitForCondition(ctx, "", func(durable.StepContext, *int) (*int, error) {
		return nil, nil
	}, durable.WithWaitStrategy(durable.WaitUntil(func(*int) bool { return true }, nil)))
}
