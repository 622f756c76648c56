package local

import (
	"context"

	"github.com/lambda-durable/durable/checkpoint"
)

// SendCallbackSuccess implements SendDurableExecutionCallbackSuccess: the
// callback succeeds with the raw body as its result text.
func (s *Service) SendCallbackSuccess(ctx context.Context, in *SendCallbackSuccessInput) error {
	if in == nil {
		return invalidf("missing request")
	}
	if n := len(in.Result); n > s.limits.MaxOperationPayload {
		return tooLargef("the callback result is %d bytes; the limit is %d", n, s.limits.MaxOperationPayload)
	}
	return s.closeCallback(ctx, "SendDurableExecutionCallbackSuccess", in.CallbackId, func(e *execution, o *checkpoint.Operation, ev *Event) {
		o.Status = checkpoint.StatusSucceeded
		o.CallbackDetails.Result = string(in.Result)
		ev.EventType = EventCallbackSucceeded
		ev.CallbackSucceededDetails = &CallbackSucceededDetails{Result: &EventResult{Payload: ptr(string(in.Result))}}
	})
}

// SendCallbackFailure implements SendDurableExecutionCallbackFailure: the
// callback fails with the given error.
func (s *Service) SendCallbackFailure(ctx context.Context, in *SendCallbackFailureInput) error {
	if in == nil {
		return invalidf("missing request")
	}
	if n := errorBytes(in.Error); n > s.limits.MaxOperationPayload {
		return tooLargef("the callback error is %d bytes; the limit is %d", n, s.limits.MaxOperationPayload)
	}
	eo := cloneError(in.Error)
	if eo == nil {
		eo = &checkpoint.ErrorObject{}
	}
	return s.closeCallback(ctx, "SendDurableExecutionCallbackFailure", in.CallbackId, func(e *execution, o *checkpoint.Operation, ev *Event) {
		o.Status = checkpoint.StatusFailed
		o.CallbackDetails.Error = eo
		ev.EventType = EventCallbackFailed
		ev.CallbackFailedDetails = &CallbackFailedDetails{Error: eventError(eo)}
	})
}

// SendCallbackHeartbeat implements SendDurableExecutionCallbackHeartbeat: it
// restarts the callback's heartbeat timeout.
func (s *Service) SendCallbackHeartbeat(ctx context.Context, in *SendCallbackHeartbeatInput) error {
	if in == nil {
		return invalidf("missing request")
	}
	if err := s.callHook(ctx, "SendDurableExecutionCallbackHeartbeat", in.CallbackId); err != nil {
		return err
	}
	defer s.settle()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, o, err := s.settledCallbackLocked(ctx, in.CallbackId)
	if err != nil {
		return err
	}
	if m := e.Meta[o.Id]; m != nil && m.CallbackHeartbeat > 0 {
		prev := m.HeartbeatAt
		m.HeartbeatAt = s.clock.Now().Add(secondsDur(m.CallbackHeartbeat))
		e.touch(o.Id)
		if err := s.persistLocked(e); err != nil {
			m.HeartbeatAt = prev
			return err
		}
		s.addTimerLocked(m.HeartbeatAt, e.Arn, o.Id, timerCallbackHeartbeat)
		s.processTimersLocked()
	}
	return nil
}

// callbackLocked finds the open callback with the given id.
func (s *Service) callbackLocked(id string) (*execution, *checkpoint.Operation, error) {
	if id == "" {
		return nil, nil, invalidf("CallbackId is required")
	}
	ref, ok := s.callbacks[id]
	if !ok {
		return nil, nil, callbackTimeoutf("callback %s is unknown, timed out or already completed", clip(id))
	}
	e := s.execs[ref.arn]
	o := e.index[ref.opId]
	if e.Status.Terminal() || o.Status != checkpoint.StatusStarted {
		return nil, nil, callbackTimeoutf("callback %s is unknown, timed out or already completed", clip(id))
	}
	return e, o, nil
}

// settledCallbackLocked is callbackLocked once no change of the callback's
// execution is being written.
func (s *Service) settledCallbackLocked(ctx context.Context, id string) (*execution, *checkpoint.Operation, error) {
	for {
		e, o, err := s.callbackLocked(id)
		if err != nil || !e.saving {
			return e, o, err
		}
		if err := s.awaitSavedLocked(ctx, e); err != nil {
			return nil, nil, err
		}
	}
}

// closeCallback completes an open callback with set, records the event and
// invokes the execution again.
func (s *Service) closeCallback(ctx context.Context, op, id string, set func(*execution, *checkpoint.Operation, *Event)) error {
	if err := s.callHook(ctx, op, id); err != nil {
		return err
	}
	s.mu.Lock()
	e, o, err := s.settledCallbackLocked(ctx, id)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	now := s.clock.Now()
	undo := snapshotLocked(e, o.Id)
	ev := opEvent("", o, now)
	set(e, o, &ev)
	o.EndTimestamp = checkpoint.At(now)
	e.addEvent(ev)
	e.touch(o.Id)
	e.markAsync(o.Id)
	e.Triggered = true // the execution is not terminal (callbackLocked)
	// Store before the effects; a refused change is undone and answered
	// with a retryable error.
	if err := s.persistLocked(e); err != nil {
		undo.restore()
		s.mu.Unlock()
		return err
	}
	delete(s.callbacks, id)
	s.kickLocked(e)
	s.notifyLocked()
	s.mu.Unlock()
	s.settle()
	return nil
}
