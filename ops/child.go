package ops

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
}

type childRun[T any] struct {
	run
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
	ch := &childRun[T]{fn: fn, replayChildren: o.ReplayChildren}
	ch.kind = ch
	ch.op.Type = checkpoint.TypeContext
	ch.op.SubType = o.SubType
	if ch.op.SubType == "" {
		ch.op.SubType = checkpoint.SubTypeRunInChildContext
	}
	ch.op.Name = name
	ch.serdes = o.Serdes
	if err := c.run(&ch.run); err != nil {
		return zero, err
	}
	return ch.out, nil
}

func (ch *childRun[T]) result() any { return ch.out }
func (ch *childRun[T]) dest() any   { return &ch.out }

func (ch *childRun[T]) failed(r *run, obj *checkpoint.ErrorObject) error {
	e := &ChildContextError{OperationID: r.op.ID, Name: r.op.Name}
	if obj != nil {
		e.Object = *obj
	}
	return e
}

func (ch *childRun[T]) rerun(rec *checkpoint.Operation) bool {
	return rec.Status == checkpoint.StatusSucceeded && rec.ContextDetails != nil && rec.ContextDetails.ReplayChildren
}

func (ch *childRun[T]) execute(ctx context.Context, r *run) error {
	e := r.scope.exec
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
		if err := e.enqueue(r.scope, r.update(checkpoint.ActionStart)); err != nil {
			return err
		}
		r.op.Status = checkpoint.StatusStarted
	}
	v, err := ch.fn(child)
	if err != nil {
		return ch.fail(r, child, err)
	}
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
	return nil
}

// fail closes the child context with a FAIL update carrying err and returns
// the error a replay would return.
func (ch *childRun[T]) fail(r *run, child *Context, err error) error {
	obj := ErrorObjectOf(err)
	u := r.update(checkpoint.ActionFail)
	u.Error = &obj
	if cerr := r.scope.exec.closeScope(child, u); cerr != nil {
		return cerr
	}
	r.op.Status = checkpoint.StatusFailed
	return ch.failed(r, &obj)
}
