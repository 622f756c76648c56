package handlers

import (
	"io"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// waitOperationPlugin logs operation-start and operation-end of waits, with
// the operation id and type: requirement plugin/10-10 runs waitTwoSeconds
// with it.
func waitOperationPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationStart: r.operationHook("operation-start", checkpoint.TypeWait, func(op plugin.OperationInfo) map[string]any {
			return map[string]any{"op": op.ID, "type": string(op.Type)}
		}),
		OperationEnd: r.operationHook("operation-end", checkpoint.TypeWait, func(op plugin.OperationInfo) map[string]any {
			return map[string]any{"op": op.ID, "type": string(op.Type), "status": string(op.Status)}
		}),
	})}
}
