package handlers

import "github.com/lambda-durable/durable"

// waitForCondition6_2: the condition holds at the first check (state 5,
// unchanged), so the operation completes without suspending.
func waitForCondition6_2(ctx durable.Context, threshold int) (int, error) {
	return durable.WaitForCondition(ctx, "", func(_ durable.StepContext, n int) (int, error) {
		return n, nil
	}, durable.WithInitialState(5), durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= threshold }, nil)))
}
