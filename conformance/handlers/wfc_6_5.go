package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// waitForCondition6_5: a counter from 0 is polled every 2 s exactly until it
// reaches the input.
func waitForCondition6_5(ctx durable.Context, threshold int) (int, error) {
	return durable.WaitForCondition(ctx, "", func(_ durable.StepContext, n int) (int, error) {
		return n + 1, nil
	}, durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= threshold }, retry.Fixed(60, 2*time.Second))))
}
