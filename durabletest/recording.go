package durabletest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/timeline"
)

// Recording is a recorded execution, what Replay replays: the operations
// the engine replays from (the same checkpoint.Operation records the
// service hands a function in its invocation event, payloads included) and
// how the execution ended. Its JSON form is what `durable export` writes.
type Recording struct {
	// DurableExecutionArn identifies the execution (a placeholder in a
	// recording read from a golden file).
	DurableExecutionArn string `json:"DurableExecutionArn"`
	// Status is the execution's status: RUNNING while it waits (for a
	// timer, a callback, ...), else how it ended.
	Status local.ExecutionStatus `json:"Status"`
	// Result is the JSON text a SUCCEEDED execution returned.
	Result string `json:"Result,omitempty"`
	// Error is why the execution FAILED, TIMED_OUT or STOPPED.
	Error *checkpoint.ErrorObject `json:"Error,omitempty"`
	// Operations are every recorded operation in creation order, the
	// EXECUTION operation (which carries the input) first, the children of
	// closed contexts included.
	Operations []checkpoint.Operation `json:"Operations"`
}

// ErrTruncated is wrapped by the error of RecordingFromHistory when the
// history holds a truncated payload (or none: it was read without
// IncludeExecutionData): the operations cannot be rebuilt exactly.
var ErrTruncated = errors.New("durabletest: the history holds truncated or omitted payloads")

// Recording returns the execution the runner started, as a Recording.
func (r *Runner) Recording() (*Recording, error) {
	if r.arn == "" {
		return nil, ErrNotStarted
	}
	ops, err := r.svc.Operations(r.arn)
	if err != nil {
		return nil, fmt.Errorf("durabletest: %w", err)
	}
	res := r.Result()
	return &Recording{DurableExecutionArn: r.arn, Status: res.Status, Result: res.Result, Error: res.Error, Operations: ops}, nil
}

// WriteFile writes the recording as indented JSON.
func (rec *Recording) WriteFile(path string) error {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("durabletest: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("durabletest: %w", err)
	}
	return nil
}

// ReadRecording reads a recorded execution from a file in any of the forms
// the project writes:
//   - a Recording as JSON (`durable export`, Recording.WriteFile);
//   - a golden history, one event per line (Runner.CheckHistory);
//   - a history as a JSON array of events (`durable show -format events`).
//
// Histories are turned into operations by RecordingFromHistory.
func ReadRecording(path string) (*Recording, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("durabletest: %w", err)
	}
	rec, err := ParseRecording(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, nil
}

// ParseRecording is ReadRecording on the file's contents.
func ParseRecording(data []byte) (*Recording, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("durabletest: empty recording")
	case trimmed[0] == '[':
		var events []local.Event
		if err := json.Unmarshal(trimmed, &events); err != nil {
			return nil, fmt.Errorf("durabletest: reading history events: %w", err)
		}
		return RecordingFromHistory(events)
	}
	var probe struct {
		Operations json.RawMessage `json:"Operations"`
		EventType  string          `json:"EventType"`
	}
	line, _, _ := bytes.Cut(trimmed, []byte("\n"))
	if err := json.Unmarshal(line, &probe); err == nil && probe.EventType != "" {
		return historyLines(trimmed)
	}
	var rec Recording
	if err := json.Unmarshal(trimmed, &rec); err != nil {
		return nil, fmt.Errorf("durabletest: reading the recording: %w", err)
	}
	if len(rec.Operations) == 0 {
		return nil, errors.New("durabletest: the recording has no operations")
	}
	return &rec, nil
}

// historyLines reads a history written one JSON event per line.
func historyLines(data []byte) (*Recording, error) {
	var events []local.Event
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var ev local.Event
		if err := json.Unmarshal(line, &ev); err != nil {
			return nil, fmt.Errorf("durabletest: history line %d: %w", n, err)
		}
		events = append(events, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("durabletest: reading the history: %w", err)
	}
	return RecordingFromHistory(events)
}

// FetchRecording reads an execution through an aws-sdk-go-v2 Lambda client
// (the real service, or `durable serve`) and rebuilds its operations from
// GetDurableExecutionHistory with IncludeExecutionData. The service's
// GetDurableExecutionState would give the operations directly, but it only
// answers the function's own invocation (it needs the invocation's
// checkpoint token), so a caller outside the function reads the history.
func FetchRecording(ctx context.Context, client *lambda.Client, arn string) (*Recording, error) {
	events, err := timeline.LambdaHistory(ctx, client, arn)
	if err != nil {
		return nil, fmt.Errorf("durabletest: %w", err)
	}
	raw, err := json.Marshal(events)
	if err != nil {
		return nil, fmt.Errorf("durabletest: reading lambda events: %w", err)
	}
	var evs []local.Event
	if err := json.Unmarshal(raw, &evs); err != nil {
		return nil, fmt.Errorf("durabletest: reading lambda events: %w", err)
	}
	rec, err := RecordingFromHistory(evs)
	if err != nil {
		return nil, err
	}
	rec.DurableExecutionArn = arn
	return rec, nil
}

