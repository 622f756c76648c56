package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// child3_4: a step in a child context fails without retry; the child context
// fails and so does the execution.
func child3_4(ctx durable.Context, _ any) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return "", errors.New("child step failed")
		}, durable.WithRetry(retry.None()))
	})
}
