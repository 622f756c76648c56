package handlers

import (
	"strings"
	"time"

	"github.com/lambda-durable/durable"
)

// child3_11: a child context logs the input, runs a step returning a small
// value and builds a result over the 256 KiB payload limit from it, so that
// it is checkpointed with ReplayChildren and rebuilt on replay (logging the
// input again; the handler shows replay logs).
func child3_11(ctx durable.Context, input string) (int, error) {
	big, err := durable.RunInChildContext(ctx, "large", func(ctx durable.Context) (string, error) {
		ctx.Logger().Info("building a large result for " + input)
		unit, err := durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return "x", nil
		})
		if err != nil {
			return "", err
		}
		return strings.Repeat(unit, 300*1024), nil
	})
	if err != nil {
		return 0, err
	}
	if err := durable.Wait(ctx, "", time.Second); err != nil {
		return 0, err
	}
	return len(big), nil
}
