package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/lambda-durable/durable/checkpoint"
)

// invocation is one prepared call of a function.
type invocation struct {
	e         *execution
	f         *function
	gen       int
	requestId string
	start     time.Time
	payload   []byte
	opId      string // plain chained call: the CHAINED_INVOKE operation
}

// triggerLocked asks for another invocation of e.
func (s *Service) triggerLocked(e *execution) {
	if e.Status.Terminal() {
		return
	}
	e.Triggered = true
	s.kickLocked(e)
}

// kickLocked starts (or, in manual mode, queues) the invocation e needs, if
// none is running and its function is registered.
func (s *Service) kickLocked(e *execution) {
	if !e.runnable() || s.closed {
		return
	}
	f := s.functions[e.FunctionName]
	if f == nil {
		return
	}
	if s.cfg.manual {
		if !e.queued {
			e.queued = true
			s.queue = append(s.queue, task{e: e})
			s.notifyLocked()
		}
		return
	}
	inv := s.beginLocked(e, f)
	s.goRun(inv)
}

// goRun runs inv in its own goroutine.
func (s *Service) goRun(inv *invocation) {
	s.running++
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.run(inv)
	}()
}

// beginLocked prepares an invocation of e: a new request id, a new token,
// the event with the first page of state.
func (s *Service) beginLocked(e *execution, f *function) *invocation {
	now := s.clock.Now()
	e.Triggered = false
	e.queued = false
	e.Invoking = true
	e.RequestId = newUUID()
	e.InvocationStart = now
	e.Outcome = nil
	e.gen++
	s.dropTokensLocked(e)
	tok := newToken()
	e.token = tok
	e.tokens[tok] = true
	s.tokens[tok] = e
	e.async = nil
	payload := s.invocationEventLocked(e, tok)
	e.Updated = nil
	s.persistLocked(e)
	return &invocation{e: e, f: f, gen: e.gen, requestId: e.RequestId, start: now, payload: payload}
}

// invocationEventLocked builds the event of e's next invocation: the first
// page of its state holds at most InitialStatePageSize operations, and
// fewer when they would make the event larger than MaxInvocationEvent
// bytes (Lambda's Invoke payload limit), room for the rest of the event
// included. The function pages the rest with GetDurableExecutionState.
func (s *Service) invocationEventLocked(e *execution, tok string) []byte {
	ops, next := s.statePageLocked(e, 0, s.limits.InitialStatePageSize)
	ev := checkpoint.InvocationEvent{
		DurableExecutionArn:   e.Arn,
		CheckpointToken:       tok,
		InitialExecutionState: &checkpoint.ExecutionState{Operations: ops, NextMarker: next},
		UpdatedOperationIds:   e.Updated,
	}
	payload := marshalEvent(&ev)
	if len(payload) <= s.limits.MaxInvocationEvent {
		return payload
	}
	// Too large: measure the event without operations (and with the
	// longest marker it could carry), then keep the operations that fit
	// in the rest, at least the EXECUTION operation.
	ev.InitialExecutionState = &checkpoint.ExecutionState{Operations: []checkpoint.Operation{}, NextMarker: encodeMarker("state", len(e.Ops))}
	room := s.limits.MaxInvocationEvent - len(marshalEvent(&ev))
	hidden := e.hidden()
	kept, used := 0, 0
	var buf []byte
	for pos := 0; pos < len(e.Ops) && kept < len(ops); pos++ {
		if hidden[pos] {
			continue
		}
		buf = appendOperation(buf[:0], &ops[kept])
		size := len(buf) + 1 // and its comma
		if kept > 0 && used+size > room {
			next = encodeMarker("state", pos)
			break
		}
		used += size
		kept++
	}
	ev.InitialExecutionState = &checkpoint.ExecutionState{Operations: ops[:kept], NextMarker: next}
	return marshalEvent(&ev)
}

// dropTokensLocked invalidates every token of e's current invocation.
func (s *Service) dropTokensLocked(e *execution) {
	for t := range e.tokens {
		delete(s.tokens, t)
	}
	clear(e.tokens)
	clear(e.idem)
	e.token = ""
}

// run calls the function and records the outcome.
func (s *Service) run(inv *invocation) *InvocationResult {
	out, err := s.call(inv)
	s.mu.Lock()
	// A checkpoint the function gave up on may still be writing.
	_ = s.awaitSavedLocked(context.Background(), inv.e)
	var res *InvocationResult
	if inv.opId != "" {
		res = s.finishPlainLocked(inv, out, err)
	} else {
		res = s.invocationEndedLocked(inv, out, err)
	}
	s.running--
	s.notifyLocked()
	s.mu.Unlock()
	s.settle()
	return res
}

