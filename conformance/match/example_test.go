package match_test

import (
	"fmt"
	"strings"

	"github.com/lambda-durable/durable/conformance/match"
	"github.com/lambda-durable/durable/conformance/spec"
)

func ExampleHistory() {
	expected := []map[string]any{
		{"EventType": "StepStarted", "EventId": 2, "Id": "${ID1}", "EventTimestamp": "*", "StepStartedDetails": map[string]any{}},
		{"EventType": "StepSucceeded", "EventId": 3, "Id": "${ID1}",
			"StepSucceededDetails": map[string]any{"Result": map[string]any{"Payload": `"Hello, World!"`}}},
	}
	actual := []map[string]any{
		{"EventType": "ExecutionStarted", "EventId": 1},
		{"EventType": "StepStarted", "EventId": 2, "Id": "c4ca", "EventTimestamp": "2025-01-01T00:00:00Z"},
		{"EventType": "StepSucceeded", "EventId": 3, "Id": "c4ca",
			"StepSucceededDetails": map[string]any{"Result": map[string]any{"Payload": `"Hello, World"`}}},
	}
	b := match.Bindings{}
	fmt.Println(match.History(expected, actual, b))
	fmt.Println("ID1 =", b["ID1"])
	// Output:
	// event 3 (StepSucceeded): StepSucceededDetails.Result.Payload: not equal: expected "\"Hello, World!\"", got "\"Hello, World\""
	// ID1 = c4ca
}

func ExampleLogs() {
	records, err := match.DecodeLogs(strings.NewReader(`{"hook":"invocation-start","first":true}
{"timestamp":"2025-01-01T00:00:00.000Z","level":"INFO","message":"step ran for c4ca"}
{"hook":"invocation-end","status":"SUCCEEDED"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	one := 1
	exps := []spec.LogExpectation{
		{Match: map[string]any{"message": "/step ran for ${ID1}/"}, Count: &one,
			After: []map[string]any{{"hook": "invocation-start"}}},
		{Match: map[string]any{"hook": "invocation-end", "status": "SUCCEEDED"},
			Before: []map[string]any{{"hook": "invocation-start"}}},
	}
	fmt.Println(match.Logs(exps, records, match.Bindings{"ID1": "c4ca"}))
	// Output:
	// ExpectedLogs[1] {"hook":"invocation-end","status":"SUCCEEDED"}: record #2 {"hook":"invocation-end","status":"SUCCEEDED"} comes after record #0 {"first":true,"hook":"invocation-start"}, which matches before[0]
}
