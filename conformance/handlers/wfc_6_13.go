package handlers

import "github.com/lambda-durable/durable"

// waitForCondition6_13: two wait-for-conditions back to back, the second
// starting from the first one's result.
func waitForCondition6_13(ctx durable.Context, _ any) (int, error) {
	n, err := countTo(ctx, 0, 2)
	if err != nil {
		return 0, err
	}
	return countTo(ctx, n, 4)
}
