package ops

import (
	"context"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
)

func fiveSteps(c *Context) (any, error) {
	sum := 0
	for range 5 {
		v, err := Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
		if err != nil {
			return nil, err
		}
		sum += v
	}
	return sum, nil
}

func TestModesCallsPerStep(t *testing.T) {
	for _, tc := range []struct {
		mode        checkpoint.Mode
		least, most int
	}{
		{checkpoint.Eager{}, 5, 5},
		// 10 updates: a flush is due at 4 and 8 queued, but the background
		// goroutine may pick up more before it sends; the end flushes the rest.
		{checkpoint.Batched{MaxUpdates: 4}, 1, 3},
		{checkpoint.Optimistic{}, 1, 1},
	} {
		f := newFake(t, "")
		en := newEngine(t, fiveSteps, func(cfg *Config) { cfg.Mode = tc.mode })
		resp, _ := runToEnd(t, en, f)
		if n := f.callCount(); resp.Result != "5" || n < tc.least || n > tc.most {
			t.Errorf("%s: result %q, %d calls, want %d..%d", checkpoint.ModeName(tc.mode), resp.Result, n, tc.least, tc.most)
		}
		if len(f.updates()) != 10 {
			t.Errorf("%s: %d updates", checkpoint.ModeName(tc.mode), len(f.updates()))
		}
	}
}

func TestOptimisticFlushesBeforeSuspending(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		if _, err := fiveSteps(c); err != nil {
			return nil, err
		}
		return nil, Wait(c, "", time.Second)
	}, func(cfg *Config) { cfg.Mode = checkpoint.Optimistic{} })
	resp, err := invoke(t, en, f)
	if err != nil || resp.Status != checkpoint.InvocationPending || f.callCount() != 1 || len(f.updates()) != 11 {
		t.Fatalf("%+v %v calls=%d", resp, err, f.callCount())
	}
}

func TestMetricsThroughEngine(t *testing.T) {
	var m middleware.Metrics
	f := newFake(t, "")
	en := newEngine(t, fiveSteps, func(cfg *Config) {
		cfg.Middleware = []middleware.Middleware{m.Operation()}
		cfg.AttemptMiddleware = []middleware.Middleware{m.Attempt()}
		cfg.CheckpointMiddleware = []middleware.CheckpointMiddleware{m.Checkpoint()}
	})
	runToEnd(t, en, f)
	s := m.Snapshot()
	if s.Operations != 5 || s.Attempts != 5 || s.CheckpointCalls != 5 || s.Updates != 10 || s.Bytes != 5 || s.Replays != 0 {
		t.Fatalf("%+v", s)
	}
}

// BenchmarkStepOverhead measures one live at-least-once step in eager mode
// against an in-memory client: the engine's cost per step, checkpoint
// round trip included.
func BenchmarkStepOverhead(b *testing.B) {
	client := &nullClient{}
	const steps = 100
	en, err := NewEngine(Config{LogHandler: quiet{}, Workflow: func(c *Context) (any, error) {
		for range steps {
			if _, err := Step(c, "s", func(*StepContext) (int, error) { return 1, nil }, StepOptions{}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := checkpoint.ContextWithClient(context.Background(), client)
	ev := []byte(`{"DurableExecutionArn":"arn:x/exec/1","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"1x","Type":"EXECUTION","Status":"STARTED"}]}}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += steps {
		if _, err := en.Invoke(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if client.calls != int64(b.N+steps-1)/steps*steps {
		b.Fatalf("%d checkpoint calls for %d steps", client.calls, b.N)
	}
}

// raceEnabled is set by race_test.go when the race detector is on.
var raceEnabled bool

// nullClient accepts everything and answers with the operation succeeded.
type nullClient struct{ calls int64 }

func (n *nullClient) Checkpoint(_ context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	n.calls++
	last := in.Updates[len(in.Updates)-1]
	return &checkpoint.CheckpointOutput{CheckpointToken: "t", NewExecutionState: &checkpoint.ExecutionState{
		Operations: []checkpoint.Operation{{Id: last.Id, Type: last.Type, Status: checkpoint.StatusSucceeded}},
	}}, nil
}

func (n *nullClient) GetExecutionState(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	return &checkpoint.ExecutionState{}, nil
}

func TestStepOverheadBudget(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("benchmark: skipped in short mode and under the race detector")
	}
	r := testing.Benchmark(BenchmarkStepOverhead)
	if r.N == 0 {
		t.Fatal("benchmark failed")
	}
	if allocs := r.AllocsPerOp(); allocs >= 40 {
		t.Errorf("%d allocs per step, budget 40", allocs)
	}
	t.Logf("%s per step, %d allocs, %d B", time.Duration(r.NsPerOp()), r.AllocsPerOp(), r.AllocedBytesPerOp())
}