// call invokes the function with the Lambda context, the in-process client
// and the function timeout, turning a panic into an error.
func (s *Service) call(inv *invocation) (out []byte, err error) {
	ctx := lambdacontext.NewContext(s.ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       inv.requestId,
		InvokedFunctionArn: inv.f.arn + ":" + inv.f.cfg.qualifier,
	})
	if !inv.f.cfg.noContextClient && inv.opId == "" {
		ctx = checkpoint.ContextWithClient(ctx, s.Client())
	}
	if d := inv.f.cfg.invokeTimeout; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &panicError{value: r, stack: string(debug.Stack())}
		}
	}()
	return inv.f.fn.Invoke(ctx, inv.payload)
}

// panicError is a function that panicked.
type panicError struct {
	value any
	stack string
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// ReportedError is a Function's error that carries the error object its
// runtime reported (errorType, errorMessage, stackTrace), as a Lambda
// runtime does on /invocation/{id}/error; the service records it as is.
type ReportedError interface {
	error
	ErrorObject() checkpoint.ErrorObject
}

// functionError turns an invocation error into the ErrorObject Lambda records.
func functionError(err error) *checkpoint.ErrorObject {
	var pe *panicError
	var reported ReportedError
	switch {
	case errors.As(err, &reported):
		eo := reported.ErrorObject()
		return &eo
	case errors.As(err, &pe):
		return &checkpoint.ErrorObject{ErrorType: "Runtime.ExitError", ErrorMessage: pe.Error(),
			StackTrace: strings.Split(strings.TrimSpace(pe.stack), "\n")}
	case errors.Is(err, ErrRuntimeExit):
		return &checkpoint.ErrorObject{ErrorType: "Runtime.ExitError", ErrorMessage: err.Error()}
	case errors.Is(err, context.DeadlineExceeded):
		return &checkpoint.ErrorObject{ErrorType: "Sandbox.Timedout", ErrorMessage: err.Error()}
	}
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := t.Name()
	if name == "" {
		name = "Error"
	}
	return &checkpoint.ErrorObject{ErrorType: name, ErrorMessage: err.Error()}
}

// invocationEndedLocked records the end of a durable invocation and decides what
// comes next.
func (s *Service) invocationEndedLocked(inv *invocation, out []byte, callErr error) *InvocationResult {
	e := inv.e
	now := s.clock.Now()
	res := &InvocationResult{DurableExecutionArn: e.Arn, RequestId: inv.requestId, StartTimestamp: inv.start, EndTimestamp: now}
	if s.closed || e.gen != inv.gen || !e.Invoking {
		// Closed, or the execution ended (stopped, timed out) meanwhile.
		return res
	}
	e.Invoking = false
	s.dropTokensLocked(e)
	defer s.launchLocked(e)

	var resp checkpoint.InvocationResponse
	var invErr *checkpoint.ErrorObject
	switch {
	case callErr != nil:
		invErr = functionError(callErr)
	case len(out) > s.limits.MaxResponse:
		invErr = &checkpoint.ErrorObject{ErrorType: "Function.ResponseSizeTooLarge",
			ErrorMessage: fmt.Sprintf("the response is %d bytes; the limit is %d", len(out), s.limits.MaxResponse)}
	default:
		if err := json.Unmarshal(out, &resp); err != nil {
			invErr = &checkpoint.ErrorObject{ErrorType: "Runtime.InvalidResponse",
				ErrorMessage: "the response is not a durable invocation response: " + err.Error()}
		} else if resp.Status != checkpoint.InvocationSucceeded && resp.Status != checkpoint.InvocationFailed &&
			resp.Status != checkpoint.InvocationPending {
			invErr = &checkpoint.ErrorObject{ErrorType: "Runtime.InvalidResponse",
				ErrorMessage: fmt.Sprintf("the response has Status %q; want SUCCEEDED, FAILED or PENDING", resp.Status)}
		}
	}
	if invErr == nil && resp.Status == checkpoint.InvocationPending && e.Outcome == nil && !e.hasPending() {
		invErr = &checkpoint.ErrorObject{ErrorType: CodeInvalidParameterValue,
			ErrorMessage: "Cannot return PENDING status with no pending operations"}
		s.completedLocked(e, inv, now, invErr)
		res.Status, res.Error = resp.Status, invErr
		s.endLocked(e, ExecutionFailed, nil, invErr)
		return res
	}
	s.completedLocked(e, inv, now, invErr)
	res.Status, res.Error = resp.Status, invErr
	switch {
	case invErr != nil && e.Outcome != nil:
		s.finishOutcomeLocked(e)
	case invErr != nil:
		e.Failures++
		if e.Failures > s.cfg.retryBudget {
			s.endLocked(e, ExecutionFailed, nil, invErr)
		} else {
			s.triggerLocked(e)
		}
	case resp.Status == checkpoint.InvocationSucceeded:
		if resp.Result == "" && e.Outcome != nil {
			s.finishOutcomeLocked(e)
			break
		}
		var result *string
		if resp.Result != "" {
			result = ptr(resp.Result)
		}
		s.endLocked(e, ExecutionSucceeded, result, nil)
	case resp.Status == checkpoint.InvocationFailed:
		res.Error = resp.Error
		eo := resp.Error
		if e.Outcome != nil && !e.Outcome.Succeeded && e.Outcome.Error != nil {
			// The checkpointed EXECUTION FAIL is the recorded outcome; the
			// response may carry a shortened copy of a large error.
			eo = e.Outcome.Error
		}
		if eo == nil {
			eo = &checkpoint.ErrorObject{}
		}
		s.endLocked(e, ExecutionFailed, nil, eo)
	case e.Outcome != nil: // PENDING after an EXECUTION update
		s.finishOutcomeLocked(e)
	default: // PENDING
		e.Failures = 0
		s.kickLocked(e)
	}
	if invErr == nil && !e.Status.Terminal() {
		e.Failures = 0
	}
	s.persistLocked(e)
	return res
}

// launchLocked starts the chained invokes the ended invocation asked for.
// They wait until then so that the parent's InvocationCompleted comes before
// the target's outcome, as in the real service's histories.
func (s *Service) launchLocked(e *execution) {
	launch := e.launch
	e.launch = nil
	for _, f := range launch {
		f()
	}
}

// afterInvocationLocked runs f when e's current invocation ends (at once if
// none runs).
func (s *Service) afterInvocationLocked(e *execution, f func()) {
	if e.Invoking {
		e.launch = append(e.launch, f)
		return
	}
	f()
}

// completedLocked records the InvocationCompleted event.
func (s *Service) completedLocked(e *execution, inv *invocation, now time.Time, invErr *checkpoint.ErrorObject) {
	e.addEvent(Event{EventType: EventInvocationCompleted, EventTimestamp: now,
		InvocationCompletedDetails: &InvocationCompletedDetails{
			StartTimestamp: inv.start, EndTimestamp: now, RequestId: inv.requestId, Error: eventError(invErr),
		}})
}

// finishOutcomeLocked ends e as its checkpointed EXECUTION update asked.
func (s *Service) finishOutcomeLocked(e *execution) {
	o := e.Outcome
	if o.Succeeded {
		s.endLocked(e, ExecutionSucceeded, ptr(o.Result), nil)
	} else {
		eo := o.Error
		if eo == nil {
			eo = &checkpoint.ErrorObject{}
		}
		s.endLocked(e, ExecutionFailed, nil, eo)
	}
}

// RunNextInvocation runs the next queued invocation (or chained call of a
// plain function) in the caller's goroutine; it is for services made with
// WithManualInvocations. It reports false when nothing is queued.
func (s *Service) RunNextInvocation(ctx context.Context) (*InvocationResult, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, false, ErrClosed
	}
	var inv *invocation
	for inv == nil && len(s.queue) > 0 {
		t := s.queue[0]
		s.queue = s.queue[1:]
		if t.opId != "" {
			inv = s.plainInvocationLocked(t.e, t.opId)
			continue
		}
		t.e.queued = false
		f := s.functions[t.e.FunctionName]
		if t.e.runnable() && f != nil {
			inv = s.beginLocked(t.e, f)
		}
	}
	if inv == nil {
		s.mu.Unlock()
		return nil, false, nil
	}
	s.running++
	s.mu.Unlock()
	return s.run(inv), true, nil
}

