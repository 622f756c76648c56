package local

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

func TestStepSucceedsHistory(t *testing.T) {
	v := newEnv(t)
	v.register("greet", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		var name string
		_ = json.Unmarshal([]byte(f.input), &name)
		res := `"Hello, ` + name + `!"`
		f.must(stepStart("s1", "greet"), stepSucceed("s1", res))
		return succeeded(res)
	}))
	arn, out := v.run("greet", `"World"`)
	if out.Status != ExecutionSucceeded || out.Result == nil || *out.Result != `"Hello, World!"` {
		t.Fatalf("execution = %+v", out)
	}
	evs := v.history(arn)
	wantTypes(t, v.types(arn), EventExecutionStarted, EventStepStarted, EventStepSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	for i, ev := range evs {
		if ev.EventId != int32(i+1) {
			t.Errorf("event %d has EventId %d", i, ev.EventId)
		}
	}
	if *evs[0].ExecutionStartedDetails.Input.Payload != `"World"` {
		t.Errorf("ExecutionStarted input = %v", *evs[0].ExecutionStartedDetails.Input.Payload)
	}
	st := evs[2]
	if st.Id != "s1" || st.Name != "greet" || st.SubType != "Step" || *st.StepSucceededDetails.Result.Payload != `"Hello, World!"` ||
		st.StepSucceededDetails.RetryDetails.CurrentAttempt != 1 {
		t.Errorf("StepSucceeded = %+v", st)
	}
	ic := evs[3].InvocationCompletedDetails
	if ic.RequestId == "" || ic.Error != nil || ic.StartTimestamp.IsZero() {
		t.Errorf("InvocationCompleted = %+v", ic)
	}
	if got := *evs[4].ExecutionSucceededDetails.Result.Payload; got != `"Hello, World!"` {
		t.Errorf("ExecutionSucceeded result = %s", got)
	}
	ops, _ := v.svc.Operations(arn)
	if len(ops) != 2 || ops[0].Type != checkpoint.TypeExecution || ops[1].StepDetails.Attempt != 1 || ops[1].StepDetails.Result != `"Hello, World!"` {
		t.Errorf("operations = %+v", ops)
	}
}

func TestWaitTimeSkipping(t *testing.T) {
	v := newEnv(t)
	start := v.clk.Now()
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		switch f.status("w1") {
		case "":
			f.must(waitStart("w1", 2))
			return pending()
		case checkpoint.StatusSucceeded:
			return succeeded("")
		}
		return failed("Unexpected", string(f.status("w1")))
	})
	v.register("waiter", fn)
	arn, out := v.run("waiter", "")
	if out.Status != ExecutionSucceeded || out.Result != nil {
		t.Fatalf("execution = %+v", out)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventWaitStarted, EventInvocationCompleted,
		EventWaitSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	evs := v.history(arn)
	if d := evs[1].WaitStartedDetails; d.Duration != 2 || !d.ScheduledEndTimestamp.Equal(start.Add(2*time.Second)) {
		t.Errorf("WaitStarted = %+v", d)
	}
	if evs[3].WaitSucceededDetails.Duration != 2 || !evs[3].EventTimestamp.Equal(start.Add(2*time.Second)) {
		t.Errorf("WaitSucceeded = %+v at %v", evs[3].WaitSucceededDetails, evs[3].EventTimestamp)
	}
	if fn.invocations() != 2 {
		t.Errorf("invocations = %d", fn.invocations())
	}
	if ids := fn.events[1].UpdatedOperationIds; len(ids) != 1 || ids[0] != "w1" {
		t.Errorf("UpdatedOperationIds = %v", ids)
	}
}

func TestStepRetryPendingReady(t *testing.T) {
	v := newEnv(t)
	start := v.clk.Now()
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		o, ok := f.op("s1")
		switch {
		case !ok:
			out, err := f.cp(stepStart("s1", "flaky"), stepRetry("s1", 5))
			if err != nil {
				return checkpoint.InvocationResponse{}, err
			}
			got := out.NewExecutionState.Operations[0]
			if got.Status != checkpoint.StatusPending || got.StepDetails.Attempt != 1 ||
				!got.StepDetails.NextAttemptTimestamp.Equal(start.Add(5*time.Second)) || got.StepDetails.Error.ErrorType != "Flaky" {
				return failed("Check", "pending step: "+string(got.Status))
			}
			return pending()
		case o.Status == checkpoint.StatusReady:
			f.must(stepStart("s1", "flaky"), stepSucceed("s1", `1`))
			return succeeded(`1`)
		}
		return failed("Unexpected", string(o.Status))
	})
	v.register("retrier", fn)
	arn, out := v.run("retrier", "")
	if out.Status != ExecutionSucceeded {
		t.Fatalf("execution = %+v", out)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventStepStarted, EventStepFailed, EventInvocationCompleted,
		EventStepStarted, EventStepSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	evs := v.history(arn)
	rd := evs[2].StepFailedDetails.RetryDetails
	if rd.CurrentAttempt != 1 || rd.NextAttemptDelaySeconds == nil || *rd.NextAttemptDelaySeconds != 5 {
		t.Errorf("retry details = %+v", rd)
	}
	if evs[5].StepSucceededDetails.RetryDetails.CurrentAttempt != 2 {
		t.Errorf("second attempt = %+v", evs[5].StepSucceededDetails.RetryDetails)
	}
	if !evs[4].EventTimestamp.Equal(start.Add(5 * time.Second)) {
		t.Errorf("retry ran at %v", evs[4].EventTimestamp)
	}
}

func TestRetryWithPayloadIsStepSucceeded(t *testing.T) {
	v := newEnv(t)
	v.register("poll", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		o, ok := f.op("c1")
		n := 0
		if ok {
			_ = json.Unmarshal([]byte(o.StepDetails.Result), &n)
		}
		n++
		u := checkpoint.OperationUpdate{Id: "c1", Type: checkpoint.TypeStep, SubType: "WaitForCondition", Payload: string(rune('0' + n))}
		start := u
		start.Action, start.Payload = checkpoint.ActionStart, ""
		if n < 3 {
			u.Action, u.StepOptions = checkpoint.ActionRetry, &checkpoint.StepOptions{NextAttemptDelaySeconds: 1}
			f.must(start, u)
			return pending()
		}
		u.Action = checkpoint.ActionSucceed
		f.must(start, u)
		return succeeded(u.Payload)
	}))
	arn, out := v.run("poll", "")
	if out.Status != ExecutionSucceeded || *out.Result != "3" {
		t.Fatalf("execution = %+v", out)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted,
		EventStepStarted, EventStepSucceeded, EventInvocationCompleted,
		EventStepStarted, EventStepSucceeded, EventInvocationCompleted,
		EventStepStarted, EventStepSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	evs := v.history(arn)
	if *evs[2].StepSucceededDetails.Result.Payload != "1" || *evs[8].StepSucceededDetails.Result.Payload != "3" ||
		evs[2].SubType != "WaitForCondition" {
		t.Errorf("events = %+v / %+v", evs[2], evs[8])
	}
}
