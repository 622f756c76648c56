package benchmarks

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/logging"
)

// replayOps is the service's maximum of operations per execution.
const replayOps = 3000

// BenchmarkReplay3000 replays an execution whose history holds 3,000
// succeeded steps (W2's shape) up to the frontier: one invocation whose
// event carries the whole history, decoded, replayed and answered without a
// single checkpoint call. It reports ns/replayed-op, the heap allocated
// between a collected heap and the frontier (frontier-heap-MiB) and the
// sampled peak of the heap (peak-heap-MiB).
func BenchmarkReplay3000(b *testing.B) {
	recorded := make([]checkpoint.Operation, replayOps)
	for i := range recorded {
		recorded[i] = succeededStep(i+1, StepName(i), fmt.Sprintf(`{"i":%d,"ok":true}`, i))
	}
	ev := event(b, recorded...)
	var base, frontier uint64
	h := durable.NewHandler(Sequential(replayOps, func(ctx durable.Context) error {
		if ctx.IsReplaying() {
			return errors.New("still replaying at the frontier")
		}
		b.StopTimer()
		if a := heapAlloc(); a > base {
			frontier = max(frontier, a-base)
		}
		b.StartTimer()
		return nil
	}), quiet)
	client := &memClient{}
	ctx := lambdaContext(b, client)
	var cpu cpuMeter
	mem := watchMemory()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		runtime.GC()
		base = heapAlloc()
		b.StartTimer()
		cpu.start()
		resp := invoke(b, ctx, h, ev, checkpoint.InvocationSucceeded)
		cpu.stop()
		if resp.Result != fmt.Sprint(replayOps) {
			b.Fatalf("result %s", resp.Result)
		}
	}
	b.StopTimer()
	mem.report(b)
	cpu.report(b)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*replayOps), "ns/replayed-op")
	b.ReportMetric(float64(frontier)/(1<<20), "frontier-heap-MiB")
	if n := client.calls.Load(); n != 0 {
		b.Fatalf("%d checkpoint calls while replaying", n)
	}
}

// BenchmarkLoggingReplay measures one call of a workflow logger
// (ctx.Logger().Info with two constant attributes, JSON handler to
// io.Discard) while the workflow replays (suppressed: budget under 20 ns)
// and live. Constant attributes keep Go's boxing of non-constant values
// into the ...any arguments (one allocation, paid by any slog call) out of
// the measurement.
func BenchmarkLoggingReplay(b *testing.B) {
	b.Run("suppressed", func(b *testing.B) { benchLog(b, true) })
	b.Run("live", func(b *testing.B) { benchLog(b, false) })
}

func benchLog(b *testing.B, replaying bool) {
	h := durable.NewHandler(func(ctx durable.Context, _ struct{}) (int, error) {
		if ctx.IsReplaying() != replaying {
			return 0, fmt.Errorf("IsReplaying() = %v, want %v", ctx.IsReplaying(), replaying)
		}
		l := ctx.Logger()
		var cpu cpuMeter
		b.ReportAllocs()
		b.ResetTimer()
		cpu.start()
		for range b.N {
			l.Info("charged card", "order", 42, "ok", true)
		}
		cpu.stop()
		b.StopTimer()
		cpu.report(b)
		return durable.Step(ctx, "s", func(durable.StepContext) (int, error) { return 1, nil })
	}, durable.WithLogHandler(logging.NewJSONHandler(io.Discard, slog.LevelInfo)))
	var recorded []checkpoint.Operation
	if replaying {
		recorded = append(recorded, succeededStep(1, "s", "1"))
	}
	ctx := lambdaContext(b, &memClient{})
	invoke(b, ctx, h, event(b, recorded...), checkpoint.InvocationSucceeded)
}

// BenchmarkSuspendResume measures one suspend/resume cycle of a wait: an
// invocation that starts a 1 s wait and suspends (PENDING, one checkpoint
// call), then the invocation that replays the finished wait and completes.
func BenchmarkSuspendResume(b *testing.B) {
	h := durable.NewHandler(func(ctx durable.Context, _ struct{}) (string, error) {
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return "", err
		}
		return "done", nil
	}, quiet)
	first := event(b)
	second := event(b, checkpoint.Operation{
		Id: "1", Name: "pause", Type: checkpoint.TypeWait, SubType: checkpoint.SubTypeWait,
		Status:         checkpoint.StatusSucceeded,
		StartTimestamp: checkpoint.At(epoch), EndTimestamp: checkpoint.At(epoch.Add(time.Second)),
		WaitDetails: &checkpoint.WaitDetails{ScheduledEndTimestamp: checkpoint.At(epoch.Add(time.Second))},
	})
	client := &memClient{}
	ctx := lambdaContext(b, client)
	var cpu cpuMeter
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	for range b.N {
		invoke(b, ctx, h, first, checkpoint.InvocationPending)
		if resp := invoke(b, ctx, h, second, checkpoint.InvocationSucceeded); resp.Result != `"done"` {
			b.Fatalf("result %s", resp.Result)
		}
	}
	cpu.stop()
	b.StopTimer()
	cpu.report(b)
	b.ReportMetric(float64(client.calls.Load())/float64(b.N), "calls/op")
	if n := client.outcomeCalls(); n != int64(b.N) {
		b.Fatalf("%d checkpoint calls for %d cycles, want one each", n, b.N)
	}
}
