package match

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/conformance/spec"
)

// actualHistory is a step that fails once, is retried and succeeds, as
// GetDurableExecutionHistory returns it (decoded with exact numbers).
func actualHistory(t *testing.T) []map[string]any {
	t.Helper()
	const text = `[
	 {"EventType":"ExecutionStarted","EventId":1,"EventTimestamp":"2025-01-01T00:00:00Z","Id":"exec","ExecutionStartedDetails":{"Input":{"Payload":"\"World\""}}},
	 {"EventType":"StepStarted","SubType":"Step","EventId":2,"Id":"a1b2","Name":"greet","EventTimestamp":"2025-01-01T00:00:01Z","StepStartedDetails":{}},
	 {"EventType":"StepFailed","SubType":"Step","EventId":3,"Id":"a1b2","Name":"greet","EventTimestamp":"2025-01-01T00:00:01Z",
	  "StepFailedDetails":{"Error":{"Payload":{"ErrorType":"pkg.TransientError","ErrorMessage":"boom"}},"RetryDetails":{"CurrentAttempt":1,"NextAttemptDelaySeconds":3}}},
	 {"EventType":"InvocationCompleted","EventId":4,"EventTimestamp":"2025-01-01T00:00:02Z","InvocationCompletedDetails":{"RequestId":"r1"}},
	 {"EventType":"StepStarted","SubType":"Step","EventId":5,"Id":"a1b2","Name":"greet","EventTimestamp":"2025-01-01T00:00:05Z","StepStartedDetails":{}},
	 {"EventType":"StepSucceeded","SubType":"Step","EventId":6,"Id":"a1b2","Name":"greet","EventTimestamp":"2025-01-01T00:00:05Z",
	  "StepSucceededDetails":{"Result":{"Payload":"\"Hello, World!\""},"RetryDetails":{"CurrentAttempt":2}}},
	 {"EventType":"InvocationCompleted","EventId":7,"EventTimestamp":"2025-01-01T00:00:06Z","InvocationCompletedDetails":{"RequestId":"r2"}},
	 {"EventType":"ExecutionSucceeded","EventId":8,"EventTimestamp":"2025-01-01T00:00:06Z","ExecutionSucceededDetails":{"Result":{"Payload":"\"Hello, World!\""}}}
	]`
	v, err := DecodeJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var events []map[string]any
	for _, e := range v.([]any) {
		events = append(events, e.(map[string]any))
	}
	return events
}

