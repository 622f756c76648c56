package durable

import (
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/serdes"
)

// InvokeError is a chained invoke whose target failed (Status FAILED),
// timed out (TIMED_OUT) or was stopped (STOPPED), or that was cancelled
// (CANCELLED, matches ErrCancelled). Object holds the recorded error. Live
// and replayed runs return equal errors.
type InvokeError = engine.InvokeError

// InvokeOption configures Invoke.
type InvokeOption interface{ applyInvoke(*engine.InvokeOptions) }

type invokeOption func(*engine.InvokeOptions)

func (f invokeOption) applyInvoke(o *engine.InvokeOptions) { f(o) }

// WithTenantID runs the target function for the given tenant
// (tenant-isolated invocation).
func WithTenantID(id string) InvokeOption {
	return invokeOption(func(o *engine.InvokeOptions) { o.TenantID = id })
}

// WithPayloadSerdes encodes the invoke's input with s (default: the
// handler's serdes).
func WithPayloadSerdes(s serdes.Serdes) InvokeOption {
	return invokeOption(func(o *engine.InvokeOptions) { o.PayloadSerdes = s })
}

// WithResultSerdes decodes the target's result with s (default: the
// handler's serdes).
func WithResultSerdes(s serdes.Serdes) InvokeOption {
	return invokeOption(func(o *engine.InvokeOptions) { o.ResultSerdes = s })
}

// Invoke calls another function, durable or not, by name or ARN, with input
// and returns its result: durable.Invoke[Receipt](ctx, "charge",
// "payments", order). It is recorded as a CHAINED_INVOKE whose payload is
// the encoded input; the invocation suspends while the target runs and a
// later one returns its result, so the target runs once per execution. A
// target that fails, times out or is stopped gives an *InvokeError, also on
// replay. Options: WithTenantID, WithPayloadSerdes, WithResultSerdes.
//
// The type parameters are ordered so that only the output type needs to be
// written; the input type is inferred.
func Invoke[O, I any](ctx Context, name, functionName string, input I, opts ...InvokeOption) (O, error) {
	var o engine.InvokeOptions
	for _, opt := range opts {
		if opt != nil {
			opt.applyInvoke(&o)
		}
	}
	return engine.Invoke[I, O](ctx.engine(), name, functionName, input, o)
}