// RecordingFromHistory rebuilds the operations of an execution from its
// history events (read with IncludeExecutionData; in any order, they are
// taken by EventId). History does not record a context's ReplayChildren
// flag: a succeeded CONTEXT with no result payload and recorded children is
// taken as recorded with ReplayChildren (the SDK writes an empty payload
// when a child's result is over the payload limit); a map or parallel
// summary payload is not recognised (docs/versioning.md).
func RecordingFromHistory(events []local.Event) (*Recording, error) {
	b := &opsBuilder{byID: map[string]int{}, rec: &Recording{Status: local.ExecutionRunning}}
	sorted := append([]local.Event(nil), events...)
	sortEvents(sorted)
	for i := range sorted {
		if err := b.add(&sorted[i]); err != nil {
			return nil, err
		}
	}
	if len(b.rec.Operations) == 0 || b.rec.Operations[0].Type != checkpoint.TypeExecution {
		return nil, errors.New("durabletest: the history has no ExecutionStarted event")
	}
	b.inferReplayChildren()
	return b.rec, nil
}

// sortEvents orders events by EventId (insertion sort: stable, fast on
// sorted input).
func sortEvents(evs []local.Event) {
	for i := 1; i < len(evs); i++ {
		for j := i; j > 0 && evs[j].EventId < evs[j-1].EventId; j-- {
			evs[j], evs[j-1] = evs[j-1], evs[j]
		}
	}
}

type opsBuilder struct {
	rec  *Recording
	byID map[string]int
}

// op returns the operation of ev, creating it on its first event.
func (b *opsBuilder) op(ev *local.Event, typ checkpoint.OperationType) *checkpoint.Operation {
	if i, ok := b.byID[ev.Id]; ok {
		return &b.rec.Operations[i]
	}
	b.byID[ev.Id] = len(b.rec.Operations)
	b.rec.Operations = append(b.rec.Operations, checkpoint.Operation{
		Id: ev.Id, ParentId: ev.ParentId, Name: ev.Name, Type: typ, SubType: ev.SubType,
		StartTimestamp: checkpoint.Timestamp{Time: ev.EventTimestamp},
	})
	return &b.rec.Operations[len(b.rec.Operations)-1]
}

func (b *opsBuilder) end(op *checkpoint.Operation, st checkpoint.Status, ev *local.Event) {
	op.Status = st
	op.EndTimestamp = checkpoint.Timestamp{Time: ev.EventTimestamp}
}

func (b *opsBuilder) add(ev *local.Event) error {
	switch ev.EventType {
	case local.EventExecutionStarted:
		return b.started(ev)
	case local.EventExecutionSucceeded:
		b.endExecution(ev, checkpoint.StatusSucceeded)
		b.rec.Status = local.ExecutionSucceeded
		if d := ev.ExecutionSucceededDetails; d != nil {
			r, err := result(ev, d.Result)
			b.rec.Result = r
			return err
		}
	case local.EventExecutionFailed, local.EventExecutionTimedOut, local.EventExecutionStopped:
		return b.ended(ev)
	case local.EventInvocationCompleted:
	default:
		return b.operation(ev)
	}
	return nil
}

func (b *opsBuilder) started(ev *local.Event) error {
	op := b.op(ev, checkpoint.TypeExecution)
	op.Status = checkpoint.StatusStarted
	op.ExecutionDetails = &checkpoint.ExecutionDetails{}
	if d := ev.ExecutionStartedDetails; d != nil && d.Input != nil {
		if d.Input.Truncated {
			return fmt.Errorf("%w: the execution's input", ErrTruncated)
		}
		if d.Input.Payload != nil {
			op.ExecutionDetails.InputPayload = *d.Input.Payload
		}
	}
	return nil
}

// endExecution closes the EXECUTION operation.
func (b *opsBuilder) endExecution(ev *local.Event, st checkpoint.Status) {
	if len(b.rec.Operations) > 0 && b.rec.Operations[0].Type == checkpoint.TypeExecution {
		b.end(&b.rec.Operations[0], st, ev)
	}
}

