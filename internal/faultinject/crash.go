package faultinject

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/lambda-durable/durable/local"
)

// ErrKilled is wrapped by the error a killed invocation reports to the
// service, and by the errors of service calls it tries afterwards.
var ErrKilled = errors.New("faultinject: invocation killed")

// ErrNoKillSwitch is recorded when a crash is asked for outside an
// invocation wrapped by Function.
var ErrNoKillSwitch = errors.New("faultinject: no kill switch in the context (wrap the function with Injector.Function)")

type killSwitch struct {
	cancel   context.CancelFunc
	dead     atomic.Bool
	returned chan struct{} // closed when the wrapped handler has returned
}

type killKey struct{}

// Kill kills the invocation whose context ctx is (or derives from): its
// context is cancelled, every later service call of it fails without
// reaching the service, and its response is replaced by a runtime exit.
// It reports whether ctx belongs to an invocation wrapped by Function.
// Step bodies call it to crash "inside" a step.
func Kill(ctx context.Context) bool {
	ks, ok := ctx.Value(killKey{}).(*killSwitch)
	if !ok {
		return false
	}
	ks.kill()
	return true
}

// kill marks the invocation dead and cancels its context.
func (ks *killSwitch) kill() {
	ks.dead.Store(true)
	ks.cancel()
}

// Killed reports whether the invocation of ctx was killed.
func Killed(ctx context.Context) bool {
	ks, ok := ctx.Value(killKey{}).(*killSwitch)
	return ok && ks.dead.Load()
}

// Returned returns a channel closed once the handler of the invocation of
// ctx has returned (nil outside an invocation wrapped by Function). Code
// still running for that invocation afterwards is a leftover goroutine.
func Returned(ctx context.Context) <-chan struct{} {
	ks, ok := ctx.Value(killKey{}).(*killSwitch)
	if !ok {
		return nil
	}
	return ks.returned
}

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
// names the invocation to kill). A killed invocation's response and error are dropped: the
// service sees a runtime exit (local.ErrRuntimeExit), records the crashed
// invocation and invokes the function again. Function waits for fn to
// return, so a killed handler that ignores its context hangs the test
// instead of leaking.
func (in *Injector) Function(fn local.Function) local.Function {
	return local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ks := &killSwitch{cancel: cancel, returned: make(chan struct{})}
		unregister := in.register(payload, ks)
		out, err := fn.Invoke(context.WithValue(ctx, killKey{}, ks), payload)
		unregister()
		close(ks.returned)
		if ks.dead.Load() {
			in.mu.Lock()
			in.crashes++
			in.mu.Unlock()
			return nil, fmt.Errorf("%w: %w", local.ErrRuntimeExit, ErrKilled)
		}
		return out, err
	})
}
