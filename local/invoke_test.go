package local

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// invokerFn invokes target with payload as ci1 and ends with its outcome.
func invokerFn(target, payload string) *fakeFn {
	return newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		o, ok := f.op("ci1")
		switch {
		case !ok:
			f.must(invokeStart("ci1", target, payload))
			return pending()
		case o.Status == checkpoint.StatusStarted:
			return pending()
		case o.Status == checkpoint.StatusSucceeded:
			return succeeded(o.ChainedInvokeDetails.Result)
		}
		e := o.ChainedInvokeDetails.Error
		return failed(string(o.Status)+"/"+e.ErrorType, e.ErrorMessage)
	})
}

func echoFn() *fakeFn {
	return newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(stepStart("e1", "echo"), stepSucceed("e1", f.input))
		return succeeded(f.input)
	})
}

func TestChainedInvokeDurableTarget(t *testing.T) {
	v := newEnv(t)
	v.register("echo", echoFn())
	v.register("caller", invokerFn("echo", `"hi"`))
	arn, out := v.run("caller", "")
	if out.Status != ExecutionSucceeded || *out.Result != `"hi"` {
		t.Fatalf("execution = %+v", out)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventChainedInvokeStarted, EventInvocationCompleted,
		EventChainedInvokeSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	evs := v.history(arn)
	d := evs[1].ChainedInvokeStartedDetails
	if d.FunctionName != "echo" || *d.Input.Payload != `"hi"` || d.ExecutedVersion != "$LATEST" ||
		!strings.Contains(d.DurableExecutionArn, ":function:echo:$LATEST/durable-execution/") {
		t.Fatalf("ChainedInvokeStarted = %+v", d)
	}
	child, err := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: d.DurableExecutionArn})
	if err != nil || child.Status != ExecutionSucceeded || *child.InputPayload != `"hi"` {
		t.Fatalf("child = %+v, %v", child, err)
	}
	if *evs[3].ChainedInvokeSucceededDetails.Result.Payload != `"hi"` {
		t.Errorf("succeeded = %+v", evs[3])
	}
}

func TestChainedInvokeByArn(t *testing.T) {
	v := newEnv(t)
	v.register("echo", echoFn())
	fnArn, err := v.svc.FunctionArn("echo")
	if err != nil || fnArn != "arn:aws:lambda:us-east-1:123456789012:function:echo" {
		t.Fatalf("arn = %q, %v", fnArn, err)
	}
	v.register("caller", invokerFn(fnArn+":$LATEST", `1`))
	_, out := v.run("caller", "")
	if out.Status != ExecutionSucceeded || *out.Result != "1" {
		t.Fatalf("execution = %+v", out)
	}
}

func TestChainedInvokePlainTarget(t *testing.T) {
	v := newEnv(t)
	v.register("upper", FunctionFunc(func(ctx context.Context, in []byte) ([]byte, error) {
		if _, ok := checkpoint.ClientFromContext(ctx); ok {
			return nil, errors.New("a plain function got a checkpoint client")
		}
		return []byte(strings.ToUpper(string(in))), nil
	}), NonDurable())
	v.register("broken", FunctionFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, errors.New("plain failure")
	}), NonDurable())
	v.register("caller", invokerFn("upper", `"abc"`))
	v.register("caller2", invokerFn("broken", `1`))
	arn, out := v.run("caller", "")
	if out.Status != ExecutionSucceeded || *out.Result != `"ABC"` {
		t.Fatalf("execution = %+v", out)
	}
	if d := v.history(arn)[1].ChainedInvokeStartedDetails; d.DurableExecutionArn != "" {
		t.Errorf("plain target got an execution: %+v", d)
	}
	_, out = v.run("caller2", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "FAILED/errorString" || out.Error.ErrorMessage != "plain failure" {
		t.Fatalf("execution = %+v", out)
	}
	_, err := v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "upper"})
	wantCode(t, err, CodeInvalidParameterValue, "not a durable function")
}

