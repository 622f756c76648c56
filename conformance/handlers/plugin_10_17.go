package handlers

import (
	"context"
	"io"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// healthyPlugin logs every invocation hook, and the operation and attempt
// hooks of steps.
func healthyPlugin(w io.Writer) plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN-HEALTHY")
	return r.instrument(plugin.Plugin{
		InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-start", map[string]any{"first": i.IsFirstInvocation})
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-end", map[string]any{"status": string(i.Status)})
		},
		OperationStart: r.operationHook("operation-start", checkpoint.TypeStep, opID),
		OperationEnd:   r.operationHook("operation-end", checkpoint.TypeStep, opStatus),
		AttemptStart: r.attemptHook("attempt-start", checkpoint.TypeStep, func(a plugin.AttemptInfo) map[string]any {
			return opID(a.OperationInfo)
		}),
		AttemptEnd: r.attemptHook("attempt-end", checkpoint.TypeStep, func(a plugin.AttemptInfo) map[string]any {
			return map[string]any{"op": a.ID, "outcome": string(a.Status)}
		}),
	})
}

// faultyThenHealthy installs the faulty plugin, then the healthy one:
// requirement plugin/10-17 runs greet with them.
func faultyThenHealthy(w io.Writer) []plugin.Plugin {
	return []plugin.Plugin{faultyPlugin(w), healthyPlugin(w)}
}
