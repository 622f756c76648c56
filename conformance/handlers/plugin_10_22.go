package handlers

import (
	"io"

	"github.com/lambda-durable/durable/plugin"
)

// changeDumpPlugin logs the canonical dump of each step a checkpoint response
// updated, with the change's own fields: requirement plugin/10-22 runs
// greetTaskA with it.
func changeDumpPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationChange: r.changedSteps(func(op plugin.OperationInfo, c plugin.ChangeInfo) map[string]any {
			d := dumpOperation(op)
			_, d["inFullMap"] = c.Operations[op.ID]
			d["executionArn"] = c.ExecutionARN
			d["updatedOperationsCount"] = len(c.Updated)
			d["operationsCount"] = len(c.Operations)
			return d
		}),
	})}
}
