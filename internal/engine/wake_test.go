package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/retry"
)

// A retry that the service reports READY in the checkpoint response runs in
// the same invocation: the engine never suspends longer than needed.
func TestRetryDueInResponseRunsWithoutSuspending(t *testing.T) {
	f := newFake(t, "")
	f.afterCall = func() []*checkpoint.Operation {
		var due []*checkpoint.Operation
		for _, op := range f.ops {
			if op.Status == checkpoint.StatusPending {
				cp := *op
				cp.Status = checkpoint.StatusReady
				*op = cp
				due = append(due, op)
			}
		}
		return due
	}
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "", func(sc *StepContext) (int, error) {
			if sc.Attempt() == 1 {
				return 0, errors.New("again")
			}
			return sc.Attempt(), nil
		}, StepOptions{Retry: retry.Fixed(3, time.Second)})
	})
	resp, n := runToEnd(t, en, f)
	if resp.Result != "2" || n != 1 {
		t.Fatalf("%+v after %d invocations", resp, n)
	}
}

// A wait that completes while another branch keeps checkpointing wakes its
// goroutine through the response delta, without a suspension.
func TestWaitCompletedInDeltaWakesBranch(t *testing.T) {
	f := newFake(t, "")
	f.afterCall = func() []*checkpoint.Operation {
		// Fire the wait's timer on a later call than the one starting it, so
		// that the waiting goroutine is blocked when the delta arrives.
		for _, u := range f.calls[len(f.calls)-1].Updates {
			if u.Type == checkpoint.TypeWait {
				return nil
			}
		}
		for _, op := range f.ops {
			if op.Type == checkpoint.TypeWait && op.Status == checkpoint.StatusStarted {
				cp := *op
				cp.Status = checkpoint.StatusSucceeded
				*op = cp
				return []*checkpoint.Operation{op}
			}
		}
		return nil
	}
	en := newEngine(t, func(c *Context) (any, error) {
		e := c.Execution()
		waited := e.Go(func() { _ = Wait(c, "", time.Minute) })
		worker := e.Go(func() {
			for !f.waitStarted() {
				_, _ = Step(c, "", func(*StepContext) (int, error) { return 0, nil }, StepOptions{})
			}
			_, _ = Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
		})
		worker.Wait()
		waited.Wait()
		return "both", nil
	})
	resp, n := runToEnd(t, en, f)
	if resp.Result != `"both"` || n != 1 {
		t.Fatalf("%+v after %d invocations", resp, n)
	}
}

func (f *fakeService) waitStarted() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, op := range f.ops {
		if op.Type == checkpoint.TypeWait {
			return true
		}
	}
	return false
}
