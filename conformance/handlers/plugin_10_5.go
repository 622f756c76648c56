package handlers

import (
	"context"
	"io"

	"github.com/lambda-durable/durable/plugin"
)

// invocationPluginNamed logs invocation-start and invocation-end (status)
// under the given plugin name.
func invocationPluginNamed(w io.Writer, name string) plugin.Plugin {
	r := newRecorder(w, name)
	return r.instrument(plugin.Plugin{
		InvocationStart: func(context.Context, plugin.InvocationInfo) error {
			return r.log("invocation-start", nil)
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			return r.log("invocation-end", map[string]any{"status": string(i.Status)})
		},
	})
}

// twoPlugins installs plugins A and B, in that order: requirement
// plugin/10-5 runs greet with them.
func twoPlugins(w io.Writer) []plugin.Plugin {
	return []plugin.Plugin{invocationPluginNamed(w, "CONFPLUGIN-A"), invocationPluginNamed(w, "CONFPLUGIN-B")}
}
