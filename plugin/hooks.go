package plugin

import (
	"context"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
)

// invocationMiddleware runs the invocation hooks and places the
// per-invocation state in the context the other chains descend from.
func (s *set) invocationMiddleware(next middleware.InvocationHandler) middleware.InvocationHandler {
	return func(ctx context.Context, inv *middleware.Invocation) error {
		st := newInvocation(inv, recordedState(ctx, inv))
		ctx = context.WithValue(ctx, stateKey{s}, st)
		start := st.info()
		dispatch(s, ctx, HookInvocationStart, invocationStart, start)
		ctx = derive(s, ctx, HookInvocationContext, invocationContext, start)
		err := next(ctx, inv)
		end := st.info()
		end.EndTime = time.Now()
		end.Status, end.Err = inv.Status, inv.Err
		if inv.Response != nil && inv.Response.Error != nil {
			obj := *inv.Response.Error
			end.Error = &obj
		}
		st.finish()
		dispatch(s, ctx, HookInvocationEnd, invocationEnd, end)
		return err
	}
}

// operationMiddleware runs the operation hooks, and the attempt hooks of
// child contexts. It only reads the descriptor. An operation the invocation
// suspends in (next returned middleware.ErrSuspended) gets no OperationEnd:
// it has not ended, and its end is reported in the invocation that observes
// it.
func (s *set) operationMiddleware(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		st := s.state(ctx)
		if st != nil && st.over() {
			return next(ctx, op)
		}
		spec := op.Spec()
		if spec.Replaying || op.Status().Terminal() {
			// Recorded as ended before this invocation (a wait that elapsed
			// or a callback answered while suspended is not replaying, but
			// its start was reported by an earlier invocation).
			return s.replayed(ctx, st, op, spec, next)
		}
		isReplay := op.Status() != "" // recorded, unfinished
		dispatch(s, ctx, HookOperationStart, operationStart, operationInfo(op, isReplay))
		fn := spec.Type == checkpoint.TypeContext
		runCtx := ctx
		if fn {
			runCtx = s.attemptStart(ctx, AttemptInfo{OperationInfo: operationInfo(op, isReplay), IsReplayingChildren: isReplay})
		}
		err := next(runCtx, op)
		if fn {
			s.attemptEnd(ctx, st, op, isReplay, isReplay, op.Payload(), err)
		}
		if op.Status().Terminal() && (st == nil || st.claimEnd(spec.ID)) {
			dispatch(s, ctx, HookOperationEnd, operationEnd, operationInfo(op, isReplay).withOutcome(op.Payload(), err))
		}
		return err
	}
}

// replayed handles an operation that had ended before this invocation: no
// start; an end only if the service completed it while the execution was
// suspended (its end was never observed); the attempt hooks of a child
// context whose function runs again over its recorded children.
func (s *set) replayed(ctx context.Context, st *invocation, op *middleware.Operation, spec middleware.Spec, next middleware.Handler) error {
	rerun := false
	if st != nil && spec.Type == checkpoint.TypeContext {
		rerun = st.replaysChildren(spec.ID)
	}
	runCtx := ctx
	if rerun {
		runCtx = s.attemptStart(ctx, AttemptInfo{OperationInfo: operationInfo(op, true), IsReplayingChildren: true})
	}
	err := next(runCtx, op)
	if rerun {
		s.attemptEnd(ctx, st, op, true, true, "", err)
	}
	if st != nil && st.endedWhileSuspended(spec.ID) {
		dispatch(s, ctx, HookOperationEnd, operationEnd, operationInfo(op, true).withOutcome(op.Payload(), err))
	}
	return err
}

// attemptMiddleware runs the attempt hooks of steps. Each attempt reports
// its own start and end times.
func (s *set) attemptMiddleware(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		st := s.state(ctx)
		if !s.wantAttempts || st != nil && st.over() {
			return next(ctx, op)
		}
		isReplay := st != nil && st.recordedBefore(op.Spec().ID)
		start := operationInfo(op, isReplay)
		start.Status = checkpoint.StatusStarted
		start.StartTime, start.EndTime = op.AttemptStart(), time.Time{}
		err := next(s.attemptStart(ctx, AttemptInfo{OperationInfo: start}), op)
		s.attemptEnd(ctx, st, op, isReplay, false, op.Payload(), err)
		return err
	}
}

