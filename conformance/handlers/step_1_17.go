package handlers

import (
	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/retry"
)

// step1_17: an at-most-once step without retries logs its input and crashes
// the runtime; the next invocation finds the attempt interrupted and fails
// the step for good.
func step1_17(env harness.Env) harness.Deployment {
	h := newHandler(env, func(ctx durable.Context, input string) (string, error) {
		return durable.Step(ctx, "at_most_once_flaky_step", func(sc durable.StepContext) (string, error) {
			sc.Logger().Info("processing " + input)
			exitRuntime(sc)
			return "unreachable", nil
		}, durable.WithAtMostOncePerRetry(), durable.WithRetry(retry.None()))
	})
	return harness.Deployment{Handler: crashable{h}}
}
