package benchmarks

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/middleware"
)

// benchARN is the execution ARN of the engine-level benchmarks.
const benchARN = "arn:aws:lambda:us-east-1:123456789012:function:bench:$LATEST/durable-execution/bench/0123456789abcdef"

// quiet drops every log record of the SDK and the workflows.
var quiet = durable.WithLogHandler(slog.DiscardHandler)

// memClient is an in-memory checkpoint.Client with no latency. It answers
// each request with the operations its updates touched (the last status of
// each id), as the service's delta does, and pages nothing. It allocates 3
// objects per call: the output, the state and the operations slice.
type memClient struct {
	calls atomic.Int64
	// starts counts the calls that carried nothing but STARTs: those of
	// operations that ran longer than checkpoint.StartDelay (a body slowed
	// by the race detector or a loaded machine), sent while they ran.
	starts atomic.Int64
}

// outcomeCalls is the number of calls that carried more than STARTs.
func (c *memClient) outcomeCalls() int64 { return c.calls.Load() - c.starts.Load() }

// startsOnly reports whether a request carries nothing but STEP and CONTEXT
// STARTs (see memClient.starts).
func startsOnly(us []checkpoint.OperationUpdate) bool {
	for i := range us {
		if us[i].Action != checkpoint.ActionStart || us[i].Type != checkpoint.TypeStep && us[i].Type != checkpoint.TypeContext {
			return false
		}
	}
	return len(us) > 0
}

func (c *memClient) Checkpoint(_ context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	c.calls.Add(1)
	if startsOnly(in.Updates) {
		c.starts.Add(1)
	}
	ops := make([]checkpoint.Operation, 0, 1)
	for i := range in.Updates {
		u := &in.Updates[i]
		if u.Type == checkpoint.TypeExecution {
			continue
		}
		st := statusAfter(u.Action)
		if n := len(ops); n > 0 && ops[n-1].Id == u.Id {
			ops[n-1].Status = st
			continue
		}
		ops = append(ops, checkpoint.Operation{Id: u.Id, ParentId: u.ParentId, Name: u.Name, Type: u.Type, SubType: u.SubType, Status: st})
	}
	return &checkpoint.CheckpointOutput{CheckpointToken: "t", NewExecutionState: &checkpoint.ExecutionState{Operations: ops}}, nil
}

func (c *memClient) GetExecutionState(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	return &checkpoint.ExecutionState{}, nil
}

// lambdaContext returns the context of an invocation as Lambda gives it
// (a deadline, here 15 minutes away) carrying client as the checkpoint
// client. It is cancelled when tb's test ends.
func lambdaContext(tb testing.TB, client checkpoint.Client) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	tb.Cleanup(cancel)
	return checkpoint.ContextWithClient(ctx, client)
}

// statusAfter is the status an operation has after the service applied a.
func statusAfter(a checkpoint.Action) checkpoint.Status {
	switch a {
	case checkpoint.ActionSucceed:
		return checkpoint.StatusSucceeded
	case checkpoint.ActionFail:
		return checkpoint.StatusFailed
	case checkpoint.ActionRetry:
		return checkpoint.StatusPending
	case checkpoint.ActionCancel:
		return checkpoint.StatusCancelled
	}
	return checkpoint.StatusStarted
}

