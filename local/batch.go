package local

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// batch applies the updates of one checkpoint request to a staged copy of
// the touched operations, so that a rejected request changes nothing.
type batch struct {
	s       *Service
	e       *execution
	now     time.Time
	staged  map[string]*checkpoint.Operation
	created []string // new operation ids, in order
	touched []string
	actions map[string][]checkpoint.Action
	metas   map[string]*opMeta
	events  []storedEvent
	effects []func()
	outcome *outcome
	bytes   int
}

func newBatch(s *Service, e *execution) *batch {
	return &batch{s: s, e: e, now: s.clock.Now(), staged: map[string]*checkpoint.Operation{},
		actions: map[string][]checkpoint.Action{}, metas: map[string]*opMeta{}}
}

// op returns the current (staged or stored) operation, nil if absent.
func (b *batch) op(id string) *checkpoint.Operation {
	if o, ok := b.staged[id]; ok {
		return o
	}
	return b.e.index[id]
}

// edit returns a staged, writable operation: a copy of the stored one, or
// a new one built from u.
func (b *batch) edit(u *checkpoint.OperationUpdate) *checkpoint.Operation {
	if o, ok := b.staged[u.Id]; ok {
		mergeNames(o, u)
		return o
	}
	var o *checkpoint.Operation
	if cur := b.e.index[u.Id]; cur != nil {
		o = cloneOp(cur)
		mergeNames(o, u)
	} else {
		o = &checkpoint.Operation{Id: u.Id, ParentId: u.ParentId, Name: u.Name, Type: u.Type, SubType: u.SubType,
			StartTimestamp: checkpoint.At(b.now)}
		b.created = append(b.created, u.Id)
	}
	b.staged[u.Id] = o
	return o
}

// mergeNames fills fields the operation lacks from the update.
func mergeNames(o *checkpoint.Operation, u *checkpoint.OperationUpdate) {
	if o.Name == "" {
		o.Name = u.Name
	}
	if o.SubType == "" {
		o.SubType = u.SubType
	}
	if o.ParentId == "" {
		o.ParentId = u.ParentId
	}
}

// statusOf names an operation's status for messages.
func statusOf(o *checkpoint.Operation) string {
	if o == nil {
		return "absent"
	}
	return string(o.Status)
}

// event appends an event about o with its details (one of the *...Details
// types of Event).
func (b *batch) event(t EventType, o *checkpoint.Operation, details any) {
	b.events = append(b.events, storedEvent{EventType: t, EventTimestamp: b.now, Id: o.Id, Name: o.Name,
		ParentId: o.ParentId, SubType: o.SubType, details: details})
}

// apply validates and stages every update.
func (b *batch) apply(updates []checkpoint.OperationUpdate) error {
	lim := b.s.limits
	if len(updates) > lim.MaxUpdatesPerRequest {
		return invalidf("the request has %d updates; the limit is %d", len(updates), lim.MaxUpdatesPerRequest)
	}
	b.events = make([]storedEvent, 0, len(updates)) // about one event per update
	for i := range updates {
		if err := b.applyOne(i, &updates[i], i == len(updates)-1); err != nil {
			return err
		}
	}
	if b.bytes > lim.MaxRequestBytes {
		return tooLargef("the request carries %d bytes of payloads; the limit is %d", b.bytes, lim.MaxRequestBytes)
	}
	if n := len(b.e.Ops) - 1 + len(b.created); n > lim.MaxOperations {
		return invalidf("the execution would have %d operations; the limit is %d", n, lim.MaxOperations)
	}
	return nil
}

