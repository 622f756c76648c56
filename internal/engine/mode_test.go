package engine

import (
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
