package local

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
)

func TestInvocationErrorsRetriedWithinBudget(t *testing.T) {
	v := newEnv(t, WithInvokeRetryBudget(2))
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if f.n <= 2 {
			return checkpoint.InvocationResponse{}, fmt.Errorf("transient %d", f.n)
		}
		return succeeded("1")
	})
	v.register("flaky", fn)
	arn, out := v.run("flaky", "")
	if out.Status != ExecutionSucceeded || fn.invocations() != 3 {
		t.Fatalf("execution = %+v after %d invocations", out, fn.invocations())
	}
	evs := v.history(arn)
	wantTypes(t, v.types(arn), EventExecutionStarted, EventInvocationCompleted, EventInvocationCompleted,
		EventInvocationCompleted, EventExecutionSucceeded)
	if e := evs[1].InvocationCompletedDetails.Error; e == nil || e.Payload.ErrorMessage != "transient 1" || e.Payload.ErrorType != "errorString" {
		t.Fatalf("first InvocationCompleted error = %+v", e)
	}
	if evs[3].InvocationCompletedDetails.Error != nil {
		t.Fatal("successful invocation recorded an error")
	}
	if evs[1].InvocationCompletedDetails.RequestId == evs[2].InvocationCompletedDetails.RequestId {
		t.Fatal("request ids repeat")
	}
}

func TestInvocationBudgetExhausted(t *testing.T) {
	v := newEnv(t, WithInvokeRetryBudget(1))
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		panic("kaboom")
	})
	v.register("crash", fn)
	arn, out := v.run("crash", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "Runtime.ExitError" || !strings.Contains(out.Error.ErrorMessage, "kaboom") {
		t.Fatalf("execution = %+v", out)
	}
	if fn.invocations() != 2 {
		t.Fatalf("invocations = %d, want 2", fn.invocations())
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventInvocationCompleted, EventInvocationCompleted, EventExecutionFailed)
}

func TestRuntimeExitRecordedAndResumed(t *testing.T) {
	v := newEnv(t)
	v.register("atmostonce", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if _, ok := f.op("s1"); !ok {
			f.must(stepStart("s1", "at_most_once"))
			return checkpoint.InvocationResponse{}, fmt.Errorf("process exited: %w", ErrRuntimeExit)
		}
		f.must(stepFail("s1", "StepInterrupted"))
		return failed("StepInterrupted", "interrupted")
	}))
	arn, out := v.run("atmostonce", "")
	if out.Status != ExecutionFailed {
		t.Fatalf("execution = %+v", out)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventStepStarted, EventInvocationCompleted, EventStepFailed,
		EventInvocationCompleted, EventExecutionFailed)
	evs := v.history(arn)
	if e := evs[2].InvocationCompletedDetails.Error; e == nil || e.Payload.ErrorType != "Runtime.ExitError" {
		t.Fatalf("crash = %+v", e)
	}
	if rd := evs[3].StepFailedDetails.RetryDetails; rd.CurrentAttempt != 1 {
		t.Fatalf("retry details = %+v", rd)
	}
}

func TestInvalidResponsesCountAsErrors(t *testing.T) {
	for name, fn := range map[string]FunctionFunc{
		"not json":   func(context.Context, []byte) ([]byte, error) { return []byte("nope"), nil },
		"bad status": func(context.Context, []byte) ([]byte, error) { return []byte(`{"Status":"MAYBE"}`), nil },
	} {
		t.Run(name, func(t *testing.T) {
			v := newEnv(t, WithInvokeRetryBudget(0))
			v.register("bad", fn)
			_, out := v.run("bad", "")
			if out.Status != ExecutionFailed || out.Error.ErrorType != "Runtime.InvalidResponse" {
				t.Fatalf("execution = %+v", out)
			}
		})
	}
	v := newEnv(t, WithInvokeRetryBudget(0), WithLimits(Limits{MaxResponse: 10}))
	v.register("big", FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return []byte(`{"Status":"SUCCEEDED","Result":"0123456789"}`), nil
	}))
	_, out := v.run("big", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Fatalf("execution = %+v", out)
	}
}