// applyOne validates and stages update i.
func (b *batch) applyOne(i int, u *checkpoint.OperationUpdate, last bool) error {
	if !u.Type.Valid() {
		return invalidf("Updates[%d].Type %q: must be EXECUTION, CONTEXT, STEP, WAIT, CALLBACK or CHAINED_INVOKE", i, clip(string(u.Type)))
	}
	if !u.Action.Valid() {
		return invalidf("Updates[%d].Action %q: must be START, SUCCEED, FAIL, RETRY or CANCEL", i, clip(string(u.Action)))
	}
	if u.Type == checkpoint.TypeExecution {
		return b.execution(i, u, last)
	}
	if err := checkFields(i, u.Id, u.ParentId, u.Name, u.SubType); err != nil {
		return err
	}
	what := updateRef{i, u}
	if n := len(u.Payload); n > b.s.limits.MaxOperationPayload {
		return tooLargef("%s: the payload is %d bytes; the limit is %d", what, n, b.s.limits.MaxOperationPayload)
	}
	if n := errorBytes(u.Error); n > b.s.limits.MaxOperationPayload {
		return tooLargef("%s: the error is %d bytes; the limit is %d", what, n, b.s.limits.MaxOperationPayload)
	}
	b.bytes += len(u.Payload) + errorBytes(u.Error)
	prev := b.actions[u.Id]
	if len(prev) > 0 {
		ok := len(prev) == 1 && prev[0] == checkpoint.ActionStart &&
			(u.Type == checkpoint.TypeStep || u.Type == checkpoint.TypeContext) &&
			u.Action != checkpoint.ActionStart && u.Action != checkpoint.ActionCancel
		if !ok {
			return invalidf("%s: operation %s already has an update in this request; only a STEP or CONTEXT START may be followed by its completion", what, u.Id)
		}
	}
	b.actions[u.Id] = append(prev, u.Action)
	cur := b.op(u.Id)
	if cur != nil && cur.Type != u.Type {
		return invalidf("%s: operation %s is a %s, not a %s", what, u.Id, cur.Type, u.Type)
	}
	if u.ParentId != "" {
		if u.ParentId == u.Id {
			return invalidf("%s: an operation cannot be its own parent", what)
		}
		p := b.op(u.ParentId)
		switch {
		case p == nil:
			return invalidf("%s: ParentId %s does not name an existing CONTEXT operation", what, u.ParentId)
		case p.Type != checkpoint.TypeContext:
			return invalidf("%s: ParentId %s names a %s operation, not a CONTEXT", what, u.ParentId, p.Type)
		case cur != nil && cur.ParentId != "" && cur.ParentId != u.ParentId:
			return invalidf("%s: operation %s has ParentId %s, not %s", what, u.Id, cur.ParentId, u.ParentId)
		}
	}
	if u.Action == checkpoint.ActionSucceed && u.Error != nil {
		return invalidf("%s: SUCCEED cannot carry an Error", what)
	}
	if u.Action == checkpoint.ActionFail && u.Payload != "" {
		return invalidf("%s: FAIL cannot carry a Payload", what)
	}
	var err error
	switch u.Type {
	case checkpoint.TypeStep:
		err = b.step(what, u, cur)
	case checkpoint.TypeContext:
		err = b.context(what, u, cur)
	case checkpoint.TypeWait:
		err = b.wait(what, u, cur)
	case checkpoint.TypeCallback:
		err = b.callback(what, u, cur)
	case checkpoint.TypeChainedInvoke:
		err = b.chainedInvoke(what, u, cur)
	}
	if err != nil {
		return err
	}
	b.touched = appendUnique(b.touched, u.Id)
	return nil
}

// execution stages an EXECUTION update: the outcome the invocation ends with.
func (b *batch) execution(i int, u *checkpoint.OperationUpdate, last bool) error {
	what := updateRef{i, u}
	switch {
	case !last:
		return invalidf("%s: an EXECUTION update must be the last update of its request", what)
	case u.Id != b.e.Id:
		return invalidf("%s: the EXECUTION operation of this execution is %s", what, b.e.Id)
	case u.Action != checkpoint.ActionSucceed && u.Action != checkpoint.ActionFail:
		return invalidf("%s: an EXECUTION update must be SUCCEED or FAIL", what)
	case u.Action == checkpoint.ActionSucceed && u.Error != nil:
		return invalidf("%s: SUCCEED cannot carry an Error", what)
	case u.Action == checkpoint.ActionFail && u.Payload != "":
		return invalidf("%s: FAIL cannot carry a Payload", what)
	case len(u.Payload) > b.s.limits.MaxResponse:
		return tooLargef("%s: the result is %d bytes; the limit is %d", what, len(u.Payload), b.s.limits.MaxResponse)
	case errorBytes(u.Error) > b.s.limits.MaxOperationPayload:
		return tooLargef("%s: the error is %d bytes; the limit is %d", what, errorBytes(u.Error), b.s.limits.MaxOperationPayload)
	}
	b.outcome = &outcome{Succeeded: u.Action == checkpoint.ActionSucceed, Result: u.Payload, Error: cloneError(u.Error)}
	return nil
}

// delay validates a wait or retry delay.
func (b *batch) delay(what updateRef, field string, secs *int32) (int32, error) {
	max := b.s.limits.MaxDelaySeconds
	if secs == nil {
		return 0, invalidf("%s: %s is required", what, field)
	}
	if *secs < 1 || *secs > max {
		return 0, invalidf("%s: %s %d: must be between 1 and %d seconds", what, field, *secs, max)
	}
	return *secs, nil
}