// attemptStart runs the AttemptStart hooks, then the AttemptContext hooks,
// and returns the context the run receives.
func (s *set) attemptStart(ctx context.Context, info AttemptInfo) context.Context {
	if !s.wantAttempts {
		return ctx
	}
	dispatch(s, ctx, HookAttemptStart, attemptStart, info)
	return derive(s, ctx, HookAttemptContext, attemptContext, info)
}

// attemptEnd reports a run's own outcome: a step attempt's own start and
// end, or a child context function's run (SUCCEEDED, FAILED, or the
// context's status with Err middleware.ErrSuspended when the invocation
// suspended inside it).
func (s *set) attemptEnd(ctx context.Context, st *invocation, op *middleware.Operation, isReplay, children bool, payload string, err error) {
	if !s.wantAttempts || st != nil && st.over() {
		return
	}
	info := AttemptInfo{OperationInfo: operationInfo(op, isReplay), IsReplayingChildren: children}
	switch {
	case op.Suspended():
		info.Status, info.Err = op.Status(), err
	case err != nil:
		info.OperationInfo = info.withOutcome(payload, err)
		info.Status = checkpoint.StatusFailed
	default:
		info.OperationInfo = info.withOutcome(payload, nil)
		info.Status = checkpoint.StatusSucceeded
	}
	if start := op.AttemptStart(); !start.IsZero() {
		info.StartTime, info.EndTime = start, op.AttemptEnd()
	}
	if info.EndTime.IsZero() {
		info.EndTime = time.Now()
	}
	dispatch(s, ctx, HookAttemptEnd, attemptEnd, info)
}

// checkpointMiddleware runs the operation-change hooks and keeps the known
// operations up to date.
func (s *set) checkpointMiddleware(next checkpoint.Client) checkpoint.Client {
	return &changeClient{s: s, next: next}
}

type changeClient struct {
	s    *set
	next checkpoint.Client
}

// Checkpoint reports the response's updated operations.
func (c *changeClient) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	out, err := c.next.Checkpoint(ctx, in)
	if err != nil || out == nil || out.NewExecutionState == nil {
		return out, err
	}
	st := c.stateFor(ctx, in.DurableExecutionArn)
	st.setMorePages(out.NewExecutionState.NextMarker != "")
	c.changed(ctx, st, out.NewExecutionState.Operations)
	return out, err
}

// GetExecutionState records the page; a page that continues a checkpoint
// response is reported as a change too.
func (c *changeClient) GetExecutionState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	out, err := c.next.GetExecutionState(ctx, in)
	if err != nil || out == nil {
		return out, err
	}
	st := c.stateFor(ctx, in.DurableExecutionArn)
	if st.continuesResponse(out.NextMarker != "") {
		c.changed(ctx, st, out.Operations)
	} else {
		st.merge(out.Operations, false)
	}
	return out, err
}

// stateFor returns the invocation's state, or a throwaway one when the
// invocation middleware is not installed.
func (c *changeClient) stateFor(ctx context.Context, arn string) *invocation {
	if st := c.s.state(ctx); st != nil {
		return st
	}
	return newInvocation(&middleware.Invocation{ExecutionARN: arn}, recorded{})
}

func (c *changeClient) changed(ctx context.Context, st *invocation, ops []checkpoint.Operation) {
	updated := st.merge(ops, c.s.wantChange)
	if !c.s.wantChange || len(updated) == 0 || st.over() {
		return
	}
	dispatch(c.s, ctx, HookOperationChange, operationChange, ChangeInfo{
		ExecutionARN: st.arn, Updated: updated, Operations: st.snapshot(),
	})
}
