package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// step1_8: a step followed by a wait; the replay skips the completed step.
func step1_8(ctx durable.Context, _ any) (string, error) {
	v, err := durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "computed", nil
	})
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "", 2*time.Second); err != nil {
		return "", err
	}
	return v, nil
}
