package handlers

import (
	"fmt"

	"github.com/lambda-durable/durable"
)

// step1_13: a step fails twice and succeeds on its third attempt, with the
// default retry strategy.
func step1_13(ctx durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() < 3 {
			return "", fmt.Errorf("attempt %d failed", sc.Attempt())
		}
		return "succeeded", nil
	})
}
