package local

import (
	"context"
	"fmt"
	"sync/atomic"
)

// ErrKilled is wrapped by the error a killed invocation reports to the
// service (with ErrRuntimeExit), and by the context cause of the killed
// invocation.
var ErrKilled = fmt.Errorf("invocation killed")

// killSwitch belongs to one invocation of a Killable function.
type killSwitch struct {
	cancel   context.CancelCauseFunc
	dead     atomic.Bool
	returned chan struct{} // closed when the wrapped function has returned
}

type killKey struct{}

// Killable wraps fn so that each of its invocations can be killed with
// Kill, as Lambda kills a function whose process dies: the invocation's
// context is cancelled and, whatever fn then returns, the service sees a
// runtime exit (ErrRuntimeExit), records the crashed invocation and invokes
// the function again, which replays from what was checkpointed. Killable
// waits for fn to return, so a killed function that ignores its context
// blocks instead of leaking.
func Killable(fn Function) Function {
	return FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		ks := &killSwitch{cancel: cancel, returned: make(chan struct{})}
		out, err := fn.Invoke(context.WithValue(ctx, killKey{}, ks), payload)
		close(ks.returned)
		if ks.dead.Load() {
			return nil, fmt.Errorf("%w: %w", ErrRuntimeExit, ErrKilled)
		}
		return out, err
	})
}

// Kill kills the invocation whose context ctx is (or derives from); see
// Killable. It reports whether ctx belongs to an invocation of a Killable
// function. Code may call it anywhere in the invocation, e.g. in a step to
// crash "inside" the step.
func Kill(ctx context.Context) bool {
	ks, ok := ctx.Value(killKey{}).(*killSwitch)
	if !ok {
		return false
	}
	ks.dead.Store(true)
	ks.cancel(ErrKilled)
	return true
}

// Killed reports whether the invocation of ctx was killed.
func Killed(ctx context.Context) bool {
	ks, ok := ctx.Value(killKey{}).(*killSwitch)
	return ok && ks.dead.Load()
}

// InvocationReturned returns a channel closed once the function of the
// invocation of ctx has returned (nil outside an invocation of a Killable
// function). Code still running for that invocation afterwards is a
// leftover goroutine.
func InvocationReturned(ctx context.Context) <-chan struct{} {
	ks, ok := ctx.Value(killKey{}).(*killSwitch)
	if !ok {
		return nil
	}
	return ks.returned
}
