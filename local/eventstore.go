package local

import (
	"encoding/json"
	"time"
)

// storedEvent is the compact form of an Event the service keeps: the
// header and the one details pointer the event has, instead of one pointer
// field per details kind. GetHistory builds the exported Event from it.
type storedEvent struct {
	EventType      EventType
	EventId        int32
	EventTimestamp time.Time
	Id             string
	Name           string
	ParentId       string
	SubType        string
	// details is the event's details pointer (nil if none), or the whole
	// *Event when it has more than one.
	details any
}

// compactEvent converts ev to its stored form.
func compactEvent(ev *Event) storedEvent {
	s := storedEvent{EventType: ev.EventType, EventId: ev.EventId, EventTimestamp: ev.EventTimestamp,
		Id: ev.Id, Name: ev.Name, ParentId: ev.ParentId, SubType: ev.SubType}
	n := 0
	if ev.ExecutionStartedDetails != nil {
		n++
		s.details = ev.ExecutionStartedDetails
	}
	if ev.ExecutionSucceededDetails != nil {
		n++
		s.details = ev.ExecutionSucceededDetails
	}
	if ev.ExecutionFailedDetails != nil {
		n++
		s.details = ev.ExecutionFailedDetails
	}
	if ev.ExecutionTimedOutDetails != nil {
		n++
		s.details = ev.ExecutionTimedOutDetails
	}
	if ev.ExecutionStoppedDetails != nil {
		n++
		s.details = ev.ExecutionStoppedDetails
	}
	if ev.ContextStartedDetails != nil {
		n++
		s.details = ev.ContextStartedDetails
	}
	if ev.ContextSucceededDetails != nil {
		n++
		s.details = ev.ContextSucceededDetails
	}
	if ev.ContextFailedDetails != nil {
		n++
		s.details = ev.ContextFailedDetails
	}
	if ev.WaitStartedDetails != nil {
		n++
		s.details = ev.WaitStartedDetails
	}
	if ev.WaitSucceededDetails != nil {
		n++
		s.details = ev.WaitSucceededDetails
	}
	if ev.WaitCancelledDetails != nil {
		n++
		s.details = ev.WaitCancelledDetails
	}
	if ev.StepStartedDetails != nil {
		n++
		s.details = ev.StepStartedDetails
	}
	if ev.StepSucceededDetails != nil {
		n++
		s.details = ev.StepSucceededDetails
	}
	if ev.StepFailedDetails != nil {
		n++
		s.details = ev.StepFailedDetails
	}
	if ev.ChainedInvokeStartedDetails != nil {
		n++
		s.details = ev.ChainedInvokeStartedDetails
	}
	if ev.ChainedInvokeSucceededDetails != nil {
		n++
		s.details = ev.ChainedInvokeSucceededDetails
	}
	if ev.ChainedInvokeFailedDetails != nil {
		n++
		s.details = ev.ChainedInvokeFailedDetails
	}
	if ev.ChainedInvokeTimedOutDetails != nil {
		n++
		s.details = ev.ChainedInvokeTimedOutDetails
	}
	if ev.ChainedInvokeStoppedDetails != nil {
		n++
		s.details = ev.ChainedInvokeStoppedDetails
	}
	if ev.CallbackStartedDetails != nil {
		n++
		s.details = ev.CallbackStartedDetails
	}
	if ev.CallbackSucceededDetails != nil {
		n++
		s.details = ev.CallbackSucceededDetails
	}
	if ev.CallbackFailedDetails != nil {
		n++
		s.details = ev.CallbackFailedDetails
	}
	if ev.CallbackTimedOutDetails != nil {
		n++
		s.details = ev.CallbackTimedOutDetails
	}
	if ev.InvocationCompletedDetails != nil {
		n++
		s.details = ev.InvocationCompletedDetails
	}
	if n > 1 {
		c := *ev
		s.details = &c
	}
	return s
}

// event converts s back to the exported Event.
func (s *storedEvent) event() Event {
	if full, ok := s.details.(*Event); ok {
		return *full
	}
	ev := Event{EventType: s.EventType, EventId: s.EventId, EventTimestamp: s.EventTimestamp,
		Id: s.Id, Name: s.Name, ParentId: s.ParentId, SubType: s.SubType}
	switch d := s.details.(type) {
	case *ExecutionStartedDetails:
		ev.ExecutionStartedDetails = d
	case *ExecutionSucceededDetails:
		ev.ExecutionSucceededDetails = d
	case *ExecutionFailedDetails:
		ev.ExecutionFailedDetails = d
	case *ExecutionTimedOutDetails:
		ev.ExecutionTimedOutDetails = d
	case *ExecutionStoppedDetails:
		ev.ExecutionStoppedDetails = d
	case *ContextStartedDetails:
		ev.ContextStartedDetails = d
	case *ContextSucceededDetails:
		ev.ContextSucceededDetails = d
	case *ContextFailedDetails:
		ev.ContextFailedDetails = d
	case *WaitStartedDetails:
		ev.WaitStartedDetails = d
	case *WaitSucceededDetails:
		ev.WaitSucceededDetails = d
	case *WaitCancelledDetails:
		ev.WaitCancelledDetails = d
	case *StepStartedDetails:
		ev.StepStartedDetails = d
	case *StepSucceededDetails:
		ev.StepSucceededDetails = d
	case *StepFailedDetails:
		ev.StepFailedDetails = d
	case *ChainedInvokeStartedDetails:
		ev.ChainedInvokeStartedDetails = d
	case *ChainedInvokeSucceededDetails:
		ev.ChainedInvokeSucceededDetails = d
	case *ChainedInvokeFailedDetails:
		ev.ChainedInvokeFailedDetails = d
	case *ChainedInvokeTimedOutDetails:
		ev.ChainedInvokeTimedOutDetails = d
	case *ChainedInvokeStoppedDetails:
		ev.ChainedInvokeStoppedDetails = d
	case *CallbackStartedDetails:
		ev.CallbackStartedDetails = d
	case *CallbackSucceededDetails:
		ev.CallbackSucceededDetails = d
	case *CallbackFailedDetails:
		ev.CallbackFailedDetails = d
	case *CallbackTimedOutDetails:
		ev.CallbackTimedOutDetails = d
	case *InvocationCompletedDetails:
		ev.InvocationCompletedDetails = d
	}
	return ev
}

// MarshalJSON writes the event in the form of Event.
func (s storedEvent) MarshalJSON() ([]byte, error) { return json.Marshal(s.event()) }

// UnmarshalJSON reads an event in the form of Event.
func (s *storedEvent) UnmarshalJSON(b []byte) error {
	var ev Event
	if err := json.Unmarshal(b, &ev); err != nil {
		return err
	}
	*s = compactEvent(&ev)
	return nil
}
