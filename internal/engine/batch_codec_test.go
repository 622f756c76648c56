package engine

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

func sampleBatch() BatchResult[string] {
	return BatchResult[string]{
		CompletionReason: CompletionFailureToleranceExceeded,
		Items: []BatchItem[string]{
			{Index: 0, Name: "a", Status: ItemSucceeded, Result: "A"},
			{Index: 1, Status: ItemFailed, Err: &ChildContextError{OperationID: "1-2", Object: checkpoint.ErrorObject{ErrorType: "Boom", ErrorMessage: "bad"}}},
			{Index: 2, Status: ItemStarted},
		},
	}
}

func TestBatchCodecRoundTrip(t *testing.T) {
	upper := serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return "<" + s + ">", nil },
		func(_ serdes.Context, d string) (string, error) { return strings.Trim(d, "<>"), nil })
	for name, item := range map[string]serdes.Serdes{"json": serdes.JSON{}, "custom": upper} {
		t.Run(name, func(t *testing.T) {
			c := batchCodec[string]{item: item}
			payload, err := c.Serialize(serdes.Context{}, sampleBatch())
			if err != nil {
				t.Fatal(err)
			}
			var got BatchResult[string]
			if err := c.Deserialize(serdes.Context{}, payload, &got); err != nil {
				t.Fatal(err)
			}
			if got.CompletionReason != CompletionFailureToleranceExceeded || len(got.Items) != 3 ||
				got.Items[0].Result != "A" || got.Items[0].Name != "a" || got.Items[2].Status != ItemStarted {
				t.Fatalf("round trip = %+v (payload %s)", got, payload)
			}
			var ce *ChildContextError
			if !errors.As(got.Items[1].Err, &ce) || ce.OperationID != "1-2" || ce.Object.ErrorType != "Boom" {
				t.Errorf("item error = %#v", got.Items[1].Err)
			}
			if name == "custom" && !strings.Contains(payload, `"payload":"<A>"`) {
				t.Errorf("custom item serdes not used: %s", payload)
			}
		})
	}
}

func TestBatchCodecRejects(t *testing.T) {
	c := batchCodec[int]{item: serdes.JSON{}}
	if _, err := c.Serialize(serdes.Context{}, "not a batch"); err == nil {
		t.Error("serialized a string")
	}
	var b BatchResult[int]
	for _, bad := range []string{`{`, `{"items":[{"status":"WEIRD"}]}`, `{"items":[{"status":"SUCCEEDED","result":"x"}]}`} {
		if err := c.Deserialize(serdes.Context{}, bad, &b); err == nil {
			t.Errorf("decoded %s", bad)
		}
	}
	if _, err := parseSummary(`{"items":"SX"}`); err == nil {
		t.Error("parsed a summary with an unknown letter")
	}
}

func TestSummary(t *testing.T) {
	b := sampleBatch()
	s, err := parseSummary(summarize(&b))
	if err != nil {
		t.Fatal(err)
	}
	if s.Items != "SFR" || s.TotalCount != 3 || s.SuccessCount != 1 || s.FailureCount != 1 || s.StartedCount != 1 || s.Status != checkpoint.StatusFailed {
		t.Errorf("summary = %+v", s)
	}
}

func TestBatchResultHelpers(t *testing.T) {
	b := sampleBatch()
	if b.HasFailure() != true || len(b.Results()) != 1 || len(b.Errors()) != 1 || len(b.Started()) != 1 || b.TotalCount() != 3 {
		t.Errorf("helpers disagree: %+v", b)
	}
	err := b.Err()
	var be *BatchError
	if !errors.As(err, &be) || ErrorObjectOf(err).ErrorType != "Boom" || !strings.Contains(err.Error(), "1 of 3 items failed") {
		t.Errorf("Err() = %v (%+v)", err, ErrorObjectOf(err))
	}
	if (BatchResult[int]{}).Err() != nil {
		t.Error("an empty batch has an error")
	}
}

func TestCompletionDecide(t *testing.T) {
	one, zero, pct := 1, 0, 25.0
	tests := []struct {
		c    Completion
		p    BatchProgress
		want CompletionReason
	}{
		{Completion{}, BatchProgress{Total: 0}, CompletionAllCompleted},
		{Completion{}, BatchProgress{Total: 3, Started: 2, Succeeded: 1}, ""},
		{Completion{}, BatchProgress{Total: 3, Started: 2, Succeeded: 1, Failed: 1}, CompletionFailureToleranceExceeded},
		{Completion{}, BatchProgress{Total: 2, Started: 2, Succeeded: 1, Failed: 1}, CompletionFailureToleranceExceeded},
		{Completion{ToleratedFailureCount: &zero}, BatchProgress{Total: 3, Failed: 1}, CompletionFailureToleranceExceeded},
		{Completion{ToleratedFailureCount: &one}, BatchProgress{Total: 3, Failed: 1}, ""},
		{Completion{MinSuccessful: &one}, BatchProgress{Total: 3, Failed: 2}, ""},
		{Completion{MinSuccessful: &one}, BatchProgress{Total: 3, Succeeded: 1}, CompletionMinSuccessfulReached},
		{Completion{MinSuccessful: &one}, BatchProgress{Total: 1, Succeeded: 1}, CompletionAllCompleted},
		{Completion{ToleratedFailurePercentage: &pct}, BatchProgress{Total: 4, Failed: 1}, ""},
		{Completion{ToleratedFailurePercentage: &pct}, BatchProgress{Total: 4, Failed: 2}, CompletionFailureToleranceExceeded},
		{Completion{Check: func(BatchProgress) CompletionReason { return "MINE" }}, BatchProgress{Total: 3}, "MINE"},
		{Completion{Check: func(BatchProgress) CompletionReason { return "" }}, BatchProgress{Total: 3, Failed: 1}, ""},
	}
	for i, tt := range tests {
		if got := tt.c.decide(tt.p); got != tt.want {
			t.Errorf("%d: decide(%+v) = %q, want %q", i, tt.p, got, tt.want)
		}
	}
}

func TestBatchOptionsValidate(t *testing.T) {
	zero, neg, nan, big := 0, -1, math.NaN(), 100.5
	for i, o := range []BatchOptions{
		{MaxConcurrency: &zero},
		{Completion: Completion{MinSuccessful: &zero}},
		{Completion: Completion{ToleratedFailureCount: &neg}},
		{Completion: Completion{ToleratedFailurePercentage: &nan}},
		{Completion: Completion{ToleratedFailurePercentage: &big}},
	} {
		var ve *ValidationError
		if err := o.validate(); !errors.As(err, &ve) {
			t.Errorf("%d: validate = %v, want a *ValidationError", i, err)
		}
	}
	if err := (&BatchOptions{}).validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
}