// expectedHistory is the matching expectation, in the YAML's own terms.
func expectedHistory(t *testing.T) []map[string]any {
	t.Helper()
	r, err := spec.Parse([]byte(`
ExpectedExecutionHistory:
  - EventType: StepStarted
    SubType: Step
    EventId: 2
    Id: ${ID1}
    Name: greet
    EventTimestamp: '*'
    StepStartedDetails: {}
  - EventType: StepFailed
    EventId: 3
    Id: ${ID1}
    StepFailedDetails:
      Error:
        Payload:
          ErrorType: ${/.*TransientError$/}
      RetryDetails:
        CurrentAttempt: 1
        NextAttemptDelaySeconds: ${/^[0-5]$/}
  - EventType: InvocationCompleted
    EventId: 4
    InvocationCompletedDetails: '*'
  - EventType: StepSucceeded
    EventId: 6
    Id: ${ID1}
    StepSucceededDetails:
      Result:
        Payload: '"Hello, World!"'
      RetryDetails:
        CurrentAttempt: 2
  - EventType: ExecutionSucceeded
    EventId: 8
    ExecutionSucceededDetails:
      Result: '*'
`), spec.File{Path: "test.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	return r.ExpectedExecutionHistory
}

func TestHistoryMatches(t *testing.T) {
	b := Bindings{}
	if err := History(expectedHistory(t), actualHistory(t), b); err != nil {
		t.Fatal(err)
	}
	if b["ID1"] != "a1b2" {
		t.Errorf("ID1 bound to %v, want a1b2", b["ID1"])
	}
}

func TestHistoryPairsByEventIdNotPosition(t *testing.T) {
	actual := actualHistory(t)
	reversed := make([]map[string]any, len(actual))
	for i, e := range actual {
		reversed[len(actual)-1-i] = e
	}
	if err := History(expectedHistory(t), reversed, Bindings{}); err != nil {
		t.Fatal(err)
	}
}

func TestHistoryMismatches(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(events []map[string]any) []map[string]any
		id     int64
		path   string
		reason string
	}{
		{"wrong event type", func(ev []map[string]any) []map[string]any {
			ev[1]["EventType"] = "StepSucceeded"
			ev[1]["Id"] = "zzz" // EventType is reported first, not the Id
			return ev
		}, 2, "EventType", "not equal"},
		{"inconsistent id", func(ev []map[string]any) []map[string]any {
			ev[5]["Id"] = "other"
			return ev
		}, 6, "Id", "${ID1} is bound to"},
		{"missing event", func(ev []map[string]any) []map[string]any { return ev[:7] }, 8, "", "no such event"},
		{"timestamp absent", func(ev []map[string]any) []map[string]any {
			delete(ev[1], "EventTimestamp")
			return ev
		}, 2, "EventTimestamp", "missing"},
		{"regex on error type", func(ev []map[string]any) []map[string]any {
			ev[2]["StepFailedDetails"].(map[string]any)["Error"].(map[string]any)["Payload"].(map[string]any)["ErrorType"] = "Fatal"
			return ev
		}, 3, "StepFailedDetails.Error.Payload.ErrorType", "regular expression"},
		{"regex on a number", func(ev []map[string]any) []map[string]any {
			ev[2]["StepFailedDetails"].(map[string]any)["RetryDetails"].(map[string]any)["NextAttemptDelaySeconds"] = json.Number("9")
			return ev
		}, 3, "StepFailedDetails.RetryDetails.NextAttemptDelaySeconds", "regular expression"},
		{"number", func(ev []map[string]any) []map[string]any {
			ev[5]["StepSucceededDetails"].(map[string]any)["RetryDetails"].(map[string]any)["CurrentAttempt"] = json.Number("3")
			return ev
		}, 6, "StepSucceededDetails.RetryDetails.CurrentAttempt", "not equal"},
		{"payload", func(ev []map[string]any) []map[string]any {
			ev[5]["StepSucceededDetails"].(map[string]any)["Result"].(map[string]any)["Payload"] = `"Hello!"`
			return ev
		}, 6, "StepSucceededDetails.Result.Payload", "not equal"},
		{"star needs a value", func(ev []map[string]any) []map[string]any {
			delete(ev[7]["ExecutionSucceededDetails"].(map[string]any), "Result")
			return ev
		}, 8, "ExecutionSucceededDetails.Result", "missing"},
		{"subtype", func(ev []map[string]any) []map[string]any {
			ev[1]["SubType"] = "Wait"
			return ev
		}, 2, "SubType", "not equal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := History(expectedHistory(t), c.mutate(actualHistory(t)), Bindings{})
			var mm *Mismatch
			if !errors.As(err, &mm) {
				t.Fatalf("History = %v, want a *Mismatch", err)
			}
			if mm.EventID != c.id || mm.Path != c.path || !strings.Contains(mm.Reason, c.reason) {
				t.Errorf("mismatch %+v, want event %d, path %q, reason %q", mm, c.id, c.path, c.reason)
			}
			if !strings.Contains(err.Error(), "event ") {
				t.Errorf("message %q does not name the event", err)
			}
		})
	}
}

func TestHistoryIgnoresUnlistedEventsAndKeys(t *testing.T) {
	expected := []map[string]any{{"EventType": "StepStarted", "EventId": int64(2)}}
	actual := actualHistory(t)
	actual[1]["Extra"] = "anything"
	actual[2]["EventType"] = "Whatever"
	if err := History(expected, actual, Bindings{}); err != nil {
		t.Error(err)
	}
}

func TestHistoryRejectsEventsWithoutIds(t *testing.T) {
	actual := actualHistory(t)
	delete(actual[3], "EventId")
	if err := History(expectedHistory(t), actual, Bindings{}); err == nil {
		t.Error("an actual event without EventId was accepted")
	}
	if err := History([]map[string]any{{"EventType": "X"}}, actualHistory(t), Bindings{}); err == nil {
		t.Error("an expected event without EventId was accepted")
	}
}

func TestEvents(t *testing.T) {
	type details struct{ Payload *string }
	type event struct {
		EventType string
		EventId   *int32
		Name      *string
		Details   *details
		Missing   *details
	}
	id := int32(2)
	p := `"x"`
	got, err := Events([]event{{EventType: "StepSucceeded", EventId: &id, Details: &details{Payload: &p}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"EventType": "StepSucceeded", "EventId": json.Number("2"), "Details": map[string]any{"Payload": `"x"`}}}
	if Show(got) != Show(want) {
		t.Errorf("Events = %s, want %s", Show(got), Show(want))
	}
	if _, present := got[0]["Name"]; present {
		t.Error("a nil field was kept")
	}
	if _, err := Events(map[string]any{}); !errors.Is(err, ErrNotEvents) {
		t.Errorf("Events(object) = %v, want ErrNotEvents", err)
	}
	if _, err := Events([]any{"x"}); !errors.Is(err, ErrNotEvents) {
		t.Errorf("Events([string]) = %v, want ErrNotEvents", err)
	}
}