func TestPendingWithNothingPendingRejected(t *testing.T) {
	v := newEnv(t)
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(stepStart("s1", ""), stepSucceed("s1", "1"))
		return pending()
	})
	v.register("liar", fn)
	arn, out := v.run("liar", "")
	if out.Status != ExecutionFailed || out.Error.ErrorMessage != "Cannot return PENDING status with no pending operations" {
		t.Fatalf("execution = %+v", out)
	}
	if fn.invocations() != 1 {
		t.Fatalf("invocations = %d", fn.invocations())
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventStepStarted, EventStepSucceeded, EventInvocationCompleted, EventExecutionFailed)
}

func TestFailedResponse(t *testing.T) {
	v := newEnv(t)
	v.register("fail", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) { return failed("MyError", "it broke") }))
	arn, out := v.run("fail", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "MyError" || out.Error.ErrorMessage != "it broke" {
		t.Fatalf("execution = %+v", out)
	}
	evs := v.history(arn)
	if e := evs[len(evs)-1].ExecutionFailedDetails.Error.Payload; e.ErrorType != "MyError" {
		t.Fatalf("ExecutionFailed = %+v", e)
	}
}

func TestExecutionUpdateCarriesLargeResult(t *testing.T) {
	v := newEnv(t)
	big := `"` + strings.Repeat("x", 300<<10) + `"`
	v.register("large", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		execId := f.order[0]
		out, err := f.cp(checkpoint.OperationUpdate{Id: execId, Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed, Payload: big})
		if err != nil {
			return checkpoint.InvocationResponse{}, err
		}
		if out.CheckpointToken != "" {
			return failed("Check", "a token after the EXECUTION update")
		}
		return succeeded("")
	}))
	arn, out := v.run("large", "")
	if out.Status != ExecutionSucceeded || *out.Result != big {
		t.Fatalf("execution status %s, result of %d bytes", out.Status, len(derefOr(out.Result, "")))
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventInvocationCompleted, EventExecutionSucceeded)

	// A FAIL update followed by a crash still ends the execution FAILED.
	v.register("failupd", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(checkpoint.OperationUpdate{Id: f.order[0], Type: checkpoint.TypeExecution, Action: checkpoint.ActionFail,
			Error: &checkpoint.ErrorObject{ErrorType: "Declared"}})
		return checkpoint.InvocationResponse{}, errors.New("crash after")
	}))
	_, out = v.run("failupd", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "Declared" {
		t.Fatalf("execution = %+v", out)
	}
}

func TestTriggerDuringInvocationCausesOneMore(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	inside, release := make(chan string), make(chan struct{})
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		o, ok := f.op("cb1")
		switch {
		case !ok:
			out, err := f.cp(callbackStart("cb1", "", 0, 0))
			if err != nil {
				return checkpoint.InvocationResponse{}, err
			}
			inside <- out.NewExecutionState.Operations[0].CallbackDetails.CallbackId
			<-release
			return pending()
		case o.Status == checkpoint.StatusSucceeded:
			return succeeded(o.CallbackDetails.Result)
		}
		return failed("Unexpected", string(o.Status))
	})
	v.register("racy", fn)
	arn := v.start("racy", "")
	id := <-inside
	if err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: id, Result: []byte("7")}); err != nil {
		t.Fatal(err)
	}
	close(release)
	out, _ := v.svc.WaitForCompletion(v.ctx(), arn)
	if out.Status != ExecutionSucceeded || *out.Result != "7" || fn.invocations() != 2 {
		t.Fatalf("execution = %+v after %d invocations", out, fn.invocations())
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventCallbackStarted, EventCallbackSucceeded,
		EventInvocationCompleted, EventInvocationCompleted, EventExecutionSucceeded)
}

func TestOneInvocationAtATime(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	var mu = make(chan struct{}, 1)
	concurrent := false
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		select {
		case mu <- struct{}{}:
		default:
			concurrent = true
		}
		defer func() { <-mu }()
		if f.n == 1 {
			f.must(callbackStart("a", "", 0, 0), callbackStart("b", "", 0, 0), callbackStart("c", "", 0, 0))
			return pending()
		}
		for _, id := range []string{"a", "b", "c"} {
			if f.status(id) == checkpoint.StatusStarted {
				return pending()
			}
		}
		return succeeded("")
	})
	v.register("fan", fn)
	arn := v.start("fan", "")
	v.idle()
	cbs, _ := v.svc.OpenCallbacks(arn)
	for _, cb := range cbs {
		go func() {
			_ = v.svc.SendCallbackSuccess(context.Background(), &SendCallbackSuccessInput{CallbackId: cb.CallbackId})
		}()
	}
	out, _ := v.svc.WaitForCompletion(v.ctx(), arn)
	if out.Status != ExecutionSucceeded || concurrent {
		t.Fatalf("execution = %+v, concurrent = %v", out, concurrent)
	}
	if n := fn.invocations(); n < 2 || n > 4 {
		t.Fatalf("invocations = %d", n)
	}
}

