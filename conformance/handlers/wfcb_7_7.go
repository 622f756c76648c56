package handlers

import (
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// waitForCallback7_7: the submitter fails on both of its two attempts, so
// the operation fails before anyone answers.
func waitForCallback7_7(ctx durable.Context, name string) (string, error) {
	return durable.WaitForCallback[string](ctx, name, func(sc durable.StepContext, _ string) error {
		return fmt.Errorf("submission attempt %d failed", sc.Attempt())
	}, durable.WithSubmitterOptions(durable.WithRetry(retry.Fixed(2, time.Second))))
}
