package handlers

import (
	"context"
	"io"

	"github.com/lambda-durable/durable/plugin"
)

// invocationEndPlugin logs invocation-start (first) and invocation-end
// (first, terminal, status): requirement plugin/10-16 runs waitTwoSeconds
// with it.
func invocationEndPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-start", map[string]any{"first": i.IsFirstInvocation})
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-end", map[string]any{
				"first": i.IsFirstInvocation, "terminal": i.Terminal(), "status": string(i.Status),
			})
		},
	})}
}
