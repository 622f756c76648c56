package handlers

import "github.com/lambda-durable/durable"

// waitForCondition6_4: a counter from the initial state 5 is polled until it
// reaches the input, each check continuing from the recorded state.
func waitForCondition6_4(ctx durable.Context, threshold int) (int, error) {
	return countTo(ctx, 5, threshold)
}
