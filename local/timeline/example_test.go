package timeline_test

import (
	"os"
	"time"

	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/timeline"
)

func Example() {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	events := []local.Event{
		{EventId: 1, EventType: local.EventExecutionStarted, EventTimestamp: at(0), Name: "greet"},
		{EventId: 2, EventType: local.EventStepStarted, EventTimestamp: at(0), Id: "a", Name: "fetch", SubType: "Step"},
		{EventId: 3, EventType: local.EventStepSucceeded, EventTimestamp: at(1), Id: "a", Name: "fetch", SubType: "Step"},
		{EventId: 4, EventType: local.EventWaitStarted, EventTimestamp: at(1), Id: "b", Name: "nap", SubType: "Wait"},
		{EventId: 5, EventType: local.EventWaitSucceeded, EventTimestamp: at(9), Id: "b", Name: "nap", SubType: "Wait"},
		{EventId: 6, EventType: local.EventExecutionSucceeded, EventTimestamp: at(10)},
	}
	tl := timeline.FromHistory(events)
	_ = tl.WriteText(os.Stdout, timeline.TextOptions{Width: 20})
	// Output:
	// greet  SUCCEEDED  started 2025-01-01T00:00:00Z  took 10s
	// OPERATION  KIND  STATUS     ATTEMPTS  DURATION   0s               10s
	// ├── fetch  Step  SUCCEEDED  1         1s        │██                  │
	// └── nap    Wait  SUCCEEDED            8s        │  ████████████████  │
}

func ExampleTimeline_WriteMermaid() {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	events := []local.Event{
		{EventId: 1, EventType: local.EventExecutionStarted, EventTimestamp: t0, Name: "greet"},
		{EventId: 2, EventType: local.EventStepStarted, EventTimestamp: t0, Id: "a", Name: "fetch", SubType: "Step"},
		{EventId: 3, EventType: local.EventStepFailed, EventTimestamp: t0.Add(time.Second), Id: "a", Name: "fetch", SubType: "Step"},
		{EventId: 4, EventType: local.EventExecutionFailed, EventTimestamp: t0.Add(time.Second)},
	}
	_ = timeline.FromHistory(events).WriteMermaid(os.Stdout, timeline.MermaidOptions{})
	// Output:
	// gantt
	//     title greet  FAILED  took 1s
	//     dateFormat x
	//     axisFormat %H:%M:%S
	//     section greet
	//     fetch (Step) :crit, t1, 1735689600000, 1735689601000
}
