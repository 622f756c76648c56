package handlers

import "github.com/lambda-durable/durable"

// countTo polls a counter that starts at from and grows by one per check,
// until it reaches threshold.
func countTo(ctx durable.Context, from, threshold int, opts ...durable.WaitForConditionOption[int]) (int, error) {
	opts = append([]durable.WaitForConditionOption[int]{
		durable.WithInitialState(from),
		durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= threshold }, nil)),
	}, opts...)
	return durable.WaitForCondition(ctx, "", func(_ durable.StepContext, n int) (int, error) {
		return n + 1, nil
	}, opts...)
}

// waitForCondition6_1: a counter from 0 is polled until it reaches the input.
func waitForCondition6_1(ctx durable.Context, threshold int) (int, error) {
	return countTo(ctx, 0, threshold)
}