func TestManualInvocations(t *testing.T) {
	v := newEnv(t, WithManualInvocations(), WithTimeSkipping(SkipNever))
	v.register("echo", echoFn())
	v.register("caller", invokerFn("echo", `"m"`))
	arn := v.start("caller", "")
	if n := v.svc.QueuedInvocations(); n != 1 {
		t.Fatalf("queued = %d", n)
	}
	var results []*InvocationResult
	for {
		res, ok, err := v.svc.RunNextInvocation(v.ctx())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		results = append(results, res)
	}
	if len(results) != 3 || results[0].DurableExecutionArn != arn || results[1].DurableExecutionArn == arn ||
		results[2].Status != checkpoint.InvocationSucceeded {
		for _, r := range results {
			t.Logf("%+v", r)
		}
		t.Fatalf("ran %d invocations", len(results))
	}
	out, _ := v.svc.WaitForCompletion(v.ctx(), arn)
	if out.Status != ExecutionSucceeded || *out.Result != `"m"` {
		t.Fatalf("execution = %+v", out)
	}
}

func TestRegisterFunctionValidation(t *testing.T) {
	v := newEnv(t)
	err := v.svc.RegisterFunction("bad name", echoFn())
	wantCode(t, err, CodeInvalidParameterValue, "function name")
	err = v.svc.RegisterFunction("nil", nil)
	wantCode(t, err, CodeInvalidParameterValue, "nil Function")
	v.register("dup", echoFn())
	err = v.svc.RegisterFunction("dup", echoFn())
	wantCode(t, err, CodeResourceConflict, "already registered")
	_, err = v.svc.FunctionArn("ghost")
	wantCode(t, err, CodeResourceNotFound, "")
}

func TestAPIHookSimulatesThrottling(t *testing.T) {
	throttle := true
	v := newEnv(t, WithAPIHook(func(ctx context.Context, op, resource string) error {
		if op == "CheckpointDurableExecution" && throttle {
			throttle = false
			return ErrTooManyRequests
		}
		return nil
	}))
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if _, err := f.cp(stepStart("s", ""), stepSucceed("s", "1")); err != nil {
			if !checkpoint.IsRetryable(err) {
				return failed("NotRetryable", err.Error())
			}
			return checkpoint.InvocationResponse{}, err
		}
		return succeeded("1")
	})
	v.register("throttled", fn)
	arn, out := v.run("throttled", "")
	if out.Status != ExecutionSucceeded || fn.invocations() != 2 {
		t.Fatalf("execution = %+v after %d invocations", out, fn.invocations())
	}
	if e := v.history(arn)[1].InvocationCompletedDetails.Error; e == nil || !strings.Contains(e.Payload.ErrorMessage, CodeTooManyRequests) {
		t.Fatalf("first invocation error = %+v", e)
	}
}

func TestClientClassification(t *testing.T) {
	for _, tc := range []struct {
		err       error
		retryable bool
	}{
		{invalidf("%s: stale", checkpoint.InvalidTokenPrefix), true},
		{invalidf("bad"), false},
		{ErrTooManyRequests, true},
		{ErrService, true},
		{tooLargef("big"), false},
		{notFoundf("x"), false},
		{&APIError{Code: "KMSAccessDeniedException", HTTPStatus: 502}, false},
	} {
		err := classify("Op", tc.err)
		var ce *checkpoint.Error
		if !errors.As(err, &ce) || ce.Retryable != tc.retryable || !errors.Is(err, tc.err) {
			t.Errorf("%v: classified %+v", tc.err, err)
		}
	}
	if err := classify("Op", context.Canceled); !errors.Is(err, context.Canceled) || checkpoint.IsRetryable(err) {
		t.Errorf("canceled: %v", err)
	}
}