// event returns the JSON invocation event of benchARN whose state holds the
// EXECUTION operation followed by recorded.
func event(tb testing.TB, recorded ...checkpoint.Operation) []byte {
	tb.Helper()
	execID := benchARN[strings.LastIndexByte(benchARN, '/')+1:]
	ops := append([]checkpoint.Operation{{
		Id: execID, Name: "bench", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted,
		StartTimestamp: checkpoint.Timestamp{Time: epoch},
	}}, recorded...)
	b, err := json.Marshal(checkpoint.InvocationEvent{
		DurableExecutionArn:   benchARN,
		CheckpointToken:       "t0",
		InitialExecutionState: &checkpoint.ExecutionState{Operations: ops},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// epoch is the recorded start time of the benchmarks' operations.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// succeededStep is the record of the n-th top-level step (id n), named name,
// that returned the JSON text result.
func succeededStep(n int, name, result string) checkpoint.Operation {
	return checkpoint.Operation{
		Id: strconv.Itoa(n), Name: name, Type: checkpoint.TypeStep, SubType: checkpoint.SubTypeStep,
		Status:         checkpoint.StatusSucceeded,
		StartTimestamp: checkpoint.Timestamp{Time: epoch}, EndTimestamp: checkpoint.Timestamp{Time: epoch},
		StepDetails: &checkpoint.StepDetails{Attempt: 1, Result: result},
	}
}

// invoke runs one invocation of h and checks its status.
func invoke(tb testing.TB, ctx context.Context, h *durable.Handler, ev []byte, want checkpoint.InvocationStatus) *checkpoint.InvocationResponse {
	tb.Helper()
	out, err := h.Invoke(ctx, ev)
	if err != nil {
		tb.Fatal(err)
	}
	var resp checkpoint.InvocationResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		tb.Fatal(err)
	}
	if resp.Status != want {
		tb.Fatalf("invocation ended %s (%+v), want %s", resp.Status, resp.Error, want)
	}
	return &resp
}

// serviceCalls counts the calls a handler makes to the service and can
// delay each checkpoint call to simulate network latency. Install it with
// durable.WithCheckpointMiddleware(s.middleware()).
type serviceCalls struct {
	latency     time.Duration
	checkpoints atomic.Int64
	starts      atomic.Int64 // calls carrying only STARTs (see memClient.starts)
	states      atomic.Int64
	updates     atomic.Int64
}

func (s *serviceCalls) middleware() middleware.CheckpointMiddleware {
	return func(next checkpoint.Client) checkpoint.Client {
		return middleware.ClientFuncs{
			CheckpointFunc: func(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
				s.checkpoints.Add(1)
				if startsOnly(in.Updates) {
					s.starts.Add(1)
				}
				s.updates.Add(int64(len(in.Updates)))
				if s.latency > 0 {
					t := time.NewTimer(s.latency)
					select {
					case <-t.C:
					case <-ctx.Done():
						t.Stop()
						return nil, ctx.Err()
					}
				}
				return next.Checkpoint(ctx, in)
			},
			GetExecutionStateFunc: func(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
				s.states.Add(1)
				return next.GetExecutionState(ctx, in)
			},
		}
	}
}

func (s *serviceCalls) reset() {
	s.checkpoints.Store(0)
	s.starts.Store(0)
	s.states.Store(0)
	s.updates.Store(0)
}

// report adds the calls per operation to b's results.
func (s *serviceCalls) report(b *testing.B) {
	b.ReportMetric(float64(s.checkpoints.Load())/float64(b.N), "calls/op")
	b.ReportMetric(float64(s.states.Load())/float64(b.N), "state-calls/op")
}

// runLocal starts input on a fresh in-process local service (virtual
// clock) running h, and runs it to its end with the timer and cpu on;
// building and closing the service is not measured. It checks that the
// execution succeeded and returns its result.
func runLocal(b *testing.B, h *durable.Handler, input any, cpu *cpuMeter) *durabletest.Result {
	b.Helper()
	b.StopTimer()
	r := durabletest.New(h)
	defer r.Close()
	ctx := context.Background()
	if err := r.Start(ctx, input); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	cpu.start()
	res, err := r.Resume(ctx)
	cpu.stop()
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if !res.Done() || res.Error != nil {
		b.Fatalf("execution ended %s: %+v", res.Status, res.Error)
	}
	b.StartTimer()
	return res
}

// cpuMeter adds up the CPU time the process uses (every goroutine: the
// workflow's, the checkpointer's, the service's, the garbage collector's)
// between start and stop; report divides it by b.N as cpu-ns/op. On a
// shared machine it moves less than wall time; at Lambda's small memory
// sizes, where a function gets a fraction of a vCPU, it is what the SDK
// costs in latency.
type cpuMeter struct {
	total, began time.Duration
	ok           bool
}

func (m *cpuMeter) start() { m.began, m.ok = processCPU() }

func (m *cpuMeter) stop() {
	if now, ok := processCPU(); ok && m.ok {
		m.total += now - m.began
	}
}

func (m *cpuMeter) report(b *testing.B) {
	if m.ok {
		b.ReportMetric(float64(m.total.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// memWatch measures the memory a benchmark uses: the peaks of the Go heap
// and of the goroutine stacks (sampled every 200 us while the benchmark
// runs) and, on Linux, the process's peak resident set size (reset when the
// watch starts).
type memWatch struct {
	stop chan struct{}
	peak chan [2]uint64 // heap, stacks
}

// watchMemory starts a memWatch after collecting garbage and returning
// freed memory to the OS, so earlier benchmarks weigh as little as possible.
func watchMemory() *memWatch {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM (Linux)
	w := &memWatch{stop: make(chan struct{}), peak: make(chan [2]uint64, 1)}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
		var peak [2]uint64
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak[0] = max(peak[0], s[0].Value.Uint64())
			peak[1] = max(peak[1], s[1].Value.Uint64())
			select {
			case <-w.stop:
				w.peak <- peak
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// report stops the watch and adds peak-heap-MiB, peak-stacks-MiB and
// peak-RSS-MiB to b's results.
func (w *memWatch) report(b *testing.B) {
	close(w.stop)
	peak := <-w.peak
	b.ReportMetric(float64(peak[0])/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(peak[1])/(1<<20), "peak-stacks-MiB")
	if kb, ok := peakRSSKiB(); ok {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
	}
}

// peakRSSKiB reads the process's peak resident set size (VmHWM) on Linux.
func peakRSSKiB() (uint64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// heapAlloc returns the bytes of allocated heap objects (live or not yet
// collected).
func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