func TestChainedInvokeFailuresAndUnknownTarget(t *testing.T) {
	v := newEnv(t)
	v.register("bad", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) { return failed("Bad", "child failed") }))
	v.register("caller", invokerFn("bad", ""))
	v.register("lost", invokerFn("nowhere", ""))
	arn, out := v.run("caller", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "FAILED/Bad" {
		t.Fatalf("execution = %+v", out)
	}
	if ev := v.history(arn)[3]; ev.EventType != EventChainedInvokeFailed || ev.ChainedInvokeFailedDetails.Error.Payload.ErrorMessage != "child failed" {
		t.Fatalf("event = %+v", ev)
	}
	arn, out = v.run("lost", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "FAILED/"+CodeResourceNotFound {
		t.Fatalf("execution = %+v", out)
	}
	// The target is looked up once the invocation that started it has ended.
	wantTypes(t, v.types(arn), EventExecutionStarted, EventChainedInvokeStarted, EventInvocationCompleted,
		EventChainedInvokeFailed, EventInvocationCompleted, EventExecutionFailed)
}

func TestChainedInvokeTargetStoppedAndTimedOut(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	v.register("slow", callbackFn(0, 0), WithDefaultExecutionTimeout(time.Minute))
	v.register("caller", invokerFn("slow", ""))
	a := v.start("caller", "")
	b := v.start("caller", "")
	v.idle()
	childOf := func(arn string) string { return v.history(arn)[1].ChainedInvokeStartedDetails.DurableExecutionArn }
	if _, err := v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: childOf(a),
		Error: &checkpoint.ErrorObject{ErrorType: "Halt"}}); err != nil {
		t.Fatal(err)
	}
	out, _ := v.svc.WaitForCompletion(v.ctx(), a)
	if out.Status != ExecutionFailed || out.Error.ErrorType != "STOPPED/Halt" {
		t.Fatalf("a = %+v", out)
	}
	v.clk.Advance(time.Minute)
	out, _ = v.svc.WaitForCompletion(v.ctx(), b)
	if out.Status != ExecutionFailed || out.Error.ErrorType != "TIMED_OUT/Execution.Timeout" {
		t.Fatalf("b = %+v", out)
	}
	if ev := v.history(b)[3]; ev.EventType != EventChainedInvokeTimedOut {
		t.Fatalf("event = %+v", ev)
	}
	child, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: childOf(b)})
	if child.Status != ExecutionTimedOut {
		t.Fatalf("child = %+v", child)
	}
	if ev := v.history(childOf(b)); ev[len(ev)-1].EventType != EventExecutionTimedOut {
		t.Fatalf("child history = %v", v.types(childOf(b)))
	}
}

func TestChainedInvokeCancelStopsTarget(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	v.register("slow", callbackFn(0, 0))
	v.register("caller", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(invokeStart("ci1", "slow", ""))
		f.must(checkpoint.OperationUpdate{Id: "ci1", Type: checkpoint.TypeChainedInvoke, Action: checkpoint.ActionCancel})
		return succeeded("")
	}))
	arn, out := v.run("caller", "")
	if out.Status != ExecutionSucceeded {
		t.Fatalf("execution = %+v", out)
	}
	child := v.history(arn)[1].ChainedInvokeStartedDetails.DurableExecutionArn
	v.idle()
	got, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: child})
	if got.Status != ExecutionStopped {
		t.Fatalf("child = %+v", got)
	}
	ops, _ := v.svc.Operations(arn)
	if ops[1].Status != checkpoint.StatusCancelled {
		t.Fatalf("op = %+v", ops[1])
	}
}