func (b *batch) step(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) error {
	st := statusOf(cur)
	switch u.Action {
	case checkpoint.ActionStart:
		if cur != nil && cur.Status != checkpoint.StatusReady {
			return invalidf("%s: cannot START a STEP that is %s (allowed when absent or READY)", what, st)
		}
		o := b.edit(u)
		o.Status = checkpoint.StatusStarted
		if o.StepDetails == nil {
			o.StepDetails = &checkpoint.StepDetails{}
		}
		o.StepDetails.NextAttemptTimestamp = checkpoint.Timestamp{}
		b.event(EventStepStarted, o, &StepStartedDetails{})
		return nil
	case checkpoint.ActionSucceed, checkpoint.ActionFail, checkpoint.ActionRetry:
	default:
		return invalidf("%s: a STEP update must be START, SUCCEED, FAIL or RETRY", what)
	}
	if cur != nil && cur.Status != checkpoint.StatusStarted && cur.Status != checkpoint.StatusReady {
		return invalidf("%s: cannot %s a STEP that is %s (allowed when absent, STARTED or READY)", what, u.Action, st)
	}
	var delay int32
	if u.Action == checkpoint.ActionRetry {
		var err error
		var secs *int32
		if u.StepOptions != nil {
			secs = &u.StepOptions.NextAttemptDelaySeconds
		}
		if delay, err = b.delay(what, "StepOptions.NextAttemptDelaySeconds", secs); err != nil {
			return err
		}
		if u.Error != nil && u.Payload != "" {
			return invalidf("%s: RETRY carries an Error or a Payload, not both", what)
		}
	}
	o := b.edit(u)
	if o.StepDetails == nil {
		o.StepDetails = &checkpoint.StepDetails{}
	}
	d := o.StepDetails
	d.Attempt++
	d.NextAttemptTimestamp = checkpoint.Timestamp{}
	d.Result, d.Error = u.Payload, cloneError(u.Error)
	retry := &RetryDetails{CurrentAttempt: int32(d.Attempt)}
	switch u.Action {
	case checkpoint.ActionSucceed:
		o.Status = checkpoint.StatusSucceeded
		o.EndTimestamp = checkpoint.At(b.now)
		b.event(EventStepSucceeded, o, &StepSucceededDetails{Result: &EventResult{Payload: ptr(u.Payload)}, RetryDetails: retry})
	case checkpoint.ActionFail:
		o.Status = checkpoint.StatusFailed
		o.EndTimestamp = checkpoint.At(b.now)
		b.event(EventStepFailed, o, &StepFailedDetails{Error: eventError(u.Error), RetryDetails: retry})
	case checkpoint.ActionRetry:
		o.Status = checkpoint.StatusPending
		at := b.now.Add(time.Duration(delay) * time.Second)
		d.NextAttemptTimestamp = checkpoint.At(at)
		retry.NextAttemptDelaySeconds = ptr(delay)
		if u.Payload != "" {
			b.event(EventStepSucceeded, o, &StepSucceededDetails{Result: &EventResult{Payload: ptr(u.Payload)}, RetryDetails: retry})
		} else {
			b.event(EventStepFailed, o, &StepFailedDetails{Error: eventError(u.Error), RetryDetails: retry})
		}
		arn, id := b.e.Arn, u.Id
		b.effects = append(b.effects, func() { b.s.addTimerLocked(at, arn, id, timerRetry) })
	}
	return nil
}

func (b *batch) context(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) error {
	st := statusOf(cur)
	switch u.Action {
	case checkpoint.ActionStart:
		if cur != nil {
			return invalidf("%s: cannot START a CONTEXT that is %s (allowed when absent)", what, st)
		}
	case checkpoint.ActionSucceed, checkpoint.ActionFail:
		if cur != nil && cur.Status != checkpoint.StatusStarted {
			return invalidf("%s: cannot %s a CONTEXT that is %s (allowed when absent or STARTED)", what, u.Action, st)
		}
	default:
		return invalidf("%s: a CONTEXT update must be START, SUCCEED or FAIL", what)
	}
	o := b.edit(u)
	if o.ContextDetails == nil {
		o.ContextDetails = &checkpoint.ContextDetails{}
	}
	if u.ContextOptions != nil {
		o.ContextDetails.ReplayChildren = u.ContextOptions.ReplayChildren
	}
	switch u.Action {
	case checkpoint.ActionStart:
		o.Status = checkpoint.StatusStarted
		b.event(EventContextStarted, o, &ContextStartedDetails{})
	case checkpoint.ActionSucceed:
		o.Status = checkpoint.StatusSucceeded
		o.EndTimestamp = checkpoint.At(b.now)
		o.ContextDetails.Result = u.Payload
		b.event(EventContextSucceeded, o, &ContextSucceededDetails{Result: &EventResult{Payload: ptr(u.Payload)}})
	case checkpoint.ActionFail:
		o.Status = checkpoint.StatusFailed
		o.EndTimestamp = checkpoint.At(b.now)
		o.ContextDetails.Error = cloneError(u.Error)
		b.event(EventContextFailed, o, &ContextFailedDetails{Error: eventError(u.Error)})
	}
	return nil
}

