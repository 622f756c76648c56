package local

import (
	"context"

	"github.com/lambda-durable/durable/checkpoint"
)

// endLocked ends e with a terminal status. An invocation still running is
// recorded as ended now (its tokens stop working); the terminal event comes
// last. A chained-invoke target reports to its parent. A failed save is
// logged and retried with the next one (see persistLocked).
func (s *Service) endLocked(e *execution, status ExecutionStatus, result *string, eo *checkpoint.ErrorObject) {
	if e.Status.Terminal() || s.deferLocked(e, func() { s.endLocked(e, status, result, eo) }) {
		return
	}
	interrupted := s.recordEndLocked(e, status, result, eo)
	s.persistLocked(e)
	s.afterEndLocked(e, interrupted)
}

// recordEndLocked writes the end of e into its record (status, EXECUTION
// operation, events) and reports whether an invocation was running. It has
// no other effect, so that a caller can undo it (see endSnapshot).
func (s *Service) recordEndLocked(e *execution, status ExecutionStatus, result *string, eo *checkpoint.ErrorObject) (interrupted bool) {
	now := s.clock.Now()
	if e.Invoking {
		e.addEvent(Event{EventType: EventInvocationCompleted, EventTimestamp: now,
			InvocationCompletedDetails: &InvocationCompletedDetails{
				StartTimestamp: e.InvocationStart, EndTimestamp: now, RequestId: e.RequestId,
				Error: eventError(&checkpoint.ErrorObject{ErrorType: "Execution." + string(status),
					ErrorMessage: "the execution ended while this invocation was running"}),
			}})
		e.Invoking = false
		interrupted = true
	}
	e.Status, e.EndTime, e.Result, e.Error = status, now, result, eo
	e.Triggered, e.Outcome = false, nil
	op := e.executionOp()
	e.touch(op.Id)
	op.EndTimestamp = checkpoint.At(now)
	ev := Event{EventTimestamp: now, Id: e.Id, Name: e.Name}
	switch status {
	case ExecutionSucceeded:
		op.Status = checkpoint.StatusSucceeded
		ev.EventType = EventExecutionSucceeded
		ev.ExecutionSucceededDetails = &ExecutionSucceededDetails{Result: &EventResult{Payload: ptr(derefOr(result, ""))}}
	case ExecutionFailed:
		op.Status = checkpoint.StatusFailed
		ev.EventType = EventExecutionFailed
		ev.ExecutionFailedDetails = &ExecutionFailedDetails{Error: eventError(eo)}
	case ExecutionTimedOut:
		op.Status = checkpoint.StatusTimedOut
		ev.EventType = EventExecutionTimedOut
		ev.ExecutionTimedOutDetails = &ExecutionTimedOutDetails{Error: eventError(eo)}
	case ExecutionStopped:
		op.Status = checkpoint.StatusStopped
		ev.EventType = EventExecutionStopped
		ev.ExecutionStoppedDetails = &ExecutionStoppedDetails{Error: eventError(eo)}
	}
	e.addEvent(ev)
	return interrupted
}

// afterEndLocked applies the effects of e's recorded end: the running
// invocation's tokens stop working and its chained invokes start, callbacks
// close, waiters wake, the parent hears of it and eviction is scheduled.
func (s *Service) afterEndLocked(e *execution, interrupted bool) {
	if interrupted {
		e.gen++
		defer s.launchLocked(e)
	}
	s.dropTokensLocked(e)
	for _, o := range e.Ops {
		if o.Type == checkpoint.TypeCallback && o.CallbackDetails != nil {
			delete(s.callbacks, o.CallbackDetails.CallbackId)
		}
	}
	close(e.done)
	if e.ParentArn != "" {
		s.completeChainedLocked(e)
	}
	s.armRetentionLocked(e)
	s.notifyLocked()
}

// snapshot is what an API call's change to an execution's record may
// touch, to undo the change when the store refuses it.
type snapshot struct {
	e      *execution
	header execHeader
	op     checkpoint.Operation
	events int
	async  int
}

