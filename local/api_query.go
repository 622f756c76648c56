package local

import (
	"context"
	"slices"

	"github.com/lambda-durable/durable/checkpoint"
)

// GetExecution implements GetDurableExecution.
func (s *Service) GetExecution(ctx context.Context, in *GetExecutionInput) (*GetExecutionOutput, error) {
	if in == nil {
		return nil, invalidf("missing request")
	}
	if err := s.callHook(ctx, "GetDurableExecution", in.DurableExecutionArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.execLocked(in.DurableExecutionArn)
	if err != nil {
		return nil, err
	}
	sum := e.summary()
	out := &GetExecutionOutput{
		DurableExecutionArn:  sum.DurableExecutionArn,
		DurableExecutionName: sum.DurableExecutionName,
		FunctionArn:          sum.FunctionArn,
		Status:               sum.Status,
		StartTimestamp:       sum.StartTimestamp,
		EndTimestamp:         sum.EndTimestamp,
		Version:              e.Qualifier,
		DurableConfig:        &DurableConfig{ExecutionTimeout: int32(e.Timeout.Seconds()), RetentionPeriodInDays: retentionDays(e.Retention)},
	}
	if in.IncludeExecutionData == nil || *in.IncludeExecutionData {
		out.ExecutionDataIncluded = true
		if e.Input != nil {
			out.InputPayload = ptr(*e.Input)
		}
		if e.Result != nil {
			out.Result = ptr(*e.Result)
		}
		out.Error = cloneError(e.Error)
	}
	return out, nil
}

// GetHistory implements GetDurableExecutionHistory.
func (s *Service) GetHistory(ctx context.Context, in *GetHistoryInput) (*GetHistoryOutput, error) {
	if in == nil {
		return nil, invalidf("missing request")
	}
	if err := s.callHook(ctx, "GetDurableExecutionHistory", in.DurableExecutionArn); err != nil {
		return nil, err
	}
	n, pos, err := page("history", in.MaxItems, in.Marker)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.execLocked(in.DurableExecutionArn)
	if err != nil {
		return nil, err
	}
	withData := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	total := e.Events.Len()
	out := &GetHistoryOutput{Events: []Event{}}
	for i := pos; i < total; i++ {
		if len(out.Events) == n {
			out.NextMarker = encodeMarker("history", i)
			break
		}
		j := i
		if in.ReverseOrder {
			j = total - 1 - i
		}
		out.Events = append(out.Events, copyEvent(e.Events.At(j), withData))
	}
	return out, nil
}

// ListExecutions implements ListDurableExecutionsByFunction.
func (s *Service) ListExecutions(ctx context.Context, in *ListExecutionsInput) (*ListExecutionsOutput, error) {
	if in == nil {
		return nil, invalidf("missing request")
	}
	if err := s.callHook(ctx, "ListDurableExecutionsByFunction", in.FunctionName); err != nil {
		return nil, err
	}
	n, pos, err := page("list", in.MaxItems, in.Marker)
	if err != nil {
		return nil, err
	}
	for _, st := range in.Statuses {
		switch st {
		case ExecutionRunning, ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut, ExecutionStopped:
		default:
			return nil, invalidf("Statuses: %q is not RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED", clip(string(st)))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.resolveLocked(in.FunctionName)
	if f == nil {
		return nil, notFoundf("Function not found: %s", clip(in.FunctionName))
	}
	qualifier := in.Qualifier
	if q := qualifierOf(in.FunctionName); q != "" {
		qualifier = q
	}
	var match []Execution
	for _, e := range s.order {
		switch {
		case e.FunctionName != f.name,
			qualifier != "" && e.Qualifier != qualifier,
			in.DurableExecutionName != "" && e.Name != in.DurableExecutionName,
			len(in.Statuses) > 0 && !slices.Contains(in.Statuses, e.Status),
			!in.StartedAfter.IsZero() && !e.StartTime.After(in.StartedAfter),
			!in.StartedBefore.IsZero() && !e.StartTime.Before(in.StartedBefore):
			continue
		}
		match = append(match, e.summary())
	}
	if !in.ReverseOrder {
		slices.Reverse(match) // newest first
	}
	out := &ListExecutionsOutput{DurableExecutions: []Execution{}}
	for i := pos; i < len(match); i++ {
		if len(out.DurableExecutions) == n {
			out.NextMarker = encodeMarker("list", i)
			break
		}
		out.DurableExecutions = append(out.DurableExecutions, match[i])
	}
	return out, nil
}

// qualifierOf returns the qualifier of a qualified function ARN or partial
// name ("name:qualifier"), or "".
func qualifierOf(fn string) string {
	parts := splitColon(fn)
	switch {
	case len(parts) == 8 && parts[0] == "arn":
		return parts[7]
	case len(parts) == 2 && parts[0] != "arn":
		return parts[1]
	}
	return ""
}

func splitColon(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// Operations returns every operation of an execution (children of closed
// contexts included), in creation order, the EXECUTION operation first.
func (s *Service) Operations(arn string) ([]checkpoint.Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.execLocked(arn)
	if err != nil {
		return nil, err
	}
	ops := make([]checkpoint.Operation, len(e.Ops))
	for i, o := range e.Ops {
		ops[i] = copyOp(o)
	}
	return ops, nil
}

// Executions returns every execution, in start order.
func (s *Service) Executions() []Execution {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Execution, len(s.order))
	for i, e := range s.order {
		out[i] = e.summary()
	}
	return out
}

// OpenCallbacks lists the callbacks waiting for an answer, of one execution
// or (arn == "") of all, in creation order.
func (s *Service) OpenCallbacks(arn string) ([]OpenCallback, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	execs := s.order
	if arn != "" {
		e, err := s.execLocked(arn)
		if err != nil {
			return nil, err
		}
		execs = []*execution{e}
	}
	var out []OpenCallback
	for _, e := range execs {
		if e.Status.Terminal() {
			continue
		}
		for _, o := range e.Ops {
			if o.Type != checkpoint.TypeCallback || o.Status != checkpoint.StatusStarted || o.CallbackDetails == nil {
				continue
			}
			cb := OpenCallback{DurableExecutionArn: e.Arn, CallbackId: o.CallbackDetails.CallbackId,
				OperationId: o.Id, Name: o.Name, ParentId: o.ParentId, StartTimestamp: o.StartTimestamp.Time}
			if m := e.Meta[o.Id]; m != nil {
				cb.Deadline = m.TimeoutAt
				if !m.HeartbeatAt.IsZero() && (cb.Deadline.IsZero() || m.HeartbeatAt.Before(cb.Deadline)) {
					cb.Deadline = m.HeartbeatAt
				}
			}
			out = append(out, cb)
		}
	}
	return out, nil
}

// copyEvent deep-copies an event, leaving payloads out unless withData.
func copyEvent(ev Event, withData bool) Event {
	res := func(p *EventResult) *EventResult {
		if p == nil {
			return nil
		}
		c := &EventResult{Truncated: p.Truncated}
		if withData && p.Payload != nil {
			c.Payload = ptr(*p.Payload)
		}
		return c
	}
	// EventInput has EventResult's fields, so it is copied the same way.
	inp := func(p *EventInput) *EventInput { return (*EventInput)(res((*EventResult)(p))) }
	er := func(p *EventError) *EventError {
		if p == nil {
			return nil
		}
		c := &EventError{Truncated: p.Truncated}
		if withData {
			c.Payload = cloneError(p.Payload)
		}
		return c
	}
	rd := func(p *RetryDetails) *RetryDetails {
		if p == nil {
			return nil
		}
		c := *p
		if p.NextAttemptDelaySeconds != nil {
			c.NextAttemptDelaySeconds = ptr(*p.NextAttemptDelaySeconds)
		}
		return &c
	}
	if d := ev.ExecutionStartedDetails; d != nil {
		ev.ExecutionStartedDetails = &ExecutionStartedDetails{Input: inp(d.Input), ExecutionTimeout: d.ExecutionTimeout}
	}
	if d := ev.ExecutionSucceededDetails; d != nil {
		ev.ExecutionSucceededDetails = &ExecutionSucceededDetails{Result: res(d.Result)}
	}
	if d := ev.ExecutionFailedDetails; d != nil {
		ev.ExecutionFailedDetails = &ExecutionFailedDetails{Error: er(d.Error)}
	}
	if d := ev.ExecutionTimedOutDetails; d != nil {
		ev.ExecutionTimedOutDetails = &ExecutionTimedOutDetails{Error: er(d.Error)}
	}
	if d := ev.ExecutionStoppedDetails; d != nil {
		ev.ExecutionStoppedDetails = &ExecutionStoppedDetails{Error: er(d.Error)}
	}
	if d := ev.ContextStartedDetails; d != nil {
		ev.ContextStartedDetails = &ContextStartedDetails{}
	}
	if d := ev.ContextSucceededDetails; d != nil {
		ev.ContextSucceededDetails = &ContextSucceededDetails{Result: res(d.Result)}
	}
	if d := ev.ContextFailedDetails; d != nil {
		ev.ContextFailedDetails = &ContextFailedDetails{Error: er(d.Error)}
	}
	if d := ev.WaitStartedDetails; d != nil {
		ev.WaitStartedDetails = ptr(*d)
	}
	if d := ev.WaitSucceededDetails; d != nil {
		ev.WaitSucceededDetails = ptr(*d)
	}
	if d := ev.WaitCancelledDetails; d != nil {
		ev.WaitCancelledDetails = &WaitCancelledDetails{Error: er(d.Error)}
	}
	if d := ev.StepStartedDetails; d != nil {
		ev.StepStartedDetails = &StepStartedDetails{}
	}
	if d := ev.StepSucceededDetails; d != nil {
		ev.StepSucceededDetails = &StepSucceededDetails{Result: res(d.Result), RetryDetails: rd(d.RetryDetails)}
	}
	if d := ev.StepFailedDetails; d != nil {
		ev.StepFailedDetails = &StepFailedDetails{Error: er(d.Error), RetryDetails: rd(d.RetryDetails)}
	}
	if d := ev.ChainedInvokeStartedDetails; d != nil {
		c := *d
		c.Input = inp(d.Input)
		ev.ChainedInvokeStartedDetails = &c
	}
	if d := ev.ChainedInvokeSucceededDetails; d != nil {
		ev.ChainedInvokeSucceededDetails = &ChainedInvokeSucceededDetails{Result: res(d.Result)}
	}
	if d := ev.ChainedInvokeFailedDetails; d != nil {
		ev.ChainedInvokeFailedDetails = &ChainedInvokeFailedDetails{Error: er(d.Error)}
	}
	if d := ev.ChainedInvokeTimedOutDetails; d != nil {
		ev.ChainedInvokeTimedOutDetails = &ChainedInvokeTimedOutDetails{Error: er(d.Error)}
	}
	if d := ev.ChainedInvokeStoppedDetails; d != nil {
		ev.ChainedInvokeStoppedDetails = &ChainedInvokeStoppedDetails{Error: er(d.Error)}
	}
	if d := ev.CallbackStartedDetails; d != nil {
		ev.CallbackStartedDetails = ptr(*d)
	}
	if d := ev.CallbackSucceededDetails; d != nil {
		ev.CallbackSucceededDetails = &CallbackSucceededDetails{Result: res(d.Result)}
	}
	if d := ev.CallbackFailedDetails; d != nil {
		ev.CallbackFailedDetails = &CallbackFailedDetails{Error: er(d.Error)}
	}
	if d := ev.CallbackTimedOutDetails; d != nil {
		ev.CallbackTimedOutDetails = &CallbackTimedOutDetails{Error: er(d.Error)}
	}
	if d := ev.InvocationCompletedDetails; d != nil {
		c := *d
		c.Error = er(d.Error)
		ev.InvocationCompletedDetails = &c
	}
	return ev
}
