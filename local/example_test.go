package local_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
)

var quiet = durable.WithLogHandler(slog.DiscardHandler)

func greet(ctx durable.Context, name string) (string, error) {
	if err := durable.Wait(ctx, "pause", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) {
		return "Hello, " + name, nil
	})
}

// A service on a virtual clock that skips time when idle runs a one-hour
// wait at once; StartExecution without Async waits for the end.
func ExampleService_StartExecution() {
	svc := local.New(local.WithClock(local.NewVirtualClock(time.Time{})), local.WithTimeSkipping(local.SkipWhenIdle))
	defer svc.Close()
	_ = svc.RegisterFunction("greeter", durable.NewHandler(greet, quiet))

	ctx := context.Background()
	arn, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "greeter", Input: []byte(`"Ada"`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	fmt.Println(out.Status, *out.Result, out.EndTimestamp.Sub(out.StartTimestamp))
	// Output: SUCCEEDED "Hello, Ada" 1h0m0s
}

// GetHistory returns the events the service recorded, in order.
func ExampleService_GetHistory() {
	svc := local.New(local.WithClock(local.NewVirtualClock(time.Time{})), local.WithTimeSkipping(local.SkipWhenIdle))
	defer svc.Close()
	_ = svc.RegisterFunction("greeter", durable.NewHandler(greet, quiet))
	ctx := context.Background()
	arn, _ := svc.StartExecution(ctx, local.StartInput{FunctionName: "greeter", Input: []byte(`"Ada"`)})
	h, _ := svc.GetHistory(ctx, &local.GetHistoryInput{DurableExecutionArn: arn})
	for _, ev := range h.Events {
		fmt.Println(ev.EventId, ev.EventType)
	}
	// Output:
	// 1 ExecutionStarted
	// 2 WaitStarted
	// 3 InvocationCompleted
	// 4 WaitSucceeded
	// 5 StepStarted
	// 6 StepSucceeded
	// 7 InvocationCompleted
	// 8 ExecutionSucceeded
}

// Callbacks are answered with SendCallbackSuccess (or Failure, Heartbeat);
// OpenCallbacks finds their ids.
func ExampleService_SendCallbackSuccess() {
	approve := func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}
	svc := local.New(local.WithClock(local.NewVirtualClock(time.Time{})))
	defer svc.Close()
	_ = svc.RegisterFunction("approver", durable.NewHandler(approve, quiet))
	ctx := context.Background()
	arn, _ := svc.StartExecution(ctx, local.StartInput{FunctionName: "approver", Async: true})
	_ = svc.WaitIdle(ctx)

	cbs, _ := svc.OpenCallbacks(arn)
	fmt.Println("waiting for", cbs[0].Name)
	_ = svc.SendCallbackSuccess(ctx, &local.SendCallbackSuccessInput{CallbackId: cbs[0].CallbackId, Result: []byte("yes")})
	out, _ := svc.WaitForCompletion(ctx, arn)
	fmt.Println(out.Status, *out.Result)
	// Output:
	// waiting for approval
	// SUCCEEDED "yes"
}

// With a store, a new service resumes the executions an old one left
// unfinished: here the wait started before the "restart" ends after it.
func ExampleNewMemoryStore() {
	store := local.NewMemoryStore()
	clock := local.NewVirtualClock(time.Time{})
	ctx := context.Background()

	before := local.New(local.WithClock(clock), local.WithStore(store))
	_ = before.RegisterFunction("greeter", durable.NewHandler(greet, quiet))
	arn, _ := before.StartExecution(ctx, local.StartInput{FunctionName: "greeter", Input: []byte(`"Bo"`), Async: true})
	_ = before.WaitIdle(ctx)
	_ = before.Close()

	clock.Advance(time.Hour)
	after := local.New(local.WithClock(clock), local.WithStore(store))
	defer after.Close()
	_ = after.RegisterFunction("greeter", durable.NewHandler(greet, quiet))
	out, _ := after.WaitForCompletion(ctx, arn)
	fmt.Println(out.Status, *out.Result)
	// Output: SUCCEEDED "Hello, Bo"
}

// A VirtualClock moves only when told to, running what falls due in order.
func ExampleVirtualClock() {
	clock := local.NewVirtualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	clock.AfterFunc(2*time.Second, func() { fmt.Println("second at", clock.Now().Format(time.TimeOnly)) })
	clock.AfterFunc(time.Second, func() { fmt.Println("first at", clock.Now().Format(time.TimeOnly)) })
	clock.Advance(time.Minute)
	fmt.Println("now", clock.Now().Format(time.TimeOnly))
	// Output:
	// first at 00:00:01
	// second at 00:00:02
	// now 00:01:00
}
