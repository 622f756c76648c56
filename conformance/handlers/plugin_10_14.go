package handlers

import (
	"errors"
	"io"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
	"github.com/lambda-durable/durable/retry"
)

// outcomePlugin logs operation-end of steps with the recorded result and
// error message ("NONE" when absent).
func outcomePlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationEnd: r.operationHook("operation-end", checkpoint.TypeStep, func(op plugin.OperationInfo) map[string]any {
			msg := ""
			if op.Error != nil {
				msg = op.Error.ErrorMessage
			}
			return map[string]any{"op": op.ID, "status": string(op.Status), "result": orNone(op.Result), "error": orNone(msg)}
		}),
	})}
}

// plugin10_14: step A returns "task-a", then step B fails with "boom"
// without retries.
func plugin10_14(ctx durable.Context, _ any) (string, error) {
	if _, err := durable.Step(ctx, "a", func(durable.StepContext) (string, error) {
		return "task-a", nil
	}); err != nil {
		return "", err
	}
	return durable.Step(ctx, "b", func(durable.StepContext) (string, error) {
		return "", errors.New("boom")
	}, durable.WithRetry(retry.None()))
}
