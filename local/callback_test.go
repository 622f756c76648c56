package local

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// callbackFn starts callback cb1 and ends with its outcome.
func callbackFn(timeout, heartbeat int32) *fakeFn {
	return newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		o, ok := f.op("cb1")
		switch {
		case !ok:
			f.must(callbackStart("cb1", "approval", timeout, heartbeat))
			return pending()
		case o.Status == checkpoint.StatusStarted:
			return pending()
		case o.Status == checkpoint.StatusSucceeded:
			return succeeded(o.CallbackDetails.Result)
		}
		return failed(o.CallbackDetails.Error.ErrorType, o.CallbackDetails.Error.ErrorMessage)
	})
}

// openCallback waits until arn has one open callback and returns it.
func (v *env) openCallback(arn string) OpenCallback {
	v.t.Helper()
	v.idle()
	cbs, err := v.svc.OpenCallbacks(arn)
	if err != nil || len(cbs) != 1 {
		v.t.Fatalf("open callbacks = %v, %v", cbs, err)
	}
	return cbs[0]
}

func TestCallbackSuccess(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipUnlessCallbacksOpen))
	v.register("cb", callbackFn(0, 0))
	arn := v.start("cb", "")
	cb := v.openCallback(arn)
	if cb.Name != "approval" || cb.OperationId != "cb1" || len(cb.CallbackId) < 32 || !cb.Deadline.IsZero() {
		t.Fatalf("callback = %+v", cb)
	}
	if err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb.CallbackId, Result: []byte(`"ok"`)}); err != nil {
		t.Fatal(err)
	}
	out, err := v.svc.WaitForCompletion(v.ctx(), arn)
	if err != nil || out.Status != ExecutionSucceeded || *out.Result != `"ok"` {
		t.Fatalf("execution = %+v, %v", out, err)
	}
	wantTypes(t, v.types(arn), EventExecutionStarted, EventCallbackStarted, EventInvocationCompleted,
		EventCallbackSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	evs := v.history(arn)
	if evs[1].CallbackStartedDetails.CallbackId != cb.CallbackId || *evs[3].CallbackSucceededDetails.Result.Payload != `"ok"` {
		t.Errorf("events = %+v %+v", evs[1], evs[3])
	}
	// A closed callback cannot be answered again.
	err = v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb.CallbackId})
	wantCode(t, err, CodeCallbackTimeout, "already completed")
	err = v.svc.SendCallbackHeartbeat(v.ctx(), &SendCallbackHeartbeatInput{CallbackId: cb.CallbackId})
	wantCode(t, err, CodeCallbackTimeout, "")
}

func TestCallbackFailure(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipUnlessCallbacksOpen))
	v.register("cb", callbackFn(0, 0))
	arn := v.start("cb", "")
	cb := v.openCallback(arn)
	err := v.svc.SendCallbackFailure(v.ctx(), &SendCallbackFailureInput{CallbackId: cb.CallbackId,
		Error: &checkpoint.ErrorObject{ErrorType: "Rejected", ErrorMessage: "no"}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := v.svc.WaitForCompletion(v.ctx(), arn)
	if out.Status != ExecutionFailed || out.Error.ErrorType != "Rejected" {
		t.Fatalf("execution = %+v", out)
	}
	evs := v.history(arn)
	if evs[3].EventType != EventCallbackFailed || evs[3].CallbackFailedDetails.Error.Payload.ErrorMessage != "no" {
		t.Errorf("event = %+v", evs[3])
	}
	wantTypes(t, v.types(arn)[4:], EventInvocationCompleted, EventExecutionFailed)
}

func TestCallbackTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name               string
		timeout, heartbeat int32
		beats              int
		wantType           string
		wantAfter          time.Duration
	}{
		{"timeout", 30, 0, 0, "Callback.Timeout", 30 * time.Second},
		{"heartbeat", 0, 5, 0, "Callback.Heartbeat", 5 * time.Second},
		{"heartbeats keep it alive until the timeout", 12, 5, 2, "Callback.Timeout", 12 * time.Second},
		{"heartbeats then silence", 100, 5, 2, "Callback.Heartbeat", 13 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t, WithTimeSkipping(SkipNever))
			start := v.clk.Now()
			v.register("cb", callbackFn(tc.timeout, tc.heartbeat))
			arn := v.start("cb", "")
			cb := v.openCallback(arn)
			for range tc.beats {
				v.clk.Advance(4 * time.Second)
				if err := v.svc.SendCallbackHeartbeat(v.ctx(), &SendCallbackHeartbeatInput{CallbackId: cb.CallbackId}); err != nil {
					t.Fatal(err)
				}
			}
			for {
				next, ok := v.svc.NextTimer()
				if !ok {
					break
				}
				v.clk.AdvanceTo(next)
				v.idle()
			}
			out, err := v.svc.WaitForCompletion(v.ctx(), arn)
			if err != nil || out.Status != ExecutionFailed || out.Error.ErrorType != tc.wantType {
				t.Fatalf("execution = %+v, %v", out, err)
			}
			evs := v.history(arn)
			to := evs[3]
			if to.EventType != EventCallbackTimedOut || to.CallbackTimedOutDetails.Error.Payload.ErrorType != tc.wantType ||
				!to.EventTimestamp.Equal(start.Add(tc.wantAfter)) {
				t.Errorf("timed out event = %+v", to)
			}
			if d := evs[1].CallbackStartedDetails; d.Timeout != tc.timeout || d.HeartbeatTimeout != tc.heartbeat {
				t.Errorf("CallbackStarted = %+v", d)
			}
			err = v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb.CallbackId})
			wantCode(t, err, CodeCallbackTimeout, "")
		})
	}
}

