package handlers

import (
	"context"
	"io"

	"github.com/lambda-durable/durable/plugin"
)

// invocationPlugin logs invocation-start (first) and invocation-end (status).
// Requirement plugin/10-1 runs greet with it: the invocation hooks surround
// the step's log line.
func invocationPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-start", map[string]any{"first": i.IsFirstInvocation})
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-end", map[string]any{"status": string(i.Status)})
		},
	})}
}