func (b *opsBuilder) ended(ev *local.Event) error {
	var ee *local.EventError
	switch ev.EventType {
	case local.EventExecutionFailed:
		b.rec.Status = local.ExecutionFailed
		b.endExecution(ev, checkpoint.StatusFailed)
		if d := ev.ExecutionFailedDetails; d != nil {
			ee = d.Error
		}
	case local.EventExecutionTimedOut:
		b.rec.Status = local.ExecutionTimedOut
		b.endExecution(ev, checkpoint.StatusTimedOut)
		if d := ev.ExecutionTimedOutDetails; d != nil {
			ee = d.Error
		}
	default:
		b.rec.Status = local.ExecutionStopped
		b.endExecution(ev, checkpoint.StatusStopped)
		if d := ev.ExecutionStoppedDetails; d != nil {
			ee = d.Error
		}
	}
	e, err := errorOf(ev, ee)
	b.rec.Error = e
	return err
}

// operation applies an event of a STEP, WAIT, CALLBACK, CHAINED_INVOKE or
// CONTEXT operation.
func (b *opsBuilder) operation(ev *local.Event) error {
	if ev.Id == "" {
		return fmt.Errorf("durabletest: event %d (%s) has no operation Id", ev.EventId, ev.EventType)
	}
	switch {
	case strings.HasPrefix(string(ev.EventType), "Step"):
		return b.step(ev)
	case strings.HasPrefix(string(ev.EventType), "Wait"):
		return b.wait(ev)
	case strings.HasPrefix(string(ev.EventType), "Callback"):
		return b.callback(ev)
	case strings.HasPrefix(string(ev.EventType), "ChainedInvoke"):
		return b.invoke(ev)
	case strings.HasPrefix(string(ev.EventType), "Context"):
		return b.context(ev)
	}
	return fmt.Errorf("durabletest: event %d has unknown type %q", ev.EventId, ev.EventType)
}

func (b *opsBuilder) step(ev *local.Event) error {
	op := b.op(ev, checkpoint.TypeStep)
	if op.StepDetails == nil {
		op.StepDetails = &checkpoint.StepDetails{}
	}
	sd := op.StepDetails
	var rd *local.RetryDetails
	var err error
	switch ev.EventType {
	case local.EventStepStarted:
		op.Status = checkpoint.StatusStarted
		return nil
	case local.EventStepSucceeded:
		sd.Result, sd.Error = "", nil
		if d := ev.StepSucceededDetails; d != nil {
			rd = d.RetryDetails
			sd.Result, err = result(ev, d.Result)
		}
		b.end(op, checkpoint.StatusSucceeded, ev)
	case local.EventStepFailed:
		sd.Result, sd.Error = "", nil
		if d := ev.StepFailedDetails; d != nil {
			rd = d.RetryDetails
			sd.Error, err = errorOf(ev, d.Error)
		}
		b.end(op, checkpoint.StatusFailed, ev)
	}
	sd.NextAttemptTimestamp = checkpoint.Timestamp{}
	sd.Attempt++
	if rd != nil {
		sd.Attempt = int(rd.CurrentAttempt)
		if rd.NextAttemptDelaySeconds != nil { // a retry (or a condition poll) is scheduled
			op.Status, op.EndTimestamp = checkpoint.StatusPending, checkpoint.Timestamp{}
			sd.NextAttemptTimestamp = checkpoint.Timestamp{Time: ev.EventTimestamp.Add(time.Duration(*rd.NextAttemptDelaySeconds) * time.Second)}
		}
	}
	return err
}

func (b *opsBuilder) wait(ev *local.Event) error {
	op := b.op(ev, checkpoint.TypeWait)
	switch ev.EventType {
	case local.EventWaitStarted:
		op.Status = checkpoint.StatusStarted
		op.WaitDetails = &checkpoint.WaitDetails{}
		if d := ev.WaitStartedDetails; d != nil {
			op.WaitDetails.ScheduledEndTimestamp = checkpoint.Timestamp{Time: d.ScheduledEndTimestamp}
		}
	case local.EventWaitSucceeded:
		b.end(op, checkpoint.StatusSucceeded, ev)
	case local.EventWaitCancelled:
		b.end(op, checkpoint.StatusCancelled, ev)
	}
	return nil
}