func TestStopExecution(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	v.register("cb", callbackFn(0, 0))
	arn := v.start("cb", "")
	cb := v.openCallback(arn)
	out, err := v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn,
		Error: &checkpoint.ErrorObject{ErrorType: "Manual", ErrorMessage: "enough"}})
	if err != nil || !out.StopTimestamp.Equal(v.clk.Now()) {
		t.Fatalf("stop = %+v, %v", out, err)
	}
	got, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: arn})
	if got.Status != ExecutionStopped || got.Error.ErrorType != "Manual" || got.EndTimestamp.IsZero() {
		t.Fatalf("execution = %+v", got)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventCallbackStarted, EventInvocationCompleted, EventExecutionStopped)
	err = v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb.CallbackId})
	wantCode(t, err, CodeCallbackTimeout, "")
	_, err = v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn})
	wantCode(t, err, CodeInvalidParameterValue, "already ended")
	_, err = v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn + "x"})
	wantCode(t, err, CodeResourceNotFound, "")
	if !errors.Is(err, ErrNotFound) {
		t.Error("errors.Is(ErrNotFound) = false")
	}
}

func TestStopDuringInvocation(t *testing.T) {
	v := newEnv(t)
	entered, release := make(chan struct{}), make(chan struct{})
	var cpErr error
	v.register("blocker", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(stepStart("s1", ""))
		close(entered)
		<-release
		_, cpErr = f.cp(stepSucceed("s1", "1"))
		return succeeded("1")
	}))
	arn := v.start("blocker", "")
	<-entered
	if _, err := v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn}); err != nil {
		t.Fatal(err)
	}
	close(release)
	v.idle()
	if !checkpoint.IsRetryable(cpErr) || !strings.Contains(cpErr.Error(), checkpoint.InvalidTokenPrefix) {
		t.Fatalf("checkpoint after stop: %v", cpErr)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventStepStarted, EventInvocationCompleted, EventExecutionStopped)
	if ic := v.history(arn)[2].InvocationCompletedDetails; ic.Error == nil || ic.Error.Payload.ErrorType != "Execution.STOPPED" {
		t.Fatalf("InvocationCompleted = %+v", ic)
	}
}

func TestExecutionTimeout(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	v.register("cb", callbackFn(0, 0))
	start := v.clk.Now()
	arn, err := v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "cb", Async: true, Timeout: 90 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	v.idle()
	v.clk.Advance(89 * time.Second)
	if got, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: arn}); got.Status != ExecutionRunning {
		t.Fatalf("early: %s", got.Status)
	}
	v.clk.Advance(time.Second)
	got, _ := v.svc.WaitForCompletion(v.ctx(), arn)
	if got.Status != ExecutionTimedOut || !got.EndTimestamp.Equal(start.Add(90*time.Second)) {
		t.Fatalf("execution = %+v", got)
	}
	evs := v.history(arn)
	if evs[0].ExecutionStartedDetails.ExecutionTimeout != 90 || evs[len(evs)-1].EventType != EventExecutionTimedOut {
		t.Fatalf("history = %v", v.types(arn))
	}
	for _, bad := range []time.Duration{time.Millisecond, 367 * 24 * time.Hour} {
		_, err := v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "cb", Async: true, Timeout: bad})
		wantCode(t, err, CodeInvalidParameterValue, "timeout")
	}
}

func TestChainedTargetWaitsForTheParentInvocation(t *testing.T) {
	v := newEnv(t)
	child := echoFn()
	v.register("echo", child)
	var during string
	v.register("caller", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		o, ok := f.op("ci1")
		if !ok {
			f.must(invokeStart("ci1", "echo", `1`))
			arn := v.history(f.arn)[1].ChainedInvokeStartedDetails.DurableExecutionArn
			got, err := v.svc.GetExecution(f.ctx, &GetExecutionInput{DurableExecutionArn: arn})
			if err != nil {
				return checkpoint.InvocationResponse{}, err
			}
			during = string(got.Status) + "/" + strconv.Itoa(child.invocations())
			return pending()
		}
		if o.Status == checkpoint.StatusStarted {
			return pending()
		}
		return succeeded(o.ChainedInvokeDetails.Result)
	}))
	_, out := v.run("caller", "")
	if out.Status != ExecutionSucceeded || during != "RUNNING/0" {
		t.Fatalf("execution = %+v; the target during the parent's invocation: %s", out, during)
	}
}