// QueuedInvocations returns how many invocations wait for RunNextInvocation.
func (s *Service) QueuedInvocations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// WaitIdle blocks until no invocation runs and (outside manual mode) none is
// due; with time skipping, also until the clock has been skipped as far as it
// will go.
func (s *Service) WaitIdle(ctx context.Context) error {
	return s.waitFor(ctx, s.idleLocked)
}

// idleLocked reports whether nothing runs, nothing is due and (with time
// skipping) no skip is about to happen.
func (s *Service) idleLocked() bool {
	if s.running > 0 || s.skipping {
		return false
	}
	if s.cfg.manual {
		return true
	}
	for _, e := range s.order {
		if e.runnable() && s.functions[e.FunctionName] != nil {
			return false
		}
	}
	if _, ok := s.clock.(timeSkipper); ok && s.cfg.skipping != SkipNever && !s.closed {
		if _, due := s.skipTargetLocked(); due {
			return false
		}
	}
	return true
}

// WaitForCompletion blocks until the execution ends and returns its
// description (with data).
func (s *Service) WaitForCompletion(ctx context.Context, arn string) (*GetExecutionOutput, error) {
	s.mu.Lock()
	e, err := s.execLocked(arn)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("local: waiting for %s: %w", arn, ctx.Err())
	}
	return s.GetExecution(ctx, &GetExecutionInput{DurableExecutionArn: arn})
}