func (b *opsBuilder) callback(ev *local.Event) error {
	op := b.op(ev, checkpoint.TypeCallback)
	if op.CallbackDetails == nil {
		op.CallbackDetails = &checkpoint.CallbackDetails{}
	}
	cd := op.CallbackDetails
	var err error
	switch ev.EventType {
	case local.EventCallbackStarted:
		op.Status = checkpoint.StatusStarted
		if d := ev.CallbackStartedDetails; d != nil {
			cd.CallbackId = d.CallbackId
		}
	case local.EventCallbackSucceeded:
		b.end(op, checkpoint.StatusSucceeded, ev)
		if d := ev.CallbackSucceededDetails; d != nil {
			cd.Result, err = result(ev, d.Result)
		}
	case local.EventCallbackFailed:
		b.end(op, checkpoint.StatusFailed, ev)
		if d := ev.CallbackFailedDetails; d != nil {
			cd.Error, err = errorOf(ev, d.Error)
		}
	case local.EventCallbackTimedOut:
		b.end(op, checkpoint.StatusTimedOut, ev)
		if d := ev.CallbackTimedOutDetails; d != nil {
			cd.Error, err = errorOf(ev, d.Error)
		}
	}
	return err
}

func (b *opsBuilder) invoke(ev *local.Event) error {
	op := b.op(ev, checkpoint.TypeChainedInvoke)
	if op.ChainedInvokeDetails == nil {
		op.ChainedInvokeDetails = &checkpoint.ChainedInvokeDetails{}
	}
	cd := op.ChainedInvokeDetails
	var err error
	switch ev.EventType {
	case local.EventChainedInvokeStarted:
		op.Status = checkpoint.StatusStarted
	case local.EventChainedInvokeSucceeded:
		b.end(op, checkpoint.StatusSucceeded, ev)
		if d := ev.ChainedInvokeSucceededDetails; d != nil {
			cd.Result, err = result(ev, d.Result)
		}
	case local.EventChainedInvokeFailed:
		b.end(op, checkpoint.StatusFailed, ev)
		if d := ev.ChainedInvokeFailedDetails; d != nil {
			cd.Error, err = errorOf(ev, d.Error)
		}
	case local.EventChainedInvokeTimedOut:
		b.end(op, checkpoint.StatusTimedOut, ev)
		if d := ev.ChainedInvokeTimedOutDetails; d != nil {
			cd.Error, err = errorOf(ev, d.Error)
		}
	case local.EventChainedInvokeStopped:
		b.end(op, checkpoint.StatusStopped, ev)
		if d := ev.ChainedInvokeStoppedDetails; d != nil {
			cd.Error, err = errorOf(ev, d.Error)
		}
	}
	return err
}

func (b *opsBuilder) context(ev *local.Event) error {
	op := b.op(ev, checkpoint.TypeContext)
	if op.ContextDetails == nil {
		op.ContextDetails = &checkpoint.ContextDetails{}
	}
	cd := op.ContextDetails
	var err error
	switch ev.EventType {
	case local.EventContextStarted:
		op.Status = checkpoint.StatusStarted
	case local.EventContextSucceeded:
		b.end(op, checkpoint.StatusSucceeded, ev)
		if d := ev.ContextSucceededDetails; d != nil {
			cd.Result, err = result(ev, d.Result)
		}
	case local.EventContextFailed:
		b.end(op, checkpoint.StatusFailed, ev)
		if d := ev.ContextFailedDetails; d != nil {
			cd.Error, err = errorOf(ev, d.Error)
		}
	}
	return err
}

// inferReplayChildren marks succeeded contexts without a result payload
// that have recorded children as recorded with ReplayChildren.
func (b *opsBuilder) inferReplayChildren() {
	parents := map[string]bool{}
	for i := range b.rec.Operations {
		if p := b.rec.Operations[i].ParentId; p != "" {
			parents[p] = true
		}
	}
	for i := range b.rec.Operations {
		op := &b.rec.Operations[i]
		if op.Type == checkpoint.TypeContext && op.Status == checkpoint.StatusSucceeded &&
			op.ContextDetails.Result == "" && parents[op.Id] {
			op.ContextDetails.ReplayChildren = true
		}
	}
}

// result returns an event's result payload.
func result(ev *local.Event, r *local.EventResult) (string, error) {
	if r == nil {
		return "", nil
	}
	if r.Truncated {
		return "", fmt.Errorf("%w: the result of event %d (%s, operation %s)", ErrTruncated, ev.EventId, ev.EventType, ev.Id)
	}
	if r.Payload == nil {
		return "", nil
	}
	return *r.Payload, nil
}

// errorOf returns an event's error object.
func errorOf(ev *local.Event, e *local.EventError) (*checkpoint.ErrorObject, error) {
	if e == nil {
		return nil, nil
	}
	if e.Truncated {
		return nil, fmt.Errorf("%w: the error of event %d (%s, operation %s)", ErrTruncated, ev.EventId, ev.EventType, ev.Id)
	}
	return e.Payload, nil
}