// cancel stages a CANCEL of a STARTED operation.
func (b *batch) cancel(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) (*checkpoint.Operation, error) {
	if cur == nil || cur.Status != checkpoint.StatusStarted {
		return nil, invalidf("%s: cannot CANCEL a %s that is %s (allowed when STARTED)", what, u.Type, statusOf(cur))
	}
	o := b.edit(u)
	o.Status = checkpoint.StatusCancelled
	o.EndTimestamp = checkpoint.At(b.now)
	return o, nil
}

// startOnly checks that a START finds no operation.
func startOnly(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) error {
	if u.Action != checkpoint.ActionStart && u.Action != checkpoint.ActionCancel {
		return invalidf("%s: a %s update must be START or CANCEL", what, u.Type)
	}
	if u.Action == checkpoint.ActionStart && cur != nil {
		return invalidf("%s: cannot START a %s that is %s (allowed when absent)", what, u.Type, statusOf(cur))
	}
	return nil
}

func (b *batch) wait(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) error {
	if err := startOnly(what, u, cur); err != nil {
		return err
	}
	if u.Action == checkpoint.ActionCancel {
		o, err := b.cancel(what, u, cur)
		if err != nil {
			return err
		}
		b.event(EventWaitCancelled, o, &WaitCancelledDetails{Error: eventError(u.Error)})
		return nil
	}
	var secs *int32
	if u.WaitOptions != nil {
		secs = &u.WaitOptions.WaitSeconds
	}
	n, err := b.delay(what, "WaitOptions.WaitSeconds", secs)
	if err != nil {
		return err
	}
	o := b.edit(u)
	o.Status = checkpoint.StatusStarted
	at := b.now.Add(time.Duration(n) * time.Second)
	o.WaitDetails = &checkpoint.WaitDetails{ScheduledEndTimestamp: checkpoint.At(at)}
	b.event(EventWaitStarted, o, &WaitStartedDetails{Duration: n, ScheduledEndTimestamp: at})
	arn, id := b.e.Arn, u.Id
	b.effects = append(b.effects, func() { b.s.addTimerLocked(at, arn, id, timerWait) })
	return nil
}

func (b *batch) callback(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) error {
	if err := startOnly(what, u, cur); err != nil {
		return err
	}
	if u.Action == checkpoint.ActionCancel {
		o, err := b.cancel(what, u, cur)
		if err != nil {
			return err
		}
		cb := o.CallbackDetails.CallbackId
		b.effects = append(b.effects, func() { delete(b.s.callbacks, cb) })
		return nil
	}
	var timeout, heartbeat int32
	if u.CallbackOptions != nil {
		timeout, heartbeat = u.CallbackOptions.TimeoutSeconds, u.CallbackOptions.HeartbeatTimeoutSeconds
	}
	max := int32(min(b.e.Timeout/time.Second, time.Duration(b.s.limits.MaxDelaySeconds)))
	if timeout < 0 || timeout > max {
		return invalidf("%s: CallbackOptions.TimeoutSeconds %d: must be between 0 (none) and %d (the execution timeout)", what, timeout, max)
	}
	if heartbeat < 0 || heartbeat > max {
		return invalidf("%s: CallbackOptions.HeartbeatTimeoutSeconds %d: must be between 0 (none) and %d (the execution timeout)", what, heartbeat, max)
	}
	o := b.edit(u)
	o.Status = checkpoint.StatusStarted
	cb := newCallbackId()
	o.CallbackDetails = &checkpoint.CallbackDetails{CallbackId: cb}
	m := &opMeta{CallbackTimeout: timeout, CallbackHeartbeat: heartbeat}
	if timeout > 0 {
		m.TimeoutAt = b.now.Add(time.Duration(timeout) * time.Second)
	}
	if heartbeat > 0 {
		m.HeartbeatAt = b.now.Add(time.Duration(heartbeat) * time.Second)
	}
	b.metas[u.Id] = m
	b.event(EventCallbackStarted, o, &CallbackStartedDetails{CallbackId: cb, Timeout: timeout, HeartbeatTimeout: heartbeat})
	e, id := b.e, u.Id
	b.effects = append(b.effects, func() {
		b.s.callbacks[cb] = cbRef{arn: e.Arn, opId: id}
		b.s.armCallbackLocked(e, id, m)
	})
	return nil
}

