package engine

import (
	"context"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// ChildOptions configures a child context.
type ChildOptions struct {
	// Serdes encodes the result (nil: the handler's serdes).
	Serdes serdes.Serdes
	// ReplayChildren always checkpoints the context with ReplayChildren, so
	// a replay re-runs its body over its children's recorded results.
	ReplayChildren bool
	// SubType overrides checkpoint.SubTypeRunInChildContext.
	SubType string
	// Virtual runs the context without checkpointing it: no operation is
	// recorded for it, its operations are recorded under the enclosing
	// context (with ids prefixed by its own), and its function runs again
	// on every replay. It still goes through the operation chain, so
	// middlewares and plugins see it start and end.
	Virtual bool
}

type childRun[T any] struct {
	run
	contextOutcome
	fn             func(*Context) (T, error)
	replayChildren bool
	out            T
}

// RunInChildContext runs fn in a new child context of c whose operation ids
// are prefixed by its own id. Its result is checkpointed (with
// ReplayChildren when it exceeds the payload limit, and then rebuilt on
// replay by re-running fn over recorded children); its error propagates as a
// *ChildContextError.
func RunInChildContext[T any](c *Context, name string, fn func(*Context) (T, error), o ChildOptions) (T, error) {
	var zero T
	if fn == nil {
		return zero, &ValidationError{Field: "child context function", Message: "nil"}
	}
	ch := newChild(name, fn, o)
	if err := c.run(&ch.run); err != nil {
		return zero, err
	}
	return ch.out, nil
}

// newChild prepares a child context run (map, parallel and futures run it
// their own way).
func newChild[T any](name string, fn func(*Context) (T, error), o ChildOptions) *childRun[T] {
	ch := &childRun[T]{fn: fn, replayChildren: o.ReplayChildren}
	ch.kind = ch
	ch.virtual = o.Virtual
	ch.op.Type = checkpoint.TypeContext
	ch.op.SubType = o.SubType
	if ch.op.SubType == "" {
		ch.op.SubType = checkpoint.SubTypeRunInChildContext
	}
	ch.op.Name = name
	ch.serdes = o.Serdes
	return ch
}

func (ch *childRun[T]) result() any { return ch.out }
func (ch *childRun[T]) dest() any   { return &ch.out }

func (ch *childRun[T]) rerun(rec *checkpoint.Operation) bool { return replaysChildren(rec) }

func (ch *childRun[T]) execute(ctx context.Context, r *run) error {
	if r.virtual {
		return ch.executeVirtual(ctx, r)
	}
	child := r.scope.child(ctx, r.op.ID, r.op.Name, r.rec != nil)
	if r.rerun {
		// Recorded with ReplayChildren: rebuild the value from the children.
		v, err := ch.fn(child)
		child.Abandon()
		if err != nil {
			return err
		}
		ch.out = v
		return nil
	}
	if r.rec == nil {
		if err := startContext(r); err != nil {
			return err
		}
	}
	v, err := ch.fn(child)
	if err != nil {
		return ch.fail(r, child, err)
	}
	return ch.succeed(r, child, v)
}

// executeVirtual runs a virtual child context's function: nothing is
// checkpointed for the context itself; its status says how fn ended.
func (ch *childRun[T]) executeVirtual(ctx context.Context, r *run) error {
	child := r.scope.child(ctx, r.op.ID, r.op.Name, r.scope.replaying.Load())
	child.virtual = true
	v, err := ch.fn(child)
	child.Abandon()
	if err != nil {
		r.op.Status = checkpoint.StatusFailed
		return err
	}
	r.op.Status = checkpoint.StatusSucceeded
	ch.out = v
	return nil
}

// startContext checkpoints the START of a live child context. It and
// succeed are kept out of execute so that execute's frame, which sits on
// the stack below everything the child's body does (every map item and
// parallel branch), does not hold two operation updates.
//
//go:noinline
func startContext(r *run) error {
	if err := r.scope.exec.checkpoint(r.scope, r.scope, checkpoint.OperationStart, r.update(checkpoint.ActionStart)); err != nil {
		return err
	}
	r.op.Status = checkpoint.StatusStarted
	return nil
}

// succeed records the child's value v: it closes the child's scope with a
// SUCCEED update carrying the serialised value.
//
//go:noinline
func (ch *childRun[T]) succeed(r *run, child *Context, v T) error {
	e := r.scope.exec
	payload, err := r.serdes.Serialize(r.serdesContext(), v)
	if err != nil {
		return ch.fail(r, child, asSerdesError(err, r.op.ID, serdes.OpSerialize))
	}
	u := r.update(checkpoint.ActionSucceed)
	replayChildren := ch.replayChildren
	if len(payload) > e.en.cfg.MaxPayloadBytes {
		payload, replayChildren = "", true
	}
	u.Payload = payload
	if replayChildren {
		u.ContextOptions = &checkpoint.ContextOptions{ReplayChildren: true}
	}
	if err := e.closeScope(child, u); err != nil {
		return err
	}
	r.op.Status = checkpoint.StatusSucceeded
	r.op.Payload = payload
	ch.out = v
	if replayChildren {
		return nil // a replay re-runs the body, as this run did
	}
	if err := liveAsReplayed(r, payload); err != nil {
		e.abort(err)
	}
	return nil
}