func TestCallbackIdsAreUnguessableAndBound(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	v.register("cb", callbackFn(0, 0))
	a, b := v.start("cb", ""), v.start("cb", "")
	ca, cbb := v.openCallback(a), v.openCallback(b)
	if ca.CallbackId == cbb.CallbackId || ca.DurableExecutionArn == cbb.DurableExecutionArn {
		t.Fatalf("callbacks %+v %+v", ca, cbb)
	}
	// A forged id (b's id with a character changed) is unknown.
	forged := []byte(cbb.CallbackId)
	forged[3] ^= 1
	err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: string(forged)})
	wantCode(t, err, CodeCallbackTimeout, "")
	err = v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: ""})
	wantCode(t, err, CodeInvalidParameterValue, "CallbackId")
	// Answering a's callback completes a only.
	if err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: ca.CallbackId, Result: []byte("1")}); err != nil {
		t.Fatal(err)
	}
	v.idle()
	ga, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: a})
	gb, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: b})
	if ga.Status != ExecutionSucceeded || gb.Status != ExecutionRunning {
		t.Fatalf("statuses %s %s", ga.Status, gb.Status)
	}
	all, _ := v.svc.OpenCallbacks("")
	if len(all) != 1 || all[0].CallbackId != cbb.CallbackId {
		t.Fatalf("open = %+v", all)
	}
}

func TestCallbackPayloadLimit(t *testing.T) {
	v := newEnv(t, WithLimits(Limits{MaxOperationPayload: 10}), WithTimeSkipping(SkipNever))
	v.register("cb", callbackFn(0, 0))
	cb := v.openCallback(v.start("cb", ""))
	err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb.CallbackId, Result: []byte(strings.Repeat("x", 11))})
	wantCode(t, err, CodeRequestTooLarge, "limit is 10")
	if !errors.Is(err, ErrRequestTooLarge) {
		t.Error("errors.Is(ErrRequestTooLarge) = false")
	}
}

func TestCallbackCancel(t *testing.T) {
	v := newEnv(t)
	v.register("cb", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(callbackStart("cb1", "", 0, 0))
		f.must(checkpoint.OperationUpdate{Id: "cb1", Type: checkpoint.TypeCallback, Action: checkpoint.ActionCancel})
		if f.status("cb1") != checkpoint.StatusCancelled {
			return failed("Check", string(f.status("cb1")))
		}
		return succeeded("")
	}))
	arn, out := v.run("cb", "")
	if out.Status != ExecutionSucceeded {
		t.Fatalf("execution = %+v", out)
	}
	if cbs, _ := v.svc.OpenCallbacks(arn); len(cbs) != 0 {
		t.Fatalf("open = %v", cbs)
	}
}

func TestTimeSkippingPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy TimeSkipping
		want   ExecutionStatus
	}{
		{SkipWhenIdle, ExecutionFailed},             // skipped to the callback timeout
		{SkipUnlessCallbacksOpen, ExecutionRunning}, // waits for an answer
		{SkipNever, ExecutionRunning},
	} {
		v := newEnv(t, WithTimeSkipping(tc.policy))
		start := v.clk.Now()
		v.register("cb", callbackFn(30, 0))
		arn := v.start("cb", "")
		v.idle()
		got, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: arn})
		if got.Status != tc.want {
			t.Errorf("policy %d: status %s, want %s", tc.policy, got.Status, tc.want)
		}
		if tc.want == ExecutionRunning && !v.clk.Now().Equal(start) {
			t.Errorf("policy %d: time moved to %v", tc.policy, v.clk.Now())
		}
	}
}

func TestCallbackIdsArePasteSafe(t *testing.T) {
	for range 2000 {
		id := newCallbackId()
		if len(id) != 32 || strings.ContainsAny(id, "+/=") || id[0] == '-' || id[0] == '_' {
			t.Fatalf("callback id %q: want 32 URL-safe characters, not starting with '-' or '_'", id)
		}
	}
}