// snapshotLocked remembers e's header, operation opId and history length.
func snapshotLocked(e *execution, opId string) snapshot {
	return snapshot{e: e, header: e.execHeader, op: copyOp(e.index[opId]), events: e.Events.Len(), async: len(e.async)}
}

// restore undoes what changed since the snapshot.
func (sn snapshot) restore() {
	e := sn.e
	e.execHeader = sn.header
	*e.index[sn.op.Id] = sn.op
	e.Events.truncate(sn.events)
	e.async = e.async[:sn.async]
}

// completeChainedLocked reports the end of a chained-invoke target to the
// CHAINED_INVOKE operation that started it.
func (s *Service) completeChainedLocked(child *execution) {
	p := s.execs[child.ParentArn]
	if p == nil || p.Status.Terminal() {
		return
	}
	o := p.index[child.ParentOpId]
	if o == nil || o.Status != checkpoint.StatusStarted {
		return
	}
	switch child.Status {
	case ExecutionSucceeded:
		s.chainedDoneLocked(p, o, checkpoint.StatusSucceeded, derefOr(child.Result, ""), nil)
	case ExecutionFailed:
		s.chainedDoneLocked(p, o, checkpoint.StatusFailed, "", child.Error)
	case ExecutionTimedOut:
		s.chainedDoneLocked(p, o, checkpoint.StatusTimedOut, "", child.Error)
	case ExecutionStopped:
		s.chainedDoneLocked(p, o, checkpoint.StatusStopped, "", child.Error)
	}
}

// chainedDoneLocked moves a CHAINED_INVOKE to its final status, records the
// event and invokes the parent again.
func (s *Service) chainedDoneLocked(p *execution, o *checkpoint.Operation, st checkpoint.Status, result string, eo *checkpoint.ErrorObject) {
	if s.deferLocked(p, func() {
		if !p.Status.Terminal() && o.Status == checkpoint.StatusStarted {
			s.chainedDoneLocked(p, o, st, result, eo)
		}
	}) {
		return
	}
	now := s.clock.Now()
	p.touch(o.Id)
	o.Status = st
	o.EndTimestamp = checkpoint.At(now)
	if o.ChainedInvokeDetails == nil {
		o.ChainedInvokeDetails = &checkpoint.ChainedInvokeDetails{}
	}
	o.ChainedInvokeDetails.Result = result
	o.ChainedInvokeDetails.Error = eo
	var ev Event
	switch st {
	case checkpoint.StatusSucceeded:
		ev = opEvent(EventChainedInvokeSucceeded, o, now)
		ev.ChainedInvokeSucceededDetails = &ChainedInvokeSucceededDetails{Result: &EventResult{Payload: ptr(result)}}
	case checkpoint.StatusFailed:
		ev = opEvent(EventChainedInvokeFailed, o, now)
		ev.ChainedInvokeFailedDetails = &ChainedInvokeFailedDetails{Error: eventError(eo)}
	case checkpoint.StatusTimedOut:
		ev = opEvent(EventChainedInvokeTimedOut, o, now)
		ev.ChainedInvokeTimedOutDetails = &ChainedInvokeTimedOutDetails{Error: eventError(eo)}
	default:
		ev = opEvent(EventChainedInvokeStopped, o, now)
		ev.ChainedInvokeStoppedDetails = &ChainedInvokeStoppedDetails{Error: eventError(eo)}
	}
	p.addEvent(ev)
	p.markAsync(o.Id)
	s.triggerLocked(p)
	s.persistLocked(p)
	s.notifyLocked()
}

// startPlainLocked runs (or queues) the call of the plain function behind
// e's CHAINED_INVOKE opId.
func (s *Service) startPlainLocked(e *execution, opId string) {
	if s.closed {
		return
	}
	if s.cfg.manual {
		s.queue = append(s.queue, task{e: e, opId: opId})
		s.notifyLocked()
		return
	}
	if inv := s.plainInvocationLocked(e, opId); inv != nil {
		s.goRun(inv)
	}
}

