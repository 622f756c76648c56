package boltstore_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/cmd/durable/boltstore"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// t0 is where the virtual clocks of both service lifetimes start.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// counters counts how often each step body ran, across both lifetimes.
type counters struct{ before, after atomic.Int32 }

// workflow runs a step, waits for a callback, waits an hour and runs
// another step.
func (c *counters) workflow(ctx durable.Context, in string) (string, error) {
	a, err := durable.Step(ctx, "before", func(durable.StepContext) (string, error) {
		c.before.Add(1)
		return "A", nil
	})
	if err != nil {
		return "", err
	}
	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return "", err
	}
	answer, err := cb.Get()
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "hold", time.Hour); err != nil {
		return "", err
	}
	b, err := durable.Step(ctx, "after", func(durable.StepContext) (string, error) {
		c.after.Add(1)
		return "B", nil
	})
	if err != nil {
		return "", err
	}
	return a + answer + b + in, nil
}

// lifetime is one run of the service on the store file: service, HTTP
// front and a real Lambda client pointed at it.
type lifetime struct {
	store  *boltstore.Store
	clock  *local.VirtualClock
	svc    *local.Service
	srv    *httpapi.Server
	client *lambda.Client
}

func startLifetime(t *testing.T, path string, c *counters) *lifetime {
	t.Helper()
	store, err := boltstore.Open(path, boltstore.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	l := &lifetime{store: store, clock: local.NewVirtualClock(t0)}
	l.svc = local.New(local.WithClock(l.clock), local.WithStore(store))
	if l.srv, err = httpapi.Listen("", httpapi.NewHandler(l.svc)); err != nil {
		t.Fatal(err)
	}
	l.client = httpapi.LambdaClient(l.srv.URL())
	h := durable.NewHandler(c.workflow, durable.WithCheckpointClient(checkpoint.NewLambdaClient(l.client)))
	if err := l.svc.RegisterFunction("restartable", h, local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
	return l
}

// stop shuts the lifetime down the way a stopped server goes: HTTP front,
// service, then the file.
func (l *lifetime) stop(t *testing.T) {
	t.Helper()
	if err := l.srv.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
	if err := l.svc.Close(); err != nil {
		t.Error(err)
	}
	if err := l.store.Close(); err != nil {
		t.Error(err)
	}
}

func (l *lifetime) history(t *testing.T, arn string) []types.Event {
	t.Helper()
	out, err := l.client.GetDurableExecutionHistory(context.Background(), &lambda.GetDurableExecutionHistoryInput{
		DurableExecutionArn: aws.String(arn), MaxItems: 1000, IncludeExecutionData: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Events
}

// TestRestartResumesExecution stops the server while the execution waits
// for a callback, starts a new service on the same file, answers the
// callback and lets the following wait end there, and checks the execution
// finishes with every operation recorded exactly once.
func TestRestartResumesExecution(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := filepath.Join(t.TempDir(), "durable.db")
	var c counters

	first := startLifetime(t, path, &c)
	out, err := first.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:         aws.String("restartable"),
		InvocationType:       types.InvocationTypeEvent,
		DurableExecutionName: aws.String("survivor"),
		Payload:              []byte(`"!"`),
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	if err := first.svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	before := first.history(t, arn)
	callbackID := ""
	for _, e := range before {
		if e.EventType == types.EventTypeCallbackStarted {
			callbackID = aws.ToString(e.CallbackStartedDetails.CallbackId)
		}
	}
	if callbackID == "" || hasEvent(before, types.EventTypeWaitStarted, "hold") {
		t.Fatalf("before the restart the execution should wait for the callback; history: %s", eventTypes(before))
	}
	first.stop(t)

	second := startLifetime(t, path, &c)
	defer second.stop(t)
	got, err := second.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("the restarted service does not know the execution: %v", err)
	}
	if got.Status != types.ExecutionStatusRunning {
		t.Fatalf("after the restart the status is %s, want RUNNING", got.Status)
	}
	if _, err := second.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
		CallbackId: aws.String(callbackID), Result: []byte("ok"),
	}); err != nil {
		t.Fatalf("answering the callback opened before the restart: %v", err)
	}
	if err := second.svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if h := second.history(t, arn); !hasEvent(h, types.EventTypeWaitStarted, "hold") {
		t.Fatalf("after the callback the execution should wait; history: %s", eventTypes(h))
	}
	second.clock.Advance(time.Hour)
	final, err := second.svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != local.ExecutionSucceeded || final.Result == nil || *final.Result != `"AokB!"` {
		t.Fatalf("final = %s %v, want SUCCEEDED with \"AokB!\"", final.Status, final.Result)
	}
	if n, m := c.before.Load(), c.after.Load(); n != 1 || m != 1 {
		t.Errorf("step bodies ran %d and %d times, want once each", n, m)
	}

	after := second.history(t, arn)
	// Nothing recorded before the restart is lost or rewritten.
	if len(after) < len(before) {
		t.Fatalf("history shrank across the restart: %d events, then %d", len(before), len(after))
	}
	for i := range before {
		b, _ := json.Marshal(before[i])
		a, _ := json.Marshal(after[i])
		if string(a) != string(b) {
			t.Errorf("event %d changed across the restart:\nbefore %s\nafter  %s", i+1, b, a)
		}
	}
	// Nothing is duplicated: one start and one end per operation.
	for _, want := range []struct {
		typ  types.EventType
		name string
	}{
		{types.EventTypeStepStarted, "before"}, {types.EventTypeStepSucceeded, "before"},
		{types.EventTypeCallbackStarted, "approval"}, {types.EventTypeCallbackSucceeded, "approval"},
		{types.EventTypeWaitStarted, "hold"}, {types.EventTypeWaitSucceeded, "hold"},
		{types.EventTypeStepStarted, "after"}, {types.EventTypeStepSucceeded, "after"},
		{types.EventTypeExecutionStarted, ""}, {types.EventTypeExecutionSucceeded, ""},
	} {
		if n := countEvents(after, want.typ, want.name); n != 1 {
			t.Errorf("%s %q appears %d times, want once; history: %s", want.typ, want.name, n, eventTypes(after))
		}
	}
	for i, e := range after {
		if aws.ToInt32(e.EventId) != int32(i+1) {
			t.Errorf("event %d has EventId %d", i+1, aws.ToInt32(e.EventId))
		}
	}
	if last := after[len(after)-1].EventType; last != types.EventTypeExecutionSucceeded {
		t.Errorf("last event is %s, want ExecutionSucceeded", last)
	}
}

func countEvents(events []types.Event, typ types.EventType, name string) int {
	n := 0
	for _, e := range events {
		if e.EventType == typ && (name == "" || aws.ToString(e.Name) == name) {
			n++
		}
	}
	return n
}

func hasEvent(events []types.Event, typ types.EventType, name string) bool {
	return countEvents(events, typ, name) > 0
}

func eventTypes(events []types.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, string(e.EventType)+"("+aws.ToString(e.Name)+")")
	}
	return slices.Clip(out)
}
