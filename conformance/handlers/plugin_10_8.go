package handlers

import (
	"context"
	"io"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// changedSteps returns an operation-change hook that logs record(op, info)
// for each step among the operations the checkpoint response updated.
func (r *recorder) changedSteps(record func(op plugin.OperationInfo, c plugin.ChangeInfo) map[string]any) func(context.Context, plugin.ChangeInfo) error {
	return func(_ context.Context, c plugin.ChangeInfo) error {
		for _, op := range c.Updated {
			if op.Type != checkpoint.TypeStep {
				continue
			}
			if err := r.log("operation-change", record(op, c)); err != nil {
				return err
			}
		}
		return nil
	}
}

// changePlugin logs, for each step a checkpoint response updated, its id,
// status and whether the full map holds it: requirement plugin/10-8 runs
// greet with it.
func changePlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationChange: r.changedSteps(func(op plugin.OperationInfo, c plugin.ChangeInfo) map[string]any {
			_, inFull := c.Operations[op.ID]
			return map[string]any{"op": op.ID, "status": string(op.Status), "in_full_map": inFull}
		}),
	})}
}