// plainInvocationLocked prepares a plain call, or returns nil when it no
// longer applies (or waits for its function to be registered).
func (s *Service) plainInvocationLocked(e *execution, opId string) *invocation {
	o, m := e.index[opId], e.Meta[opId]
	if e.Status.Terminal() || o == nil || o.Status != checkpoint.StatusStarted || m == nil || m.PlainTarget == "" {
		return nil
	}
	f := s.functions[m.PlainTarget]
	if f == nil {
		s.plainWait = append(s.plainWait, task{e: e, opId: opId})
		return nil
	}
	return &invocation{e: e, f: f, gen: e.gen, requestId: newUUID(), start: s.clock.Now(),
		payload: []byte(m.PlainInput), opId: opId}
}

// finishPlainLocked records the result of a plain chained call.
func (s *Service) finishPlainLocked(inv *invocation, out []byte, err error) *InvocationResult {
	now := s.clock.Now()
	res := &InvocationResult{DurableExecutionArn: inv.e.Arn, RequestId: inv.requestId,
		StartTimestamp: inv.start, EndTimestamp: now, Plain: true}
	e := inv.e
	o := e.index[inv.opId]
	if s.closed || e.Status.Terminal() || o == nil || o.Status != checkpoint.StatusStarted {
		return res
	}
	switch {
	case err != nil:
		res.Error = functionError(err)
		s.chainedDoneLocked(e, o, checkpoint.StatusFailed, "", res.Error)
	case len(out) > s.limits.MaxOperationPayload:
		res.Error = &checkpoint.ErrorObject{ErrorType: "Function.ResponseSizeTooLarge",
			ErrorMessage: "the chained invoke result exceeds the operation payload limit"}
		s.chainedDoneLocked(e, o, checkpoint.StatusFailed, "", res.Error)
	default:
		res.Status = checkpoint.InvocationSucceeded
		s.chainedDoneLocked(e, o, checkpoint.StatusSucceeded, string(out), nil)
	}
	return res
}

// StopExecution implements StopDurableExecution: the execution ends STOPPED
// with the given error.
func (s *Service) StopExecution(ctx context.Context, in *StopExecutionInput) (*StopExecutionOutput, error) {
	if in == nil {
		return nil, invalidf("missing request")
	}
	if err := s.callHook(ctx, "StopDurableExecution", in.DurableExecutionArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	e, err := s.execLocked(in.DurableExecutionArn)
	if err == nil {
		err = s.awaitSavedLocked(ctx, e)
	}
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if e.Status.Terminal() {
		s.mu.Unlock()
		return nil, invalidf("durable execution %s has already ended (%s)", e.Arn, e.Status)
	}
	if sz := errorBytes(in.Error); sz > s.limits.MaxOperationPayload {
		s.mu.Unlock()
		return nil, tooLargef("the error is %d bytes; the limit is %d", sz, s.limits.MaxOperationPayload)
	}
	// Store the end before any of its effects: a stop the store refuses is
	// undone and answered with a retryable error.
	undo := snapshotLocked(e, e.Id)
	interrupted := s.recordEndLocked(e, ExecutionStopped, nil, cloneError(in.Error))
	if err := s.persistLocked(e); err != nil {
		undo.restore()
		s.mu.Unlock()
		return nil, err
	}
	s.afterEndLocked(e, interrupted)
	now := e.EndTime
	s.mu.Unlock()
	s.settle()
	return &StopExecutionOutput{StopTimestamp: now}, nil
}

// stopChildLocked stops the target execution of a canceled chained invoke.
func (s *Service) stopChildLocked(arn string) {
	if c := s.execs[arn]; c != nil && !c.Status.Terminal() {
		s.endLocked(c, ExecutionStopped, nil, &checkpoint.ErrorObject{
			ErrorType: "ChainedInvoke.Cancelled", ErrorMessage: "the parent execution canceled this chained invoke"})
	}
}

// eventError wraps an ErrorObject for an event (nil stays nil).
func eventError(eo *checkpoint.ErrorObject) *EventError {
	if eo == nil {
		return nil
	}
	return &EventError{Payload: cloneError(eo)}
}
