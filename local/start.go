package local

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// StartExecution starts a durable execution of a registered durable function
// and returns its ARN. Unless in.Async is set it then waits until the
// execution ends (or ctx is done, returning the ARN and ctx's error).
func (s *Service) StartExecution(ctx context.Context, in StartInput) (string, error) {
	if err := s.callHook(ctx, "Invoke", in.FunctionName); err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", ErrClosed
	}
	f := s.resolveLocked(in.FunctionName)
	if f == nil {
		s.mu.Unlock()
		return "", notFoundf("Function not found: %s", clip(in.FunctionName))
	}
	if f.cfg.plain {
		s.mu.Unlock()
		return "", invalidf("function %s is not a durable function", f.name)
	}
	e, err := s.newExecutionLocked(f, in.ExecutionName, "", in.Input, in.Timeout, in.TenantId, "", "", false)
	s.mu.Unlock()
	if err != nil {
		return "", err
	}
	s.settle()
	if in.Async {
		return e.Arn, nil
	}
	select {
	case <-e.done:
		return e.Arn, nil
	case <-ctx.Done():
		return e.Arn, fmt.Errorf("local: waiting for %s: %w", e.Arn, ctx.Err())
	}
}

// newExecutionLocked validates and creates an execution, and triggers its
// first invocation.
// A chained-invoke target gets its id from the caller and its parent link,
// and is held (not invoked) while the parent's invocation runs.
func (s *Service) newExecutionLocked(f *function, name, id string, input []byte, timeout time.Duration, tenant, parentArn, parentOp string, held bool) (*execution, error) {
	if name == "" {
		name = newUUID()
	} else if !validId(name, 64) {
		return nil, invalidf("DurableExecutionName %q: must be 1-64 characters of [A-Za-z0-9_-]", clip(name))
	}
	for _, e := range s.order {
		if e.FunctionName == f.name && e.Name == name {
			return nil, conflictf("an execution named %s already exists for function %s", name, f.name)
		}
	}
	if len(input) > s.limits.MaxInputPayload {
		return nil, tooLargef("the execution input is %d bytes; the limit is %d", len(input), s.limits.MaxInputPayload)
	}
	if len(input) > 0 && !json.Valid(input) {
		return nil, invalidf("the execution input is not valid JSON")
	}
	switch {
	case timeout == 0 && f.cfg.execTimeout > 0:
		timeout = f.cfg.execTimeout
	case timeout == 0:
		timeout = s.limits.DefaultExecutionTimeout
	}
	if timeout < time.Second || timeout > s.limits.MaxExecutionTimeout {
		return nil, invalidf("execution timeout %s: must be between 1s and %s", timeout, s.limits.MaxExecutionTimeout)
	}
	now := s.clock.Now()
	if id == "" {
		id = newUUID()
	}
	s.seq++
	e := &execution{execHeader: execHeader{
		Arn:          s.executionArn(f, name, id),
		Name:         name,
		Id:           id,
		Seq:          s.seq,
		FunctionName: f.name,
		FunctionArn:  f.arn,
		Qualifier:    f.cfg.qualifier,
		TenantId:     tenant,
		Status:       ExecutionRunning,
		StartTime:    now,
		Timeout:      timeout,
		Retention:    s.retentionOf(f),
		ParentArn:    parentArn,
		ParentOpId:   parentOp,
		Triggered:    true, // the first invocation is due
	}, held: held}
	var in *string
	if len(input) > 0 {
		in = ptr(string(input))
		e.Input = in
	}
	op := &checkpoint.Operation{
		Id: id, Name: name, Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted,
		StartTimestamp:   checkpoint.At(now),
		ExecutionDetails: &checkpoint.ExecutionDetails{},
	}
	if in != nil {
		op.ExecutionDetails.InputPayload = *in
	}
	e.Ops = []*checkpoint.Operation{op}
	e.init()
	e.addEvent(Event{
		EventType: EventExecutionStarted, EventTimestamp: now, Id: id, Name: name,
		ExecutionStartedDetails: &ExecutionStartedDetails{
			Input:            &EventInput{Payload: ptr(derefOr(in, ""))},
			ExecutionTimeout: int32(timeout / time.Second),
		},
	})
	e.touch(id)
	s.execs[e.Arn] = e
	s.order = append(s.order, e)
	if err := s.persistLocked(e); err != nil {
		s.forgetLocked(e) // never acknowledged: nothing of it is kept
		return nil, err
	}
	s.addTimerLocked(now.Add(timeout), e.Arn, "", timerExecution)
	s.kickLocked(e)
	s.processTimersLocked()
	s.notifyLocked()
	s.evictOverCapLocked()
	return e, nil
}

func derefOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// executionArn builds the ARN of an execution of f.
func (s *Service) executionArn(f *function, name, id string) string {
	return fmt.Sprintf("%s:%s/durable-execution/%s/%s", f.arn, f.cfg.qualifier, name, id)
}
