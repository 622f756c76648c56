package local

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// workflow: step, wait 10s, callback, step, done.
func workflowFn() *fakeFn {
	return newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if _, ok := f.op("s1"); !ok {
			f.must(stepStart("s1", "first"), stepSucceed("s1", "1"))
		}
		switch f.status("w1") {
		case "":
			f.must(waitStart("w1", 10))
			return pending()
		case checkpoint.StatusStarted:
			return pending()
		}
		switch f.status("cb1") {
		case "":
			f.must(callbackStart("cb1", "approve", 0, 0))
			return pending()
		case checkpoint.StatusStarted:
			return pending()
		}
		if _, ok := f.op("s2"); !ok {
			f.must(stepStart("s2", "second"), stepSucceed("s2", "2"))
		}
		return succeeded(`"` + f.ops["cb1"].CallbackDetails.Result + `"`)
	})
}

func TestStoreReloadResumesTimersAndCallbacks(t *testing.T) {
	store := NewMemoryStore()
	clk := NewVirtualClock(time.Time{})
	ctx := context.Background()

	// First service: run until the wait is pending, then shut down.
	s1 := New(WithClock(clk), WithStore(store))
	if err := s1.RegisterFunction("wf", workflowFn()); err != nil {
		t.Fatal(err)
	}
	arn, err := s1.StartExecution(ctx, StartInput{FunctionName: "wf", ExecutionName: "persisted", Async: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	_ = s1.Close()
	if _, err := s1.Checkpoint(ctx, &checkpoint.CheckpointInput{DurableExecutionArn: arn, CheckpointToken: "x"}); err == nil {
		t.Fatal("a closed service accepted a checkpoint")
	}

	// Second service: the wait fires after 10s, the callback opens.
	clk.Advance(10 * time.Second)
	s2, err := Open(WithClock(clk), WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	fn := workflowFn()
	if err := s2.RegisterFunction("wf", fn); err != nil {
		t.Fatal(err)
	}
	if err := s2.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	cbs, _ := s2.OpenCallbacks(arn)
	if len(cbs) != 1 {
		t.Fatalf("open callbacks after restart: %+v", cbs)
	}
	_ = s2.Close()

	// Third service: the callback id survives; answering it completes.
	s3 := New(WithClock(clk), WithStore(store))
	defer s3.Close()
	if err := s3.SendCallbackSuccess(ctx, &SendCallbackSuccessInput{CallbackId: cbs[0].CallbackId, Result: []byte("yes")}); err != nil {
		t.Fatal(err)
	}
	if err := s3.RegisterFunction("wf", workflowFn()); err != nil {
		t.Fatal(err)
	}
	out, err := s3.WaitForCompletion(ctx, arn)
	if err != nil || out.Status != ExecutionSucceeded || *out.Result != `"yes"` {
		t.Fatalf("execution = %+v, %v", out, err)
	}
	h, _ := s3.GetHistory(ctx, &GetHistoryInput{DurableExecutionArn: arn})
	var types []EventType
	counts := map[string]int{}
	for i, ev := range h.Events {
		types = append(types, ev.EventType)
		if ev.EventId != int32(i+1) {
			t.Fatalf("event ids broken: %v", types)
		}
		counts[string(ev.EventType)+"/"+ev.Id]++
	}
	wantTypes(t, types, EventExecutionStarted, EventStepStarted, EventStepSucceeded, EventWaitStarted, EventInvocationCompleted,
		EventWaitSucceeded, EventCallbackStarted, EventInvocationCompleted,
		EventCallbackSucceeded, EventStepStarted, EventStepSucceeded, EventInvocationCompleted, EventExecutionSucceeded)
	ops, _ := s3.Operations(arn)
	if len(ops) != 5 {
		t.Fatalf("operations = %d, want 5 (no loss, no duplicate)", len(ops))
	}
	list, _ := s3.ListExecutions(ctx, &ListExecutionsInput{FunctionName: "wf"})
	if len(list.DurableExecutions) != 1 {
		t.Fatalf("executions after restarts = %+v", list)
	}
}

func TestStoreReloadInterruptedInvocation(t *testing.T) {
	store := NewMemoryStore()
	clk := NewVirtualClock(time.Time{})
	ctx := context.Background()
	s1 := New(WithClock(clk), WithStore(store))
	started := make(chan struct{})
	if err := s1.RegisterFunction("wf", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(stepStart("s1", ""), stepSucceed("s1", "1"))
		close(started)
		<-f.ctx.Done() // the service shuts down mid-invocation
		return checkpoint.InvocationResponse{}, f.ctx.Err()
	})); err != nil {
		t.Fatal(err)
	}
	arn, _ := s1.StartExecution(ctx, StartInput{FunctionName: "wf", Async: true})
	<-started
	_ = s1.Close()

	s2 := New(WithClock(clk), WithStore(store))
	defer s2.Close()
	fn := newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if f.status("s1") != checkpoint.StatusSucceeded {
			return failed("Lost", "step s1 was lost")
		}
		return succeeded("1")
	})
	if err := s2.RegisterFunction("wf", fn); err != nil {
		t.Fatal(err)
	}
	out, err := s2.WaitForCompletion(ctx, arn)
	if err != nil || out.Status != ExecutionSucceeded {
		t.Fatalf("execution = %+v, %v", out, err)
	}
	h, _ := s2.GetHistory(ctx, &GetHistoryInput{DurableExecutionArn: arn})
	var types []EventType
	for _, ev := range h.Events {
		types = append(types, ev.EventType)
	}
	wantTypes(t, types, EventExecutionStarted, EventStepStarted, EventStepSucceeded, EventInvocationCompleted,
		EventInvocationCompleted, EventExecutionSucceeded)
	if e := h.Events[3].InvocationCompletedDetails.Error; e == nil || e.Payload.ErrorType != "Sandbox.Interrupted" {
		t.Fatalf("interrupted invocation = %+v", h.Events[3])
	}
}

type failingStore struct{ *MemoryStore }

func (failingStore) LoadAll(context.Context) (map[string]*Record, error) {
	return nil, errors.New("disk on fire")
}

func TestOpenReportsStoreErrors(t *testing.T) {
	s, err := Open(WithStore(failingStore{NewMemoryStore()}))
	defer s.Close()
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v", err)
	}
	store := NewMemoryStore()
	_ = store.Save(context.Background(), "arn:x", &Change{Header: []byte("{garbage")})
	s2, err := Open(WithStore(store))
	defer s2.Close()
	if err == nil {
		t.Fatal("no error for an unreadable record")
	}
	if len(s2.Executions()) != 0 {
		t.Fatal("unreadable record loaded")
	}
}
