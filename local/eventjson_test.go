package local

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// richEvent sets every field of the event and of its nested types, with
// strings that json.Marshal escapes in each of its ways: one operation of
// each type, each carrying its details, plus one with every details object
// present and empty.
func richEvent() checkpoint.InvocationEvent {
	ts := checkpoint.At(time.UnixMilli(1_700_000_000_123))
	text := "said \"no\"\n\tthen é 😀 \u2028\u2029 <&> \\ \b\f\r\x01\x1f\x7f \xff"
	errObj := &checkpoint.ErrorObject{ErrorType: "Boom", ErrorMessage: text, ErrorData: `{"k":[1,2]}`, StackTrace: []string{"a.go:1", text}}
	ops := []checkpoint.Operation{
		{Type: checkpoint.TypeExecution, ExecutionDetails: &checkpoint.ExecutionDetails{InputPayload: text}},
		{Type: checkpoint.TypeStep, StepDetails: &checkpoint.StepDetails{Attempt: 3, NextAttemptTimestamp: ts, Result: `{"i":1}`, Error: errObj}},
		{Type: checkpoint.TypeContext, ContextDetails: &checkpoint.ContextDetails{ReplayChildren: true, Result: "[]", Error: errObj}},
		{Type: checkpoint.TypeWait, WaitDetails: &checkpoint.WaitDetails{ScheduledEndTimestamp: ts}},
		{Type: checkpoint.TypeCallback, CallbackDetails: &checkpoint.CallbackDetails{CallbackId: "cb-1", Result: text, Error: errObj}},
		{Type: checkpoint.TypeChainedInvoke, ChainedInvokeDetails: &checkpoint.ChainedInvokeDetails{Result: "1", Error: errObj}},
		{Type: checkpoint.TypeStep, ExecutionDetails: &checkpoint.ExecutionDetails{}, ContextDetails: &checkpoint.ContextDetails{},
			StepDetails: &checkpoint.StepDetails{Error: &checkpoint.ErrorObject{StackTrace: []string{}}}, WaitDetails: &checkpoint.WaitDetails{},
			CallbackDetails: &checkpoint.CallbackDetails{}, ChainedInvokeDetails: &checkpoint.ChainedInvokeDetails{}},
	}
	for i := range ops {
		op := &ops[i]
		op.Id, op.Status, op.StartTimestamp = strconv.Itoa(i), checkpoint.StatusSucceeded, ts
		if i%2 == 1 {
			op.ParentId, op.Name, op.SubType, op.EndTimestamp = "0", text, "Sub", checkpoint.At(time.UnixMilli(-5))
		}
	}
	return checkpoint.InvocationEvent{
		DurableExecutionArn:   "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/x/y",
		CheckpointToken:       "tok/+=",
		UpdatedOperationIds:   []string{"1", text},
		InitialExecutionState: &checkpoint.ExecutionState{NextMarker: "m1", Operations: ops},
	}
}

func TestEventJSONMatchesMarshal(t *testing.T) {
	rich := richEvent()
	events := map[string]checkpoint.InvocationEvent{
		"rich":             rich,
		"no state":         {DurableExecutionArn: "a", CheckpointToken: "t"},
		"nil operations":   {DurableExecutionArn: "a", CheckpointToken: "t", InitialExecutionState: &checkpoint.ExecutionState{}},
		"empty operations": {DurableExecutionArn: "a", CheckpointToken: "t", InitialExecutionState: &checkpoint.ExecutionState{Operations: []checkpoint.Operation{}}},
		"empty updated":    {DurableExecutionArn: "", CheckpointToken: "", UpdatedOperationIds: []string{}},
	}
	for name, ev := range events {
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got := marshalEvent(&ev); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// TestEventJSONCoversEveryField sets every field of the event's types, by
// reflection, so that a field added to them and not to the hand-written
// encoder makes the encodings differ.
func TestEventJSONCoversEveryField(t *testing.T) {
	var ev checkpoint.InvocationEvent
	fillAll(reflect.ValueOf(&ev).Elem())
	want, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if got := marshalEvent(&ev); !bytes.Equal(got, want) {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
}

// fillAll sets v and everything in it to a non-zero value.
func fillAll(v reflect.Value) {
	if v.Type() == reflect.TypeFor[checkpoint.Timestamp]() {
		v.Set(reflect.ValueOf(checkpoint.At(time.UnixMilli(1_700_000_000_123))))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillAll(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i))
			}
		}
	default:
		panic("fillAll: " + v.Type().String())
	}
}

// FuzzEventJSON encodes operations built from fuzzed strings, numbers and
// flags, by hand and with json.Marshal, and wants the same bytes.
func FuzzEventJSON(f *testing.F) {
	f.Add("1", "step-1", `{"i":1,"ok":true}`, "\u2028<é>\xff\x00", int64(1_700_000_000_123), 3, uint8(0xff))
	f.Add("", "", "", "", int64(0), 0, uint8(0))
	f.Fuzz(func(t *testing.T, id, name, result, text string, ms int64, attempt int, present uint8) {
		ts := checkpoint.Timestamp{}
		if ms != 0 {
			ts = checkpoint.At(time.UnixMilli(ms))
		}
		var errObj *checkpoint.ErrorObject
		if present&1 != 0 {
			errObj = &checkpoint.ErrorObject{ErrorType: text, ErrorMessage: result, ErrorData: name, StackTrace: []string{text, id}}
		}
		op := checkpoint.Operation{Id: id, ParentId: text, Name: name, Type: checkpoint.OperationType(text), SubType: name,
			Status: checkpoint.Status(id), StartTimestamp: ts, EndTimestamp: ts}
		if present&2 != 0 {
			op.StepDetails = &checkpoint.StepDetails{Attempt: attempt, NextAttemptTimestamp: ts, Result: result, Error: errObj}
		}
		if present&4 != 0 {
			op.ContextDetails = &checkpoint.ContextDetails{ReplayChildren: attempt%2 == 0, Result: result, Error: errObj}
		}
		if present&8 != 0 {
			op.CallbackDetails = &checkpoint.CallbackDetails{CallbackId: text, Result: result, Error: errObj}
		}
		if present&16 != 0 {
			op.ChainedInvokeDetails = &checkpoint.ChainedInvokeDetails{Result: result, Error: errObj}
		}
		if present&32 != 0 {
			op.WaitDetails = &checkpoint.WaitDetails{ScheduledEndTimestamp: ts}
			op.ExecutionDetails = &checkpoint.ExecutionDetails{InputPayload: text}
		}
		ev := checkpoint.InvocationEvent{DurableExecutionArn: text, CheckpointToken: name,
			InitialExecutionState: &checkpoint.ExecutionState{Operations: []checkpoint.Operation{op, op}, NextMarker: id}}
		if present&64 != 0 {
			ev.UpdatedOperationIds = []string{id, text}
		}
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got := marshalEvent(&ev); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkMarshalEvent(b *testing.B) {
	ev := richEvent()
	b.Run("by hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			marshalEvent(&ev)
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
