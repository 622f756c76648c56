package handlers

import (
	"context"
	"io"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/plugin"
)

// invocationDumpPlugin logs the canonical dump of each invocation hook's info.
func invocationDumpPlugin(w io.Writer) []plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN")
	return []plugin.Plugin{r.instrument(plugin.Plugin{
		InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-start", dumpInvocation(i, false))
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-end", dumpInvocation(i, true))
		},
	})}
}

// plugin10_19: a 2 s wait, then "done-" and the input.
func plugin10_19(ctx durable.Context, input string) (string, error) {
	if err := durable.Wait(ctx, "", 2*time.Second); err != nil {
		return "", err
	}
	return "done-" + input, nil
}
