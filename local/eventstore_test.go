package local

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestStoredEventRoundTrip(t *testing.T) {
	at := time.Unix(1700000000, 0).UTC()
	p := "x"
	evs := []Event{
		{EventType: EventStepSucceeded, EventId: 1, EventTimestamp: at, Id: "a", Name: "n", ParentId: "p", SubType: "Step",
			StepSucceededDetails: &StepSucceededDetails{Result: &EventResult{Payload: &p}}},
		{EventType: EventWaitStarted, EventId: 2, EventTimestamp: at, WaitStartedDetails: &WaitStartedDetails{}},
		{EventType: EventInvocationCompleted, EventId: 3, InvocationCompletedDetails: &InvocationCompletedDetails{}},
		{EventType: EventStepStarted, EventId: 4}, // no details
		{EventType: EventStepFailed, EventId: 5, StepStartedDetails: &StepStartedDetails{}, // two details: kept whole
			StepFailedDetails: &StepFailedDetails{}},
	}
	var l eventLog
	for i := 0; i < 2*eventChunk+3; i++ {
		ev := evs[i%len(evs)]
		l.add(compactEvent(&ev))
	}
	var want []Event
	for i := 0; i < l.Len(); i++ {
		got := l.At(i)
		if !reflect.DeepEqual(got, evs[i%len(evs)]) {
			t.Fatalf("event %d = %+v, want %+v", i, got, evs[i%len(evs)])
		}
		want = append(want, got)
	}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	if string(b) != string(wb) {
		t.Fatalf("JSON differs from []Event:\n%s\n%s", b, wb)
	}
	var back eventLog
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Len() != l.Len() || !reflect.DeepEqual(back.At(l.Len()-1), l.At(l.Len()-1)) {
		t.Fatalf("unmarshalled %d events, want %d", back.Len(), l.Len())
	}
}
