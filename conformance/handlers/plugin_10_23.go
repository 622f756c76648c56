package handlers

import (
	"io"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// contextDumpPlugin logs the canonical dump of each context operation's
// start, and of each run of a context's function (fn-start).
func contextDumpPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		OperationStart: r.operationHook("operation-start", checkpoint.TypeContext, dumpOperation),
		AttemptStart: r.attemptHook("fn-start", checkpoint.TypeContext, func(a plugin.AttemptInfo) map[string]any {
			d := dumpOperation(a.OperationInfo)
			d["isReplayingChildren"] = a.IsReplayingChildren
			return d
		}),
	})}
}

// plugin10_23: a parallel "ctx" of branch-a (a step, a 2 s wait) and
// branch-b, one at a time.
func plugin10_23(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Parallel(ctx, "ctx", []durable.Branch[string]{
		{Name: "branch-a", Func: func(ctx durable.Context) (string, error) {
			if _, err := durable.Step(ctx, "inner", func(durable.StepContext) (string, error) {
				return "x", nil
			}); err != nil {
				return "", err
			}
			return "a-done", durable.Wait(ctx, "", 2*time.Second)
		}},
		{Name: "branch-b", Func: constant("b-done")},
	}, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
