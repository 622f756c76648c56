package handlers

import (
	"io"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// operationDumpPlugin logs the canonical dump of each step operation hook's
// info.
func operationDumpPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationStart: r.operationHook("operation-start", checkpoint.TypeStep, dumpOperation),
		OperationEnd:   r.operationHook("operation-end", checkpoint.TypeStep, dumpOperation),
	})}
}

// greetTaskA is a step named "greet" that returns "task-a".
func greetTaskA(ctx durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) {
		return "task-a", nil
	})
}
