package local

import (
	"context"

	"github.com/lambda-durable/durable/checkpoint"
)

// Checkpoint implements CheckpointDurableExecution: it validates the token,
// applies the updates as a whole or not at all, rotates the token and
// returns the delta of the execution state. A repeated (ClientToken,
// CheckpointToken) pair returns the first answer again.
func (s *Service) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	if in == nil {
		return nil, invalidf("missing request")
	}
	if err := s.callHook(ctx, "CheckpointDurableExecution", in.DurableExecutionArn); err != nil {
		return nil, err
	}
	defer s.settle()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, &APIError{Code: CodeService, HTTPStatus: 503, Message: "the local service is shutting down"}
	}
	e, err := s.execLocked(in.DurableExecutionArn)
	if err != nil {
		return nil, err
	}
	if err := s.awaitSavedLocked(ctx, e); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if in.ClientToken != "" {
		if ent, ok := e.idem[in.CheckpointToken]; ok && ent.clientToken == in.ClientToken &&
			now.Sub(ent.at) < s.limits.IdempotencyWindow {
			return cloneOutput(ent.out), nil
		}
	}
	if err := s.checkTokenLocked(e, in.CheckpointToken, true); err != nil {
		return nil, err
	}
	b := newBatch(s, e)
	if err := b.apply(in.Updates); err != nil {
		return nil, err
	}
	// Store first: a change the store did not take is neither applied nor
	// acknowledged, and the client retries it.
	saved, err := s.saveBatchLocked(e, b)
	if err != nil {
		s.runDeferredLocked(e)
		s.notifyLocked()
		return nil, err
	}
	b.commitRecords()
	if saved != nil {
		e.markSaved(saved, e.Events.Len())
	}
	b.runEffects()
	ids := append([]string(nil), b.touched...)
	for _, id := range e.async {
		ids = appendUnique(ids, id)
	}
	e.async = nil
	ops := make([]checkpoint.Operation, 0, len(ids))
	for _, id := range ids {
		ops = append(ops, copyOp(e.index[id]))
	}
	out := &checkpoint.CheckpointOutput{NewExecutionState: &checkpoint.ExecutionState{Operations: ops}}
	e.token = "" // older tokens stay known (GetState) but are no longer the latest
	if b.outcome == nil {
		tok := newToken()
		e.token = tok
		e.tokens[tok] = true
		s.tokens[tok] = e
		out.CheckpointToken = tok
	}
	e.idem[in.CheckpointToken] = idemEntry{clientToken: in.ClientToken, out: cloneOutput(out), at: now}
	s.runDeferredLocked(e)
	s.processTimersLocked()
	s.persistLocked(e)
	s.notifyLocked()
	return out, nil
}

// checkTokenLocked accepts the current invocation's latest token (latest) or
// any of its tokens (!latest).
func (s *Service) checkTokenLocked(e *execution, tok string, latest bool) error {
	switch {
	case tok == "":
		return invalidf("%s: CheckpointToken is required", checkpoint.InvalidTokenPrefix)
	case s.tokens[tok] != e:
		return invalidf("%s: the token was not issued for this execution's current invocation", checkpoint.InvalidTokenPrefix)
	case latest && tok != e.token:
		return invalidf("%s: the token has already been used; use the token of the latest response", checkpoint.InvalidTokenPrefix)
	}
	return nil
}

// cloneOutput deep-copies a checkpoint answer.
func cloneOutput(o *checkpoint.CheckpointOutput) *checkpoint.CheckpointOutput {
	c := &checkpoint.CheckpointOutput{CheckpointToken: o.CheckpointToken}
	if o.NewExecutionState != nil {
		st := &checkpoint.ExecutionState{NextMarker: o.NewExecutionState.NextMarker,
			Operations: make([]checkpoint.Operation, len(o.NewExecutionState.Operations))}
		for i := range o.NewExecutionState.Operations {
			st.Operations[i] = copyOp(&o.NewExecutionState.Operations[i])
		}
		c.NewExecutionState = st
	}
	return c
}

// GetState implements GetDurableExecutionState: one page of the operations
// the current invocation may replay (children of closed contexts are left
// out unless ReplayChildren). Any token of the current invocation works.
func (s *Service) GetState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	if in == nil {
		return nil, invalidf("missing request")
	}
	if err := s.callHook(ctx, "GetDurableExecutionState", in.DurableExecutionArn); err != nil {
		return nil, err
	}
	n, pos, err := page("state", in.MaxItems, in.Marker)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.execLocked(in.DurableExecutionArn)
	if err != nil {
		return nil, err
	}
	if err := s.checkTokenLocked(e, in.CheckpointToken, false); err != nil {
		return nil, err
	}
	ops, next := s.statePageLocked(e, pos, n)
	return &checkpoint.ExecutionState{Operations: ops, NextMarker: next}, nil
}

// statePageLocked returns up to n visible operations starting at position
// pos of e.Ops, and the marker of the rest.
func (s *Service) statePageLocked(e *execution, pos, n int) ([]checkpoint.Operation, string) {
	hidden := e.hidden()
	ops := make([]checkpoint.Operation, 0, max(min(n, len(e.Ops)-pos), 0))
	var cp opCopier
	for i := pos; i < len(e.Ops); i++ {
		if hidden[i] {
			continue
		}
		if len(ops) == n {
			return ops, encodeMarker("state", i)
		}
		ops = append(ops, cp.copy(e.Ops[i]))
	}
	return ops, ""
}