func (b *batch) chainedInvoke(what updateRef, u *checkpoint.OperationUpdate, cur *checkpoint.Operation) error {
	if err := startOnly(what, u, cur); err != nil {
		return err
	}
	if u.Action == checkpoint.ActionCancel {
		if _, err := b.cancel(what, u, cur); err != nil {
			return err
		}
		if m := b.e.Meta[u.Id]; m != nil && m.TargetArn != "" {
			target := m.TargetArn
			b.effects = append(b.effects, func() { b.s.stopChildLocked(target) })
		}
		return nil
	}
	if u.ChainedInvokeOptions == nil || u.ChainedInvokeOptions.FunctionName == "" {
		return invalidf("%s: ChainedInvokeOptions.FunctionName is required", what)
	}
	opts := *u.ChainedInvokeOptions
	o := b.edit(u)
	o.Status = checkpoint.StatusStarted
	o.ChainedInvokeDetails = &checkpoint.ChainedInvokeDetails{}
	details := &ChainedInvokeStartedDetails{FunctionName: opts.FunctionName, TenantId: opts.TenantId,
		Input: &EventInput{Payload: ptr(u.Payload)}, ExecutedVersion: "$LATEST"}
	e, id, payload := b.e, u.Id, u.Payload
	f := b.s.resolveLocked(opts.FunctionName)
	switch {
	case f == nil:
		b.effects = append(b.effects, func() {
			b.s.afterInvocationLocked(e, func() {
				b.s.chainedDoneLocked(e, e.index[id], checkpoint.StatusFailed, "", &checkpoint.ErrorObject{
					ErrorType: CodeResourceNotFound, ErrorMessage: "Function not found: " + opts.FunctionName})
			})
		})
	case f.cfg.plain:
		details.ExecutedVersion = f.cfg.qualifier
		b.metas[id] = &opMeta{PlainTarget: f.name, PlainInput: payload}
		b.effects = append(b.effects, func() {
			b.s.afterInvocationLocked(e, func() { b.s.startPlainLocked(e, id) })
		})
	default:
		details.ExecutedVersion = f.cfg.qualifier
		childName, childId := newUUID(), newUUID()
		childArn := b.s.executionArn(f, childName, childId)
		details.DurableExecutionArn = childArn
		b.metas[id] = &opMeta{TargetArn: childArn}
		b.effects = append(b.effects, func() {
			child, err := b.s.newExecutionLocked(f, childName, childId, []byte(payload), 0, opts.TenantId, e.Arn, id, e.Invoking)
			if err != nil {
				b.s.afterInvocationLocked(e, func() {
					b.s.chainedDoneLocked(e, e.index[id], checkpoint.StatusFailed, "", &checkpoint.ErrorObject{
						ErrorType: apiCode(err), ErrorMessage: err.Error()})
				})
				return
			}
			b.s.afterInvocationLocked(e, func() {
				child.held = false
				b.s.kickLocked(child)
			})
		})
	}
	b.event(EventChainedInvokeStarted, o, details)
	return nil
}

// apiCode returns the code of an *APIError, or ServiceException.
func apiCode(err error) string {
	if ae, ok := err.(*APIError); ok {
		return ae.Code
	}
	return CodeService
}

// commitRecords writes the staged operations and events to the execution.
func (b *batch) commitRecords() {
	e := b.e
	for _, id := range b.created {
		o := b.staged[id]
		e.pos[id] = len(e.Ops)
		e.Ops = append(e.Ops, o)
		e.index[id] = o
	}
	for id, o := range b.staged {
		if cur := e.index[id]; cur != o {
			*cur = *o
		}
	}
	for id, m := range b.metas {
		e.Meta[id] = m
	}
	e.Outcome = b.outcome
	for _, ev := range b.events {
		e.addStored(ev)
	}
}

// runEffects applies what the batch does beyond the execution's record
// (timers, callbacks, chained invokes).
func (b *batch) runEffects() {
	for _, f := range b.effects {
		f()
	}
}
