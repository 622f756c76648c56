package benchmarks

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

// The end-to-end workloads run on the in-process local service
// (durabletest, virtual clock) in the shapes a peer comparison uses:
//
//	W2  N sequential trivial steps step-<i> returning {i, ok:true}
//	W3  the same N steps then a 1 s wait; the second invocation (which
//	    replays the N steps) is timed
//	W4  a map over M items, one step item-<i> each, unbounded concurrency
//	W5  a parallel of 10 branches of 10 steps
//
// Each iteration runs one execution on a fresh service (building and
// closing it is not timed). They report calls/op (checkpoint calls per
// execution), state-calls/op (GetDurableExecutionState pages), B/op and
// allocs/op (SDK and service together), peak-heap-MiB and peak-RSS-MiB.

// modes are the checkpoint modes the mode benchmarks compare. Batched uses
// its defaults: a request per 250 updates (or 750 KiB), no age limit.
var modes = []struct {
	name string
	mode checkpoint.Mode
}{
	{"eager", checkpoint.Eager{}},
	{"batched", checkpoint.Batched{}},
	{"optimistic", checkpoint.Optimistic{}},
}

// benchExecution runs one execution of wf per iteration on the local
// service and checks that it returns want.
func benchExecution(b *testing.B, wf func(durable.Context, struct{}) (int, error), want int, calls *serviceCalls, opts ...durable.HandlerOption) {
	h := durable.NewHandler(wf, append([]durable.HandlerOption{quiet, durable.WithCheckpointMiddleware(calls.middleware())}, opts...)...)
	var cpu cpuMeter
	mem := watchMemory()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if res := runLocal(b, h, nil, &cpu); res.Result != strconv.Itoa(want) {
			b.Fatalf("result %s, want %d", res.Result, want)
		}
	}
	b.StopTimer()
	mem.report(b)
	cpu.report(b)
	calls.report(b)
}

// BenchmarkW2 runs W2 (N sequential steps) for N = 100 and 1,000 in each
// checkpoint mode; eager makes exactly one checkpoint call per step.
func BenchmarkW2(b *testing.B) {
	for _, n := range []int{100, 1000} {
		for _, m := range modes {
			b.Run(fmt.Sprintf("N=%d/%s", n, m.name), func(b *testing.B) {
				calls := &serviceCalls{}
				benchExecution(b, Sequential(n, nil), n, calls, durable.WithCheckpointMode(m.mode))
				if got := calls.checkpoints.Load() - calls.starts.Load(); m.name == "eager" && got != int64(n*b.N) {
					b.Fatalf("%d checkpoint calls for %d executions of %d steps", got, b.N, n)
				}
			})
		}
	}
}

// BenchmarkW3 runs N sequential steps then a 1 s wait and times the second
// invocation, which replays the N steps and completes the execution.
// calls/op and state-calls/op count that invocation's calls only.
func BenchmarkW3(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			calls := &serviceCalls{}
			h := durable.NewHandler(Sequential(n, func(ctx durable.Context) error {
				return durable.Wait(ctx, "wait", time.Second)
			}), quiet, durable.WithCheckpointMiddleware(calls.middleware()))
			var checkpoints, states int64
			var cpu cpuMeter
			ctx := context.Background()
			mem := watchMemory()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				r := durabletest.New(h)
				if err := r.Start(ctx, nil); err != nil {
					b.Fatal(err)
				}
				if _, err := r.RunInvocation(ctx); err != nil {
					b.Fatal(err)
				}
				if res := r.Result(); res.Status != local.ExecutionRunning {
					b.Fatalf("after the first invocation: %s %+v", res.Status, res.Error)
				}
				calls.reset()
				b.StartTimer()
				cpu.start()
				_, err := r.RunInvocation(ctx)
				cpu.stop()
				b.StopTimer()
				checkpoints += calls.checkpoints.Load()
				states += calls.states.Load()
				if err != nil {
					b.Fatal(err)
				}
				if res := r.Result(); res.Status != local.ExecutionSucceeded || res.Result != strconv.Itoa(n) {
					b.Fatalf("after the second invocation: %s %q %+v", res.Status, res.Result, res.Error)
				}
				r.Close()
				b.StartTimer()
			}
			b.StopTimer()
			mem.report(b)
			cpu.report(b)
			b.ReportMetric(float64(checkpoints)/float64(b.N), "calls/op")
			b.ReportMetric(float64(states)/float64(b.N), "state-calls/op")
		})
	}
}

// BenchmarkW4 runs W4 (a map over M items, one step each, unbounded
// concurrency) for M = 100 and 1,000 in each checkpoint mode.
func BenchmarkW4(b *testing.B) {
	for _, m := range []int{100, 1000} {
		for _, md := range modes {
			b.Run(fmt.Sprintf("M=%d/%s", m, md.name), func(b *testing.B) {
				benchExecution(b, MapWorkflow(m), m, &serviceCalls{}, durable.WithCheckpointMode(md.mode))
			})
		}
	}
}

// BenchmarkW5 runs W5: a parallel of 10 branches of 10 steps.
func BenchmarkW5(b *testing.B) {
	benchExecution(b, ParallelWorkflow, 100, &serviceCalls{})
}

// mapLatency is the simulated checkpoint latency of BenchmarkMap1000.
const mapLatency = 2 * time.Millisecond

// BenchmarkMap1000 runs a map over 1,000 items of one step each in each
// checkpoint mode, every checkpoint call delayed by 2 ms: wall time per
// execution and calls/op. Eager must not serialise the items behind one
// another (1,000 sequential round trips would take at least 2 s).
func BenchmarkMap1000(b *testing.B) {
	for _, md := range modes {
		b.Run("mode="+md.name, func(b *testing.B) {
			benchExecution(b, MapWorkflow(1000), 1000, &serviceCalls{latency: mapLatency}, durable.WithCheckpointMode(md.mode))
		})
	}
}
