package benchmarks

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/serdes"
)

// stepsPerInvocation is how many steps the step benchmarks run per
// invocation, so that the invocation's own cost is spread thin.
const stepsPerInvocation = 100

// stepLoop is a handler whose invocations each run *n live at-least-once
// steps; the benchmark sets *n before each invocation.
func stepLoop(n *int, opts ...durable.HandlerOption) *durable.Handler {
	return durable.NewHandler(func(ctx durable.Context, _ struct{}) (int, error) {
		sum := 0
		for range *n {
			v, err := durable.Step(ctx, "s", func(durable.StepContext) (int, error) { return 1, nil })
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, nil
	}, opts...)
}

// runSteps runs b.N live steps through h, stepsPerInvocation per invocation.
func runSteps(b *testing.B, h *durable.Handler, n *int, client *memClient) {
	b.Helper()
	ctx := lambdaContext(b, client)
	ev := event(b)
	var cpu cpuMeter
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	for done := 0; done < b.N; done += *n {
		*n = min(stepsPerInvocation, b.N-done)
		invoke(b, ctx, h, ev, checkpoint.InvocationSucceeded)
	}
	cpu.stop()
	b.StopTimer()
	cpu.report(b)
	b.ReportMetric(float64(client.calls.Load())/float64(b.N), "calls/op")
	if got := client.outcomeCalls(); got != int64(b.N) {
		b.Fatalf("%d checkpoint calls carrying outcomes for %d steps, want one per step", got, b.N)
	}
}

// BenchmarkStepOverhead measures one live at-least-once step through the
// full pipeline (public API, operation chain, attempt chain, serdes,
// checkpointer) in eager mode against an in-memory client with no latency.
// calls/op is the number of checkpoint calls per step (budget: exactly 1).
func BenchmarkStepOverhead(b *testing.B) {
	var n int
	client := &memClient{}
	runSteps(b, stepLoop(&n, quiet), &n, client)
}

// passThrough is a user middleware that does nothing but call next.
func passThrough(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error { return next(ctx, op) }
}

// BenchmarkMiddlewareDepth measures a live step with 0, 6 and 12 user
// operation middlewares: the difference between depths is what the chain
// costs per operation (budget: no allocation).
func BenchmarkMiddlewareDepth(b *testing.B) {
	for _, depth := range []int{0, 6, 12} {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			mws := make([]middleware.Middleware, depth)
			for i := range mws {
				mws[i] = passThrough
			}
			var n int
			runSteps(b, stepLoop(&n, quiet, durable.WithMiddleware(mws...)), &n, &memClient{})
		})
	}
}

// payloadSizes are the serialized result sizes of the payload sweep, up to
// the service's 256 KiB limit of one operation's payload.
var payloadSizes = []int{1, 1 << 10, 16 << 10, 64 << 10, 256 << 10}

// payloadOf returns a step result whose JSON form is exactly size bytes:
// the number 7 for one byte, else a string of size-2 letters.
func payloadOf(size int) any {
	if size == 1 {
		return 7
	}
	return strings.Repeat("x", size-2)
}

// sizeName prints 1B, 1KiB, 256KiB.
func sizeName(size int) string {
	if size >= 1<<10 {
		return fmt.Sprintf("%dKiB", size>>10)
	}
	return fmt.Sprintf("%dB", size)
}

// BenchmarkPayload sweeps the size of a step result from 1 B to 256 KiB:
// "live" runs one invocation with one step returning the payload (serialize
// and checkpoint), "replay" one invocation that replays that step from the
// event (decode the event, deserialize the result). MB/s is payload bytes.
func BenchmarkPayload(b *testing.B) {
	for _, size := range payloadSizes {
		p := payloadOf(size)
		b.Run("size="+sizeName(size)+"/live", func(b *testing.B) { benchPayload(b, p, size, false) })
		b.Run("size="+sizeName(size)+"/replay", func(b *testing.B) { benchPayload(b, p, size, true) })
	}
}

// payloadHandler returns a handler whose workflow is one step "p" returning
// p; the workflow returns the size of the step's JSON result.
func payloadHandler(p any) *durable.Handler {
	return durable.NewHandler(func(ctx durable.Context, _ struct{}) (int, error) {
		v, err := durable.Step(ctx, "p", func(durable.StepContext) (any, error) { return p, nil })
		if err != nil {
			return 0, err
		}
		switch v := v.(type) {
		case string:
			return len(v) + 2, nil
		case int, float64: // live: the int itself; replayed: decoded into any
			return 1, nil
		}
		return 0, fmt.Errorf("unexpected result %T", v)
	}, quiet)
}

// benchPayload runs the payload sweep's case: a live step returning p
// (one checkpoint call per invocation) or, with replay, the replay of that
// step recorded with p's JSON form (no call).
func benchPayload(b *testing.B, p any, size int, replay bool) {
	client := &memClient{}
	h := payloadHandler(p)
	ctx := lambdaContext(b, client)
	ev, wantCalls := event(b), int64(b.N)
	if replay {
		result, err := serdes.JSON{}.Serialize(serdes.Context{}, p)
		if err != nil {
			b.Fatal(err)
		}
		if len(result) != size {
			b.Fatalf("payload of %d bytes, want %d", len(result), size)
		}
		ev, wantCalls = event(b, succeededStep(1, "p", result)), 0
	}
	var cpu cpuMeter
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	for range b.N {
		resp := invoke(b, ctx, h, ev, checkpoint.InvocationSucceeded)
		if resp.Result != fmt.Sprint(size) {
			b.Fatalf("the step returned a %s-byte payload, want %d", resp.Result, size)
		}
	}
	cpu.stop()
	b.StopTimer()
	cpu.report(b)
	if n := client.outcomeCalls(); n != wantCalls {
		b.Fatalf("%d checkpoint calls for %d invocations, want %d", n, b.N, wantCalls)
	}
}
