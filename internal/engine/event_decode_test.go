package engine

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// newEvent returns an event prepared as ParseEvent prepares it: with a
// pre-sized state when data has "Id" keys.
func newEvent(data []byte) *checkpoint.InvocationEvent {
	ev := &checkpoint.InvocationEvent{}
	if n := countOperations(data); n > 0 {
		ev.InitialExecutionState = &checkpoint.ExecutionState{Operations: make([]checkpoint.Operation, 0, n)}
	}
	return ev
}

// scanned decodes data with the scanner alone.
func scanned(data []byte) (*checkpoint.InvocationEvent, bool) {
	ev := newEvent(data)
	s := eventScanner{data: data, pre: ev.InitialExecutionState}
	return ev, s.event(ev)
}

// unmarshaled decodes data with encoding/json alone, as ParseEvent did
// before the scanner.
func unmarshaled(data []byte) (*checkpoint.InvocationEvent, error) {
	ev := newEvent(data)
	return ev, json.Unmarshal(data, ev)
}

// richEvent has every field of the event and of its nested types set, with
// strings that need escapes, non-ASCII text and every timestamp.
func richEvent() checkpoint.InvocationEvent {
	ts := checkpoint.At(time.UnixMilli(1_700_000_000_123))
	errObj := &checkpoint.ErrorObject{ErrorType: "Boom", ErrorMessage: "it said \"no\"\n\tthen é 😀 \u2028 <&>",
		ErrorData: `{"k":[1,2]}`, StackTrace: []string{"a.go:1", "b\\c.go:2"}}
	return checkpoint.InvocationEvent{
		DurableExecutionArn: "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/x/y",
		CheckpointToken:     "tok/+=",
		UpdatedOperationIds: []string{"1", "2"},
		InitialExecutionState: &checkpoint.ExecutionState{NextMarker: "m1", Operations: []checkpoint.Operation{
			{Id: "0", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted, StartTimestamp: ts,
				ExecutionDetails: &checkpoint.ExecutionDetails{InputPayload: `{"order":"\u00e9"}`}},
			{Id: "1", ParentId: "0", Name: "charge", Type: checkpoint.TypeStep, SubType: checkpoint.SubTypeStep,
				Status: checkpoint.StatusSucceeded, StartTimestamp: ts, EndTimestamp: ts,
				StepDetails: &checkpoint.StepDetails{Attempt: 3, NextAttemptTimestamp: ts, Result: `{"i":1,"ok":true}`, Error: errObj}},
			{Id: "2", Type: checkpoint.TypeContext, SubType: checkpoint.SubTypeMap, Status: checkpoint.StatusFailed,
				ContextDetails: &checkpoint.ContextDetails{ReplayChildren: true, Result: "[]", Error: errObj}},
			{Id: "3", Type: checkpoint.TypeWait, SubType: checkpoint.SubTypeWait, Status: checkpoint.StatusStarted,
				WaitDetails: &checkpoint.WaitDetails{ScheduledEndTimestamp: ts}},
			{Id: "4", Type: checkpoint.TypeCallback, SubType: "Custom", Status: checkpoint.StatusTimedOut,
				CallbackDetails: &checkpoint.CallbackDetails{CallbackId: "cb-1", Result: "r", Error: errObj}},
			{Id: "5", Name: "名前", Type: checkpoint.TypeChainedInvoke, Status: checkpoint.StatusStopped,
				ChainedInvokeDetails: &checkpoint.ChainedInvokeDetails{Result: "1", Error: errObj}},
		}},
	}
}

// The events the service sends take the scanner's path and decode to what
// encoding/json decodes them to.
func TestEventScannerAcceptsServiceEvents(t *testing.T) {
	rich, err := json.Marshal(richEvent())
	if err != nil {
		t.Fatal(err)
	}
	indented, err := json.MarshalIndent(richEvent(), " ", "\t")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"rich":     string(rich),
		"indented": string(indented),
		"minimal":  `{"DurableExecutionArn":"a","CheckpointToken":"t"}`,
		"empty lists": `{"DurableExecutionArn":"a","CheckpointToken":"t","UpdatedOperationIds":[],` +
			`"InitialExecutionState":{"Operations":[]}}`,
		"escapes": `{"DurableExecutionArn":"a\u00e9\ud83d\ude00\/\b\f\n\r\t\\\"","CheckpointToken":"t"}`,
		"numbers": `{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[` +
			`{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":1700000000.25,"EndTimestamp":-1.5e3,` +
			`"StepDetails":{"Attempt":-0,"NextAttemptTimestamp":0}}]}}`,
		"repeated strings": `{"DurableExecutionArn":"a","DurableExecutionArn":"b","CheckpointToken":"t"}`,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := scanned([]byte(data))
			if !ok {
				t.Fatalf("the scanner refused %s", data)
			}
			want, err := unmarshaled([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("scanner:\n%+v\nencoding/json:\n%+v", got, want)
			}
		})
	}
	if got, _ := scanned(rich); !reflect.DeepEqual(*got, richEvent()) {
		t.Fatalf("the rich event came back as %+v", got)
	}
}

