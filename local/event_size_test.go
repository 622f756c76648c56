package local_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// lambdaInvokeLimit is Lambda's Invoke payload limit, in bytes.
const lambdaInvokeLimit = 6_291_456

// TestLargeStateKeepsInvocationEventsUnderInvokeLimit runs a workflow whose
// 26 step results (6.5 MB) outgrow Lambda's Invoke payload limit, then
// waits twice, so that the service invokes it again and again. The function is
// wrapped as Lambda would run it: an event over the limit is refused (413)
// before the handler runs. The service keeps every event under the limit
// by cutting the first page of state by size, and the SDK pages the rest
// with GetDurableExecutionState, so the execution succeeds with every
// result replayed.
func TestLargeStateKeepsInvocationEventsUnderInvokeLimit(t *testing.T) {
	const steps, size = 26, 250_000
	wf := func(ctx durable.Context, _ any) (int, error) {
		total := 0
		for i := range steps {
			s, err := durable.Step(ctx, fmt.Sprintf("big-%d", i), func(durable.StepContext) (string, error) {
				return strings.Repeat(string(rune('a'+i)), size), nil
			})
			if err != nil {
				return 0, err
			}
			if len(s) != size || s[0] != byte('a'+i) {
				return 0, fmt.Errorf("step %d replayed %d bytes of %q", i, len(s), s[:1])
			}
			total += len(s)
		}
		for i := range 2 { // each wait ends the invocation: the next one replays the 6.5 MB
			if err := durable.Wait(ctx, fmt.Sprintf("pause-%d", i), time.Second); err != nil {
				return 0, err
			}
		}
		return total, nil
	}
	svc := local.New(local.WithClock(local.NewVirtualClock(time.Time{})), local.WithTimeSkipping(local.SkipWhenIdle),
		local.WithInvokeRetryBudget(1))
	defer svc.Close()
	var lambda invokeLimit
	lambda.fn = durable.NewHandler(wf, quiet)
	if err := svc.RegisterFunction("big", &lambda); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	arn, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "big"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	lambda.mu.Lock()
	defer lambda.mu.Unlock()
	if out.Status != local.ExecutionSucceeded || out.Result == nil || *out.Result != fmt.Sprint(steps*size) {
		t.Fatalf("execution %s %v %+v; largest event %d bytes, %d refused", out.Status, out.Result, out.Error, lambda.largest, lambda.refused)
	}
	if lambda.refused > 0 || lambda.largest > lambdaInvokeLimit {
		t.Fatalf("%d events over the limit, the largest %d bytes", lambda.refused, lambda.largest)
	}
	if lambda.paged < 2 {
		t.Fatalf("%d events left operations to page, want 2: the test did not grow the state past the limit", lambda.paged)
	}
	t.Logf("%d invocations, largest event %d bytes, %d paged", lambda.invocations, lambda.largest, lambda.paged)
}

// invokeLimit runs a function as Lambda does with respect to the Invoke
// payload limit, and records the events' sizes.
type invokeLimit struct {
	fn local.Function

	mu                                   sync.Mutex
	invocations, refused, paged, largest int
}

func (l *invokeLimit) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev checkpoint.InvocationEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.invocations++
	l.largest = max(l.largest, len(payload))
	if ev.InitialExecutionState != nil && ev.InitialExecutionState.NextMarker != "" {
		l.paged++
	}
	tooLarge := len(payload) > lambdaInvokeLimit
	if tooLarge {
		l.refused++
	}
	l.mu.Unlock()
	if tooLarge {
		return nil, fmt.Errorf("RequestTooLargeException: the invocation event is %d bytes; Lambda's limit is %d", len(payload), lambdaInvokeLimit)
	}
	return l.fn.Invoke(ctx, payload)
}
