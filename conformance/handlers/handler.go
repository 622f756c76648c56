package handlers

import (
	"slices"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/harness"
)

// newHandler builds the durable handler of workflow fn with the run's options
// (the service client, the log handler) followed by opts.
func newHandler[I, O any](env harness.Env, fn func(durable.Context, I) (O, error), opts ...durable.HandlerOption) *durable.Handler {
	return durable.NewHandler(fn, append(slices.Clone(env.Options), opts...)...)
}

// single is the Factory of a requirement that deploys one durable function.
func single[I, O any](fn func(durable.Context, I) (O, error), opts ...durable.HandlerOption) harness.Factory {
	return func(env harness.Env) harness.Deployment {
		return harness.Deployment{Handler: newHandler(env, fn, opts...)}
	}
}