// What the scanner does not handle is decoded by encoding/json, with the
// same result or the same error as before.
func TestEventScannerFallsBack(t *testing.T) {
	const head = `{"DurableExecutionArn":"a","CheckpointToken":"t"`
	op := func(s string) string { return head + `,"InitialExecutionState":{"Operations":[` + s + `]}}` }
	cases := map[string]string{
		"unknown key":            head + `,"Extra":{"x":[1,null]}}`,
		"key in another case":    `{"durableExecutionArn":"a","CheckpointToken":"t"}`,
		"null state":             head + `,"InitialExecutionState":null}`,
		"null string":            `{"DurableExecutionArn":null,"CheckpointToken":"t"}`,
		"lone surrogate":         `{"DurableExecutionArn":"\ud800x","CheckpointToken":"t"}`,
		"invalid UTF-8":          "{\"DurableExecutionArn\":\"a\xff\",\"CheckpointToken\":\"t\"}",
		"escaped key":            `{"Durable\u0045xecutionArn":"a","CheckpointToken":"t"}`,
		"trailing data":          head + `} {}`,
		"unterminated":           head,
		"not an object":          `[1]`,
		"empty":                  ``,
		"fractional attempt":     op(`{"Id":"1","Type":"STEP","Status":"STARTED","StepDetails":{"Attempt":1.5}}`),
		"huge attempt":           op(`{"Id":"1","Type":"STEP","Status":"STARTED","StepDetails":{"Attempt":99999999999999999999}}`),
		"RFC 3339 timestamp":     op(`{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":"2025-01-01T00:00:00Z"}`),
		"duplicated details":     op(`{"Id":"1","Type":"STEP","Status":"STARTED","StepDetails":{"Attempt":1},"StepDetails":{"Result":"r"}}`),
		"duplicated state":       head + `,"InitialExecutionState":{"Operations":[{"Id":"1","Type":"STEP","Status":"STARTED"}]},"InitialExecutionState":{}}`,
		"duplicated operations":  op(`{"Id":"1","Type":"STEP","Status":"STARTED","Name":"x"}],"Operations":[{"Id":"2","Type":"WAIT","Status":"STARTED"}`),
		"operation then garbage": op(`{"Id":"1","Type":"STEP","Status":"STARTED","Name":"x"},x`),
		"bad number":             op(`{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":01}`),
		"unknown type":           op(`{"Id":"1","Type":"TELEPORT","Status":"STARTED"}`),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, ok := scanned([]byte(data)); ok && name != "unknown type" {
				t.Fatalf("the scanner accepted %s", data)
			}
			got, gotErr := ParseEvent([]byte(data))
			want, wantErr := unmarshaled([]byte(data))
			if wantErr != nil {
				if gotErr == nil || !errors.Is(gotErr, ErrMalformedEvent) || !strings.HasSuffix(gotErr.Error(), ": "+wantErr.Error()) {
					t.Fatalf("error %v, want encoding/json's %v", gotErr, wantErr)
				}
				return
			}
			if gotErr != nil {
				return // refused after decoding (validation), as before
			}
			if st := want.InitialExecutionState; st != nil && len(st.Operations) == 0 && st.NextMarker == "" {
				want.InitialExecutionState = nil // as ParseEvent does
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, encoding/json: %+v", got, want)
			}
		})
	}
}

