package durabletest

import (
	"context"
	"fmt"
	"sync"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// Crash is a point where an invocation of the main function dies, as if its
// process were killed: whatever it had not checkpointed is lost, the
// service records the crashed invocation and invokes the function again,
// which replays from the checkpointed operations. Each Crash fires once.
// Install crashes with WithCrash; Runner.Crashes counts those that fired.
type Crash struct {
	desc string
	// before decides, ahead of checkpoint call n (from 1, across
	// invocations), whether to die without sending it; after decides, once
	// the service has applied it, whether to die before the answer arrives.
	before, after func(n int, names map[string]string, in *checkpoint.CheckpointInput) bool
}

// String describes the crash point, e.g. `before operation "charge"`.
func (c Crash) String() string { return c.desc }

// CrashBefore dies just before the first checkpoint that records operation
// name (by its name, at any depth): the operation never happened for the
// service, though a step's body may have run (its outcome is lost, as when
// a process dies between running a step and checkpointing it). The next
// invocation runs the operation again.
func CrashBefore(name string) Crash {
	return Crash{desc: fmt.Sprintf("before operation %q", name),
		before: func(_ int, _ map[string]string, in *checkpoint.CheckpointInput) bool {
			for _, u := range in.Updates {
				if u.Name == name {
					return true
				}
			}
			return false
		}}
}

// CrashAfter dies just after the checkpoint that records the outcome
// (SUCCEED or FAIL) of operation name is durable, before the function
// learns it: the next invocation replays the operation's recorded outcome
// and does not run it again. It never fires for an operation the SDK does
// not complete itself (a wait, a callback, an invoke).
func CrashAfter(name string) Crash {
	return Crash{desc: fmt.Sprintf("after operation %q", name),
		after: func(_ int, names map[string]string, in *checkpoint.CheckpointInput) bool {
			for _, u := range in.Updates {
				if names[u.Id] == name && (u.Action == checkpoint.ActionSucceed || u.Action == checkpoint.ActionFail) {
					return true
				}
			}
			return false
		}}
}

// CrashAtCheckpoint dies just before the nth CheckpointDurableExecution
// call of the main function (counted from 1 across its invocations) is
// sent: none of its updates become durable.
func CrashAtCheckpoint(n int) Crash {
	return Crash{desc: fmt.Sprintf("before checkpoint call %d", n),
		before: func(call int, _ map[string]string, _ *checkpoint.CheckpointInput) bool { return call == n }}
}

// CrashAfterCheckpoint dies just after the nth CheckpointDurableExecution
// call of the main function (counted from 1 across its invocations) was
// applied by the service, before its answer reaches the function.
func CrashAfterCheckpoint(n int) Crash {
	return Crash{desc: fmt.Sprintf("after checkpoint call %d", n),
		after: func(call int, _ map[string]string, _ *checkpoint.CheckpointInput) bool { return call == n }}
}

// WithCrash makes invocations of the main function die at the given points
// (see Crash).
func WithCrash(points ...Crash) Option {
	return optionFunc(func(o *options) { o.crashes = append(o.crashes, points...) })
}

// crasher kills invocations at its crash points. It wraps the in-process
// client the service hands each invocation.
type crasher struct {
	mu      sync.Mutex
	pending []Crash
	calls   int
	names   map[string]string // operation id -> name, from the updates seen
	fired   []string
}

// function wraps fn: each invocation is killable (local.Killable) and
// checkpoints through the crasher.
func (c *crasher) function(fn Function) Function {
	return local.Killable(local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		if next, ok := checkpoint.ClientFromContext(ctx); ok {
			ctx = checkpoint.ContextWithClient(ctx, &crashClient{c: c, next: next})
		}
		return fn.Invoke(ctx, payload)
	}))
}

// decide counts a checkpoint call and returns the crash points it triggers
// before and after it is sent.
func (c *crasher) decide(in *checkpoint.CheckpointInput) (before, after bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	for _, u := range in.Updates {
		if u.Name != "" {
			c.names[u.Id] = u.Name
		}
	}
	kept := c.pending[:0]
	for _, p := range c.pending {
		switch {
		case !before && !after && p.before != nil && p.before(c.calls, c.names, in):
			before = true
			c.fired = append(c.fired, p.desc)
		case !before && !after && p.after != nil && p.after(c.calls, c.names, in):
			after = true
			c.fired = append(c.fired, p.desc)
		default:
			kept = append(kept, p)
		}
	}
	c.pending = kept
	return before, after
}

// crashClient is the checkpoint client of one killable invocation.
type crashClient struct {
	c    *crasher
	next checkpoint.Client
}

func (cc *crashClient) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	if err := deadCall(ctx, checkpoint.OpCheckpoint); err != nil {
		return nil, err
	}
	before, after := cc.c.decide(in)
	if before {
		local.Kill(ctx)
		return nil, deadCall(ctx, checkpoint.OpCheckpoint)
	}
	out, err := cc.next.Checkpoint(ctx, in)
	if after {
		local.Kill(ctx)
		return nil, deadCall(ctx, checkpoint.OpCheckpoint)
	}
	return out, err
}

func (cc *crashClient) GetExecutionState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	if err := deadCall(ctx, checkpoint.OpGetExecutionState); err != nil {
		return nil, err
	}
	return cc.next.GetExecutionState(ctx, in)
}

// deadCall is the error of a service call made by a killed invocation (nil
// while it lives): the call never leaves the dead process.
func deadCall(ctx context.Context, op string) error {
	if !local.Killed(ctx) {
		return nil
	}
	return fmt.Errorf("durabletest: %s after the invocation crashed: %w (%w)", op, local.ErrKilled, context.Canceled)
}

// Crashes returns the crash points that fired, in order (see WithCrash).
func (r *Runner) Crashes() []string {
	if r.crash == nil {
		return nil
	}
	r.crash.mu.Lock()
	defer r.crash.mu.Unlock()
	return append([]string(nil), r.crash.fired...)
}
