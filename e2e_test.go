package durable_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
)

type order struct {
	ID    string `json:"id"`
	Items int    `json:"items"`
}

// TestEndToEndOverHTTP runs a workflow with steps, a retried step, a wait and
// a child context through the real aws-sdk-go-v2 Lambda client against the
// local service's HTTP front on loopback, resuming across invocations.
func TestEndToEndOverHTTP(t *testing.T) {
	clock := local.NewVirtualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := local.New(local.WithClock(clock), local.WithTimeSkipping(local.SkipWhenIdle))
	t.Cleanup(func() { svc.Close() })
	srv, err := httpapi.Listen("127.0.0.1:0", httpapi.NewHandler(svc))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	var flaky, invocations atomic.Int32
	var metrics middleware.Metrics
	workflow := func(ctx durable.Context, in order) (string, error) {
		priced, err := durable.Step(ctx, "price", func(sc durable.StepContext) (int, error) {
			return in.Items * 10, nil
		})
		if err != nil {
			return "", err
		}
		charged, err := durable.Step(ctx, "charge", func(sc durable.StepContext) (string, error) {
			if flaky.Add(1) < 3 {
				return "", errors.New("payment gateway busy")
			}
			return "charged-" + in.ID, nil
		}, durable.WithRetry(retry.Fixed(5, 2*time.Second)))
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "cool-off", durable.Minutes(10)); err != nil {
			return "", err
		}
		shipped, err := durable.RunInChildContext(ctx, "ship", func(cc durable.Context) (string, error) {
			label, err := durable.Step(cc, "label", func(durable.StepContext) (string, error) { return "L-" + in.ID, nil })
			if err != nil {
				return "", err
			}
			return label + "/sent", nil
		})
		if err != nil {
			return "", err
		}
		if priced != 30 {
			return "", errors.New("bad price")
		}
		return strings.Join([]string{charged, shipped}, ","), nil
	}
	h := durable.NewHandler(workflow,
		durable.WithCheckpointClient(checkpoint.NewLambdaClient(httpapi.LambdaClient(srv.URL()))),
		durable.WithLogHandler(discard{}),
		durable.WithMetrics(&metrics),
		durable.WithInvocationMiddleware(func(next middleware.InvocationHandler) middleware.InvocationHandler {
			return func(ctx context.Context, inv *middleware.Invocation) error {
				invocations.Add(1)
				return next(ctx, inv)
			}
		}))
	if err := svc.RegisterFunction("orders", h, local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	arn, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "orders", Input: []byte(`{"id":"o-1","items":3}`)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != local.ExecutionSucceeded || out.Result == nil || *out.Result != `"charged-o-1,L-o-1/sent"` {
		t.Fatalf("execution %s result %v error %+v", out.Status, deref(out.Result), out.Error)
	}
	// Two retries and the wait each suspend the execution: four invocations.
	if n := invocations.Load(); n != 4 {
		t.Errorf("%d invocations, want 4", n)
	}
	if n := flaky.Load(); n != 3 {
		t.Errorf("charge ran %d times, want 3", n)
	}
	if s := metrics.Snapshot(); s.Replays == 0 || s.CheckpointCalls == 0 {
		t.Errorf("metrics %+v", s)
	}
	hist, err := svc.GetHistory(ctx, &local.GetHistoryInput{DurableExecutionArn: arn, MaxItems: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range hist.Events {
		types = append(types, string(ev.EventType))
	}
	want := "ExecutionStarted StepStarted StepSucceeded StepStarted StepFailed InvocationCompleted " +
		"StepStarted StepFailed InvocationCompleted StepStarted StepSucceeded WaitStarted InvocationCompleted " +
		"WaitSucceeded ContextStarted StepStarted StepSucceeded ContextSucceeded InvocationCompleted ExecutionSucceeded"
	if got := strings.Join(types, " "); got != want {
		t.Errorf("history\n got %s\nwant %s", got, want)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
