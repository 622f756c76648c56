package handlers

import (
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// child3_8: a step in a child context always fails; after two attempts the
// child context fails.
func child3_8(ctx durable.Context, _ any) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
			return "", fmt.Errorf("attempt %d failed", sc.Attempt())
		}, durable.WithRetry(retry.Fixed(2, time.Second)))
	})
}
