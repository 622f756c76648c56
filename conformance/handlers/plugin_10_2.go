package handlers

import (
	"io"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// stepOperationPlugin logs operation-start and operation-end of steps, with
// the operation id: requirement plugin/10-2 runs greet with it.
func stepOperationPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationStart: r.operationHook("operation-start", checkpoint.TypeStep, opID),
		OperationEnd:   r.operationHook("operation-end", checkpoint.TypeStep, opStatus),
	})}
}
