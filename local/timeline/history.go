package timeline

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// FromHistory builds the timeline of an execution from its history events
// (in any order; they are laid out by EventId).
func FromHistory(events []local.Event) *Timeline {
	b := &builder{tl: &Timeline{}, byID: map[string]*Span{}}
	for _, e := range sortedEvents(events) {
		b.add(e)
	}
	b.tl.Roots = link(b.spans)
	return b.tl
}

// FromLambdaHistory builds the timeline from the events the aws-sdk-go-v2
// Lambda client returns (GetDurableExecutionHistory). Those events have the
// same members as local.Event.
func FromLambdaHistory(events []types.Event) (*Timeline, error) {
	raw, err := json.Marshal(events)
	if err != nil {
		return nil, fmt.Errorf("timeline: reading lambda events: %w", err)
	}
	var evs []local.Event
	if err := json.Unmarshal(raw, &evs); err != nil {
		return nil, fmt.Errorf("timeline: reading lambda events: %w", err)
	}
	return FromHistory(evs), nil
}

func sortedEvents(events []local.Event) []local.Event {
	out := append([]local.Event(nil), events...)
	// Insertion sort keeps equal ids stable and is fast on sorted input.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].EventId < out[j-1].EventId; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

type builder struct {
	tl    *Timeline
	spans []*Span
	byID  map[string]*Span
}

// opKind maps an event type prefix to the operation type it concerns.
func opKind(et local.EventType) (checkpoint.OperationType, string, bool) {
	for _, k := range []struct {
		prefix string
		typ    checkpoint.OperationType
	}{
		{"ChainedInvoke", checkpoint.TypeChainedInvoke},
		{"Callback", checkpoint.TypeCallback},
		{"Context", checkpoint.TypeContext},
		{"Step", checkpoint.TypeStep},
		{"Wait", checkpoint.TypeWait},
	} {
		if rest, ok := strings.CutPrefix(string(et), k.prefix); ok {
			return k.typ, rest, true
		}
	}
	return "", "", false
}

func (b *builder) add(e local.Event) {
	ts := e.EventTimestamp
	switch e.EventType {
	case local.EventExecutionStarted:
		b.tl.Start = ts
		b.tl.Status = string(local.ExecutionRunning)
		if e.Name != "" {
			b.tl.Name = e.Name
		}
		return
	case local.EventExecutionSucceeded, local.EventExecutionFailed, local.EventExecutionTimedOut, local.EventExecutionStopped:
		b.tl.End = ts
		b.tl.Status = executionStatus(e.EventType)
		return
	case local.EventInvocationCompleted:
		if d := e.InvocationCompletedDetails; d != nil {
			inv := Invocation{Start: d.StartTimestamp, End: d.EndTimestamp}
			inv.Error = describe(d.Error)
			b.tl.Invocations = append(b.tl.Invocations, inv)
		}
		return
	}
	typ, phase, ok := opKind(e.EventType)
	if !ok || e.Id == "" {
		return
	}
	s := b.byID[e.Id]
	if s == nil {
		s = &Span{Id: e.Id, ParentId: e.ParentId, Name: e.Name, Type: typ, SubType: e.SubType, Start: ts}
		b.byID[e.Id] = s
		b.spans = append(b.spans, s)
	}
	switch phase {
	case "Started":
		s.Status = checkpoint.StatusStarted
		if typ == checkpoint.TypeStep {
			s.Runs = append(s.Runs, Interval{Start: ts})
		}
	case "Succeeded":
		s.Status, s.End = checkpoint.StatusSucceeded, ts
		if typ == checkpoint.TypeStep {
			var rd *local.RetryDetails
			if d := e.StepSucceededDetails; d != nil {
				rd = d.RetryDetails
			}
			stepOutcome(s, rd, "")
		}
	case "Failed":
		s.Status, s.End = checkpoint.StatusFailed, ts
		if typ == checkpoint.TypeStep {
			var rd *local.RetryDetails
			var errText string
			if d := e.StepFailedDetails; d != nil {
				rd, errText = d.RetryDetails, describe(d.Error)
			}
			stepOutcome(s, rd, errText)
		} else {
			s.Error = failure(e)
		}
	case "TimedOut":
		s.Status, s.End = checkpoint.StatusTimedOut, ts
		s.Error = failure(e)
	case "Cancelled":
		s.Status, s.End = checkpoint.StatusCancelled, ts
	case "Stopped":
		s.Status, s.End = checkpoint.StatusStopped, ts
		s.Error = failure(e)
	}
}

// stepOutcome records the end of a step attempt at s.End. An outcome that
// schedules another attempt (a retry, or a wait-for-condition poll) leaves
// the step PENDING.
func stepOutcome(s *Span, rd *local.RetryDetails, errText string) {
	end := s.End
	if n := len(s.Runs); n > 0 && s.Runs[n-1].End.IsZero() {
		s.Runs[n-1].End = end
	} else {
		s.Runs = append(s.Runs, Interval{Start: end, End: end})
	}
	s.Attempts = max(s.Attempts, len(s.Runs))
	if rd != nil {
		s.Attempts = max(s.Attempts, int(rd.CurrentAttempt))
	}
	s.Error = errText
	if rd != nil && rd.NextAttemptDelaySeconds != nil {
		s.Status, s.End = checkpoint.StatusPending, time.Time{}
	}
}

// executionStatus maps a terminal execution event to the execution status.
func executionStatus(et local.EventType) string {
	switch et {
	case local.EventExecutionSucceeded:
		return string(local.ExecutionSucceeded)
	case local.EventExecutionFailed:
		return string(local.ExecutionFailed)
	case local.EventExecutionTimedOut:
		return string(local.ExecutionTimedOut)
	}
	return string(local.ExecutionStopped)
}

// failure describes the error an operation event carries, if any.
func failure(e local.Event) string {
	switch {
	case e.ContextFailedDetails != nil:
		return describe(e.ContextFailedDetails.Error)
	case e.CallbackFailedDetails != nil:
		return describe(e.CallbackFailedDetails.Error)
	case e.CallbackTimedOutDetails != nil:
		return describe(e.CallbackTimedOutDetails.Error)
	case e.ChainedInvokeFailedDetails != nil:
		return describe(e.ChainedInvokeFailedDetails.Error)
	case e.ChainedInvokeTimedOutDetails != nil:
		return describe(e.ChainedInvokeTimedOutDetails.Error)
	case e.ChainedInvokeStoppedDetails != nil:
		return describe(e.ChainedInvokeStoppedDetails.Error)
	}
	return ""
}

// describe renders an event error as "Type: message".
func describe(ee *local.EventError) string {
	if ee == nil {
		return ""
	}
	return describeObject(ee.Payload)
}

// describeObject renders an error object as "Type: message".
func describeObject(eo *checkpoint.ErrorObject) string {
	if eo == nil {
		return ""
	}
	switch {
	case eo.ErrorType != "" && eo.ErrorMessage != "":
		return eo.ErrorType + ": " + eo.ErrorMessage
	case eo.ErrorType != "":
		return eo.ErrorType
	}
	return eo.ErrorMessage
}
