package otel_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/otel"
	"github.com/lambda-durable/durable/plugin"
)

// stepsPerInvocation spreads an invocation's own cost (Invocation span,
// flush) over many steps, as the SDK's BenchmarkStepOverhead does.
const stepsPerInvocation = 100

const benchARN = "arn:aws:lambda:us-east-1:123456789012:function:bench:$LATEST/durable-execution/bench/0f6bd5c5-0000-4000-8000-000000000000"

// BenchmarkStepTracing measures one live step through the full pipeline in
// eager mode against an in-memory client, without the plugin ("none", the
// same measurement as the SDK's BenchmarkStepOverhead) and with each view
// exporting to a discarding exporter. The difference is the plugin's cost
// per step (an operation span and an attempt span); calls/op is the number
// of checkpoint calls per step, which the plugin must not change (1).
// cpu-ns/op is the process's CPU time per step, which a loaded machine
// disturbs less than the wall time.
//
// "sdk-only" is "none" plus, around every step, exactly the OpenTelemetry
// SDK calls a view makes for it (two spans started with a link, their
// attributes set, ended, exported by a batch processor flushed at the end
// of the invocation) and nothing of the plugin: the floor the SDK itself
// sets. A view's cost above it is the plugin's own.
func BenchmarkStepTracing(b *testing.B) {
	views := []struct {
		name string
		opts []durable.HandlerOption
		sdk  bool
	}{
		{"none", nil, false},
		{"sdk-only", nil, true},
		{"empty-hooks", []durable.HandlerOption{durable.WithPlugins(emptyHooks())}, false},
		{"invocation-view", []durable.HandlerOption{durable.WithPlugins(otel.InvocationView(otel.WithExporter(tracetest.NewNoopExporter())))}, false},
		{"execution-view", []durable.HandlerOption{durable.WithPlugins(otel.ExecutionView(otel.WithExporter(tracetest.NewNoopExporter())))}, false},
		{"invocation-view-unsampled", []durable.HandlerOption{durable.WithPlugins(otel.InvocationView(otel.WithExporter(tracetest.NewNoopExporter()), otel.WithSamplingRatio(0)))}, false},
	}
	for _, v := range views {
		b.Run(v.name, func(b *testing.B) {
			var n int
			var spans *sdkSpans
			if v.sdk {
				spans = newSDKSpans()
				defer spans.shutdown()
			}
			h := durable.NewHandler(func(ctx durable.Context, _ struct{}) (int, error) {
				sum := 0
				for range n {
					op, at := spans.start()
					v, err := durable.Step(ctx, "s", func(durable.StepContext) (int, error) { return 1, nil })
					if err != nil {
						return 0, err
					}
					spans.end(op, at)
					sum += v
				}
				spans.flush()
				return sum, nil
			}, v.opts...)
			client := &memClient{}
			ctx := checkpoint.ContextWithClient(context.Background(), client)
			ev := benchEvent(b)
			b.ReportAllocs()
			b.ResetTimer()
			began, cpuOK := processCPU()
			for done := 0; done < b.N; done += n {
				n = min(stepsPerInvocation, b.N-done)
				out, err := h.Invoke(ctx, ev)
				if err != nil {
					b.Fatal(err)
				}
				var resp checkpoint.InvocationResponse
				if err := json.Unmarshal(out, &resp); err != nil || resp.Status != checkpoint.InvocationSucceeded {
					b.Fatalf("invocation: %s %v", out, err)
				}
			}
			b.StopTimer()
			if ended, ok := processCPU(); ok && cpuOK {
				b.ReportMetric(float64((ended-began).Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(client.calls.Load())/float64(b.N), "calls/op")
			// One call per step; a step whose body outlives
			// checkpoint.StartDelay (a descheduled goroutine on a loaded
			// machine) sends its START alone, so allow 1 % of those.
			if got := client.calls.Load(); got < int64(b.N) || got > int64(b.N)+int64(b.N)/100 {
				b.Fatalf("%d checkpoint calls for %d steps, want one per step", got, b.N)
			}
		})
	}
}

// BenchmarkReplayTracing replays 3,000 recorded steps (one invocation whose
// event holds them all, answered without a checkpoint call) without the
// plugin and with each view: replayed operations get no span (contract
// section 3), so a view's cost here is its per-invocation work and the
// hooks' per-operation checks. It reports ns/replayed-op.
func BenchmarkReplayTracing(b *testing.B) {
	const steps = 3000
	ops := make([]checkpoint.Operation, steps)
	at := checkpoint.Timestamp{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := range ops {
		ops[i] = checkpoint.Operation{
			Id: strconv.Itoa(i + 1), Name: "s", Type: checkpoint.TypeStep, SubType: "Step",
			Status: checkpoint.StatusSucceeded, StartTimestamp: at, EndTimestamp: at,
			StepDetails: &checkpoint.StepDetails{Attempt: 1, Result: "1"},
		}
	}
	ev := benchEvent(b, ops...)
	for _, v := range []struct {
		name string
		opts []durable.HandlerOption
	}{
		{"none", nil},
		{"invocation-view", []durable.HandlerOption{durable.WithPlugins(otel.InvocationView(otel.WithExporter(tracetest.NewNoopExporter())))}},
		{"execution-view", []durable.HandlerOption{durable.WithPlugins(otel.ExecutionView(otel.WithExporter(tracetest.NewNoopExporter())))}},
	} {
		b.Run(v.name, func(b *testing.B) {
			h := durable.NewHandler(func(ctx durable.Context, _ struct{}) (int, error) {
				sum := 0
				for range steps {
					v, err := durable.Step(ctx, "s", func(durable.StepContext) (int, error) {
						return 0, errors.New("a recorded step ran")
					})
					if err != nil {
						return 0, err
					}
					sum += v
				}
				return sum, nil
			}, v.opts...)
			client := &memClient{}
			ctx := checkpoint.ContextWithClient(context.Background(), client)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				out, err := h.Invoke(ctx, ev)
				if err != nil {
					b.Fatal(err)
				}
				var resp checkpoint.InvocationResponse
				if err := json.Unmarshal(out, &resp); err != nil || resp.Status != checkpoint.InvocationSucceeded || resp.Result != strconv.Itoa(steps) {
					b.Fatalf("invocation: %s %v", out, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/replayed-op")
			if n := client.calls.Load(); n != 0 {
				b.Fatalf("%d checkpoint calls while replaying", n)
			}
		})
	}
}

// benchEvent is an event of benchARN holding recorded besides the
// EXECUTION operation.
func benchEvent(b *testing.B, recorded ...checkpoint.Operation) []byte {
	ops := append([]checkpoint.Operation{{
		Id: "0f6bd5c5-0000-4000-8000-000000000000", Name: "bench", Type: checkpoint.TypeExecution,
		Status: checkpoint.StatusStarted, StartTimestamp: checkpoint.Timestamp{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
	}}, recorded...)
	out, err := json.Marshal(checkpoint.InvocationEvent{
		DurableExecutionArn: benchARN, CheckpointToken: "t0",
		InitialExecutionState: &checkpoint.ExecutionState{Operations: ops},
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// memClient is a durable execution service with no latency: it accepts
// every checkpoint and reports the updated operations' new status.
type memClient struct{ calls atomic.Int64 }

func (c *memClient) Checkpoint(_ context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	c.calls.Add(1)
	var ops []checkpoint.Operation
	for _, u := range in.Updates {
		if u.Type == checkpoint.TypeExecution {
			continue
		}
		st := checkpoint.StatusStarted
		if u.Action == checkpoint.ActionSucceed {
			st = checkpoint.StatusSucceeded
		}
		if n := len(ops); n > 0 && ops[n-1].Id == u.Id {
			ops[n-1].Status = st
			continue
		}
		ops = append(ops, checkpoint.Operation{Id: u.Id, Name: u.Name, Type: u.Type, SubType: u.SubType, Status: st})
	}
	return &checkpoint.CheckpointOutput{CheckpointToken: "t", NewExecutionState: &checkpoint.ExecutionState{Operations: ops}}, nil
}

func (c *memClient) GetExecutionState(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	return &checkpoint.ExecutionState{}, nil
}

// emptyHooks is a plugin whose hooks do nothing: what the SDK's hook
// machinery costs by itself.
func emptyHooks() plugin.Plugin {
	return plugin.Plugin{
		Name:              "empty",
		InvocationContext: func(ctx context.Context, _ plugin.InvocationInfo) context.Context { return ctx },
		OperationStart:    func(context.Context, plugin.OperationInfo) error { return nil },
		OperationEnd:      func(context.Context, plugin.OperationInfo) error { return nil },
		AttemptStart:      func(context.Context, plugin.AttemptInfo) error { return nil },
		AttemptContext:    func(ctx context.Context, _ plugin.AttemptInfo) context.Context { return ctx },
		AttemptEnd:        func(context.Context, plugin.AttemptInfo) error { return nil },
	}
}

// sdkSpans makes, straight on the OpenTelemetry SDK, the spans a view makes
// for a step. A nil *sdkSpans makes none.
type sdkSpans struct {
	provider *sdktrace.TracerProvider
	tracer   trace.Tracer
	parent   context.Context
	opts     []trace.SpanStartOption
	attrs    []attribute.KeyValue
}

func newSDKSpans() *sdkSpans {
	p := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	t := p.Tracer("bench")
	parent, root := t.Start(context.Background(), "Invocation")
	return &sdkSpans{
		provider: p, tracer: t, parent: parent,
		opts: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal), trace.WithLinks(trace.Link{SpanContext: root.SpanContext()})},
	}
}

// start starts a step's operation span and attempt span.
func (s *sdkSpans) start() (op, at trace.Span) {
	if s == nil {
		return nil, nil
	}
	opCtx, op := s.tracer.Start(s.parent, "s", s.opts...)
	_, at = s.tracer.Start(opCtx, "s attempt 1", s.opts...)
	return op, at
}

// end ends a step's spans, as a view does.
func (s *sdkSpans) end(op, at trace.Span) {
	if s == nil {
		return
	}
	s.endSpan(at, attribute.Int("durable.attempt.number", 1), attribute.String("durable.attempt.outcome", "SUCCEEDED"))
	s.endSpan(op, attribute.String("durable.operation.status", "SUCCEEDED"), attribute.Int("durable.attempt.number", 1))
}

// endSpan sets the attributes every span has, then more, and ends span.
func (s *sdkSpans) endSpan(span trace.Span, more ...attribute.KeyValue) {
	s.attrs = append(s.attrs[:0],
		attribute.String("durable.execution.arn", benchARN),
		attribute.String("durable.operation.id", "c4ca4238a0b92382"),
		attribute.String("durable.operation.type", "STEP"),
		attribute.String("durable.operation.subtype", "Step"),
		attribute.String("durable.operation.name", "s"))
	s.attrs = append(s.attrs, more...)
	span.SetAttributes(s.attrs...)
	span.SetStatus(codes.Ok, "")
	span.End()
}

func (s *sdkSpans) flush() {
	if s != nil {
		_ = s.provider.ForceFlush(context.Background())
	}
}

func (s *sdkSpans) shutdown() { _ = s.provider.Shutdown(context.Background()) }

// TestBenchmarksRun runs this package's benchmarks once each, in a child
// process of the test binary (100 steps for BenchmarkStepTracing, one
// replay for BenchmarkReplayTracing), so that their own checks (the
// result, one checkpoint call per step, none while replaying) run with
// every test run. It asserts no timing.
func TestBenchmarksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmarks once; skipped in short mode")
	}
	for bench, times := range map[string]string{"BenchmarkStepTracing": "100x", "BenchmarkReplayTracing": "1x"} {
		out, err := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$", "-test.bench=^"+bench+"$", "-test.benchtime="+times).CombinedOutput()
		if err != nil || !strings.Contains(string(out), bench+"/invocation-view") || !strings.Contains(string(out), bench+"/execution-view") {
			t.Errorf("%s: %v\n%s", bench, err, out)
		}
	}
}
