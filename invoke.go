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

// InvokeOption configures Invoke (and InvokeAsync).
type InvokeOption interface{ applyInvoke(*engine.InvokeOptions) }

type invokeOption func(*engine.InvokeOptions)

func (f invokeOption) applyInvoke(o *engine.InvokeOptions) { f(o) }

// WithTenantID runs the target function for the given tenant
// (tenant-isolated invocation).
func WithTenantID(id string) InvokeOption {
	return invokeOption(func(o *engine.InvokeOptions) { o.TenantID = id })
}

// WithPayloadSerdes encodes the invoke's input with s (default: the
// handler's serdes). The input is only encoded, so a Serializer will do.
func WithPayloadSerdes(s serdes.Serializer) InvokeOption {
	return invokeOption(func(o *engine.InvokeOptions) { o.PayloadSerdes = s })
}

// invokeOptions applies an invoke's options.
func invokeOptions(opts []InvokeOption) engine.InvokeOptions {
	var o engine.InvokeOptions
	apply(opts, func(opt InvokeOption) { opt.applyInvoke(&o) })
	return o
}

// Invoke calls another function, durable or not, by name or ARN, with input
// and returns its result:
//
//	receipt, err := durable.Invoke[Receipt](ctx, "charge", "payments", order)
//	report, err := durable.Invoke[Report](ctx, "report", "reports", nil) // no input
//
// Only the result type is written: the input is any value the payload
// serdes encodes (nil for none, which JSON encodes as null). It is recorded
// as a CHAINED_INVOKE whose payload is the encoded input; the invocation
// suspends while the target runs and a later one returns its result, so the
// target runs once per execution. A target that fails, times out or is
// stopped gives an *InvokeError, also on replay. Options: WithTenantID,
// WithPayloadSerdes, WithResultSerdes.
func Invoke[O any](ctx Context, name, functionName string, input any, opts ...InvokeOption) (O, error) {
	return engine.Invoke[O](ctx.engine(), name, functionName, input, invokeOptions(opts))
}
