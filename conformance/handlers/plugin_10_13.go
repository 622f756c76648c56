package handlers

import (
	"errors"
	"io"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
	"github.com/lambda-durable/durable/retry"
)

// replayPlugin logs operation-start (with the replay flag) and operation-end
// of steps.
func replayPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationStart: r.operationHook("operation-start", checkpoint.TypeStep, func(op plugin.OperationInfo) map[string]any {
			return map[string]any{"op": op.ID, "replay": op.IsReplay}
		}),
		OperationEnd: r.operationHook("operation-end", checkpoint.TypeStep, opStatus),
	})}
}

// plugin10_13: step A succeeds; step B fails once and succeeds on its retry.
func plugin10_13(ctx durable.Context, _ any) (string, error) {
	if _, err := durable.Step(ctx, "a", func(durable.StepContext) (string, error) {
		return "a", nil
	}); err != nil {
		return "", err
	}
	return durable.Step(ctx, "b", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("first attempt fails")
		}
		return "Operation succeeded", nil
	}, durable.WithRetry(retry.Fixed(2, time.Second)))
}