// A long event of recorded steps decodes without encoding/json and with
// few allocations: the operation types and statuses are not copied.
func TestEventScannerAllocations(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"Id":"abcdef","Name":"step","Type":"STEP","SubType":"Step","Status":"SUCCEEDED",` +
			`"StartTimestamp":1700000000000,"EndTimestamp":1700000000001,"StepDetails":{"Attempt":1,"Result":"{\"i\":1}"}}`)
	}
	b.WriteString(`]}}`)
	data := []byte(b.String())
	if _, ok := scanned(data); !ok {
		t.Fatal("the scanner refused the event")
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := ParseEvent(data); err != nil {
			t.Fatal(err)
		}
	})
	// Per operation: the id, the name, the step details and the result.
	if perOp := allocs / 100; perOp > 4.2 {
		t.Fatalf("%.1f allocations per operation, want at most 4", perOp)
	}
}

// FuzzEventScanner checks the scanner against encoding/json: whatever the
// scanner accepts, encoding/json accepts too and decodes to the same event.
func FuzzEventScanner(f *testing.F) {
	rich, _ := json.Marshal(richEvent())
	f.Add(rich)
	f.Add([]byte(`{"DurableExecutionArn":"a\u00e9\ud83d\ude00","CheckpointToken":"t","UpdatedOperationIds":[]}`))
	f.Add([]byte(`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[` +
		`{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":1700000000.25,"StepDetails":{"Attempt":2}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := scanned(data)
		if !ok {
			return
		}
		want, err := unmarshaled(data)
		if err != nil {
			t.Fatalf("the scanner accepted what encoding/json refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q\nscanner:       %+v\nencoding/json: %+v", data, got, want)
		}
	})
}

// Every JSON key of the event's types has a case in the scanner (a key it
// does not know sends every event that carries it to encoding/json). A new
// field of these types fails here until the scanner learns it.
func TestEventScannerKnowsEveryKey(t *testing.T) {
	scannerKeys := map[reflect.Type][]string{
		reflect.TypeFor[checkpoint.InvocationEvent](): {"DurableExecutionArn", "CheckpointToken", "InitialExecutionState", "UpdatedOperationIds"},
		reflect.TypeFor[checkpoint.ExecutionState]():  {"Operations", "NextMarker"},
		reflect.TypeFor[checkpoint.Operation](): {"Id", "ParentId", "Name", "Type", "SubType", "Status", "StartTimestamp", "EndTimestamp",
			"ExecutionDetails", "ContextDetails", "StepDetails", "WaitDetails", "CallbackDetails", "ChainedInvokeDetails"},
		reflect.TypeFor[checkpoint.ExecutionDetails]():     {"InputPayload"},
		reflect.TypeFor[checkpoint.ContextDetails]():       {"ReplayChildren", "Result", "Error"},
		reflect.TypeFor[checkpoint.StepDetails]():          {"Attempt", "NextAttemptTimestamp", "Result", "Error"},
		reflect.TypeFor[checkpoint.WaitDetails]():          {"ScheduledEndTimestamp"},
		reflect.TypeFor[checkpoint.CallbackDetails]():      {"CallbackId", "Result", "Error"},
		reflect.TypeFor[checkpoint.ChainedInvokeDetails](): {"Result", "Error"},
		reflect.TypeFor[checkpoint.ErrorObject]():          {"ErrorType", "ErrorMessage", "ErrorData", "StackTrace"},
	}
	for typ, keys := range scannerKeys {
		var tags []string
		for i := range typ.NumField() {
			tags = append(tags, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
		}
		if !reflect.DeepEqual(tags, keys) {
			t.Errorf("%s has the JSON keys %v, the scanner knows %v", typ, tags, keys)
		}
	}
	// And the rich event of the tests above sets every one of them.
	data, err := json.Marshal(richEvent())
	if err != nil {
		t.Fatal(err)
	}
	for _, keys := range scannerKeys {
		for _, k := range keys {
			if !strings.Contains(string(data), `"`+k+`":`) {
				t.Errorf("richEvent does not set %s", k)
			}
		}
	}
}

// BenchmarkDecodeEvent decodes an event of 3,000 succeeded steps (the shape
// of BenchmarkReplay3000's) with ParseEvent (the scanner) and with
// encoding/json alone (what ParseEvent did before).
func BenchmarkDecodeEvent(b *testing.B) {
	ops := make([]checkpoint.Operation, 3000)
	ts := checkpoint.At(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	for i := range ops {
		ops[i] = checkpoint.Operation{Id: strconv.Itoa(i + 1), Name: "step-" + strconv.Itoa(i), Type: checkpoint.TypeStep,
			SubType: checkpoint.SubTypeStep, Status: checkpoint.StatusSucceeded, StartTimestamp: ts, EndTimestamp: ts,
			StepDetails: &checkpoint.StepDetails{Attempt: 1, Result: `{"i":` + strconv.Itoa(i) + `,"ok":true}`}}
	}
	data, err := json.Marshal(checkpoint.InvocationEvent{DurableExecutionArn: "arn", CheckpointToken: "t",
		InitialExecutionState: &checkpoint.ExecutionState{Operations: ops}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("scanner", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for range b.N {
			if _, err := ParseEvent(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for range b.N {
			if _, err := unmarshaled(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
