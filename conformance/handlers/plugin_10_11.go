package handlers

import (
	"io"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/plugin"
)

// operationEndPlugin logs operation-end of every operation with its parent.
func operationEndPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationEnd: r.operationHook("operation-end", "", func(op plugin.OperationInfo) map[string]any {
			return map[string]any{"op": op.ID, "parent": orNone(op.ParentID), "status": string(op.Status)}
		}),
	})}
}

// plugin10_11: a child context runs the greeting step.
func plugin10_11(ctx durable.Context, name string) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return greet(ctx, name)
	})
}
