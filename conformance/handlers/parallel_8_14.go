package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// parallel8_14: branch 0 runs a step, branch 1 waits 2 s; the replay skips
// the finished branch 0.
func parallel8_14(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "replay", durable.Branches(
		stepBranch("b0"),
		func(ctx durable.Context) (string, error) {
			return "b1", durable.Wait(ctx, "", 2*time.Second)
		},
	), durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
