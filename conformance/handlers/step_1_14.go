package handlers

import (
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// step1_14: a step fails twice then succeeds, retried after 2 s then 6 s
// (backoff x3, no jitter).
func step1_14(ctx durable.Context, _ any) (string, error) {
	strategy, err := retry.New(retry.Config{
		MaxAttempts:  5,
		InitialDelay: 2 * time.Second,
		MaxDelay:     time.Minute,
		Backoff:      3,
		Jitter:       retry.JitterNone,
	})
	if err != nil {
		return "", err
	}
	return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() < 3 {
			return "", fmt.Errorf("attempt %d failed", sc.Attempt())
		}
		return "succeeded", nil
	}, durable.WithRetry(strategy))
}
