package faultinject

import (
	"context"
	"errors"
	"fmt"

	"github.com/lambda-durable/durable/local"
)

// ErrKilled is wrapped by the error a killed invocation reports to the
// service, and by the errors of service calls it tries afterwards.
var ErrKilled = local.ErrKilled

// ErrNoKillSwitch is recorded when a crash is asked for outside an
// invocation wrapped by Function.
var ErrNoKillSwitch = errors.New("faultinject: no kill switch in the context (wrap the function with Injector.Function)")

// Kill kills the invocation whose context ctx is (or derives from): see
// local.Kill. It reports whether ctx belongs to an invocation wrapped by
// Function. Step bodies call it to crash "inside" a step.
func Kill(ctx context.Context) bool { return local.Kill(ctx) }

// Killed reports whether the invocation of ctx was killed.
func Killed(ctx context.Context) bool { return local.Killed(ctx) }

// Returned returns a channel closed once the handler of the invocation of
// ctx has returned (nil outside an invocation wrapped by Function). Code
// still running for that invocation afterwards is a leftover goroutine.
func Returned(ctx context.Context) <-chan struct{} { return local.InvocationReturned(ctx) }

// HasReturned reports whether the handler of the invocation of ctx has
// returned.
func HasReturned(ctx context.Context) bool {
	select {
	case <-Returned(ctx):
		return true
	default:
		return false
	}
}

// deadCall returns the error of a service call made by a killed invocation
// (nil if the invocation lives).
func deadCall(ctx context.Context, op string) error {
	if !Killed(ctx) {
		return nil
	}
	return fmt.Errorf("faultinject: %s after the invocation was killed: %w (%w)", op, ErrKilled, context.Canceled)
}

// Function wraps fn so that each invocation can be killed (Kill, or the
// Crash faults, in-process or over HTTP, where the request's execution ARN
// names the invocation to kill): it is local.Killable, which makes the
// service see a runtime exit (local.ErrRuntimeExit) for a killed
// invocation, record the crashed invocation and invoke the function again,
// plus the bookkeeping of the Injector (crash count, live invocations by
// execution).
func (in *Injector) Function(fn local.Function) local.Function {
	return local.Killable(local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		unregister := in.register(payload, ctx)
		out, err := fn.Invoke(ctx, payload)
		unregister()
		if Killed(ctx) {
			in.mu.Lock()
			in.crashes++
			in.mu.Unlock()
		}
		return out, err
	}))
}
